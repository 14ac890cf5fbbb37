/* Proofsheet's client gallery: enhancements over pages that work without them.
   Infinite scroll, the lightbox, hearts without reloading, the "who's choosing" sheet. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.querySelector("[data-gallery]");
  var grid = doc.querySelector("[data-grid]");
  var ZERO = "00000000-0000-0000-0000-000000000000";
  var loadMore = function () { return Promise.resolve(false); };
  // The page's language (Django's JavaScript catalogue, sharing/views/catalog.py,
  // loaded just before this script); English as written here without it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%s/g, function () { return values.shift(); });
  };

  /* Talking to the server ------------------------------------------------- */

  function csrfToken() {
    var input = doc.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input) return input.value;
    var match = doc.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // Locked out meanwhile (new password, expired): the page knows what to say.
        window.location.reload();
        throw new Error("not json");
      }
      return response.json().then(function (body) {
        body.status = response.status;
        return body;
      });
    });
  }

  /* Messages -------------------------------------------------------------- */

  var toast = doc.querySelector("[data-toast]");
  var toastTimer = 0;
  var lightbox = null;

  function say(message, isError) {
    if (!toast || !message) return;
    // A modal lightbox hides everything outside it, so the message goes inside.
    var host = lightbox && lightbox.open ? lightbox : doc.body;
    if (toast.parentNode !== host) host.appendChild(toast);
    toast.className = "toast" + (isError ? " toast--error" : "");
    toast.setAttribute("role", isError ? "alert" : "status");
    toast.textContent = message;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { toast.textContent = ""; }, isError ? 6000 : 3500);
  }

  function initFlashes() {
    var flashes = doc.querySelector("[data-flashes]");
    if (!flashes) return;
    var hide = function () { flashes.classList.add("is-gone"); };
    flashes.addEventListener("click", hide);
    window.setTimeout(hide, 6000);
  }

  /* Favourites ------------------------------------------------------------ */

  var pendingHeart = null;

  function heartUrl(id) {
    return root.getAttribute("data-favourites").replace(ZERO, id);
  }

  function heartsOf(id) {
    var buttons = Array.prototype.slice.call(
      doc.querySelectorAll('.heart[formaction*="' + id + '"]')
    );
    if (lightbox && lightbox.open && currentId() === id) {
      buttons.push(lightbox.querySelector("[data-lb-heart]"));
    }
    return buttons;
  }

  function showHeart(id, on, pop) {
    heartsOf(id).forEach(function (button) {
      if (!button) return;
      button.classList.toggle("is-on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      if (button.name === "hearted") button.value = on ? "0" : "1";
      if (pop && on) {
        button.classList.remove("is-popping");
        void button.offsetWidth;
        button.classList.add("is-popping");
      }
    });
  }

  // The page keeps room for the favourites bar (--favbar) by its real height: its
  // text wraps to two or three lines on a phone, in some languages more than others.
  var barWatch = "ResizeObserver" in window ? new ResizeObserver(measureBar) : null;
  function measureBar() {
    var bar = doc.querySelector("[data-favbar]");
    if (!bar) return;
    doc.body.style.setProperty("--favbar", Math.ceil(bar.getBoundingClientRect().height) + "px");
  }
  function watchBar() {
    var bar = doc.querySelector("[data-favbar]");
    if (!bar) return;
    measureBar();
    if (barWatch) barWatch.observe(bar);
  }
  watchBar();

  function replaceBar(html) {
    var bar = doc.querySelector("[data-favbar]");
    if (!bar || !html) return;
    var holder = doc.createElement("template");
    holder.innerHTML = html.trim();
    if (barWatch) barWatch.unobserve(bar);
    bar.replaceWith(holder.content);
    watchBar();
  }

  function toggleHeart(id, button) {
    var state = root.getAttribute("data-list");
    if (state === "sent") {
      say(gettext("Your list was sent, so it can’t change now."), true);
      return;
    }
    if (state !== "open") {
      openStart(id);
      return;
    }
    var on = button.getAttribute("aria-pressed") !== "true";
    var data = new FormData();
    data.append("hearted", on ? "1" : "0");
    showHeart(id, on, true);
    button.classList.add("is-busy");
    postJSON(heartUrl(id), data)
      .then(function (body) {
        if (body.status === 409) {
          root.removeAttribute("data-list");
          showHeart(id, false);
          openStart(id);
          return;
        }
        showHeart(id, !!body.hearted);
        replaceBar(body.bar);
        if (body.error) say(body.error, true);
        else say(body.hearted ? gettext("Added to your favourites.") : gettext("Removed from your favourites."));
      })
      .catch(function () {
        showHeart(id, !on);
        say(gettext("That didn’t save. Check your connection and try again."), true);
      })
      .then(function () { button.classList.remove("is-busy"); });
  }

  function initHearts() {
    if (!root || !root.hasAttribute("data-favourites")) return;
    doc.addEventListener("click", function (event) {
      var button = event.target.closest(".tile .heart[formaction]");
      if (button) {
        event.preventDefault();
        toggleHeart(button.closest(".tile").querySelector("[data-id]").getAttribute("data-id"), button);
        return;
      }
      var start = event.target.closest("[data-start]");
      if (start && startDialog && startDialog.showModal) {
        event.preventDefault();
        openStart(null);
      }
    });
  }

  /* The sheet that asks who is choosing, before the first heart. */

  var startDialog = doc.querySelector("[data-start-dialog]");

  function openStart(photoId) {
    pendingHeart = photoId;
    if (!startDialog || !startDialog.showModal) {
      var url = doc.querySelector("[data-start]");
      window.location.href = (url ? url.href : "favourites/start/") +
        (photoId ? "?photo=" + encodeURIComponent(photoId) : "");
      return;
    }
    startDialog.querySelector("[data-start-photo]").value = photoId || "";
    startDialog.showModal();
  }

  function initStart() {
    if (!startDialog) return;
    var form = startDialog.querySelector("[data-start-form]");
    var error = form.querySelector("[data-start-error]");
    startDialog.addEventListener("click", function (event) {
      if (event.target === startDialog || event.target.closest("[data-dialog-close]")) startDialog.close();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector('[type="submit"]');
      button.disabled = true;
      postJSON(form.action, new FormData(form))
        .then(function (body) {
          if (body.status !== 200) {
            error.textContent = body.error || gettext("Please check the form.");
            error.hidden = false;
            var invalid = body.errors && (body.errors.name ? "name" : body.errors.email ? "email" : "");
            if (invalid) form.elements[invalid].focus();
            return;
          }
          root.setAttribute("data-list", "open");
          replaceBar(body.bar);
          startDialog.close();
          if (pendingHeart && body.hearted) showHeart(pendingHeart, true, true);
          say(body.error || gettext("You can choose now: tap the heart on the photos you love."), !!body.error);
        })
        .catch(function () { error.textContent = gettext("That didn’t work. Please try again."); error.hidden = false; })
        .then(function () { button.disabled = false; });
    });
  }

  /* Confirmations: <form data-confirm="..."> */

  function initConfirm() {
    doc.addEventListener("submit", function (event) {
      var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
      if (message && !window.confirm(message)) event.preventDefault();
    });
  }

  /* Infinite scroll ------------------------------------------------------- */

  function initMore() {
    if (!grid) return;
    var loading = null;

    function fetchNext() {
      var more = doc.querySelector("[data-more]");
      if (!more) return Promise.resolve(false);
      if (loading) return loading;
      var wrap = more.parentNode;
      wrap.classList.add("is-loading");
      if (observer) observer.unobserve(more);
      loading = fetch(more.getAttribute("data-more"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("page");
          return response.text();
        })
        .then(function (html) {
          var page = doc.createElement("template");
          page.innerHTML = html;
          var next = page.content.querySelector("[data-more-wrap]");
          if (next) next.remove();
          grid.appendChild(page.content);
          if (next) wrap.replaceWith(next);
          else wrap.remove();
          loading = null;
          watch();
          return true;
        })
        .catch(function () {
          // The link stays: a tap loads the next page the plain way.
          wrap.classList.remove("is-loading");
          loading = null;
          return false;
        });
      return loading;
    }

    var observer = "IntersectionObserver" in window
      ? new IntersectionObserver(function (entries) {
          if (entries.some(function (entry) { return entry.isIntersecting; })) fetchNext();
        }, { rootMargin: "0px 0px 1600px 0px" })
      : null;

    function watch() {
      var more = doc.querySelector("[data-more]");
      if (more && observer) observer.observe(more);
    }

    doc.addEventListener("click", function (event) {
      if (event.target.closest("[data-more]")) {
        event.preventDefault();
        fetchNext();
      }
    });
    watch();
    loadMore = fetchNext;
  }

  /* Lightbox -------------------------------------------------------------- */

  var current = null;
  var picture = null;
  var stage = null;

  function tiles() {
    return Array.prototype.slice.call(grid.querySelectorAll(".tile__link"));
  }

  function currentId() {
    return current ? current.getAttribute("data-id") : "";
  }

  function buildLightbox() {
    var template = doc.querySelector("[data-lightbox-template]");
    lightbox = template.content.firstElementChild.cloneNode(true);
    doc.body.appendChild(lightbox);
    picture = lightbox.querySelector("[data-lb-img]");
    stage = lightbox.querySelector("[data-lb-stage]");

    lightbox.querySelector("[data-lb-close]").addEventListener("click", close);
    lightbox.querySelector("[data-lb-prev]").addEventListener("click", function () { step(-1); });
    lightbox.querySelector("[data-lb-next]").addEventListener("click", function () { step(1); });
    lightbox.addEventListener("cancel", function (event) {
      event.preventDefault();
      close();
    });
    lightbox.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowRight") { event.preventDefault(); step(1); }
      if (event.key === "ArrowLeft") { event.preventDefault(); step(-1); }
    });
    // Clicking the dark around the photo closes, as in every photo viewer.
    stage.addEventListener("click", function (event) {
      if (event.target === stage) close();
    });

    var heart = lightbox.querySelector("[data-lb-heart]");
    if (heart) {
      heart.addEventListener("click", function () { toggleHeart(currentId(), heart); });
    }

    var full = lightbox.querySelector("[data-lb-fullscreen]");
    if (doc.fullscreenEnabled) {
      full.hidden = false;
      full.addEventListener("click", function () {
        if (doc.fullscreenElement) doc.exitFullscreen();
        else doc.documentElement.requestFullscreen().catch(function () {});
      });
      doc.addEventListener("fullscreenchange", function () {
        full.setAttribute("aria-label", doc.fullscreenElement ? gettext("Leave full screen") : gettext("Full screen"));
        window.requestAnimationFrame(fit);
      });
    }

    // Swipe left or right to move; pinching is left to the browser.
    var startX = 0, startY = 0, touches = 0;
    stage.addEventListener("touchstart", function (event) {
      touches = event.touches.length;
      startX = event.touches[0].clientX;
      startY = event.touches[0].clientY;
    }, { passive: true });
    stage.addEventListener("touchend", function (event) {
      if (touches !== 1 || (window.visualViewport && window.visualViewport.scale > 1.05)) return;
      if (stage.classList.contains("is-zoomed")) return; // zoom.js pans instead
      var dx = event.changedTouches[0].clientX - startX;
      var dy = event.changedTouches[0].clientY - startY;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy) * 1.5) step(dx < 0 ? 1 : -1);
    }, { passive: true });

    window.addEventListener("resize", fit);
    // slideshow.js and zoom.js attach here (see Proofsheet.lightbox below).
    doc.dispatchEvent(new CustomEvent("lightbox:ready", { detail: lightbox }));
  }

  function thumbOf(link) {
    return link.querySelector("img");
  }

  // The widest picture the link offers of a photo, in pixels (its srcsets' "w"s):
  // never wider than the photo itself.
  function largestWidth(link) {
    var w = +thumbOf(link).getAttribute("width") || 0;
    var widths = (bigSrcset(link).match(/ (\d+)w/g) || []).map(function (x) { return parseInt(x, 10); });
    var widest = widths.length ? Math.max.apply(null, widths) : w;
    return w ? Math.min(w, widest) : widest;
  }

  // The photo at the largest size that fits the screen, at its own shape, but never
  // beyond the widest picture there is of it: a small photo stays its own size.
  function fit() {
    if (!current || !lightbox || !lightbox.open) return;
    var thumb = thumbOf(current);
    var w = +thumb.getAttribute("width") || 3;
    var h = +thumb.getAttribute("height") || 2;
    var box = stage.getBoundingClientRect();
    var natural = largestWidth(current);
    var scale = Math.min(box.width / w, box.height / h, natural ? natural / w : Infinity);
    picture.style.width = Math.floor(w * scale) + "px";
    picture.style.height = Math.floor(h * scale) + "px";
    picture.sizes = Math.ceil(w * scale) + "px";
  }

  function downloadUrl(id, size) {
    return root.getAttribute("data-photo-base").replace(ZERO, id) + "download/?size=" + size;
  }

  // Through an invited or registered visitor's personal address, each photo opened
  // in the lightbox counts once as seen, for the photographer's activity table.
  var seen = {};
  function countSeen(id) {
    if (!root.hasAttribute("data-seen") || seen[id]) return;
    seen[id] = true;
    var url = root.getAttribute("data-photo-base").replace(ZERO, id) + "seen/";
    fetch(url, { method: "POST", credentials: "same-origin", keepalive: true, headers: { "X-CSRFToken": csrfToken() } }).catch(function () {});
  }

  function show(link) {
    current = link;
    var id = currentId();
    countSeen(id);
    var thumb = thumbOf(link);
    picture.removeAttribute("srcset");
    picture.removeAttribute("src");
    // The grid's copy is already here: show it at once, blurred by its size,
    // while the large one arrives.
    picture.style.backgroundImage = thumb.currentSrc ? 'url("' + thumb.currentSrc + '")' : "";
    picture.alt = thumb.alt;
    fit();
    picture.srcset = bigSrcset(link);

    var all = tiles();
    var index = all.indexOf(link);
    var total = +root.getAttribute("data-total") || all.length;
    lightbox.querySelector("[data-lb-count]").textContent = link.getAttribute("data-n") + " / " + total;
    lightbox.querySelector("[data-lb-prev]").disabled = index <= 0;
    lightbox.querySelector("[data-lb-next]").disabled =
      index >= all.length - 1 && !doc.querySelector("[data-more]");

    var heart = lightbox.querySelector("[data-lb-heart]");
    if (heart) {
      var tileHeart = link.parentNode.querySelector(".heart");
      var on = !!tileHeart && tileHeart.classList.contains("is-on");
      heart.hidden = root.getAttribute("data-list") === "sent";
      heart.classList.toggle("is-on", on);
      heart.setAttribute("aria-pressed", on ? "true" : "false");
      heart.setAttribute("aria-label", interpolate(gettext("Favourite %s"), [thumb.alt.replace(/^.*: /, "")]));
    }
    Array.prototype.forEach.call(lightbox.querySelectorAll("[data-lb-download]"), function (a) {
      a.href = downloadUrl(id, a.getAttribute("data-lb-download"));
    });

    preload(all[index + 1]);
    preload(all[index - 1]);
    if (index >= all.length - 3) loadMore();
    lightbox.dispatchEvent(new CustomEvent("lightbox:show", { detail: { link: link, last: index >= all.length - 1 && !doc.querySelector("[data-more]") } }));
  }

  // The grid's own sizes plus the preview: every size the lightbox may need.
  function bigSrcset(link) {
    // A watermarked link's thumbnails may be plain: its lightbox takes data-lb alone.
    var own = link.hasAttribute("data-wm") ? "" : thumbOf(link).getAttribute("srcset") || "";
    var preview = link.getAttribute("data-lb") || "";
    return own && preview ? own + ", " + preview : own || preview;
  }

  function preload(link) {
    if (!link) return;
    var image = new Image();
    image.sizes = picture.sizes;
    image.srcset = bigSrcset(link);
  }

  function open(link, fromHistory) {
    if (!lightbox) buildLightbox();
    var wasOpen = lightbox.open;
    if (!wasOpen) lightbox.showModal();
    show(link);
    var state = { lightbox: currentId() };
    if (fromHistory) return;
    if (wasOpen) history.replaceState(state, "", link.href);
    else history.pushState(state, "", link.href);
  }

  function step(direction) {
    var all = tiles();
    var index = all.indexOf(current) + direction;
    if (index >= 0 && index < all.length) {
      open(all[index]);
    } else if (index >= all.length) {
      loadMore().then(function (added) {
        if (added) step(direction);
      });
    }
  }

  function close() {
    if (history.state && history.state.lightbox) {
      history.back(); // popstate closes it, and the address is the grid's again
    } else {
      finishClose();
    }
  }

  function finishClose() {
    if (!lightbox || !lightbox.open) return;
    if (doc.fullscreenElement) doc.exitFullscreen().catch(function () {});
    lightbox.close();
    if (current) {
      current.focus({ preventScroll: true });
      var rect = current.getBoundingClientRect();
      if (rect.bottom < 0 || rect.top > window.innerHeight) current.scrollIntoView({ block: "center" });
    }
  }

  function initLightbox() {
    if (!grid || !doc.querySelector("[data-lightbox-template]") || !window.HTMLDialogElement) return;
    grid.addEventListener("click", function (event) {
      var link = event.target.closest(".tile__link");
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      open(link);
    });
    window.addEventListener("popstate", function (event) {
      var id = event.state && event.state.lightbox;
      if (!id) {
        finishClose();
        return;
      }
      var link = grid.querySelector('.tile__link[data-id="' + id + '"]');
      if (link) open(link, true);
      else window.location.reload();
    });
  }

  /* A photo's own page: arrow keys move through the gallery. --------------- */

  function initPhotoPage() {
    if (!doc.body.classList.contains("page-photo")) return;
    doc.addEventListener("keydown", function (event) {
      if (event.target.closest("input, textarea") || event.altKey || event.ctrlKey || event.metaKey) return;
      var rel = event.key === "ArrowRight" ? "next" : event.key === "ArrowLeft" ? "prev" : "";
      var link = rel && doc.querySelector('.viewer__nav a[rel="' + rel + '"]');
      if (link) window.location.href = link.href;
    });
  }

  // For slideshow.js and zoom.js, which build on the lightbox.
  window.Proofsheet = {
    lightbox: {
      open: function (link) { if (grid && window.HTMLDialogElement) open(link || tiles()[0]); },
      step: function (direction) { step(direction); },
      isOpen: function () { return !!(lightbox && lightbox.open); },
      current: function () { return current; },
      largestWidth: largestWidth,
      tiles: function () { return grid ? tiles() : []; }
    }
  };

  function init() {
    initFlashes();
    initConfirm();
    initMore();
    initHearts();
    initStart();
    initLightbox();
    initPhotoPage();
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* The gallery's slideshow, on top of the lightbox (public.js's Proofsheet.lightbox).

   Started by the visitor only: the grid's "Slideshow" button or the lightbox's play
   button (or the space bar in the lightbox). It goes full screen where the browser
   can, moves on every 3, 5 or 8 seconds (the choice is remembered), waits for each
   photo to arrive before counting, and stops at the last photo. Any touch, click,
   wheel or key but the space bar pauses it; Esc leaves it. With reduced motion the
   photos change without the cross-fade. */
(function () {
  "use strict";

  var doc = document;
  var SAVED = "proofsheet.slideshow.seconds";
  var reduceMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };
  var lightbox = null, toggle = null, interval = null, image = null;
  var playing = false, atEnd = false, timer = 0;

  function api() { return window.Proofsheet && window.Proofsheet.lightbox; }

  function seconds() { return +(interval && interval.value) || 5; }

  function label() {
    if (!toggle) return;
    toggle.setAttribute("aria-pressed", playing ? "true" : "false");
    toggle.setAttribute("aria-label", toggle.getAttribute(playing ? "data-label-pause" : "data-label-play"));
    toggle.querySelector("use").setAttribute("href", playing ? "#i-pause" : "#i-play");
    lightbox.classList.toggle("is-playing", playing);
  }

  // The next turn counts from when this photo has arrived, not from when it was asked for.
  function countFromArrival() {
    window.clearTimeout(timer);
    if (!playing) return;
    var start = function () {
      window.clearTimeout(timer);
      if (playing) timer = window.setTimeout(advance, seconds() * 1000);
    };
    if (image.complete && image.naturalWidth) start();
    else {
      image.addEventListener("load", start, { once: true });
      image.addEventListener("error", start, { once: true });
    }
  }

  function advance() {
    if (!playing || !api().isOpen()) return;
    if (atEnd) {
      pause();
      return;
    }
    api().step(1);
  }

  function play() {
    if (!lightbox) return;
    playing = true;
    label();
    if (doc.fullscreenEnabled && !doc.fullscreenElement) {
      doc.documentElement.requestFullscreen().catch(function () {});
    }
    if (atEnd) {
      // From the last photo, play starts again at the first.
      var first = api().tiles()[0];
      if (first) api().open(first);
      return;
    }
    countFromArrival();
  }

  function pause() {
    if (!playing) return;
    playing = false;
    window.clearTimeout(timer);
    label();
  }

  function attach(box) {
    lightbox = box;
    image = box.querySelector("[data-lb-img]");
    toggle = box.querySelector("[data-slideshow-toggle]");
    interval = box.querySelector("[data-slideshow-interval]");
    if (!toggle || !interval) return;
    toggle.hidden = false;
    interval.closest("[data-slideshow-interval-wrap]").hidden = false;
    try {
      var saved = window.localStorage.getItem(SAVED);
      if (saved && interval.querySelector('option[value="' + saved + '"]')) interval.value = saved;
    } catch (error) { /* storage refused: the default */ }

    toggle.addEventListener("click", function () {
      if (playing) pause();
      else play();
    });
    interval.addEventListener("change", function () {
      try { window.localStorage.setItem(SAVED, interval.value); } catch (error) { /* not kept */ }
      countFromArrival();
    });

    box.addEventListener("lightbox:show", function (event) {
      atEnd = event.detail.last;
      if (playing && !reduceMotion.matches) {
        image.classList.remove("is-fading");
        void image.offsetWidth;
        image.classList.add("is-fading");
      }
      countFromArrival();
    });

    // Any interaction pauses, but the slideshow's own controls.
    var own = "[data-slideshow-toggle], [data-slideshow-interval-wrap]";
    box.addEventListener("pointerdown", function (event) {
      if (!event.target.closest(own)) pause();
    }, true);
    box.addEventListener("wheel", pause, { passive: true, capture: true });
    box.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      // The space bar plays and pauses, but where it has its own meaning.
      var keeps = "select, [data-lb-heart], [data-lb-download], [data-slideshow-toggle], [data-zoom-toggle]";
      if (event.key === " " && !event.target.closest(keeps)) {
        event.preventDefault();
        if (playing) pause();
        else play();
        return;
      }
      if (event.target.closest(own)) return;
      pause();
    }, true);
    box.addEventListener("close", pause);
    doc.addEventListener("fullscreenchange", function () {
      if (!doc.fullscreenElement) pause(); // Esc, or the browser's own way out
    });
  }

  function init() {
    if (!api()) return;
    doc.addEventListener("lightbox:ready", function (event) { attach(event.detail); });
    var start = doc.querySelector("[data-slideshow-start]");
    if (!start || !window.HTMLDialogElement || !api().tiles().length) return;
    start.hidden = false;
    start.addEventListener("click", function () {
      api().open(api().tiles()[0]);
      play();
    });
  }

  if (doc.readyState === "complete") init();
  else doc.addEventListener("DOMContentLoaded", init);
})();

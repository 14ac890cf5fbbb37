/* Zoom in the lightbox (public.js's Proofsheet.lightbox): pinch and double-tap on a
   touch screen, double-click or the zoom button with a mouse, + / - / 0 on a keyboard;
   drag (or one finger) to look around a zoomed photo.

   Never past the widest picture the link offers of the photo, and never beyond the
   photo's own pixels: a photo the screen already shows whole at its own size (a
   100-pixel one on a phone) does not zoom at all. Zooming in asks the browser for the
   larger picture (`sizes`), which the link's srcset already lists. */
(function () {
  "use strict";

  var doc = document;
  var STEP = 2;

  function api() { return window.Proofsheet && window.Proofsheet.lightbox; }

  function attach(lightbox) {
    var stage = lightbox.querySelector("[data-lb-stage]");
    var image = lightbox.querySelector("[data-lb-img]");
    var button = lightbox.querySelector("[data-zoom-toggle]");
    var scale = 1, x = 0, y = 0;
    var pointers = {}, gesture = null, lastTap = null;

    stage.classList.add("is-zoomable");

    function fitted() { return parseFloat(image.style.width) || image.getBoundingClientRect().width || 1; }
    function fittedHeight() { return parseFloat(image.style.height) || image.getBoundingClientRect().height || 1; }

    function most() {
      var link = api().current();
      if (!link) return 1;
      return Math.max(1, api().largestWidth(link) / fitted());
    }

    function clampPan() {
      var box = stage.getBoundingClientRect();
      var spareX = Math.max(0, (fitted() * scale - box.width) / 2);
      var spareY = Math.max(0, (fittedHeight() * scale - box.height) / 2);
      x = Math.max(-spareX, Math.min(spareX, x));
      y = Math.max(-spareY, Math.min(spareY, y));
    }

    function draw() {
      clampPan();
      var zoomed = scale > 1.001;
      image.style.transform = zoomed ? "translate(" + x + "px, " + y + "px) scale(" + scale + ")" : "";
      stage.classList.toggle("is-zoomed", zoomed);
      if (zoomed) image.sizes = Math.ceil(fitted() * scale) + "px";
      if (button) {
        var can = most() > 1.001;
        button.hidden = !can;
        button.setAttribute("aria-pressed", zoomed ? "true" : "false");
        button.setAttribute("aria-label", button.getAttribute(zoomed ? "data-label-out" : "data-label-in"));
      }
    }

    // Zoom to `next`, keeping the point (px, py) of the stage (from its centre) still.
    function zoomTo(next, px, py) {
      next = Math.max(1, Math.min(most(), next));
      px = px || 0;
      py = py || 0;
      x = px - (px - x) * (next / scale);
      y = py - (py - y) * (next / scale);
      scale = next;
      if (scale <= 1.001) { scale = 1; x = 0; y = 0; }
      draw();
    }

    function reset() { scale = 1; x = 0; y = 0; draw(); }

    function fromCentre(event) {
      var box = stage.getBoundingClientRect();
      return [event.clientX - box.left - box.width / 2, event.clientY - box.top - box.height / 2];
    }

    function toggleAt(event) {
      if (scale > 1.001) { reset(); return; }
      var at = event ? fromCentre(event) : [0, 0];
      zoomTo(STEP, at[0], at[1]);
    }

    if (button) button.addEventListener("click", function () { toggleAt(null); });
    var lastPointer = "";
    image.addEventListener("dblclick", function (event) {
      event.preventDefault();
      // A double-tap is handled as taps (below); some browsers add a dblclick too.
      if (lastPointer !== "touch") toggleAt(event);
    });

    lightbox.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("select")) return;
      if (event.key === "+" || event.key === "=") { event.preventDefault(); zoomTo(scale * STEP); }
      else if (event.key === "-" || event.key === "_") { event.preventDefault(); zoomTo(scale / STEP); }
      else if (event.key === "0") { event.preventDefault(); reset(); }
    });

    stage.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType;
      if (event.target !== image) return;
      pointers[event.pointerId] = [event.clientX, event.clientY];
      stage.setPointerCapture(event.pointerId);
      begin();
    });
    stage.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) return;
      pointers[event.pointerId] = [event.clientX, event.clientY];
      move();
    });
    function lift(event) {
      if (!pointers[event.pointerId]) return;
      delete pointers[event.pointerId];
      var moved = gesture && gesture.moved;
      begin();
      if (event.type !== "pointerup" || event.pointerType !== "touch" || moved) return;
      // Two taps close together in time and place: a double-tap.
      var now = Date.now();
      if (lastTap && now - lastTap.at < 320 && Math.abs(event.clientX - lastTap.x) < 30 && Math.abs(event.clientY - lastTap.y) < 30) {
        lastTap = null;
        toggleAt(event);
      } else {
        lastTap = { at: now, x: event.clientX, y: event.clientY };
      }
    }
    stage.addEventListener("pointerup", lift);
    stage.addEventListener("pointercancel", lift);

    function list() {
      return Object.keys(pointers).map(function (id) { return pointers[id]; });
    }

    function begin() {
      var points = list();
      if (!points.length) { gesture = null; return; }
      var box = stage.getBoundingClientRect();
      var mid = points.length > 1
        ? [(points[0][0] + points[1][0]) / 2, (points[0][1] + points[1][1]) / 2]
        : points[0];
      gesture = {
        pinch: points.length > 1,
        distance: points.length > 1 ? Math.hypot(points[0][0] - points[1][0], points[0][1] - points[1][1]) : 0,
        mid: [mid[0] - box.left - box.width / 2, mid[1] - box.top - box.height / 2],
        scale: scale, x: x, y: y, moved: false
      };
    }

    function move() {
      if (!gesture) return;
      var points = list();
      var box = stage.getBoundingClientRect();
      if (gesture.pinch && points.length > 1) {
        var distance = Math.hypot(points[0][0] - points[1][0], points[0][1] - points[1][1]);
        var next = Math.max(1, Math.min(most(), gesture.scale * distance / (gesture.distance || 1)));
        var mid = [(points[0][0] + points[1][0]) / 2 - box.left - box.width / 2,
                   (points[0][1] + points[1][1]) / 2 - box.top - box.height / 2];
        x = mid[0] - (gesture.mid[0] - gesture.x) * (next / gesture.scale);
        y = mid[1] - (gesture.mid[1] - gesture.y) * (next / gesture.scale);
        scale = next;
        gesture.moved = true;
        draw();
      } else if (scale > 1.001) {
        var dx = points[0][0] - box.left - box.width / 2 - gesture.mid[0];
        var dy = points[0][1] - box.top - box.height / 2 - gesture.mid[1];
        if (Math.abs(dx) + Math.abs(dy) > 3) gesture.moved = true;
        x = gesture.x + dx;
        y = gesture.y + dy;
        draw();
      }
    }

    lightbox.addEventListener("lightbox:show", function () {
      scale = 1; x = 0; y = 0;
      pointers = {};
      gesture = null;
      // After public.js has fitted the new photo.
      window.requestAnimationFrame(draw);
    });
    window.addEventListener("resize", reset);
    lightbox.addEventListener("close", reset);
  }

  function init() {
    if (!api()) return;
    doc.addEventListener("lightbox:ready", function (event) { attach(event.detail); });
  }

  if (doc.readyState === "complete") init();
  else doc.addEventListener("DOMContentLoaded", init);
})();

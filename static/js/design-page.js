/* The Design page (templates/galleries/design.html): a click on the cover photo sets
   its focal point, and the preview (an iframe of galleries:design_preview) follows the
   form's values, passed in its query. Nothing is saved until the form is sent. */
(function () {
  "use strict";
  var form = document.querySelector("[data-design-form]");
  var frame = document.querySelector("[data-preview-frame]");
  if (!form || !frame) return;
  var stage = document.querySelector("[data-preview-stage]");
  var fx = form.elements.focal_x, fy = form.elements.focal_y;
  var img = document.querySelector("[data-focal-img]");
  var mark = document.querySelector("[data-focal-mark]");
  var timer = 0;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") params.set(name, value);
    });
    return params.toString();
  }

  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = frame.getAttribute("data-preview-url") + "?" + query();
      // Keep the preview where it was scrolled: same page, new design.
      var scroll = 0;
      try { scroll = frame.contentWindow.scrollY; } catch (e) { scroll = 0; }
      frame.addEventListener("load", function restore() {
        frame.removeEventListener("load", restore);
        try { frame.contentWindow.scrollTo(0, scroll); } catch (e) { /* not ours */ }
      });
      frame.src = url;
    }, 150);
  }

  function clamp(value) { return Math.min(1, Math.max(0, value)); }

  function placeMark() {
    if (!mark || !fx || !fy) return;
    mark.style.left = clamp(parseFloat(fx.value) || 0) * 100 + "%";
    mark.style.top = clamp(parseFloat(fy.value) || 0) * 100 + "%";
  }

  if (img && fx && fy) {
    img.addEventListener("click", function (event) {
      var box = img.getBoundingClientRect();
      fx.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      fy.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      placeMark();
      refresh();
    });
  }

  form.addEventListener("input", function () { placeMark(); refresh(); });
  form.addEventListener("change", refresh);

  document.querySelectorAll("[data-preview-size]").forEach(function (button) {
    button.addEventListener("click", function () {
      var size = button.getAttribute("data-preview-size");
      stage.classList.toggle("is-phone", size === "phone");
      stage.classList.toggle("is-desktop", size === "desktop");
      document.querySelectorAll("[data-preview-size]").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
    });
  });

  refresh();
})();

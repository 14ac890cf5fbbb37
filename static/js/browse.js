/* Browsing the gallery: the sort / filter / grid form applies each change at once
   (without script its Apply button does), and the set tabs on a narrow screen: the
   current one is scrolled into view, and an edge fades where more tabs wait beyond it
   (data-more-before/-after on the <nav>, drawn by client-ux.css), so "RECEPTION" is
   never simply cut off. */
(function () {
  "use strict";

  function initForm() {
    var form = document.querySelector("[data-browse]");
    if (!form) return;
    form.classList.add("js-browse");
    form.addEventListener("change", function () { form.submit(); });
  }

  function init() {
    initForm();
    var nav = document.querySelector("[data-set-tabs]");
    var list = nav && nav.querySelector("ul");
    if (!list) return;

    function edges() {
      var spare = list.scrollWidth - list.clientWidth;
      nav.toggleAttribute("data-more-before", list.scrollLeft > 1);
      nav.toggleAttribute("data-more-after", spare - list.scrollLeft > 1);
    }

    var current = list.querySelector('[aria-current="page"]');
    if (current) {
      var tab = current.getBoundingClientRect();
      var box = list.getBoundingClientRect();
      list.scrollLeft += tab.left - box.left - (list.clientWidth - tab.width) / 2;
    }
    edges();
    list.addEventListener("scroll", edges, { passive: true });
    window.addEventListener("resize", edges);
  }

  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();

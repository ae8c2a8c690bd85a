// Shared page behaviour for accessibility, loaded by base.html on every page.
//
// Scroll containers (.table-scroll, pre.json) that overflow become keyboard-focusable regions
// named after their table's caption or the nearest heading, so a keyboard alone can scroll them
// in every browser (WCAG 2.1.1; Safari does not focus scrollers by itself). Progressive: without
// script, Chromium and Firefox still focus scrollers.
(function () {
  "use strict";
  var fallback = (document.currentScript && document.currentScript.dataset.scrollLabel) || "";

  function nameFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = box.closest("section, .card, main");
    var heading = section && section.querySelector("h2, h3, h1");
    return heading ? heading.textContent.trim() : fallback;
  }

  function update(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", nameFor(box));
        box.dataset.a11yLabel = "1";
      }
      box.dataset.a11yScroll = "1";
    } else if (!scrolls && box.dataset.a11yScroll) {
      // no longer scrolls (a wider window): no needless tab stop
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      if (box.dataset.a11yLabel) box.removeAttribute("aria-label");
      delete box.dataset.a11yScroll;
      delete box.dataset.a11yLabel;
    }
  }

  function init() {
    var boxes = document.querySelectorAll(".table-scroll, pre.json, [data-scroll-region]");
    var observer = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { update(entry.target); });
    }) : null;
    boxes.forEach(function (box) {
      update(box);
      if (observer) observer.observe(box);
    });
  }

  // A page that comes back with errors puts focus on its error summary, or else on the first
  // invalid field, not on <body> (WCAG 3.3.1, 2.4.3).
  function focusErrors() {
    var target = document.querySelector("[data-focus-on-load]") ||
      document.querySelector("main [aria-invalid=true]");
    if (target) target.focus();
  }

  // A link in the error summary puts focus in its field (a fragment alone only scrolls there
  // in some browsers).
  function summaryLinks() {
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        var control = target.matches("input, select, textarea, button") ? target
          : target.querySelector("input, select, textarea") || target;
        control.focus();
        target.scrollIntoView({block: "center"});
      });
    });
  }

  function ready() {
    init();
    summaryLinks();
    focusErrors();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

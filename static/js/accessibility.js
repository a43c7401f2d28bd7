/* High-contrast mode: a class on <html>, remembered across pages.
   Loaded without `defer` from <head>, so the stored choice applies before the first paint. */
(function () {
  "use strict";
  var KEY = "portal.highContrast";
  var CLASS = "high-contrast";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false;
    }
  }

  function save(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "1");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      /* Private browsing: the mode still applies to this page. */
    }
  }

  function apply(on) {
    root.classList.toggle(CLASS, on);
    document.querySelectorAll("[data-contrast-switch]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    apply(root.classList.contains(CLASS));
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-contrast-switch]")) {
      return;
    }
    var on = !root.classList.contains(CLASS);
    save(on);
    apply(on);
  });
})();

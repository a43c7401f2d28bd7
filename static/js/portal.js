/* Reader tools: article text size (bounded, remembered across pages) and printing. */
(function () {
  "use strict";
  var KEY = "portal.articleScale";
  var MIN = 0.8;
  var MAX = 1.6;
  var STEP = 0.1;
  var root = document.documentElement;
  var current = 1;

  function clamp(scale) {
    return Math.round(Math.min(MAX, Math.max(MIN, scale)) * 10) / 10;
  }

  function stored() {
    try {
      var value = parseFloat(window.localStorage.getItem(KEY));
      return isNaN(value) ? 1 : clamp(value);
    } catch (e) {
      return 1;
    }
  }

  function apply(scale) {
    current = scale;
    root.style.setProperty("--article-scale", String(scale));
    document.querySelectorAll("[data-font-size]").forEach(function (button) {
      var limit = button.getAttribute("data-font-size") === "increase" ? MAX : MIN;
      button.disabled = scale === limit;
    });
  }

  function save(scale) {
    try {
      window.localStorage.setItem(KEY, String(scale));
    } catch (e) {
      /* Private browsing: the size still applies to this page. */
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-font-size], [data-action='print']");
    if (!button) {
      return;
    }
    if (button.getAttribute("data-action") === "print") {
      window.print();
      return;
    }
    var step = button.getAttribute("data-font-size") === "increase" ? STEP : -STEP;
    // From the size on screen, not the stored one: without localStorage nothing is stored.
    var scale = clamp(current + step);
    save(scale);
    apply(scale);
  });

  apply(stored());
})();

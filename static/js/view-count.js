/* "Lượt xem": tell the server a bulletin was shown and show the count it answers. Pages may
   come from a cache without running any view, so the count is kept by this beacon; without
   JavaScript the page shows the count the server rendered. */
(function () {
  "use strict";
  var box = document.querySelector("[data-view-count-url]");
  if (!box || !window.fetch) {
    return;
  }
  fetch(box.getAttribute("data-view-count-url"), {
    method: "POST",
    credentials: "omit",
    keepalive: true,
    headers: { "X-Requested-With": "XMLHttpRequest" }
  })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (data) {
      var value = box.querySelector("[data-view-count-value]");
      if (data && typeof data.luot_xem === "number" && value) {
        value.textContent = String(data.luot_xem);
      }
    })
    .catch(function () {
      /* Offline or server away: the rendered count stays. */
    });
})();

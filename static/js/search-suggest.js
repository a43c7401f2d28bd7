/* Search box suggestions: titles as the reader types, with or without diacritics.
   An ARIA combobox: arrow keys move through the list, Enter opens the chosen bulletin, Escape
   closes the list; without JavaScript the box is a plain search form. */
(function () {
  "use strict";
  var input = document.querySelector("[data-suggest-url]");
  if (!input || !window.fetch) {
    return;
  }
  var MIN_LENGTH = 2;
  var DELAY_MS = 200;
  var list = document.createElement("ul");
  list.id = "search-suggestions";
  list.className = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  var timer = null;
  var controller = null;
  var active = -1;

  function options() {
    return list.querySelectorAll("[role='option']");
  }

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (suggestion, i) {
      var item = document.createElement("li");
      item.id = "search-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = suggestion.url;
      link.tabIndex = -1;
      link.textContent = suggestion.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    } else {
      close();
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query.length < MIN_LENGTH) {
      close();
      return;
    }
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query);
    window
      .fetch(url, { signal: controller ? controller.signal : undefined, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (input.value.trim() === query) {
          show(data.suggestions || []);
        }
      })
      .catch(function () {
        /* Aborted by newer typing, or offline: the form still searches on Enter. */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    var items = options();
    if (list.hidden || !items.length) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      /* Positions run from -1 (the typed text) through the last option, round and round. */
      var next = active + (event.key === "ArrowDown" ? 1 : -1);
      if (next >= items.length) {
        next = -1;
      } else if (next < -1) {
        next = items.length - 1;
      }
      highlight(next);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].querySelector("a").href;
    } else if (event.key === "Escape") {
      close();
    }
  });

  input.addEventListener("blur", function () {
    /* Later than a click on a suggestion, which must still land. */
    window.setTimeout(close, 150);
  });
})();

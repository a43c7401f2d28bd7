/* Bulletin toolbar: copy the article's link, and listen to it read aloud in Vietnamese.
   Loaded only on bulletin pages; no inline handlers, nothing fetched from elsewhere. */
(function () {
  "use strict";

  function announce(toolbar, message) {
    var status = toolbar && toolbar.querySelector("[data-toolbar-status]");
    if (!status) {
      return;
    }
    // Emptied first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  /* Copy link: the Clipboard API where the page is secure, else a selected textarea. */
  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    document.body.removeChild(field);
    return copied;
  }

  function copyLink(button) {
    var toolbar = button.closest(".article-toolbar");
    var url = button.getAttribute("data-url") || window.location.href;
    var done = function () { announce(toolbar, button.getAttribute("data-copied")); };
    var failed = function () {
      if (copyWithSelection(url)) {
        done();
      } else {
        announce(toolbar, button.getAttribute("data-copy-failed"));
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, failed);
    } else {
      failed();
    }
  }

  /* Listen: shown only when the browser has a voice in the article's language (Vietnamese;
     English on /en/ pages). */
  var synth = window.speechSynthesis;
  var voice = null;

  function articleLanguage() {
    var article = document.getElementById("article");
    var lang = (article && article.lang) || document.documentElement.lang || "vi";
    return lang.toLowerCase().split("-")[0];
  }

  function voiceFor(language) {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i += 1) {
      var lang = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (lang === language || lang.indexOf(language + "-") === 0) {
        return voices[i];
      }
    }
    return null;
  }

  function revealListenButtons() {
    voice = voiceFor(articleLanguage());
    document.querySelectorAll("[data-action='listen']").forEach(function (button) {
      button.hidden = !voice;
    });
  }

  function articleParts() {
    // One utterance per block: browsers cut long utterances short.
    var article = document.getElementById("article");
    if (!article) {
      return [];
    }
    var nodes = article.querySelectorAll(".article__title, .article-body p, .article-body li, .article-body h2, .article-body h3, .article-body h4, .article-body blockquote, .article-body figcaption");
    var parts = [];
    nodes.forEach(function (node) {
      var text = node.textContent.replace(/\s+/g, " ").trim();
      if (text) {
        parts.push(text);
      }
    });
    return parts;
  }

  function setListening(button, listening) {
    if (!button.hasAttribute("data-label-listen")) {
      button.setAttribute("data-label-listen", button.textContent);
    }
    button.setAttribute("aria-pressed", listening ? "true" : "false");
    button.textContent = button.getAttribute(listening ? "data-label-stop" : "data-label-listen");
  }

  function toggleListening(button) {
    if (synth.speaking || synth.pending) {
      synth.cancel();
      setListening(button, false);
      return;
    }
    var parts = articleParts();
    parts.forEach(function (text, index) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      if (index === parts.length - 1) {
        utterance.onend = function () { setListening(button, false); };
      }
      synth.speak(utterance);
    });
    setListening(button, parts.length > 0);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action='copy-link'], [data-action='listen']");
    if (!button) {
      return;
    }
    if (button.getAttribute("data-action") === "copy-link") {
      copyLink(button);
    } else if (voice) {
      toggleListening(button);
    }
  });

  if (synth && typeof window.SpeechSynthesisUtterance === "function") {
    revealListenButtons();
    // Voices load asynchronously in Chromium.
    synth.addEventListener("voiceschanged", revealListenButtons);
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }
})();

/* Share links: "Copy" buttons beside read-only values (links, Lightroom filters).
   Without JavaScript the value stays in its read-only box, ready to select. */
(function () {
  "use strict";

  function copyText(text, source) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-HTTP installs have no Clipboard API: select and copy the old way.
    return new Promise(function (resolve, reject) {
      source.focus();
      source.select();
      var done = false;
      try {
        done = document.execCommand("copy");
      } catch (error) {
        done = false;
      }
      if (done) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function init(field) {
    var source = field.querySelector("[data-copy-source]");
    var button = field.querySelector("[data-copy-button]");
    var status = field.querySelector("[data-copy-status]");
    if (!source || !button) return;
    var timer = null;

    function say(message) {
      status.textContent = message;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = "";
      }, 2500);
    }

    button.hidden = false;
    source.addEventListener("focus", function () {
      source.select();
    });
    button.addEventListener("click", function () {
      copyText(source.value, source).then(
        function () {
          say("Copied");
        },
        function () {
          source.focus();
          source.select();
          say("Press Ctrl+C (⌘C) to copy");
        }
      );
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

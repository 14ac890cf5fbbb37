/* Proofsheet: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  var doc = document;
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function svgIcon(path) {
    return (
      '<svg viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="1.8" ' +
      'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">' +
      path +
      "</svg>"
    );
  }

  /* 1. Dismissible flash messages ---------------------------------------- */

  function initFlashes() {
    var flashes = doc.querySelectorAll(".flash");
    Array.prototype.forEach.call(flashes, function (flash) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "flash__close";
      button.setAttribute("aria-label", "Dismiss message");
      button.innerHTML = svgIcon('<path d="m5 5 10 10M15 5 5 15"/>');
      button.addEventListener("click", function () {
        dismiss(flash);
      });
      flash.appendChild(button);
    });
  }

  function dismiss(flash) {
    var stack = flash.parentElement;
    var remove = function () {
      var next = stack && stack.querySelector(".flash:not(.is-leaving) .flash__close");
      flash.remove();
      if (stack && !stack.querySelector(".flash")) {
        stack.remove();
      }
      // Keep keyboard focus somewhere sensible once the button is gone.
      if (next) {
        next.focus();
      } else {
        var main = doc.getElementById("main");
        if (main) main.focus({ preventScroll: true });
      }
    };
    flash.classList.add("is-leaving");
    if (reduceMotion.matches) {
      remove();
    } else {
      window.setTimeout(remove, 180);
    }
  }

  /* 2. Navigation menu: a <details> that is always open on wide screens --- */

  function initNav() {
    var menu = doc.querySelector("[data-nav-menu]");
    if (!menu) return;
    var summary = menu.querySelector("summary");
    var wide = window.matchMedia("(min-width: 48em)");

    function sync() {
      menu.open = wide.matches;
    }
    sync();
    if (wide.addEventListener) {
      wide.addEventListener("change", sync);
    } else if (wide.addListener) {
      wide.addListener(sync);
    }

    // Only the phone menu closes: on Escape, on a click outside, or on a link.
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        summary.focus();
      }
    });
    doc.addEventListener("click", function (event) {
      if (menu.open && !wide.matches && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
    menu.addEventListener("click", function (event) {
      if (!wide.matches && event.target.closest("a")) {
        menu.open = false;
      }
    });
  }

  /* 3. "Show password" toggles ------------------------------------------- */

  function initPasswordToggles() {
    var inputs = doc.querySelectorAll('input[type="password"]');
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.closest(".password-field")) return;

      var wrapper = doc.createElement("div");
      wrapper.className = "password-field";
      input.parentNode.insertBefore(wrapper, input);
      wrapper.appendChild(input);

      var button = doc.createElement("button");
      button.type = "button";
      button.className = "password-toggle";
      if (input.id) button.setAttribute("aria-controls", input.id);
      var word = doc.createElement("span");
      var hint = doc.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " password";
      button.appendChild(word);
      button.appendChild(hint);

      function render(shown) {
        input.type = shown ? "text" : "password";
        word.textContent = shown ? "Hide" : "Show";
      }
      render(false);

      button.addEventListener("click", function () {
        render(input.type === "password");
        input.focus();
      });
      wrapper.appendChild(button);

      // Never submit (or let a password manager save) a password shown as text.
      if (input.form) {
        input.form.addEventListener("submit", function () {
          render(false);
        });
      }
    });
  }

  /* 4. Confirmation for destructive forms: <form data-confirm="…"> --------
        Optional: data-confirm-title="…", data-confirm-button="…".
        The confirm button repeats what the form's own submit button says. */

  var dialog = null;

  function buildDialog() {
    var el = doc.createElement("dialog");
    el.className = "confirm-dialog";
    el.setAttribute("aria-labelledby", "confirm-dialog-title");
    el.setAttribute("aria-describedby", "confirm-dialog-message");
    el.innerHTML =
      '<form method="dialog">' +
      '<h2 id="confirm-dialog-title"></h2>' +
      '<p id="confirm-dialog-message"></p>' +
      '<div class="form-actions">' +
      '<button type="submit" value="cancel" class="btn btn-secondary">Cancel</button>' +
      '<button type="submit" value="confirm" class="btn" data-confirm-ok></button>' +
      "</div></form>";
    doc.body.appendChild(el);
    return el;
  }

  function ask(form, submitter, onConfirm) {
    var message = form.getAttribute("data-confirm") || "Are you sure?";
    var buttonText =
      form.getAttribute("data-confirm-button") ||
      (submitter && (submitter.textContent || submitter.value || "").trim()) ||
      "Confirm";

    if (typeof HTMLDialogElement !== "function") {
      if (window.confirm(message)) onConfirm();
      return;
    }

    dialog = dialog || buildDialog();
    var ok = dialog.querySelector("[data-confirm-ok]");
    var danger = !submitter || submitter.classList.contains("btn-danger") ||
      submitter.classList.contains("btn-danger-outline");
    dialog.querySelector("h2").textContent =
      form.getAttribute("data-confirm-title") || "Are you sure?";
    dialog.querySelector("p").textContent = message;
    ok.textContent = buttonText;
    ok.className = "btn " + (danger ? "btn-danger" : "btn-primary");

    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      function () {
        if (dialog.returnValue === "confirm") onConfirm();
        else if (submitter) submitter.focus();
      },
      { once: true }
    );
    dialog.showModal();
  }

  function initConfirm() {
    doc.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
      if (form.getAttribute("data-confirmed") === "yes") {
        form.removeAttribute("data-confirmed");
        return;
      }
      event.preventDefault();
      var submitter = event.submitter || form.querySelector('[type="submit"]');
      ask(form, submitter, function () {
        form.setAttribute("data-confirmed", "yes");
        if (form.requestSubmit) {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        } else {
          form.submit();
        }
      });
    });
  }

  /* 5. After a failed submit, take keyboard users to the problem --------- */

  function focusFirstError() {
    var summary = doc.querySelector(".form-errors");
    var field = doc.querySelector('form [aria-invalid="true"]');
    var target = summary || field;
    if (!target) return;
    if (target === summary) summary.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  }

  function init() {
    doc.documentElement.classList.add("js");
    initFlashes();
    initNav();
    initPasswordToggles();
    initConfirm();
    focusFirstError();
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

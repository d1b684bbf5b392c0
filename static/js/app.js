// Debrief's own script. Pages work without it; it adds small comforts on
// top of htmx. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  }, true);

  // Autosave fields show their state in a sibling .save-state element.
  function setState(el, state, text) {
    var box = el.closest("[data-autosave]");
    var out = box && box.querySelector(".save-state");
    if (!out) return;
    out.setAttribute("data-state", state);
    out.textContent = text || "";
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    setState(e.target, "saving", "");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var xhr = e.detail.xhr;
    if (!xhr) return;
    if (xhr.status === 409) {
      setState(e.target, "conflict", "Conflict: someone else changed this");
    } else if (xhr.status >= 400) {
      setState(e.target, "error", "Not saved (" + xhr.status + ")");
    } else {
      setState(e.target, "saved", "");
    }
  });
  // Let htmx swap 409 and 422 responses: they carry the conflict view or
  // the form with its errors.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var s = e.detail.xhr.status;
    if (s === 409 || s === 422) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();

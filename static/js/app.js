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
  // A live stream the server ended because its viewer signed out, was
  // disabled or changed role (sse-close="ended"): reload, so the page shows
  // the sign-in form or what the new role may see, never a stale board.
  document.addEventListener("htmx:sseClose", function (e) {
    if (e.detail && e.detail.type === "message") {
      window.location.reload();
    }
  });
  // Bulk selection on the action item list: "select all on this page" and
  // a count of the selected rows next to the bulk form's heading.
  function bulkCount(formId) {
    var out = document.querySelector('[data-selected-count="' + formId + '"]');
    if (!out) return;
    var n = document.querySelectorAll('input[name="id"][form="' + formId + '"]:checked').length;
    out.textContent = n === 0 ? "(none selected)" : "(" + n + " selected)";
  }
  document.addEventListener("change", function (e) {
    var t = e.target;
    var all = t.getAttribute && t.getAttribute("data-select-all");
    if (all) {
      var boxes = document.querySelectorAll('input[name="id"][form="' + all + '"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = t.checked;
      bulkCount(all);
    } else if (t.name === "id" && t.getAttribute("form")) {
      bulkCount(t.getAttribute("form"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var outs = document.querySelectorAll("[data-selected-count]");
    for (var i = 0; i < outs.length; i++) bulkCount(outs[i].getAttribute("data-selected-count"));
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

// Live retros: the shared countdown, the connection state and keyboard
// comforts. Everything else comes from the server over SSE (htmx).
(function () {
  "use strict";

  // The countdown counts to an absolute end time. The fragment carries
  // the server's clock (data-now) when it was rendered, so a browser whose
  // own clock is off still shows the same time left as everyone else.
  var offsets = new WeakMap();
  function tick() {
    var els = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!offsets.has(el)) {
        offsets.set(el, Number(el.getAttribute("data-now")) - Date.now());
      }
      var left = Math.max(0, Math.round((Number(el.getAttribute("data-ends")) - (Date.now() + offsets.get(el))) / 1000));
      var text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("ending", left > 0 && left <= 30);
      el.classList.toggle("over", left === 0);
      if (left === 0) el.setAttribute("aria-label", "Time is up");
    }
  }
  setInterval(tick, 250);
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("htmx:sseMessage", tick);

  // Connection state, from the SSE extension's events.
  function state(text, cls) {
    var el = document.querySelector("[data-live-state]");
    if (!el) return;
    el.textContent = text;
    el.setAttribute("data-state", cls);
  }
  document.addEventListener("htmx:sseOpen", function () { state("● Live", "open"); });
  document.addEventListener("htmx:sseError", function () { state("Reconnecting… nothing you wrote is lost.", "error"); });

  // Ctrl+Enter (Cmd+Enter) in a note adds it.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
    var form = e.target.closest && e.target.closest("form.note-form");
    if (!form || !window.htmx) return;
    e.preventDefault();
    window.htmx.trigger(form, "submit");
  });

  // Keep the focus in the note box after adding a note (the form is
  // swapped for a fresh one).
  document.addEventListener("htmx:afterSwap", function (e) {
    var form = e.detail.target;
    if (form && form.classList && form.classList.contains("note-form")) {
      var ta = form.querySelector("textarea");
      if (ta && e.detail.xhr && e.detail.xhr.status === 200) ta.focus();
    }
  });
})();

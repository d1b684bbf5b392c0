// Postmortems: comforts on top of the autosaving htmx forms. The page
// works without this file.
(function () {
  "use strict";

  // Ctrl+S / Cmd+S in a section saves it now instead of saving the page.
  document.addEventListener("keydown", function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.key !== "s") return;
    var form = document.activeElement && document.activeElement.closest && document.activeElement.closest("form.pm-editor");
    if (!form || !window.htmx) return;
    e.preventDefault();
    window.htmx.trigger(form, "submit");
  });

  // Warn before leaving while a section has changes that are not saved
  // yet (typed within the autosave delay, or refused by a conflict).
  var dirty = new Set();
  document.addEventListener("input", function (e) {
    var form = e.target.closest && e.target.closest("form.pm-editor");
    if (form) dirty.add(form);
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.target.closest && e.target.closest("form.pm-editor");
    if (form && e.detail.xhr && e.detail.xhr.status === 200) dirty.delete(form);
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty.size > 0) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  // The print view's button.
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("[data-print]");
    if (b) window.print();
  });
})();

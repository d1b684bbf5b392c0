// Incidents: upload progress for imports. Loaded only on the import page.
(function () {
  "use strict";
  // htmx reports upload progress of multipart forms; show it on the
  // form's <progress data-upload-progress>.
  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target.closest && e.target.closest("form");
    var bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !e.detail.lengthComputable) return;
    var pct = Math.round((e.detail.loaded / e.detail.total) * 100);
    bar.hidden = false;
    bar.value = pct;
    var label = form.querySelector("[data-upload-label]");
    if (label) {
      label.hidden = false;
      label.textContent = pct < 100 ? "Uploading… " + pct + "%" : "Checking every row…";
    }
  });
})();

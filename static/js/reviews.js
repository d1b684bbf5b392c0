// The review checklist: small keyboard and focus comforts on top of the
// autosaving htmx forms. The page works without it.
(function () {
  "use strict";

  // Choosing "not applicable" highlights the reason field and moves the
  // focus there, since a reason is required.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input || input.name !== "state" || input.type !== "radio") return;
    var form = input.form;
    var field = form && form.querySelector(".reason-field");
    if (!field) return;
    var na = input.value === "not_applicable";
    field.classList.toggle("needs-reason", na);
    if (na) {
      var ta = field.querySelector("textarea");
      if (ta && !ta.value) ta.focus();
    }
  });

  // Alt+ArrowDown / Alt+ArrowUp move between questions.
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    var current = document.activeElement && document.activeElement.closest(".question");
    var all = Array.prototype.slice.call(document.querySelectorAll(".question"));
    if (!all.length) return;
    var i = current ? all.indexOf(current) : -1;
    var next = all[e.key === "ArrowDown" ? Math.min(i + 1, all.length - 1) : Math.max(i - 1, 0)];
    var target = next && (next.querySelector("input[name=state]:checked") || next.querySelector("input, textarea, a"));
    if (target) {
      e.preventDefault();
      target.focus();
      next.scrollIntoView({ block: "center" });
    }
  });
})();

// Print buttons on the readout.
document.addEventListener("click", function (e) {
  var b = e.target && e.target.closest && e.target.closest("[data-print]");
  if (b) window.print();
});

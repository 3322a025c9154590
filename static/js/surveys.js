// Survey pages: show that a long check or import is under way, and select every comment of a page.
(function () {
  "use strict";
  document.querySelectorAll("form[data-progress-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var progress = form.querySelector("[data-progress]");
      if (progress) {
        progress.hidden = false;
      }
    });
  });
  var all = document.querySelector("[data-select-all]");
  if (all) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-select-row]"));
    document.querySelector("[data-select-all-box]").hidden = rows.length === 0;
    all.addEventListener("change", function () {
      rows.forEach(function (row) {
        row.checked = all.checked;
      });
    });
  }
})();

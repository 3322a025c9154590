// icare tracker: progressive enhancements shared by every page. Pages work without it.
(function () {
  "use strict";
  // Move keyboard focus to an error summary so screen readers announce what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();

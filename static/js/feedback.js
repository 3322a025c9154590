// Poster and letter pages: the print button (the page prints from the browser menu without it).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print-page]")) { window.print(); }
  });
})();

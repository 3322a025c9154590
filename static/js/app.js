// icare tracker: progressive enhancements shared by every page. Pages work without it.
(function () {
  "use strict";

  // Within this share of the limit, the count is spoken as well as shown.
  var NEAR = 0.9;
  // Spoken after a pause in typing, never at each keystroke.
  var PAUSE_MS = 700;

  function grouped(n, separator) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  // The length the server will count: code points, and each line break sent as CR LF.
  function length(field) {
    var value = field.value;
    var breaks = field.tagName === "TEXTAREA" ? (value.match(/\n/g) || []).length : 0;
    return Array.from(value).length + breaks;
  }

  // A long text field's live count: "123 of 2,000 characters", in the words the server rendered.
  function counter(box) {
    var field = document.getElementById(box.dataset.counterFor);
    if (!field) { return; }
    var max = Number(box.dataset.counterMax);
    var shown = box.querySelector("[data-counter-shown]");
    var spoken = box.querySelector("[data-counter-spoken]");
    var timer = null;
    var wasOver = false;
    // The limit as the server stated it stays what a screen reader hears until it matters.
    spoken.textContent = shown.textContent;
    shown.setAttribute("aria-hidden", "true");

    function words(count) {
      var template = count > max ? box.dataset.counterOver : box.dataset.counterText;
      return template.replace("{count}", grouped(count, box.dataset.counterGroup));
    }

    function update() {
      var count = length(field);
      var over = count > max;
      shown.textContent = words(count);
      box.classList.toggle("text-danger", over);
      box.classList.toggle("fw-semibold", over);
      window.clearTimeout(timer);
      if (count >= max * NEAR || over !== wasOver) {
        timer = window.setTimeout(function () { spoken.textContent = words(count); }, PAUSE_MS);
      }
      wasOver = over;
    }

    field.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Move keyboard focus to an error summary so screen readers announce what to fix.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("[data-counter-for]").forEach(counter);
  });
})();

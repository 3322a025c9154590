// Unit TV display: shows one story at a time and moves on by itself. Pause and Next buttons
// give control back (WCAG 2.2.2); a paused screen stays paused. The page reloads now and then
// to pick up new stories.
(function () {
  "use strict";
  var RELOAD_AFTER_MS = 10 * 60 * 1000;

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.querySelector(".tv-stories");
    if (!container) {  // nothing to show yet: look again later, so a new TV picks up the first story
      window.setTimeout(function () { window.location.reload(); }, RELOAD_AFTER_MS);
      return;
    }
    var slides = Array.prototype.slice.call(container.querySelectorAll(".tv-slide"));
    var pause = document.querySelector(".tv-pause");
    var next = document.querySelector(".tv-next");
    var interval = parseInt(container.getAttribute("data-interval"), 10) || 15000;
    var current = 0;
    var timer = null;
    var paused = false;
    var started = Date.now();

    function show(index) {
      slides[current].hidden = true;
      current = (index + slides.length) % slides.length;
      slides[current].hidden = false;
    }

    function tick() {
      if (current === slides.length - 1 && Date.now() - started > RELOAD_AFTER_MS) {
        window.location.reload();
        return;
      }
      show(current + 1);
    }

    function start() { timer = window.setInterval(tick, interval); }
    function stop() { window.clearInterval(timer); timer = null; }

    pause.addEventListener("click", function () {
      paused = !paused;
      pause.setAttribute("aria-pressed", paused ? "true" : "false");
      pause.textContent = pause.getAttribute(paused ? "data-play-label" : "data-pause-label");
      if (paused) { stop(); } else { start(); }
    });
    next.addEventListener("click", function () {
      show(current + 1);
      if (!paused) { stop(); start(); }
    });
    if (slides.length > 1) { start(); }
  });
})();

// Draws the dashboard's server-built Plotly figures. Each chart's data comes as JSON in a
// <script type="application/json"> block named by the chart's data-figure attribute.
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
  };

  function labelModeBar(chart) {
    // Plotly's mode-bar buttons are links with only a data-title: give them names and a role.
    chart.querySelectorAll(".modebar-btn").forEach(function (button) {
      var title = button.getAttribute("data-title");
      if (title) { button.setAttribute("aria-label", title); }
      button.setAttribute("role", "button");
      if (!button.hasAttribute("href")) { button.setAttribute("tabindex", "0"); }
    });
  }

  function keepMinimumWidth(chart, layout) {
    // A figure that names a minimum width (the heat map: below it its column labels would collide)
    // scrolls sideways in its frame instead, and the frame takes keyboard focus while it scrolls.
    var minWidth = layout.meta && layout.meta.min_width;
    var frame = chart.parentNode;
    if (!minWidth || !frame.classList.contains("chart-scroll")) { return; }
    chart.style.minWidth = minWidth + "px";
    function update() {
      if (frame.scrollWidth > frame.clientWidth) {
        frame.setAttribute("tabindex", "0");
      } else {
        frame.removeAttribute("tabindex");
      }
    }
    update();
    window.addEventListener("resize", update);
  }

  function draw(chart) {
    var source = document.getElementById(chart.getAttribute("data-figure"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    keepMinimumWidth(chart, figure.layout);
    window.Plotly.newPlot(chart, figure.data, figure.layout, CONFIG).then(function () {
      labelModeBar(chart);
      chart.setAttribute("data-drawn", "true");
    });
  }

  function paintSwatches() {
    document.querySelectorAll(".standard-swatch[data-color]").forEach(function (swatch) {
      swatch.style.backgroundColor = swatch.getAttribute("data-color");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    paintSwatches();
    if (!window.Plotly) { return; }
    document.querySelectorAll(".dashboard-chart[data-figure]").forEach(draw);
  });
})();

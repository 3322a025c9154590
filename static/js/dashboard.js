// Draws the dashboard's server-built Plotly figures. Each chart's data comes as JSON in a
// <script type="application/json"> block named by the chart's data-figure attribute.
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    // Sharing would send the chart to a plotting service, which the hospital has none of.
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
  };

  function useReadersLanguage() {
    // plotly.js speaks English only: the page gives it its words, month names and separators.
    var source = document.getElementById("plotly-locale");
    if (!source) { return; }
    var locale = JSON.parse(source.textContent);
    window.Plotly.register(locale);
    CONFIG.locale = locale.name;
  }

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

  function wrapWords(text, perLine) {
    var lines = [];
    text.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= perLine) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines.join("<br>");
  }

  function fitted(text, width, size) {
    // A long title wraps at the width it has instead of running off the chart's edge on a phone.
    return wrapWords(text, Math.max(12, Math.floor(width / (size * 0.62))));
  }

  function lineCount(text) {
    return text.split("<br>").length;
  }

  function fitTitles(chart, layout, titles) {
    // The chart's title and its x-axis title wrap to the chart's width; the top and bottom margins
    // grow by the extra lines, so a wrapped title never lies on the plot or the axis.
    var margin = Object.assign({ t: 50, b: 50, l: 60, r: 20 }, titles.margin);
    var update = { "margin.t": margin.t, "margin.b": margin.b };
    // A chart in a sideways-scrolling frame (the heat map) wraps its title at the frame's width.
    var visible = Math.min(chart.clientWidth, chart.parentNode.clientWidth || chart.clientWidth);
    if (titles.title) {
      var size = (layout.title.font && layout.title.font.size) || 15;
      var text = fitted(titles.title, visible - 20, size);
      Object.assign(update, { "title.text": text, "title.yref": "container", "title.y": 1,
                              "title.yanchor": "top", "title.pad.t": 12 });
      update["margin.t"] = margin.t + (lineCount(text) - 1) * Math.ceil(size * 1.3);
    }
    if (titles.xaxis) {
      var axisText = fitted(titles.xaxis, chart.clientWidth - margin.l - margin.r, 13);
      update["xaxis.title.text"] = axisText;
      update["margin.b"] = margin.b + (lineCount(axisText) - 1) * 17;
    }
    if (titles.categories) {
      // Long category names (standards, job families) of a horizontal bar chart wrap onto lines
      // within about 40% of the width, instead of being cut off at the chart's left edge.
      update["yaxis.tickmode"] = "array";
      update["yaxis.tickvals"] = titles.categories;
      update["yaxis.ticktext"] = titles.categories.map(function (name) {
        return fitted(String(name), visible * 0.4, 12);
      });
    }
    // The plot keeps room for its y-axis title however many lines the titles took, and each bar
    // for its wrapped name.
    var lines = Math.max.apply(null, (update["yaxis.ticktext"] || [""]).map(lineCount));
    var rows = titles.categories ? titles.categories.length * (lines * 16 + 12) : 0;
    update.height = Math.max(titles.height, update["margin.t"] + update["margin.b"] + Math.max(200, rows));
    return update;
  }

  function horizontalCategories(data) {
    var bars = data.length === 1 && data[0].orientation === "h" ? data[0] : null;
    return bars && bars.y && bars.y.every(function (name) { return typeof name === "string"; }) ? bars.y : null;
  }

  function apply(layout, update) {
    Object.keys(update).forEach(function (path) {
      var keys = path.split(".");
      var target = layout;
      keys.slice(0, -1).forEach(function (key) { target = target[key] = target[key] || {}; });
      target[keys[keys.length - 1]] = update[path];
    });
  }

  function legendClearOfAxisTitle(chart, layout) {
    // A horizontal legend sits at the foot of the chart, under the x-axis title: the bottom margin
    // and the chart grow by the legend's drawn height, however many rows its entries wrap onto.
    var legend = chart.querySelector(".legend");
    if (!legend || !layout.legend || layout.showlegend === false) { return null; }
    var base = layout.margin.b;
    var height = Math.ceil(legend.getBBox().height);
    return { "legend.yref": "container", "legend.y": 0, "legend.yanchor": "bottom",
             "legend.x": 0, "legend.xanchor": "left", "margin.b": base + height + 8,
             height: layout.height + height + 8 };
  }

  function draw(chart) {
    var source = document.getElementById(chart.getAttribute("data-figure"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout;
    var titles = {
      title: layout.title && layout.title.text,
      xaxis: layout.xaxis && layout.xaxis.title && layout.xaxis.title.text,
      margin: Object.assign({}, layout.margin),
      height: layout.height || 320,
      categories: horizontalCategories(figure.data),
    };
    keepMinimumWidth(chart, layout);
    layout.margin = layout.margin || {};
    apply(layout, fitTitles(chart, layout, titles));
    function fit() {
      var update = fitTitles(chart, layout, titles);
      apply(layout, update);
      return window.Plotly.relayout(chart, update).then(function () {
        var room = legendClearOfAxisTitle(chart, layout);
        return room ? window.Plotly.relayout(chart, room) : null;
      });
    }
    window.Plotly.newPlot(chart, figure.data, layout, CONFIG).then(function () {
      var room = legendClearOfAxisTitle(chart, layout);
      return room ? window.Plotly.relayout(chart, room) : null;
    }).then(function () {
      labelModeBar(chart);
      chart.setAttribute("data-drawn", "true");
      var width = chart.clientWidth;
      window.addEventListener("resize", function () {
        if (chart.clientWidth === width) { return; }
        width = chart.clientWidth;
        fit();
      });
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
    useReadersLanguage();
    document.querySelectorAll(".dashboard-chart[data-figure]").forEach(draw);
  });
})();

"""Plotly figures for the dashboard: pure functions from aggregate rows to figure dicts.

No database and no request here, so each chart is tested on small known rows. The page sends
the dicts as JSON; ``static/js/dashboard.js`` draws them.

Each figure is written directly as the ``{"data": [...], "layout": {...}}`` JSON that plotly.js
reads, not built through ``plotly.graph_objects``: its validation cost most of a dashboard
page's time budget for a handful of small charts.
"""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import escape

# plotly.js's "basic" partial bundle (bar, scatter, pie: all we draw), vendored under static/vendor/.
# Unlike the full bundle it has no Function()/eval, so the CSP needs no 'unsafe-eval'; and it is
# 400 KB gzipped where the strict full bundle alone (1.6 MB) would break the 1.5 MB first-load budget.
PLOTLY_JS_VERSION = "4.1.1"
PLOTLY_FILE = f"plotly-basic-{PLOTLY_JS_VERSION}.min.js"
PLOTLY_CSS = f"plotly-{PLOTLY_JS_VERSION}.css"
# The bundled map library injects its own <style> unless an element with this id exists; we draw no maps.
MAPLIBRE_STYLE_ID = "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53"

# Okabe-Ito, safe for the common colour-vision deficiencies; standards bring their own colours.
SOURCE_COLORS = {
    "peer": "#0072B2",
    "patient": "#D55E00",
    "paper_card": "#009E73",
    "letter": "#CC79A7",
    "email": "#56B4E9",
    "phone": "#000000",
    "survey": "#E69F00",
}
NEUTRAL = "#555555"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Plotly's Python "Cividis" scale, spelled out: plotly.js's built-in "Cividis" has other stops.
_CIVIDIS = [
    "#00224e",
    "#123570",
    "#3b496c",
    "#575d6d",
    "#707173",
    "#8a8678",
    "#a59c74",
    "#c3b369",
    "#e1cc55",
    "#fee838",
]

# The heat map's geometry in pixels: a fixed step per department, room for the title above and
# for a row label plus this many columns before the labels would collide.
HEAT_MAP_ROW_HEIGHT = 40
HEAT_MAP_TOP = 56
HEAT_MAP_MIN_HEIGHT = 200
HEAT_MAP_LABEL_WIDTH = 170
HEAT_MAP_COLUMN_WIDTH = 120
HEAT_MAP_COLUMN_CHARACTERS = 16
HEAT_MAP_ROW_CHARACTERS = 22


def source_labels() -> dict[str, str]:
    return {
        "peer": _("Colleagues"),
        "patient": _("Patients and families"),
        "paper_card": _("Paper cards"),
        "letter": _("Letters"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "survey": _("Patient surveys"),
    }


def _layout(figure: dict, title: str, x_title: str = "", y_title: str = "", height: int = 320) -> dict:
    """Our small theme (no Plotly template, as ``template="none"``) over the figure's own layout."""
    layout = figure.setdefault("layout", {})
    layout.update(
        title={"text": title, "x": 0, "font": {"size": 15}},
        font={"family": FONT, "size": 13, "color": "#212529"},
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.2},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
    layout["xaxis"] = {**layout.get("xaxis", {}), "title": {"text": x_title}}
    layout["yaxis"] = {**layout.get("yaxis", {}), "title": {"text": y_title}, "rangemode": "tozero"}
    return figure


def weekly_trend(rows: list[dict]) -> dict:
    """Stacked weekly bars, one colour per source."""
    labels = source_labels()
    weeks = sorted({row["week"] for row in rows})
    traces = []
    for source, color in SOURCE_COLORS.items():
        by_week = {row["week"]: row["recognitions"] for row in rows if row["source"] == source}
        if not by_week:
            continue
        traces.append(
            {
                "type": "bar",
                "name": labels[source],
                "x": weeks,
                "y": [by_week.get(week, 0) for week in weeks],
                "marker": {"color": color},
                "hovertemplate": "%{x}: %{y}<extra>" + labels[source] + "</extra>",
            }
        )
    figure = {"data": traces, "layout": {"barmode": "stack"}}
    return _layout(figure, _("Recognitions per week, by source"), _("Week starting"), _("Recognitions"))


def standard_mix(rows: list[dict]) -> dict:
    """One bar per standard in the standard's own colour."""
    bars = {
        "type": "bar",
        "x": [row["recognitions"] for row in rows],
        "y": [row["name"] for row in rows],
        "orientation": "h",
        "marker": {"color": [row["color"] for row in rows]},
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }
    figure = {"data": [bars], "layout": {"yaxis": {"autorange": "reversed", "automargin": True}}}
    return _layout(figure, _("icare standard mix"), _("Recognitions"))


def _wrap(text: str, width: int) -> str:
    """Break a label into lines of about ``width`` characters (Plotly reads ``<br>``), whole words kept."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(escape(line) for line in lines) or "—"


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _scale_color(share: float) -> str:
    """The Cividis colour at ``share`` (0 to 1) of the scale, interpolated between its stops."""
    position = min(max(share, 0.0), 1.0) * (len(_CIVIDIS) - 1)
    low = int(position)
    high = min(low + 1, len(_CIVIDIS) - 1)
    mix = position - low
    a, b = _CIVIDIS[low], _CIVIDIS[high]
    return "#" + "".join(
        f"{round(int(a[i : i + 2], 16) * (1 - mix) + int(b[i : i + 2], 16) * mix):02x}" for i in (1, 3, 5)
    )


def _text_color(fill: str) -> str:
    """Black or white, whichever contrasts more with the cell (both pass 4.5:1 on Cividis)."""
    light = _luminance(fill)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def heat_map(data: dict) -> dict:
    """Departments down, standards across: one cell per pair, its count written in it.

    The cells are rectangles in data units, so they fill the plot at any size with a white gap
    between them, and every count is written in its cell: the colour repeats the number, never
    carries it alone. The axes are numeric with every tick given, so no label is dropped and two
    departments of the same name stay two rows. Standards sit along the bottom, away from the
    title; the height grows by a fixed step per department. ``layout.meta.min_width`` is the width
    below which the column labels would collide: ``dashboard.js`` lets the chart scroll sideways
    there. (A ``Heatmap`` trace is not in our plotly.js bundle, and its image would need inline
    styles our Content-Security-Policy blocks.)
    """
    departments, standards, rows = data["departments"], data["standards"], data["values"]
    highest = max((value for row in rows for value in row), default=0) or 1
    shapes, xs, ys, texts, colors, hover_rows, hover_columns = [], [], [], [], [], [], []
    for y, (department, row) in enumerate(zip(departments, rows, strict=True)):
        for x, (standard, value) in enumerate(zip(standards, row, strict=True)):
            fill = _scale_color(value / highest)
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "y",
                    "x0": x - 0.48,
                    "x1": x + 0.48,
                    "y0": y - 0.46,
                    "y1": y + 0.46,
                    "fillcolor": fill,
                    "line": {"color": NEUTRAL, "width": 1},
                    "layer": "below",
                }
            )
            xs.append(x)
            ys.append(y)
            texts.append(str(value))
            colors.append(_text_color(fill))
            hover_rows.append(str(escape(department)))
            hover_columns.append(str(escape(standard)))
    counts = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "text",
        "text": texts,
        "textfont": {"color": colors, "size": 14},
        "customdata": [[row, column] for row, column in zip(hover_rows, hover_columns, strict=True)],
        "hovertemplate": "%{customdata[0]} · %{customdata[1]}: %{text}<extra></extra>",
        "showlegend": False,
    }
    column_labels = [_wrap(name, HEAT_MAP_COLUMN_CHARACTERS) for name in standards]
    label_lines = max((label.count("<br>") + 1 for label in column_labels), default=1)
    bottom = 30 + 17 * label_lines
    axis = {
        "showgrid": False,
        "zeroline": False,
        "showline": False,
        "ticks": "",
        "fixedrange": True,
        "automargin": True,
    }
    figure = {
        "data": [counts],
        "layout": {
            "shapes": shapes,
            "xaxis": {
                **axis,
                "tickmode": "array",
                "tickvals": list(range(len(standards))),
                "ticktext": column_labels,
                "tickangle": 0,
                "range": [-0.5, len(standards) - 0.5],
                "side": "bottom",
            },
            "yaxis": {
                **axis,
                "tickmode": "array",
                "tickvals": list(range(len(departments))),
                "ticktext": [_wrap(name, HEAT_MAP_ROW_CHARACTERS) for name in departments],
                "range": [len(departments) - 0.5, -0.5],
            },
            "hovermode": "closest",
            "meta": {"min_width": HEAT_MAP_LABEL_WIDTH + HEAT_MAP_COLUMN_WIDTH * len(standards)},
        },
    }
    height = max(HEAT_MAP_MIN_HEIGHT, HEAT_MAP_TOP + bottom + HEAT_MAP_ROW_HEIGHT * len(departments))
    _layout(figure, _("Recognitions by department and standard"), height=height)
    figure["layout"]["margin"] = {"l": 10, "r": 10, "t": HEAT_MAP_TOP, "b": bottom}
    figure["layout"]["yaxis"].pop("rangemode")
    return figure


def lorenz_curve(points: list[tuple[float, float]], gini: float | None) -> dict:
    """The Lorenz curve of recognitions across people, against the line of perfect equality."""
    equality = {
        "type": "scatter",
        "x": [0, 1],
        "y": [0, 1],
        "mode": "lines",
        "name": _("Perfect equality"),
        "line": {"color": NEUTRAL, "dash": "dash"},
    }
    curve = {
        "type": "scatter",
        "x": [x for x, _y in points],
        "y": [y for _x, y in points],
        "mode": "lines+markers",
        "name": _("Recognitions"),
        "line": {"color": "#0072B2"},
        "hovertemplate": "%{x:.0%} / %{y:.0%}<extra></extra>",
    }
    title = _("Distribution of recognitions across people")
    if gini is not None:
        title += " · " + _("Gini %(gini)s", gini=format_decimal(gini, format="0.00"))
    figure = {"data": [equality, curve], "layout": {"xaxis": {"tickformat": ".0%"}, "yaxis": {"tickformat": ".0%"}}}
    return _layout(figure, title, _("Share of people, least recognised first"), _("Share of recognitions"))


def coverage_bars(groups: list[dict], title: str) -> dict:
    """Coverage per group; suppressed groups (fewer than 5 people) are left out of the chart."""
    shown = [group for group in groups if not group["suppressed"]]
    bars = {
        "type": "bar",
        "x": [group["coverage"] for group in shown],
        "y": [group["group"] for group in shown],
        "orientation": "h",
        "marker": {"color": "#009E73"},
        "hovertemplate": "%{y}: %{x}%<extra></extra>",
    }
    figure = {
        "data": [bars],
        "layout": {"yaxis": {"autorange": "reversed", "automargin": True}, "xaxis": {"range": [0, 100]}},
    }
    height = max(280, 60 + 26 * len(shown))
    return _layout(figure, title, _("Coverage (%)"), height=height)

"""Plotly figures for the dashboard: pure functions from aggregate rows to figure dicts.

No database and no request here, so each chart is tested on small known rows. The page sends
the dicts as JSON; ``static/js/dashboard.js`` draws them.

Each figure is written directly as the ``{"data": [...], "layout": {...}}`` JSON that plotly.js
reads, not built through ``plotly.graph_objects``: its validation cost most of a dashboard
page's time budget for a handful of small charts.
"""

from __future__ import annotations

from flask_babel import gettext as _

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
CIVIDIS = [[index / (len(_CIVIDIS) - 1), color] for index, color in enumerate(_CIVIDIS)]


def source_labels() -> dict[str, str]:
    return {
        "peer": _("Colleagues"),
        "patient": _("Patients and families"),
        "paper_card": _("Paper cards"),
        "letter": _("Letters"),
        "email": _("E-mail"),
        "phone": _("Phone"),
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


def heat_map(data: dict) -> dict:
    """Departments down, standards across: one labelled square per cell on a colour-blind-safe scale.

    Drawn as square markers rather than a ``Heatmap`` trace, whose image and colour bar set
    inline style attributes that our Content-Security-Policy (``style-src 'self'``) blocks.
    """
    xs, ys, values = [], [], []
    for department, row in zip(data["departments"], data["values"], strict=True):
        for standard, value in zip(data["standards"], row, strict=True):
            xs.append(standard)
            ys.append(department)
            values.append(value)
    highest = max(values, default=0) or 1
    squares = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "markers+text",
        "text": [str(value) for value in values],
        "textfont": {"color": ["#ffffff" if value < highest * 0.55 else "#000000" for value in values]},
        "marker": {
            "symbol": "square",
            "size": 34,
            "color": values,
            "cmin": 0,
            "cmax": highest,
            "colorscale": CIVIDIS,
            "showscale": False,
        },
        "hovertemplate": "%{y} · %{x}: %{text}<extra></extra>",
    }
    figure = {
        "data": [squares],
        "layout": {
            "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"},
            "xaxis": {"automargin": True, "type": "category", "side": "top"},
        },
    }
    height = max(320, 90 + 40 * len(data["departments"]))
    return _layout(figure, _("Recognitions by department and standard"), height=height)


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
        title += " · " + _("Gini %(gini).2f", gini=gini)
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

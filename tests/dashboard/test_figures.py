"""The chart builders are pure: aggregate rows in, Plotly figure dicts out."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.offline

from tracker.dashboard import figures

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_vendored_plotly_matches_the_python_package():
    assert plotly.offline.get_plotlyjs_version() == figures.PLOTLY_JS_VERSION
    assert (STATIC / "vendor" / figures.PLOTLY_FILE).is_file()
    assert (STATIC / "vendor" / figures.PLOTLY_CSS).is_file()
    bundle = (STATIC / "vendor" / figures.PLOTLY_FILE).read_text()
    assert "new Function" not in bundle and "eval(" not in bundle  # no 'unsafe-eval' needed


def test_weekly_trend_stacks_one_trace_per_source_with_zeros_filled(app):
    rows = [
        {"week": "2026-03-02", "source": "peer", "recognitions": 4},
        {"week": "2026-03-09", "source": "peer", "recognitions": 2},
        {"week": "2026-03-09", "source": "patient", "recognitions": 1},
    ]
    with app.test_request_context():
        figure = figures.weekly_trend(rows)
    peer, patient = figure["data"]
    assert peer["x"] == ["2026-03-02", "2026-03-09"] and peer["y"] == [4, 2]
    assert patient["y"] == [0, 1]
    assert peer["marker"]["color"] == figures.SOURCE_COLORS["peer"]
    assert figure["layout"]["barmode"] == "stack"
    json.dumps(figure)  # plain JSON for the page


def test_standard_mix_uses_each_standards_colour(app):
    rows = [
        {"key": "one", "name": "First", "color": "#0072B2", "recognitions": 3},
        {"key": "two", "name": "Second", "color": "#E69F00", "recognitions": 1},
    ]
    with app.test_request_context():
        figure = figures.standard_mix(rows)
    assert figure["data"][0]["marker"]["color"] == ["#0072B2", "#E69F00"]
    assert figure["data"][0]["x"] == [3, 1]


def test_lorenz_curve_and_coverage_bars_leave_out_suppressed_groups(app):
    with app.test_request_context():
        lorenz = figures.lorenz_curve([(0.0, 0.0), (0.5, 0.0), (1.0, 1.0)], 0.5)
        bars = figures.coverage_bars(
            [
                {"group": "Nursing", "coverage": 50.0, "suppressed": False},
                {"group": "Tiny", "coverage": None, "suppressed": True},
            ],
            "Coverage",
        )
    assert lorenz["data"][1]["y"] == [0.0, 0.0, 1.0]
    assert "0.50" in lorenz["layout"]["title"]["text"]
    assert bars["data"][0]["y"] == ["Nursing"]


def heat_map(app, departments: int, standards: int = 4) -> dict:
    data = {
        "departments": [f"Unit {n}" for n in range(departments)],
        "standards": [f"Standard number {n} with a long name" for n in range(standards)],
        "values": [[(row + column) % 5 for column in range(standards)] for row in range(departments)],
    }
    with app.test_request_context():
        return figures.heat_map(data)


def test_heat_map_gives_every_row_and_column_its_label(app):
    for departments in (1, 4, 40):
        figure = heat_map(app, departments)
        layout = figure["layout"]
        assert layout["yaxis"]["tickvals"] == list(range(departments))
        assert [label.replace("<br>", " ") for label in layout["yaxis"]["ticktext"]] == [
            f"Unit {n}" for n in range(departments)
        ]
        assert layout["xaxis"]["tickvals"] == [0, 1, 2, 3] and layout["xaxis"]["side"] == "bottom"
        assert all(len(line) <= 16 for label in layout["xaxis"]["ticktext"] for line in label.split("<br>"))
        assert layout["yaxis"]["automargin"] and layout["xaxis"]["automargin"]
        assert len(layout["shapes"]) == departments * 4
        assert figure["data"][0]["text"] == [
            str(v) for row in range(departments) for v in [(row + c) % 5 for c in range(4)]
        ]
        json.dumps(figure)


def test_heat_map_grows_a_fixed_step_per_department(app):
    heights = {n: heat_map(app, n)["layout"]["height"] for n in (1, 4, 40)}
    assert heights[1] >= figures.HEAT_MAP_MIN_HEIGHT
    assert heights[40] - heights[4] == 36 * figures.HEAT_MAP_ROW_HEIGHT
    assert (
        heat_map(app, 4, standards=8)["layout"]["meta"]["min_width"] > heat_map(app, 4)["layout"]["meta"]["min_width"]
    )


def test_heat_map_writes_each_count_in_a_colour_that_contrasts_with_its_cell(app):
    figure = heat_map(app, 5)
    for shape, text_color in zip(figure["layout"]["shapes"], figure["data"][0]["textfont"]["color"], strict=True):
        fill = figures._luminance(shape["fillcolor"])
        ink = figures._luminance(text_color)
        assert (max(fill, ink) + 0.05) / (min(fill, ink) + 0.05) >= 4.5


def test_heat_map_labels_are_text_not_markup(app):
    with app.test_request_context():
        figure = figures.heat_map({"departments": ["<b>A&B</b>"], "standards": ["S"], "values": [[1]]})
    assert figure["layout"]["yaxis"]["ticktext"] == ["&lt;b&gt;A&amp;B&lt;/b&gt;"]
    assert figure["data"][0]["customdata"] == [["&lt;b&gt;A&amp;B&lt;/b&gt;", "S"]]


def test_every_source_has_a_colour_and_a_name():
    from tracker.models import Source

    assert set(figures.SOURCE_COLORS) == set(figures.source_labels()) == {source.value for source in Source}

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


def test_heat_map_rows_are_departments(app):
    with app.test_request_context():
        figure = figures.heat_map({"departments": ["A", "B"], "standards": ["S"], "values": [[1], [2]]})
    assert figure["data"][0]["marker"]["color"] == [1, 2] and figure["data"][0]["y"] == ["A", "B"]

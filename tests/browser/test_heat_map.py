"""The dashboard's heat map in a real browser for 1, 4 and 40 departments, wide and narrow.

Every row and column label is drawn, inside the chart, clear of the title and of each other;
every count is written in its cell; axe-core finds nothing serious.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import Role, Standard

WIDTHS = (1280, 360)

# Label boxes, the title's and the chart's, read from the drawn SVG in one pass.
GEOMETRY = """() => {
  const words = (element) => { const lines = element.querySelectorAll("tspan.line");
    return lines.length ? Array.from(lines, (line) => line.textContent).join(" ") : element.textContent; };
  const box = (element) => { const r = element.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: words(element)}; };
  const chart = document.getElementById("chart-heat_map");
  return {
    chart: box(chart),
    title: box(chart.querySelector(".gtitle")),
    rows: Array.from(chart.querySelectorAll(".ytick text")).map(box),
    columns: Array.from(chart.querySelectorAll(".xtick text")).map(box),
    counts: Array.from(chart.querySelectorAll(".textpoint text")).map((t) => ({
      text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize)})),
    cells: chart.querySelectorAll(".shapelayer path").length,
  };
}"""


def build(count: int):
    """A director over ``count`` units, each with recognitions for every standard."""

    def make():
        root = DepartmentFactory(slug="hospital", name="General Hospital")
        names = ["White 9", "Cardiothoracic Intensive Care Unit", "Blake 12", "Emergency Department"]
        units = [
            DepartmentFactory(slug=f"unit-{n}", name=names[n] if n < len(names) else f"Ward {n}", parent=root)
            for n in range(count)
        ]
        PersonFactory(
            name="Director Ines Moreau",
            email="director@example.org",
            department=root,
            roles={Role.MANAGER},
            manages=[root],
        )
        standards = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()
        now = datetime.now(UTC)
        for n, unit in enumerate(units):
            giver, recipient = PersonFactory(department=unit), PersonFactory(department=unit)
            for index in range(1 + n % 3):
                RecognitionFactory(
                    giver=giver,
                    recipients=[recipient],
                    standards=standards[: 1 + (n + index) % len(standards)],
                    created_at=now - timedelta(days=index + 1),
                )
        return [unit.name for unit in units], [standard.name for standard in standards]

    return make


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


@pytest.mark.parametrize("count", [1, 4, 40])
def test_every_label_of_the_heat_map_is_readable(live_server, page, count):
    departments, standards = live_server.setup(build(count))
    sign_in(page, live_server.url, "director@example.org")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/dashboard")
        page.locator("#chart-heat_map[data-drawn='true']").wait_for()
        drawn = page.evaluate(GEOMETRY)

        assert [label["text"] for label in drawn["rows"]] == sorted(departments), width
        assert [label["text"] for label in drawn["columns"]] == standards, width
        labels = drawn["rows"] + drawn["columns"]
        for label in labels:
            assert inside(label, drawn["chart"]), (width, label)
            assert not overlaps(label, drawn["title"]), (width, label)
        for index, label in enumerate(labels):
            for other in labels[index + 1 :]:
                assert not overlaps(label, other), (width, label, other)
        assert drawn["cells"] == count * len(standards)
        assert len(drawn["counts"]) == count * len(standards)
        assert all(cell["size"] >= 12 for cell in drawn["counts"])
        frame = page.evaluate(
            "() => { const f = document.getElementById('frame-heat_map');"
            " return {scrolls: f.scrollWidth > f.clientWidth, tabindex: f.getAttribute('tabindex')}; }"
        )
        assert frame["tabindex"] == ("0" if frame["scrolls"] else None)  # a frame that scrolls takes focus
        assert frame["scrolls"] == (width == 360), width
        summary = page.locator("#summary-heat_map").inner_text()
        assert (f"in {departments[0]}." if count == 1 else f"{count} departments") in summary, summary
        assert "Most:" in summary and "Fewest:" in summary
        assert page.console_errors == []
        found = serious_accessibility_violations(page)
        assert found == [], f"{width} px:\n" + "\n".join(found)

"""The dashboard in a real browser: charts drawn under the strict CSP, no console error, axe-clean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import Role, Source, Standard


def build_ward():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    units = [DepartmentFactory(slug=f"ward-{n}", name=f"Ward {n}", parent=medicine) for n in (1, 2)]
    manager = PersonFactory(
        name="Dana Whitfield",
        email="manager@example.org",
        department=units[0],
        roles={Role.MANAGER},
        manages=[medicine],
    )
    staff = [PersonFactory(department=units[index % 2], show_on_walls=index != 3) for index in range(10)]
    standards = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()
    now = datetime.now(UTC)
    for index in range(30):
        RecognitionFactory(
            giver=staff[index % 10],
            recipients=[staff[(index * 3 + 1) % 10]],
            standards=standards[: 1 + index % len(standards)],
            source=Source.PATIENT if index % 5 == 0 else Source.PEER,
            created_at=now - timedelta(days=index, hours=3),
        )
    return manager


def test_manager_dashboard_draws_every_chart_without_csp_violation(live_server, page):
    live_server.setup(build_ward)
    violations: list[str] = []

    def note_csp(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.text[:80]} at {message.location}")

    page.on("console", note_csp)
    sign_in(page, live_server.url, "manager@example.org")

    response = page.goto(f"{live_server.url}/dashboard")
    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    charts = page.locator(".dashboard-chart")
    count = charts.count()
    assert count >= 5
    for index in range(count):
        chart = charts.nth(index)
        chart.and_(page.locator("[data-drawn='true']")).wait_for()
        assert chart.locator(".main-svg").count() >= 1  # plotly drew an SVG
    assert page.locator("#chart-weekly .bars path").count() > 0
    assert page.locator(".modebar-btn[aria-label]").count() > 0
    assert violations == []
    assert page.console_errors == []
    found = serious_accessibility_violations(page)
    assert found == [], "\n".join(found)

    page.get_by_label("Period").select_option("90")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**period=90**")
    page.locator("#chart-weekly[data-drawn='true']").wait_for()
    assert page.console_errors == []

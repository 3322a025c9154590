"""The manager's home page and the huddle pack on a 360 px phone: nothing too wide, axe-clean, printable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import Role, Source, Standard

PHONE = {"width": 360, "height": 780}


def build_week():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    ward = DepartmentFactory(slug="ward-1", name="Ward 1", parent=medicine)
    PersonFactory(
        name="Dana Whitfield", email="manager@example.org", department=ward, roles={Role.MANAGER}, manages=[medicine]
    )
    people = [PersonFactory(department=ward) for _ in range(4)]
    standards = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()
    now = datetime.now(UTC)
    RecognitionFactory(
        giver=people[0],
        recipients=people[1:],
        standards=standards,
        created_at=now - timedelta(minutes=3),
        message="Covered three rooms during the code and still found time to explain everything to the families. " * 3,
    )
    RecognitionFactory(
        giver=None,
        giver_name="Rosa Delgado",
        source=Source.PATIENT,
        recipients=[people[2]],
        standards=standards[:1],
        created_at=now - timedelta(minutes=2),
        message="Thank you for holding my hand before the surgery.",
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_manager_home_and_huddle_pack_on_a_phone(live_server, page):
    live_server.setup(build_week)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "manager@example.org")

    page.get_by_role("heading", name="Your team").wait_for()
    assert fits_the_screen(page)
    found = serious_accessibility_violations(page)
    assert found == [], "\n".join(found)

    page.get_by_role("link", name="This week’s huddle pack: Medicine").click()
    page.wait_for_url("**/units/medicine/huddle")
    page.get_by_role("heading", name="In the words of patients and families").wait_for()
    assert page.get_by_text("1 compliment from patients and families").is_visible()
    assert page.get_by_text("1 recognition from colleagues").is_visible()
    assert page.locator("blockquote").count() == 2
    assert page.locator("blockquote").first.get_by_text("Thank you for holding my hand").is_visible()
    assert fits_the_screen(page)
    assert page.console_errors == []
    found = serious_accessibility_violations(page)
    assert found == [], "\n".join(found)

    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Print this huddle pack").is_hidden()
    assert page.locator("header").is_hidden()
    assert page.locator("blockquote").first.is_visible()

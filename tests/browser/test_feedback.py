"""The public form on a 360 px phone in Spanish, by keyboard alone; axe-core on moderation and cases."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tracker.extensions import db
from tracker.feedback.services import submit_feedback
from tracker.models import Case, Feedback, Role


def _unit():
    hospital = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=hospital)
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine)
    PersonFactory(name="Maria Lopez", email="maria@example.org", department=unit)
    return hospital


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_spanish_phone_user_sends_feedback_by_keyboard_alone(live_server, browser):
    live_server.setup(_unit)
    live_server.app.config["FEEDBACK_MINIMUM_SECONDS"] = 1
    context = browser.new_context(locale="es-ES", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/feedback/ellison-12")
        assert page.locator("html").get_attribute("lang") == "es"
        page.get_by_role("heading", name="Comparta su opinión").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        assert serious_accessibility_violations(page) == []

        _tab_to(page, "type-1")  # "Agradecer a alguien"
        page.keyboard.press("Space")
        _tab_to(page, "message")
        page.keyboard.type("María fue muy amable con mi madre durante la noche.")
        _tab_to(page, "staff_names")
        page.keyboard.type("Mari, la enfermera de noche")
        _tab_to(page, "behaviors-1")
        page.keyboard.press("Space")
        _tab_to(page, "relation-1")  # a radio group takes one Tab; arrows move within it
        page.keyboard.press("ArrowDown")
        _tab_to(page, "consent_to_share")
        page.keyboard.press("Space")
        _tab_to(page, "consent_to_wall")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "submit"
        page.keyboard.press("Enter")

        page.get_by_role("heading", name="Gracias").wait_for()
        assert serious_accessibility_violations(page) == []
        reference = page.locator("strong").first.inner_text().strip()
    finally:
        context.close()

    stored = live_server.query(lambda: db.session.scalar(sa.select(Feedback).where(Feedback.reference == reference)))
    assert stored is not None


def _moderation_data():
    hospital = _unit()
    PersonFactory(name="Luz Ortega", email="advocate@example.org", department=hospital, roles={Role.ADVOCATE})
    compliment = submit_feedback(
        type="compliment",
        message="Mari was so kind. My mother, Jane Doe, DOB 03/14/1948, felt safe. Call 617-555-0123.",
        staff_names="Mari, the night nurse with glasses",
        unit_slug="ellison-12",
        language="en",
        consent_to_share=True,
        contact_email="ana@example.com",
    )
    submit_feedback(
        type="concern", message="Nobody came for an hour.", staff_names="", unit_slug="ellison-12",
        language="es", consent_to_share=False, contact_phone="617 555 0100",
    )  # fmt: skip
    return compliment.id


def test_moderation_and_cases_pages_have_no_serious_accessibility_issues(live_server, page):
    feedback_id = live_server.setup(_moderation_data)
    case_id = live_server.query(lambda: db.session.scalar(sa.select(Case.id)))

    sign_in(page, live_server.url, "advocate@example.org")

    for path in ("/moderation", f"/moderation/{feedback_id}", "/cases", f"/cases/{case_id}"):
        page.goto(live_server.url + path)
        assert serious_accessibility_violations(page) == [], path

    page.goto(f"{live_server.url}/moderation/{feedback_id}")
    assert page.locator("mark.phi").count() >= 3
    page.get_by_role("button", name="Redact the flagged information").click()
    draft = page.get_by_label("Words staff will read").input_value()
    assert "617-555-0123" not in draft and "Jane Doe" not in draft
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Please choose at least one standard.").first.wait_for()
    page.get_by_label("I communicate warmly and welcomingly").check()
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("is now a recognition").wait_for()
    assert [error for error in page.console_errors if "422" not in error] == []  # the refusal above

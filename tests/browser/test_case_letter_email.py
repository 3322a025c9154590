"""The resolution letter sent by e-mail from a resolved case, on a 360 px phone, checked by axe-core."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tracker.cases import services as cases
from tracker.extensions import db
from tracker.feedback.services import hospital_today, submit_feedback
from tracker.models import Case, OutboxMessage, Role


def _resolved_case():
    hospital = DepartmentFactory(slug="hospital", name="General Hospital")
    advocate = PersonFactory(
        name="Luz Ortega", email="advocate@example.org", department=hospital, roles={Role.ADVOCATE}
    )
    feedback = submit_feedback(
        type="concern", message="Nadie respondió al timbre.", staff_names="", unit_slug=None, language="es",
        consent_to_share=False, contact_name="Ana Díaz", contact_email="ana@example.com",
    )  # fmt: skip
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    cases.resolve(
        case, advocate, contact="Luz Ortega, 617 555 0100", steps="Revisamos el registro de llamadas.",
        outcome="El equipo cambió las rondas.", completed_on=hospital_today(),
    )  # fmt: skip
    return case.id


def test_an_advocate_on_a_phone_sends_the_letter_after_confirming(live_server, browser):
    case_id = live_server.setup(_resolved_case)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "advocate@example.org")

        page.goto(f"{live_server.url}/cases/{case_id}")
        send = page.get_by_role("button", name="Send the letter by e-mail")
        send.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        send.click()  # not confirmed yet: refused with the reason, nothing queued
        page.get_by_text("Please confirm that the letter is ready to send.").wait_for()
        assert live_server.query(lambda: db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))) == 0
        assert serious_accessibility_violations(page) == []

        page.get_by_label("I have read the letter and it is ready to go to the patient").check()
        page.get_by_role("button", name="Send the letter by e-mail").click()
        page.get_by_text("The letter is waiting to be e-mailed to ana@example.com").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()
    kinds = live_server.query(lambda: list(db.session.scalars(sa.select(OutboxMessage.kind))))
    assert kinds == ["case_letter"]

"""On a 360 px phone: the case list with its topics, assigning a case, the time zone picker, the audit trail."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tracker import audit, settings
from tracker.extensions import db
from tracker.feedback.services import submit_feedback
from tracker.models import Case, Role

LONG_CONCERN = (
    "My father waited more than an hour for pain relief after his operation on the surgical ward, "
    "and nobody told us why."
)


def _office():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    office = DepartmentFactory(slug="patient-experience", name="Patient Experience Office", parent=root)
    admin = PersonFactory(name="Morgan Reyes", email="admin@example.org", department=root, roles={Role.ADMIN})
    for name, title in (("Luz Ortega", "Patient Advocate"), ("Wei Chen", "Patient Relations Specialist")):
        PersonFactory(name=name, job_title=title, department=office, roles={Role.ADVOCATE})
    PersonFactory(name="Luz Ortega", job_title="Patient Liaison", department=root, roles={Role.ADVOCATE})
    feedback = submit_feedback(
        type="concern", message=LONG_CONCERN, staff_names="", unit_slug=None, language="en",
        consent_to_share=False, contact_email="family@example.com",
    )  # fmt: skip
    audit.record("setting_changed", "setting", "timezone", actor=admin, old="UTC", new="America/New_York")
    db.session.flush()
    return db.session.scalar(sa.select(Case.id).where(Case.feedback_id == feedback.id))


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_cases_settings_and_audit_trail_work_on_a_phone(live_server, browser):
    case_id = live_server.setup(_office)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "admin@example.org")

        page.goto(f"{live_server.url}/cases")
        topic = page.get_by_role("cell", name=LONG_CONCERN)  # the whole line is there for screen readers
        topic.wait_for()
        assert page.locator("td span[title]").first.inner_text().endswith("…")
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []

        page.goto(f"{live_server.url}/cases/{case_id}")
        options = page.get_by_label("Assigned to").locator("option").all_inner_texts()
        assert "Luz Ortega (Patient Advocate, Patient Experience Office)" in options
        assert "Luz Ortega (Patient Liaison, General Hospital)" in options
        page.get_by_label("Assigned to").select_option(
            label="Wei Chen (Patient Relations Specialist, Patient Experience Office)"
        )
        page.get_by_role("button", name="Save assignment").click()
        page.get_by_text("Assignment saved.").wait_for()
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []

        page.goto(f"{live_server.url}/admin/settings")
        zone = page.get_by_label("Hospital time zone")
        assert zone.locator("optgroup[label='Americas'] option", has_text="São Paulo").count() == 1
        zone.select_option("America/Sao_Paulo")
        page.get_by_role("button", name="Save settings").click()
        page.get_by_text("Settings saved.").wait_for()
        assert live_server.query(lambda: settings.get("timezone")) == "America/Sao_Paulo"
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []

        page.goto(f"{live_server.url}/admin/audit")
        page.get_by_role("cell", name="Case assigned").wait_for()
        page.get_by_role("link", name=f"Case {case_id}").first.wait_for()
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()

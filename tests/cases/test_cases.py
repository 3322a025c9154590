"""Cases: who may see them, deadlines and order, working and resolving, the letter, the audit trail."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tracker import settings
from tracker.extensions import db
from tracker.feedback.services import hospital_today, submit_feedback
from tracker.models import AuditEvent, Case, CaseStatus
from tracker.models.types import utcnow


def _concern(message="The call bell went unanswered.", **fields):
    feedback = submit_feedback(
        type="concern", message=message, staff_names="", unit_slug=fields.pop("unit_slug", None), language="en",
        consent_to_share=False, contact_email="ana@example.com", **fields,
    )  # fmt: skip
    return db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))


def test_deadlines_follow_the_settings(hospital):
    settings.set_value("case_acknowledge_days", 2)
    settings.set_value("case_resolve_days", 10)
    case = _concern()
    today = hospital_today()
    assert case.acknowledge_by == today + timedelta(days=2)
    assert case.resolve_by == today + timedelta(days=10)
    assert case.status == CaseStatus.NEW


def test_staff_and_managers_never_see_cases(client, sign_in, staff, manager, hospital):
    case = _concern()
    sign_in(staff)
    assert client.get("/cases").status_code == 403
    assert client.get(f"/cases/{case.id}").status_code == 403
    client.sign_out()
    sign_in(manager)
    assert client.get(f"/cases/{case.id}").status_code == 403


def test_overdue_cases_come_first_and_are_marked(client, sign_in, advocate, hospital):
    on_time = _concern("on time")
    late = _concern("late")
    late.resolve_by = hospital_today() - timedelta(days=1)
    late.reference = "CS-LATE000"
    on_time.reference = "CS-ONTIME0"
    db.session.flush()
    sign_in(advocate)
    page = client.get("/cases").get_data(as_text=True)
    assert page.index("CS-LATE000") < page.index("CS-ONTIME0")
    assert "Overdue" in page


def test_every_view_is_audited_and_contact_details_are_for_advocates(client, sign_in, advocate, admin, hospital):
    case = _concern()
    sign_in(advocate)
    assert "ana@example.com" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    client.sign_out()
    sign_in(admin)
    assert "ana@example.com" not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.actor_id)).all()
    assert ("case.viewed", advocate.id) in events and ("case.viewed", admin.id) in events
    assert ("feedback.contact_viewed", advocate.id) in events
    assert ("feedback.contact_viewed", admin.id) not in events


def test_work_a_case_to_a_written_resolution(client, sign_in, advocate, hospital):
    case = _concern()
    sign_in(advocate)
    client.post_form(f"/cases/{case.id}/status", {"status": "in_progress"})
    client.post_form(f"/cases/{case.id}/assign", {"assignee_id": str(advocate.id)})
    client.post_form(f"/cases/{case.id}/notes", {"note": "Spoke with the charge nurse."})
    db.session.refresh(case)
    assert case.status == CaseStatus.IN_PROGRESS and case.acknowledged_at is not None
    assert case.assignee_id == advocate.id

    refused = client.post_form(f"/cases/{case.id}/resolve", {"resolution_steps": "Reviewed the call log."})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Please name the person the patient can contact." in page
    assert "Please describe the outcome." in page
    assert "Please give the date the work was completed." in page
    db.session.refresh(case)
    assert case.status == CaseStatus.IN_PROGRESS

    today = hospital_today().isoformat()
    client.post_form(
        f"/cases/{case.id}/resolve",
        {
            "resolution_contact": "Luz Ortega, Patient Experience, 617 555 0100",
            "resolution_steps": "Reviewed the call-bell log and spoke with the team.",
            "resolution_outcome": "Extra staff at night; an apology to the family.",
            "resolution_completed_on": today,
        },
    )
    db.session.refresh(case)
    assert case.status == CaseStatus.RESOLVED and case.resolved_at is not None
    assert [event.kind for event in case.events] == ["status", "assigned", "note", "resolved"]

    letter = client.get(f"/cases/{case.id}/letter").get_data(as_text=True)
    assert "Luz Ortega, Patient Experience" in letter and "Extra staff at night" in letter
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "case.letter_viewed"))


def test_resolution_dates_and_assignees_are_checked(client, sign_in, advocate, staff, hospital):
    case = _concern()
    sign_in(advocate)
    future = (hospital_today() + timedelta(days=3)).isoformat()
    page = client.post_form(
        f"/cases/{case.id}/resolve",
        {
            "resolution_contact": "x",
            "resolution_steps": "y",
            "resolution_outcome": "z",
            "resolution_completed_on": future,
        },
    ).get_data(as_text=True)
    assert "That date is in the future." in page
    assert client.post_form(f"/cases/{case.id}/assign", {"assignee_id": str(staff.id)}).status_code == 422
    assert client.get(f"/cases/{case.id}/letter").status_code == 404  # not resolved yet
    assert client.get("/cases/999999").status_code == 404
    db.session.refresh(case)
    assert case.assignee_id is None and case.status == CaseStatus.NEW


def test_old_cases_are_overdue_when_not_acknowledged(hospital):
    from tracker.cases.services import is_overdue

    case = _concern()
    case.opened_at = utcnow() - timedelta(days=9)
    case.acknowledge_by = hospital_today() - timedelta(days=2)
    assert is_overdue(case, hospital_today())
    case.acknowledged_at = utcnow()
    assert not is_overdue(case, hospital_today())


def test_the_letter_is_written_in_the_patients_language(client, sign_in, advocate, hospital):
    feedback = submit_feedback(
        type="concern", message="Nadie nos explicó nada.", staff_names="", unit_slug=None, language="es",
        consent_to_share=False, contact_name="Ana",
    )  # fmt: skip
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    case.status = CaseStatus.RESOLVED
    case.resolution_contact, case.resolution_steps, case.resolution_outcome = "Luz Ortega", "Hablamos.", "Disculpas."
    case.resolution_completed_on = hospital_today()
    db.session.flush()
    sign_in(advocate)
    letter = client.get(f"/cases/{case.id}/letter").get_data(as_text=True)
    assert '<div lang="es">' in letter and "Nuestra respuesta a su queja" in letter
    assert f'href="/cases/{case.id}/letter?language=en"' in letter
    english = client.get(f"/cases/{case.id}/letter?language=en").get_data(as_text=True)
    assert '<div lang="en">' in english and "Our response to your concern" in english
    assert f'href="/cases/{case.id}/letter?language=es"' in english

"""The case list as a CSV file for advocates and admins: what each case is and where it stands, no contact details."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests import csv_files
from tracker.cases import services
from tracker.extensions import db
from tracker.feedback.services import hospital_today, submit_feedback
from tracker.models import AuditEvent, Case, CaseStatus
from tracker.models.types import utcnow


def _concern(message: str, *, opened_days_ago: int = 0, unit_slug: str | None = "ellison-12") -> Case:
    feedback = submit_feedback(
        type="concern", message=message, staff_names="", unit_slug=unit_slug, language="en", consent_to_share=False,
        contact_name="Rosa Díaz", contact_email="rosa@example.com", contact_phone="+1 617 555 0100",
    )  # fmt: skip
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    if opened_days_ago:
        case.opened_at = utcnow() - timedelta(days=opened_days_ago)
        case.acknowledge_by = hospital_today() - timedelta(days=opened_days_ago - 2)
        case.resolve_by = hospital_today() + timedelta(days=30 - opened_days_ago)
    db.session.flush()
    return case


def _export(client, query: str = ""):
    return client.get(f"/cases/export.csv?{query}", buffered=True)


def _cases(hospital, advocate):
    old = _concern("Nobody told us the scan was cancelled.", opened_days_ago=10)
    new = _concern('=HYPERLINK("http://x") the call bell went unanswered.\nA second line.')
    done = _concern("The food was cold.", opened_days_ago=5, unit_slug=None)
    services.assign(new, advocate, advocate.id)
    done.status, done.resolved_at = CaseStatus.RESOLVED, utcnow()
    db.session.flush()
    return old, new, done


def test_open_cases_newest_first_with_their_deadlines_and_no_contact_details(hospital, advocate, sign_in):
    old, new, _done = _cases(hospital, advocate)
    response = _export(sign_in(advocate))
    rows = csv_files.rows(response, "cases")
    assert list(rows[0]) == services.EXPORT_COLUMNS
    assert [row["reference"] for row in rows] == [new.reference, old.reference]
    first, second = rows
    assert first["topic"] == '\'=HYPERLINK("http://x") the call bell went unanswered.'  # neutralised, one line
    assert first["type"] == "concern" and first["unit"] == "Ellison 12" and first["status"] == "new"
    assert first["assignee"] == advocate.name and first["overdue"] == "no"
    assert second["overdue"] == "yes"  # not acknowledged by its day
    assert date.fromisoformat(second["acknowledge_by"]) == old.acknowledge_by
    assert date.fromisoformat(second["resolve_by"]) == old.resolve_by
    assert "T" in second["opened_at"] and second["opened_at"].endswith("+00:00")
    text = response.get_data().decode("utf-8-sig")
    for private in ("Rosa", "rosa@example.com", "555 0100"):
        assert private not in text


def test_show_all_adds_the_resolved_cases(hospital, advocate, admin, sign_in):
    old, new, done = _cases(hospital, advocate)
    rows = csv_files.rows(_export(sign_in(admin), "show=all"), "cases")
    assert [row["reference"] for row in rows] == [new.reference, done.reference, old.reference]
    resolved = rows[1]
    assert resolved["status"] == "resolved" and resolved["overdue"] == "no" and resolved["unit"] == ""
    assert resolved["resolved_at"].startswith(done.resolved_at.date().isoformat())


def test_the_export_is_audited_once_sent(hospital, advocate, sign_in):
    _cases(hospital, advocate)
    rows = csv_files.rows(_export(sign_in(advocate), "show=all"), "cases")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("case.export%"))).all()
    assert [(e.action, e.actor_id, e.details) for e in events] == [
        ("case.exported", advocate.id, {"show": "all", "rows": len(rows)})
    ]


def test_only_the_patient_experience_office_may_export(hospital, staff, manager, sign_in, client):
    _concern("The room was noisy all night.")
    assert _export(sign_in(staff)).status_code == 403
    client.post_form("/logout")
    assert _export(sign_in(manager)).status_code == 403
    client.post_form("/logout")
    assert _export(client).status_code == 302  # to sign in
    assert not db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("case.export%"))).all()


def test_an_unknown_filter_is_refused(advocate, sign_in):
    for query in ("show=everything", "show=%00", "show=" + "a" * 5000):
        response = _export(sign_in(advocate), query)
        assert response.status_code == 400
        assert response.mimetype == "text/html"


def test_the_list_links_to_its_export(hospital, advocate, sign_in):
    _concern("The room was noisy all night.")
    client = sign_in(advocate)
    assert 'href="/cases/export.csv"' in client.get("/cases").get_data(as_text=True)
    assert 'href="/cases/export.csv?show=all"' in client.get("/cases?show=all").get_data(as_text=True)

"""Moderation decisions as a CSV file: who decided what and when, never the patient's words or contact details."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests import csv_files
from tests.factories import FeedbackFactory
from tracker import clock
from tracker.extensions import db
from tracker.models import AuditEvent, FeedbackStatus, FeedbackType
from tracker.moderation import services

SECRET = "my diabetes and insulin pump"


@pytest.fixture
def decided(hospital, advocate, admin):
    """Three decisions on three days (today, 3 and 10 days ago), and one item still waiting."""
    now = clock.now()

    def feedback(status, days_ago, moderator, **extra):
        return FeedbackFactory(
            status=status, moderated_by=moderator, moderated_at=now - timedelta(days=days_ago),
            created_at=now - timedelta(days=days_ago + 1), message=f"Thanks, {SECRET}.", contact_name="Rosa Díaz",
            contact_email="rosa@example.com", contact_phone="+1 617 555 0100", **extra,
        )  # fmt: skip

    approved = feedback(FeedbackStatus.APPROVED, 0, advocate, unit=hospital["ellison-12"], language="es",
                        health_information_found=True)  # fmt: skip
    rejected = feedback(FeedbackStatus.REJECTED, 3, admin, type=FeedbackType.SUGGESTION,
                        moderation_note="other: =HYPERLINK(\"x\") quoting the patient")  # fmt: skip
    converted = feedback(FeedbackStatus.CONVERTED, 10, advocate, type=FeedbackType.CONCERN,
                         health_information_found=False)  # fmt: skip
    waiting = FeedbackFactory(status=FeedbackStatus.PENDING)
    db.session.flush()
    return {"approved": approved, "rejected": rejected, "converted": converted, "waiting": waiting}


def _export(client, query: str = "", **headers):
    return client.get(f"/moderation/decisions.csv?{query}", headers=headers, buffered=True)


def test_every_decision_newest_first_without_the_words_or_contact_details(decided, advocate, sign_in):
    response = _export(sign_in(advocate))
    rows = csv_files.rows(response, "moderation-decisions")
    assert list(rows[0]) == services.DECISION_COLUMNS
    assert [row["reference"] for row in rows] == [decided[k].reference for k in ("approved", "rejected", "converted")]
    approved, rejected, converted = rows
    assert approved["decision"] == "approved" and approved["moderator"] == advocate.name
    assert approved["unit"] == "Ellison 12" and approved["language"] == "es" and approved["type"] == "compliment"
    assert approved["health_information_found"] == "yes" and converted["health_information_found"] == "no"
    assert rejected["health_information_found"] == ""  # not checked
    assert rejected["decision"] == "rejected" and rejected["reason"] == "other" and rejected["type"] == "suggestion"
    assert converted["decision"] == "converted" and converted["reason"] == ""
    assert approved["decided_at"] == decided["approved"].moderated_at.isoformat()
    assert approved["received_at"] == decided["approved"].created_at.isoformat()
    text = response.get_data().decode("utf-8-sig")
    for private in (SECRET, "Rosa", "rosa@example.com", "555 0100", "quoting the patient", "HYPERLINK"):
        assert private not in text


def test_a_date_range_in_the_hospitals_days(decided, advocate, sign_in):
    client = sign_in(advocate)
    today = clock.hospital_today()
    since = (today - timedelta(days=5)).isoformat()
    rows = csv_files.rows(_export(client, f"since={since}"), "moderation-decisions")
    assert [row["decision"] for row in rows] == ["approved", "rejected"]
    day = clock.local_day(decided["rejected"].moderated_at).isoformat()
    rows = csv_files.rows(_export(client, f"since={day}&until={day}"), "moderation-decisions")
    assert [row["decision"] for row in rows] == ["rejected"]
    until = (today - timedelta(days=20)).isoformat()
    assert csv_files.rows(_export(client, f"until={until}"), "moderation-decisions") == []


def test_the_export_is_audited_with_its_range_once_sent(decided, advocate, sign_in):
    rows = csv_files.rows(_export(sign_in(advocate), "since=2026-01-01&until="), "moderation-decisions")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("feedback.decisions_export%")))
    assert [(e.action, e.actor_id, e.details) for e in events] == [
        ("feedback.decisions_exported", advocate.id, {"since": "2026-01-01", "rows": len(rows)})
    ]


@pytest.mark.parametrize(
    "query",
    ["since=2026-02-30", "until=yesterday", "since=2026-03-02&until=2026-03-01", "since=0001-01-01"],
)
def test_a_bad_range_is_answered_on_the_queue_page(decided, advocate, sign_in, query):
    response = _export(sign_in(advocate), query)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'aria-invalid="true"' in html
    exports = sa.select(AuditEvent).where(AuditEvent.action.like("feedback.decisions_export%"))
    assert not db.session.scalars(exports).all()


def test_a_nul_in_the_range_is_refused_not_a_500(advocate, sign_in):
    assert _export(sign_in(advocate), "since=%00").status_code == 400


def test_a_bad_range_is_explained_in_spanish(advocate, sign_in):
    html = _export(sign_in(advocate), "since=31/12/2026", **{"Accept-Language": "es"}).get_data(as_text=True)
    assert "Escriba la fecha como AAAA-MM-DD" in html


def test_only_the_patient_experience_office_may_export(decided, staff, manager, sign_in, client):
    assert _export(sign_in(staff)).status_code == 403
    client.post_form("/logout")
    assert _export(sign_in(manager)).status_code == 403


def test_the_queue_offers_the_export(advocate, sign_in):
    html = sign_in(advocate).get("/moderation").get_data(as_text=True)
    assert 'action="/moderation/decisions.csv"' in html
    assert 'id="decisions-since"' in html and 'id="decisions-until"' in html

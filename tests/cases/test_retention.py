"""``retention apply`` forgets old contact details and says what it removed."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import FeedbackFactory
from tracker import settings
from tracker.extensions import db
from tracker.models import AuditEvent
from tracker.models.types import utcnow


def test_removes_contact_details_older_than_the_setting(runner, hospital):
    settings.set_value("contact_retention_days", 30)
    old = FeedbackFactory(
        reference="FB-OLD0001", created_at=utcnow() - timedelta(days=40), contact_name="Ana", contact_email="a@x.org"
    )
    recent = FeedbackFactory(
        reference="FB-NEW0001", created_at=utcnow() - timedelta(days=5), contact_phone="6175550123"
    )
    no_contact = FeedbackFactory(reference="FB-NONE001", created_at=utcnow() - timedelta(days=90))
    db.session.flush()

    result = runner.invoke(args=["retention", "apply"])

    assert result.exit_code == 0, result.output
    assert "Removed contact details from 1 feedback records older than 30 days" in result.output
    assert "FB-OLD0001" in result.output and "FB-NEW0001" not in result.output
    for feedback in (old, recent, no_contact):
        db.session.refresh(feedback)
    assert (old.contact_name, old.contact_email, old.contact_phone) == ("", "", "")
    assert old.contact_removed_at is not None
    assert old.message  # the feedback itself stays
    assert recent.contact_phone == "6175550123" and no_contact.contact_removed_at is None
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "retention.contact_details_removed"))

    again = runner.invoke(args=["retention", "apply", "--days", "30"])
    assert "No contact details older than 30 days." in again.output


def test_forgets_expired_api_retry_keys(runner, hospital):
    from tracker.models import IdempotencyRecord

    for key, age in (("old", timedelta(hours=25)), ("fresh", timedelta(hours=1))):
        db.session.add(
            IdempotencyRecord(
                scope="address:127.0.0.1",
                key=key,
                request_hash="0" * 64,
                status_code=201,
                response_body="{}",
                created_at=utcnow() - age,
            )
        )
    db.session.flush()

    result = runner.invoke(args=["retention", "apply"])

    assert result.exit_code == 0, result.output
    assert "Removed 1 expired API idempotency keys" in result.output
    assert db.session.scalars(sa.select(IdempotencyRecord.key)).all() == ["fresh"]

"""``flask --app tracker retention apply``: forget patients' contact details after the retention period."""

from __future__ import annotations

from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from tracker import audit, settings
from tracker.api.idempotency import KEY_LIFETIME
from tracker.extensions import db
from tracker.models import Feedback, IdempotencyRecord
from tracker.models.types import utcnow


def remove_old_contact_details(days: int) -> list[str]:
    """Blank the contact details of feedback older than ``days``; return the references touched."""
    cutoff = utcnow() - timedelta(days=days)
    has_contact = sa.or_(Feedback.contact_name != "", Feedback.contact_email != "", Feedback.contact_phone != "")
    rows = db.session.execute(
        sa.select(Feedback.id, Feedback.reference)
        .where(Feedback.created_at < cutoff, has_contact)
        .order_by(Feedback.id)
    ).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    db.session.execute(
        sa.update(Feedback)
        .where(Feedback.id.in_(ids))
        .values(contact_name="", contact_email="", contact_phone="", contact_removed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    audit.record("retention.contact_details_removed", "feedback", "", count=len(ids), older_than_days=days)
    return [row.reference for row in rows]


def remove_expired_idempotency_records() -> int:
    """Stored API answers are replayed for a day only; after that they are just data to forget."""
    result = db.session.execute(
        sa.delete(IdempotencyRecord)
        .where(IdempotencyRecord.created_at < utcnow() - KEY_LIFETIME)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


@click.group(help="Data retention.")
def retention() -> None:
    pass


@retention.command(
    "apply", help="Remove patients' contact details older than the retention period, and expired API retry keys."
)
@click.option("--days", type=click.IntRange(min=1), help="Override the contact_retention_days setting.")
@with_appcontext
def apply(days: int | None) -> None:
    days = days or int(settings.get("contact_retention_days"))
    references = remove_old_contact_details(days)
    expired_keys = remove_expired_idempotency_records()
    db.session.commit()
    if expired_keys:
        click.echo(f"Removed {expired_keys} expired API idempotency keys.")
    if not references:
        click.echo(f"No contact details older than {days} days.")
        return
    click.echo(f"Removed contact details from {len(references)} feedback records older than {days} days:")
    for reference in references:
        click.echo(f"  {reference}")

"""The weekly manager digest: the week's recognitions of their people, those still unacknowledged,
and how many patient-survey comments reached their units."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker import policy
from tracker.dashboard import filters as dashboard_filters
from tracker.dashboard import services as dashboard
from tracker.extensions import db
from tracker.i18n import person_locale
from tracker.models import (
    OutboxMessage,
    Person,
    PersonRole,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Role,
    utcnow,
)
from tracker.notifications.services import absolute_url, queue_email
from tracker.surveys import services as surveys

LISTED = 10


def _in_departments(department_ids: set[int]) -> sa.ColumnElement[bool]:
    recipients = sa.select(RecognitionRecipient.recognition_id).where(
        RecognitionRecipient.department_id.in_(department_ids)
    )
    return sa.and_(
        Recognition.status == RecognitionStatus.PUBLISHED,
        sa.or_(Recognition.id.in_(recipients), Recognition.unit_id.in_(department_ids)),
    )


def digest_message_id(manager: Person, now: datetime) -> str:
    """One digest per manager per ISO week: a second run in the same week finds it and sends nothing."""
    year, week, _weekday = now.isocalendar()
    domain = current_app.config["MAIL_SENDER"].rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<digest-{manager.id}-{year}W{week:02d}@{domain}>"


def managers_to_brief() -> list[Person]:
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(PersonRole, sa.and_(PersonRole.person_id == Person.id, PersonRole.role == Role.MANAGER))
            .where(Person.active.is_(True), Person.email_notifications.is_(True))
            .order_by(Person.id)
        )
    )


def queue_digest(manager: Person, now: datetime, days: int = 7) -> OutboxMessage | None:
    """Queue this week's digest for one manager, unless there is nothing to tell or it went already."""
    department_ids = policy.managed_department_ids(manager)
    if not department_ids:
        return None
    message_id = digest_message_id(manager, now)
    if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.message_id == message_id)):
        return None
    scope = _in_departments(department_ids)
    since = now - timedelta(days=days)
    this_week = sa.and_(scope, Recognition.published_at >= since)
    week_count = db.session.scalar(sa.select(sa.func.count()).select_from(Recognition).where(this_week))
    # Waiting for acknowledgement: the same number, and the same oldest ones, as the manager's dashboard.
    dashboard_view = dashboard_filters.default_for(manager)
    open_count = dashboard.unacknowledged_count(dashboard_view)
    said_count = surveys.said_count(policy.survey_unit_ids(manager), since)
    if not week_count and not open_count and not said_count:
        return None
    options = (sa.orm.selectinload(Recognition.recipient_rows).selectinload(RecognitionRecipient.person),)
    recent = db.session.scalars(
        sa.select(Recognition)
        .where(this_week)
        .options(*options)
        .order_by(Recognition.published_at.desc())
        .limit(LISTED)
    ).all()
    waiting = dashboard.unacknowledged_list(dashboard_view)[:LISTED]
    with force_locale(person_locale(manager)):
        subject = _(
            "Your week in recognition: %(count)d new, %(open)d to acknowledge", count=week_count, open=open_count
        )
    return queue_email(
        manager.email,
        subject,
        "email/digest.txt",
        "email/digest.html",
        "manager_digest",
        message_id=message_id,
        person=manager,
        days=days,
        week_count=week_count,
        open_count=open_count,
        recent=recent,
        waiting=waiting,
        said_count=said_count,
        link=absolute_url,
    )


def queue_digests(now: datetime | None = None, days: int = 7) -> int:
    """Queue the digest for every manager who wants e-mails; returns how many were queued."""
    now = now or utcnow()
    queued = sum(1 for manager in managers_to_brief() if queue_digest(manager, now, days) is not None)
    db.session.flush()
    return queued

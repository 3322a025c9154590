"""Reading the audit trail: filters shared by the page and its CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tracker import audit, settings
from tracker.extensions import db
from tracker.models import AuditEvent, Person

CSV_COLUMNS = [
    "id",
    "created_at_utc",
    "actor_email",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "details",
]


@dataclass
class AuditFilters:
    person: str = ""  # words of the actor's name or e-mail
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None  # hospital-local calendar days, inclusive
    date_to: date | None = None


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def object_types() -> list[str]:
    statement = sa.select(AuditEvent.object_type).where(AuditEvent.object_type != "").distinct()
    return list(db.session.scalars(statement.order_by(AuditEvent.object_type)))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.get("timezone")))


def statement(filters: AuditFilters) -> sa.Select:
    """Newest first; the date range is read in the hospital's time zone."""
    query = sa.select(AuditEvent).options(sa.orm.selectinload(AuditEvent.actor))
    if filters.person.strip():
        actor = sa.select(Person.id)
        for word in filters.person.lower().split()[:5]:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            actor = actor.where(
                sa.or_(sa.func.lower(Person.name).like(pattern, escape="\\"), Person.email.like(pattern, escape="\\"))
            )
        query = query.where(AuditEvent.actor_id.in_(actor))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id.strip():
        query = query.where(AuditEvent.object_id == filters.object_id.strip())
    if filters.date_from:
        query = query.where(AuditEvent.created_at >= _local_midnight(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.created_at < _local_midnight(filters.date_to + timedelta(days=1)))
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def export(filters: AuditFilters) -> Iterator[str]:
    """The filtered trail as CSV, read in the request's read-only transaction, row by row.

    Recorded as ``audit_exported`` once the whole file was sent, or ``audit_export_interrupted``
    when the client went away (see :func:`tracker.audit.after_streaming`).
    """
    chosen = {key: str(value) for key, value in vars(filters).items() if value}
    return audit.after_streaming(
        _csv_lines(db.session, filters), "audit_exported", "audit_export_interrupted", "audit", filters=chosen
    )


def _csv_lines(session, filters: AuditFilters) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    with session.scalars(statement(filters).execution_options(yield_per=1000)) as events:
        for event in events:
            writer.writerow(
                [
                    event.id,
                    event.created_at.isoformat(),
                    event.actor.email if event.actor else "",
                    _spreadsheet_safe(event.actor.name) if event.actor else "",
                    event.action,
                    event.object_type,
                    _spreadsheet_safe(event.object_id),
                    event.ip_address,
                    _spreadsheet_safe(json.dumps(event.details, ensure_ascii=False, sort_keys=True, default=str)),
                ]
            )
            yield flush()


def _spreadsheet_safe(value: str) -> str:
    """Keep a spreadsheet from running text that starts like a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

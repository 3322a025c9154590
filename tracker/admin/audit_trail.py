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
from flask import g

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
    """The filtered trail as CSV, streamed row by row, and audited once the last row is out.

    It runs while the server sends the response, so the view wraps it in ``stream_with_context``:
    the request's context, and with it the request's session and the signed-in admin, stay open
    until the stream ends. The rows are read in the request's read-only transaction; the audit
    event is written afterwards in a short transaction of its own. An export counts as made only
    when the server has taken every row: a client that goes away mid-stream makes the server close
    the stream, and that is recorded as ``audit_export_interrupted`` with the rows written until then,
    never as ``audit_exported``. A stream that fails for any other reason records nothing.
    """
    lines = _csv_lines(db.session, filters)
    sent = 0  # lines the server has taken and asked for more after: the header, then one per row
    try:
        for line in lines:
            yield line
            sent += 1
    except GeneratorExit:
        lines.close()
        _record_after_reading("audit_export_interrupted", filters, rows_sent=max(sent - 1, 0))
        raise
    _record_after_reading("audit_exported", filters, rows=sent - 1)


def _record_after_reading(action: str, filters: AuditFilters, **details: object) -> None:
    db.session.rollback()  # end the read-only transaction the rows came from
    g.reading_over = True  # what follows is the export's bookkeeping, a write of its own
    audit.record(action, "audit", "", filters={k: str(v) for k, v in vars(filters).items() if v}, **details)
    db.session.commit()


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

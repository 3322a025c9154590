"""Reading the audit trail: filters shared by the page and its CSV export, and the page's readable entries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from tracker import audit, policy, settings
from tracker.admin.audit_labels import action_label, detail_label, record_label
from tracker.exports import csv_lines
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    AwardCycle,
    Behavior,
    Case,
    Channel,
    Department,
    Feedback,
    Nomination,
    Person,
    Recognition,
    Role,
    Standard,
    WebhookEndpoint,
)

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
    def rows() -> Iterator[list]:
        with session.scalars(statement(filters).execution_options(yield_per=1000)) as events:
            for event in events:
                yield [
                    event.id,
                    event.created_at,
                    event.actor.email if event.actor else "",
                    event.actor.name if event.actor else "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.ip_address,
                    json.dumps(event.details, ensure_ascii=False, sort_keys=True, default=str),
                ]

    return csv_lines(CSV_COLUMNS, rows())


# --- the page: readable entries ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPage:
    """Where a kind of record is shown: the endpoint and its id argument, and any rule of its own."""

    endpoint: str
    argument: str | None = None
    model: type | None = None  # links only to rows that still exist
    may_see: Callable[[Person, object], bool] | None = None


RECORD_PAGES = {
    "person": RecordPage("admin.person_edit", "person_id", Person),
    "department": RecordPage("admin.department_edit", "department_id", Department),
    "standard": RecordPage("admin.standard_edit", "standard_id", Standard),
    "behavior": RecordPage("admin.behaviour_edit", "behaviour_id", Behavior),
    "setting": RecordPage("admin.settings_page"),
    "recognition": RecordPage("recognitions.detail", "recognition_id", Recognition, policy.may_view_recognition),
    "feedback": RecordPage("moderation.item", "feedback_id", Feedback),
    "case": RecordPage("cases.detail", "case_id", Case),
    "award_cycle": RecordPage("awards.cycle", "cycle_id", AwardCycle),
    "award_nomination": RecordPage("awards.nomination", "nomination_id", Nomination),
    "channel": RecordPage("integrations.channel_detail", "channel_id", Channel, policy.may_manage_channel),
    "webhook_endpoint": RecordPage("integrations.webhook_detail", "endpoint_id", WebhookEndpoint),
}


@dataclass(frozen=True)
class AuditEntry:
    """One event as the page shows it; the raw event stays at hand for the time, the actor and the address."""

    event: AuditEvent
    action: str
    record: str
    record_url: str | None
    details: list[tuple[str, str]] = field(default_factory=list)


def entries(events: list[AuditEvent], viewer: Person) -> list[AuditEntry]:
    """The page's events made readable, with a link to each record the viewer may open (one query per kind)."""
    linkable = _openable_records(events, viewer)
    result = []
    for event in events:
        record = record_label(event.object_type) if event.object_type else ""
        if event.object_id:
            record = f"{record} {event.object_id}".strip()
        url = linkable.get((event.object_type, event.object_id))
        details = [(detail_label(key), readable_value(value)) for key, value in sorted(event.details.items())]
        result.append(AuditEntry(event, action_label(event.action), record, url, details))
    return result


def readable_value(value: object) -> str:
    """A detail's value as words: no Python reprs of lists, dicts, booleans or nothing."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{detail_label(str(key))}: {readable_value(item)}" for key, item in sorted(value.items()))
    if isinstance(value, list | tuple):
        return ", ".join(readable_value(item) for item in value)
    return str(value)


def _openable_records(events: list[AuditEvent], viewer: Person) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type in RECORD_PAGES and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    links = {}
    for object_type, ids in wanted.items():
        page = RECORD_PAGES[object_type]
        if not _may_open(viewer, page.endpoint):
            continue
        if page.model is None:
            links.update({(object_type, object_id): url_for(page.endpoint) for object_id in ids})
            continue
        numbers = {int(object_id) for object_id in ids if object_id.isdigit() and len(object_id) < 18}
        if not numbers:
            continue
        for row in db.session.scalars(sa.select(page.model).where(page.model.id.in_(numbers))):
            if page.may_see is None or page.may_see(viewer, row):
                links[(object_type, str(row.id))] = url_for(page.endpoint, **{page.argument: row.id})
    return links


def _may_open(viewer: Person, endpoint: str) -> bool:
    """Whether the page's own access rule (set by the ``policy`` decorators) lets ``viewer`` in."""
    view = current_app.view_functions.get(endpoint)
    rule = getattr(view, policy.ACCESS_ATTRIBUTE, None) if view is not None else None
    if rule is None:
        return False
    if rule.startswith("roles:"):
        return viewer.has_role(*(Role(name) for name in rule.removeprefix("roles:").split(",")))
    if rule == "signed_in":
        return not policy.is_advisor(viewer)
    return rule in ("public", "own_account")

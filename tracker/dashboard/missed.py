"""Who is being missed: active people in scope not recognised in the last 90 days.

The count comes from the 90-day window when the windows are current (else the raw rows); the
list, never recognised first and then the longest waiting, from each person's last recognition.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tracker import clock
from tracker.dashboard import people, rollup
from tracker.dashboard.filters import NOT_RECOGNISED_DAYS, Filters
from tracker.dashboard.rollup import ALL_TIME, PersonWindow
from tracker.extensions import db
from tracker.models import Department, Person, Recognition, RecognitionRecipient, RecognitionStatus


def _not_recognised_since() -> datetime:
    """The start of the first day of the last 90 days: recognised before it means "not recognised lately"."""
    return clock.local_midnight(clock.hospital_today() - timedelta(days=NOT_RECOGNISED_DAYS - 1))


def _last_received(filters: Filters) -> sa.Subquery:
    """``person_id, last_received_at`` for the people in scope ever recognised: all-time roll-up, else raw."""
    if rollup.readable(db.session) is not None:
        table = PersonWindow
        return (
            sa.select(table.person_id, table.last_received_at)
            .where(table.window_days == ALL_TIME, table.received > 0, *people.window_scope(table, filters))
            .subquery()
        )
    return rollup.last_received_select().subquery()


def _active_people(filters: Filters, last: sa.Subquery) -> sa.Select:
    columns = (Person.id, Person.name, Person.job_title, Department.name.label("department"), last.c.last_received_at)
    return (
        sa.select(*columns)
        .select_from(Person)
        .outerjoin(last, last.c.person_id == Person.id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(people.in_scope(filters))
    )


def not_recognised_statement(filters: Filters) -> sa.Select:
    """Active people in scope not recognised in the last 90 days, unordered (exports add their own order)."""
    last = _last_received(filters)
    return _active_people(filters, last).where(
        sa.or_(last.c.last_received_at.is_(None), last.c.last_received_at < _not_recognised_since())
    )


def _row(row, now: datetime) -> dict:
    return {
        "name": row.name,
        "job_title": row.job_title,
        "department": row.department or "",
        "days_since": (now - row.last_received_at).days if row.last_received_at else None,
    }


def not_recognised(filters: Filters, limit: int, people_in_scope: int | None = None) -> tuple[int, list[dict]]:
    """How many people in scope were not recognised in the last 90 days, and the first ``limit`` of them.

    ``people_in_scope``: the count, when the caller already has it (the page does).
    """
    if filters.department_ids is not None and not filters.department_ids:
        return 0, []
    if people_in_scope is None:
        people_in_scope = db.session.scalar(
            sa.select(sa.func.count()).select_from(Person).where(people.in_scope(filters))
        )
    since = _not_recognised_since()
    if rollup.windows_current(db.session):
        table = PersonWindow
        recognised_lately = sa.select(sa.func.count()).where(
            table.window_days == NOT_RECOGNISED_DAYS, table.received > 0, *people.window_scope(table, filters)
        )
    else:
        recent = (
            sa.select(RecognitionRecipient.person_id)
            .join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
            .where(Recognition.status == RecognitionStatus.PUBLISHED, Recognition.created_at >= since)
        )
        recognised_lately = sa.select(sa.func.count()).where(people.in_scope(filters), Person.id.in_(recent))
    total = people_in_scope - db.session.scalar(recognised_lately)
    now = clock.now()
    # Never recognised first, by name, then the longest waiting: two queries that each use an index.
    last = _last_received(filters)
    everyone = _active_people(filters, last)
    never = everyone.where(last.c.last_received_at.is_(None)).order_by(Person.name, Person.id)
    waiting = everyone.where(last.c.last_received_at < since).order_by(last.c.last_received_at, Person.name, Person.id)
    rows = [_row(row, now) for row in db.session.execute(never.limit(limit))]
    if len(rows) < limit:
        rows += [_row(row, now) for row in db.session.execute(waiting.limit(limit - len(rows)))]
    return total, rows

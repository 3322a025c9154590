"""The roll-ups counted afresh from the raw tables, in SQL: for ``rebuild`` and as the oracle of ``verify``.

This is the only place that recounts. It is written independently of the delta code on purpose:
``dashboard verify`` compares the two, so a mistake in either shows up as a difference.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from tracker.dashboard.rollup.tables import (
    ALL_TIME,
    CELL_TABLES,
    NO_DEPARTMENT,
    PERSON_TABLES,
    WEEKLY_TABLES,
    PersonWindow,
    PersonWindowSource,
    PersonWindowSourceStandard,
    PersonWindowStandard,
)
from tracker.models import (
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    UTCDateTime,
    recognition_standards,
)


class local_week(sa.sql.functions.GenericFunction):  # noqa: N801  (reads like a SQL function)
    """The Monday of a UTC timestamp's week in a time zone, as a DATE, on either database."""

    type = sa.Date()
    inherit_cache = True


@compiles(local_week, "sqlite")
def _local_week_sqlite(element, compiler, **kw):
    return f"tracker_local_monday({compiler.process(element.clauses, **kw)})"  # registered on each connection


@compiles(local_week, "postgresql")
def _local_week_postgresql(element, compiler, **kw):
    moment, zone = list(element.clauses)
    moment, zone = compiler.process(moment, **kw), compiler.process(zone, **kw)
    return f"CAST(date_trunc('week', ({moment} AT TIME ZONE 'UTC') AT TIME ZONE {zone}) AS DATE)"


class local_date(sa.sql.functions.GenericFunction):  # noqa: N801  (reads like a SQL function)
    """The calendar date of a UTC timestamp in a time zone, on either database."""

    type = sa.Date()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw):
    return f"tracker_local_date({compiler.process(element.clauses, **kw)})"  # registered on each connection


@compiles(local_date, "postgresql")
def _local_date_postgresql(element, compiler, **kw):
    moment, zone = list(element.clauses)
    moment, zone = compiler.process(moment, **kw), compiler.process(zone, **kw)
    return f"CAST(({moment} AT TIME ZONE 'UTC') AT TIME ZONE {zone} AS DATE)"


def whole_days_to_acknowledge(dialect: str) -> sa.ColumnElement[int]:
    """Whole days (rounded down) from a recognition to its acknowledgement, on either database."""
    if dialect == "postgresql":
        seconds = sa.extract("epoch", Recognition.acknowledged_at - Recognition.created_at)
    else:
        seconds = (sa.func.julianday(Recognition.acknowledged_at) - sa.func.julianday(Recognition.created_at)) * 86400
    return sa.cast(sa.func.floor(seconds / 86400 + 0.000001), sa.Integer)


def _published() -> sa.ColumnElement[bool]:
    return Recognition.status == RecognitionStatus.PUBLISHED


def cell_select(model, zone: str, dialect: str) -> sa.Select:
    """The rows of one weekly or daily table, counted from the raw tables."""
    weekly = model in WEEKLY_TABLES
    period = (local_week if weekly else local_date)(Recognition.created_at, zone)
    department = sa.func.coalesce(Recognition.department_id, NO_DEPARTMENT)
    keys = [period, department, Recognition.source]
    statement = sa.select().where(_published())
    if "standard_id" in model.__table__.c:
        statement = statement.join(recognition_standards, recognition_standards.c.recognition_id == Recognition.id)
        keys.append(recognition_standards.c.standard_id)
    else:
        statement = statement.select_from(Recognition)
    if "days" in model.__table__.c:
        keys.append(whole_days_to_acknowledge(dialect))
        statement = statement.where(Recognition.acknowledged_at.is_not(None))
        values = [sa.func.count()]
    else:
        values = [sa.func.count(), sa.func.sum(sa.case((Recognition.acknowledged_at.is_(None), 1), else_=0))]
    return statement.add_columns(*keys, *values).group_by(*keys)


def weeks_of_days(daily, dialect: str) -> sa.Select:
    """A weekly table's rows as the sums of a daily table's (what ``rebuild`` does: far fewer rows than raw)."""
    day = daily.__table__.c.day
    week = (
        sa.cast(sa.func.date_trunc("week", day), sa.Date)
        if dialect == "postgresql"
        else sa.func.date(day, "-6 days", "weekday 1")
    )
    keys = [week] + [column for column in daily.__table__.primary_key.columns if column.name != "day"]
    values = [
        sa.func.sum(daily.__table__.c[name]) for name in ("recognitions", "unacknowledged") if name in daily.__table__.c
    ]
    return sa.select(*keys, *values).group_by(*keys)


def person_select(model, window: int, start: datetime | None) -> sa.Select:
    """The rows of one per-person table for one window (starting at ``start``), from the raw tables."""
    conditions = [_published()] + ([Recognition.created_at >= start] if start is not None else [])
    extra = {
        PersonWindow: [],
        PersonWindowSource: [Recognition.source],
        PersonWindowStandard: [recognition_standards.c.standard_id],
        PersonWindowSourceStandard: [Recognition.source, recognition_standards.c.standard_id],
    }[model]

    def part(person, received: int, join_recipients: bool) -> sa.Select:
        statement = sa.select(
            person.label("person_id"),
            *(column.label(column.key) for column in extra),
            sa.literal(received).label("received"),
            sa.literal(1 - received).label("given"),
            (Recognition.created_at if received else sa.cast(sa.null(), UTCDateTime)).label("created_at"),
        ).select_from(Recognition)
        if join_recipients:
            statement = statement.join(RecognitionRecipient, RecognitionRecipient.recognition_id == Recognition.id)
        if model in (PersonWindowStandard, PersonWindowSourceStandard):
            statement = statement.join(recognition_standards, recognition_standards.c.recognition_id == Recognition.id)
        return statement.where(*conditions, person.is_not(None))

    rows = sa.union_all(part(RecognitionRecipient.person_id, 1, True), part(Recognition.giver_id, 0, False)).subquery()
    keys = [rows.c.person_id, *(rows.c[column.key] for column in extra)]
    last = sa.func.max(rows.c.created_at) if window == ALL_TIME else sa.cast(sa.null(), UTCDateTime)
    grouped = (
        sa.select(
            *keys,
            sa.func.sum(rows.c.received).label("received"),
            sa.func.sum(rows.c.given).label("given"),
            last.label("last_received_at"),
        )
        .group_by(*keys)
        .subquery()
    )
    columns = [
        sa.literal(window).label("window_days"),
        grouped.c.person_id,
        *(grouped.c[column.key] for column in extra),
        grouped.c.received,
        grouped.c.given,
    ]
    if model is PersonWindow:
        columns.append(grouped.c.last_received_at)
    columns += [Person.department_id, sa.func.coalesce(Person.job_family, "").label("job_family"), Person.active]
    return sa.select(*columns).join(Person, Person.id == grouped.c.person_id)


def column_names(model) -> list[str]:
    """The insert order of ``person_select``/``cell_select`` columns."""
    names = [column.name for column in model.__table__.primary_key.columns]
    if model in PERSON_TABLES:
        last = ["last_received_at"] if model is PersonWindow else []
        return [*names, "received", "given", *last, "department_id", "job_family", "active"]
    if model in CELL_TABLES and "days" in model.__table__.c:
        return [*names, "recognitions"]
    return [*names, "recognitions", "unacknowledged"]

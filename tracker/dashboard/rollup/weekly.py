"""Weekly roll-ups: they answer any period, whole weeks from here and the days at either end raw.

``weekly_recognition_counts`` holds published recognitions per week, department, source and
standard (``standard_id = 0``: the recognition itself, counted once);
``weekly_acknowledgement_delays`` how many were acknowledged after how many whole days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus, recognition_standards

ALL_STANDARDS = 0
NO_DEPARTMENT = 0


class WeeklyRecognitionCount(db.Model):
    __tablename__ = "weekly_recognition_counts"
    __table_args__ = (sa.Index("ix_weekly_recognition_counts_department_id_week", "department_id", "week"),)

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    standard_id: Mapped[int] = mapped_column(primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)
    unacknowledged: Mapped[int] = mapped_column(default=0)


class WeeklyAcknowledgementDelay(db.Model):
    """How many recognitions were acknowledged after how many whole days, for the median."""

    __tablename__ = "weekly_acknowledgement_delays"
    __table_args__ = (sa.Index("ix_weekly_acknowledgement_delays_department_id_week", "department_id", "week"),)

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)


# --- week_start(): Monday of a timestamp's UTC week, as a DATE, on either database -------------


class week_start(sa.sql.functions.GenericFunction):  # noqa: N801  (reads like a SQL function)
    type = sa.Date()
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element, compiler, **kw):
    return f"CAST(date_trunc('week', {compiler.process(element.clauses, **kw)}) AS DATE)"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = midnight(week)
    return start, start + timedelta(days=7)


# --- recomputing cells ----------------------------------------------------------------------------


def published():
    return Recognition.status == RecognitionStatus.PUBLISHED


def count_selects(where: sa.ColumnElement[bool]) -> list[sa.Select]:
    """The roll-up rows as SELECTs over the raw tables, limited by ``where``."""
    week = week_start(Recognition.created_at)
    department = sa.func.coalesce(Recognition.department_id, NO_DEPARTMENT)
    unacknowledged = sa.func.sum(sa.case((Recognition.acknowledged_at.is_(None), 1), else_=0))
    overall = (
        sa.select(week, department, Recognition.source, sa.literal(ALL_STANDARDS), sa.func.count(), unacknowledged)
        .where(published(), where)
        .group_by(week, department, Recognition.source)
    )
    per_standard = (
        sa.select(
            week, department, Recognition.source, recognition_standards.c.standard_id, sa.func.count(), unacknowledged
        )
        .join(recognition_standards, recognition_standards.c.recognition_id == Recognition.id)
        .where(published(), where)
        .group_by(week, department, Recognition.source, recognition_standards.c.standard_id)
    )
    return [overall, per_standard]


def whole_days_to_acknowledge(dialect: str) -> sa.ColumnElement[int]:
    """Whole days (rounded down) from a recognition to its acknowledgement, on either database."""
    if dialect == "postgresql":
        seconds = sa.extract("epoch", Recognition.acknowledged_at - Recognition.created_at)
    else:
        seconds = (sa.func.julianday(Recognition.acknowledged_at) - sa.func.julianday(Recognition.created_at)) * 86400
    return sa.cast(sa.func.floor(seconds / 86400 + 0.000001), sa.Integer)


def delay_select(where: sa.ColumnElement[bool], dialect: str) -> sa.Select:
    week = week_start(Recognition.created_at)
    department = sa.func.coalesce(Recognition.department_id, NO_DEPARTMENT)
    days = whole_days_to_acknowledge(dialect)
    return (
        sa.select(week, department, Recognition.source, days, sa.func.count())
        .where(published(), Recognition.acknowledged_at.is_not(None), where)
        .group_by(week, department, Recognition.source, days)
    )


DELAY_COLUMNS = ["week", "department_id", "source", "days", "recognitions"]
COUNT_COLUMNS = ["week", "department_id", "source", "standard_id", "recognitions", "unacknowledged"]


def refresh_cells(session: Session, cells: set[tuple[date, int]]) -> None:
    table = WeeklyRecognitionCount.__table__
    for week, department_id in cells:
        start, end = week_bounds(week)
        if department_id == NO_DEPARTMENT:
            department = Recognition.department_id.is_(None)
        else:
            department = Recognition.department_id == department_id
        where = sa.and_(department, Recognition.created_at >= start, Recognition.created_at < end)
        session.execute(sa.delete(table).where(table.c.week == week, table.c.department_id == department_id))
        for select in count_selects(where):
            session.execute(sa.insert(table).from_select(COUNT_COLUMNS, select))
        delays = WeeklyAcknowledgementDelay.__table__
        session.execute(sa.delete(delays).where(delays.c.week == week, delays.c.department_id == department_id))
        session.execute(sa.insert(delays).from_select(DELAY_COLUMNS, delay_select(where, dialect_of(session))))


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name

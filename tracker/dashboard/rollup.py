"""Roll-ups that keep the dashboard fast at a million recognitions.

``weekly_recognition_counts`` holds published recognitions per week, department, source and
standard (``standard_id = 0``: the recognition itself, counted once);
``weekly_acknowledgement_delays`` how many were acknowledged after how many whole days;
``person_recognition_totals``
holds each person's all-time received and given counts with the last dates. Both are kept
current inside the same transaction as every write by a session hook: after each flush, the
cells touched by changed recognitions are recomputed from the raw tables, so the roll-up always
equals the raw aggregate, whoever wrote the change. ``rebuild()`` recomputes everything after
bulk loads (seed-demo, restores).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.extensions import db
from tracker.models import (
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    UTCDateTime,
    recognition_standards,
)

ALL_STANDARDS = 0
NO_DEPARTMENT = 0


class WeeklyRecognitionCount(db.Model):
    __tablename__ = "weekly_recognition_counts"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    standard_id: Mapped[int] = mapped_column(primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)
    unacknowledged: Mapped[int] = mapped_column(default=0)


class WeeklyAcknowledgementDelay(db.Model):
    """How many recognitions were acknowledged after how many whole days, for the median."""

    __tablename__ = "weekly_acknowledgement_delays"

    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)


class PersonRecognitionTotal(db.Model):
    __tablename__ = "person_recognition_totals"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    last_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    given: Mapped[int] = mapped_column(default=0)


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


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week, time(), tzinfo=UTC)
    return start, start + timedelta(days=7)


# --- recomputing cells ----------------------------------------------------------------------------


def _published():
    return Recognition.status == RecognitionStatus.PUBLISHED


def _count_selects(where: sa.ColumnElement[bool]) -> list[sa.Select]:
    """The roll-up rows as SELECTs over the raw tables, limited by ``where``."""
    week = week_start(Recognition.created_at)
    department = sa.func.coalesce(Recognition.department_id, NO_DEPARTMENT)
    unacknowledged = sa.func.sum(sa.case((Recognition.acknowledged_at.is_(None), 1), else_=0))
    overall = (
        sa.select(week, department, Recognition.source, sa.literal(ALL_STANDARDS), sa.func.count(), unacknowledged)
        .where(_published(), where)
        .group_by(week, department, Recognition.source)
    )
    per_standard = (
        sa.select(
            week, department, Recognition.source, recognition_standards.c.standard_id, sa.func.count(), unacknowledged
        )
        .join(recognition_standards, recognition_standards.c.recognition_id == Recognition.id)
        .where(_published(), where)
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


def _delay_select(where: sa.ColumnElement[bool], dialect: str) -> sa.Select:
    week = week_start(Recognition.created_at)
    department = sa.func.coalesce(Recognition.department_id, NO_DEPARTMENT)
    days = whole_days_to_acknowledge(dialect)
    return (
        sa.select(week, department, Recognition.source, days, sa.func.count())
        .where(_published(), Recognition.acknowledged_at.is_not(None), where)
        .group_by(week, department, Recognition.source, days)
    )


DELAY_COLUMNS = ["week", "department_id", "source", "days", "recognitions"]
COUNT_COLUMNS = ["week", "department_id", "source", "standard_id", "recognitions", "unacknowledged"]


def _refresh_cells(session: Session, cells: set[tuple[date, int]]) -> None:
    table = WeeklyRecognitionCount.__table__
    for week, department_id in cells:
        start, end = week_bounds(week)
        if department_id == NO_DEPARTMENT:
            department = Recognition.department_id.is_(None)
        else:
            department = Recognition.department_id == department_id
        where = sa.and_(department, Recognition.created_at >= start, Recognition.created_at < end)
        session.execute(sa.delete(table).where(table.c.week == week, table.c.department_id == department_id))
        for select in _count_selects(where):
            session.execute(sa.insert(table).from_select(COUNT_COLUMNS, select))
        delays = WeeklyAcknowledgementDelay.__table__
        session.execute(sa.delete(delays).where(delays.c.week == week, delays.c.department_id == department_id))
        session.execute(sa.insert(delays).from_select(DELAY_COLUMNS, _delay_select(where, _dialect(session))))


def _person_totals_select(person_ids: list[int] | None) -> sa.Select:
    """Each person's all-time counts, grouped in SQL (limited to ``person_ids`` when given)."""
    received = sa.select(
        RecognitionRecipient.person_id.label("person_id"),
        sa.func.count().label("received"),
        sa.func.max(Recognition.created_at).label("last_received_at"),
    ).join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
    given = sa.select(Recognition.giver_id.label("person_id"), sa.func.count().label("given"))
    if person_ids is not None:
        received = received.where(RecognitionRecipient.person_id.in_(person_ids))
        given = given.where(Recognition.giver_id.in_(person_ids))
    received = received.where(_published()).group_by(RecognitionRecipient.person_id).subquery()
    given = given.where(_published(), Recognition.giver_id.is_not(None)).group_by(Recognition.giver_id).subquery()
    statement = (
        sa.select(
            Person.id,
            sa.func.coalesce(received.c.received, 0),
            received.c.last_received_at,
            sa.func.coalesce(given.c.given, 0),
        )
        .outerjoin(received, received.c.person_id == Person.id)
        .outerjoin(given, given.c.person_id == Person.id)
        .where(sa.or_(received.c.person_id.is_not(None), given.c.person_id.is_not(None)))
    )
    if person_ids is not None:
        statement = statement.where(Person.id.in_(person_ids))
    return statement


TOTAL_COLUMNS = ["person_id", "received", "last_received_at", "given"]


def _refresh_people(session: Session, person_ids: set[int]) -> None:
    table = PersonRecognitionTotal.__table__
    ids = sorted(person_ids)
    session.execute(sa.delete(table).where(table.c.person_id.in_(ids)))
    session.execute(sa.insert(table).from_select(TOTAL_COLUMNS, _person_totals_select(ids)))


def _dialect(session: Session | Connection) -> str:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name


def rebuild(session: Session | Connection | None = None) -> None:
    """Recompute both roll-ups from the raw tables (after bulk loads); the caller commits."""
    session = session or db.session
    session.execute(sa.delete(WeeklyRecognitionCount.__table__))
    session.execute(sa.delete(WeeklyAcknowledgementDelay.__table__))
    session.execute(sa.delete(PersonRecognitionTotal.__table__))
    for select in _count_selects(sa.true()):
        session.execute(sa.insert(WeeklyRecognitionCount.__table__).from_select(COUNT_COLUMNS, select))
    session.execute(
        sa.insert(WeeklyAcknowledgementDelay.__table__).from_select(
            DELAY_COLUMNS, _delay_select(sa.true(), _dialect(session))
        )
    )
    session.execute(sa.insert(PersonRecognitionTotal.__table__).from_select(TOTAL_COLUMNS, _person_totals_select(None)))


# --- the session hook -----------------------------------------------------------------------------


def _values(instance, attribute: str) -> list:
    """The attribute's current value and, if it changed in this flush, its previous one."""
    history = sa.inspect(instance).attrs[attribute].history
    values = list(history.added) + list(history.unchanged) + list(history.deleted)
    if history.added and not history.deleted:  # changed from an unloaded or empty (None) value
        values.append(None)
    return values or [getattr(instance, attribute)]


def _cells_of(recognition: Recognition) -> set[tuple[date, int]]:
    cells = set()
    for created in _values(recognition, "created_at"):
        if created is None:
            continue
        for department_id in _values(recognition, "department_id"):
            cells.add((monday(created.astimezone(UTC).date()), department_id or NO_DEPARTMENT))
    return cells


def _touched(session: Session) -> tuple[set[tuple[date, int]], set[int]]:
    cells: set[tuple[date, int]] = set()
    people: set[int] = set()
    for instance in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(instance, Recognition):
            cells |= _cells_of(instance)
            people |= {p for p in _values(instance, "giver_id") if p}
            people |= {row.person_id for row in instance.recipient_rows if row.person_id}
        elif isinstance(instance, RecognitionRecipient):
            people |= {p for p in _values(instance, "person_id") if p}
            recognition = instance.recognition
            if recognition is not None:
                cells |= _cells_of(recognition)
    return cells, people


# pg_advisory_xact_lock key shared by every transaction that writes recognitions.
ROLLUP_WRITERS_LOCK = 7_246_001


@event.listens_for(Session, "before_flush")
def _take_turns_on_postgresql(session: Session, _context, _instances) -> None:
    """Writers of recognitions take turns from their first such flush until they commit or roll back.

    Cells are recomputed by DELETE and INSERT … SELECT. Under PostgreSQL's READ COMMITTED, two
    transactions doing that for the same cell at once would both insert it (a unique violation)
    or miss each other's rows. SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time.
    """
    changed = (*session.new, *session.dirty, *session.deleted)
    if _dialect(session) == "postgresql" and any(isinstance(i, Recognition | RecognitionRecipient) for i in changed):
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLUP_WRITERS_LOCK})


@event.listens_for(Session, "after_flush")
def _keep_rollups_current(session: Session, _context) -> None:
    cells, people = _touched(session)
    if cells:
        _refresh_cells(session, cells)
    if people:
        _refresh_people(session, people)

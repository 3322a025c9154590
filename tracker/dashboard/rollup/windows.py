"""Window roll-ups: the periods the page offers (the last 30, 90 and 365 days, and all time), counted ahead.

They answer without reading any raw row, per-person numbers included: ``window_recognition_counts``,
``window_weekly_counts``, ``window_acknowledgement_delays`` and ``person_window_totals`` (each
active person's received and given counts, with their department and job family copied in so
coverage, participation and the Gini group one indexed table instead of joining every person).
A window ends today, so windows are counted "as of" a day (``dashboard_windows.as_of``): from
the start of their first day onwards, with no end. All time keeps a row for every active person,
recognised or not, for the list of people not recognised. ``upkeep`` moves them to a new day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.dashboard.rollup.weekly import (
    ALL_STANDARDS,
    NO_DEPARTMENT,
    WeeklyAcknowledgementDelay,
    WeeklyRecognitionCount,
    count_selects,
    delay_select,
    dialect_of,
    midnight,
    monday,
    published,
)
from tracker.extensions import db
from tracker.models import Person, Recognition, RecognitionRecipient, UTCDateTime

ALL_TIME = 0
MOVING_WINDOWS = (30, 90, 365)
WINDOWS = (*MOVING_WINDOWS, ALL_TIME)


class WindowState(db.Model):
    """The day the windows are counted as of; no row until they are first built."""

    __tablename__ = "dashboard_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(sa.Date)


class WindowRecognitionCount(db.Model):
    __tablename__ = "window_recognition_counts"
    __table_args__ = {"sqlite_with_rowid": False}  # on SQLite, reading by key reads the row itself

    window_days: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    standard_id: Mapped[int] = mapped_column(primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)
    unacknowledged: Mapped[int] = mapped_column(default=0)


class WindowWeeklyCount(db.Model):
    """The weekly trend of a window; its first week is cut at the window's first day."""

    __tablename__ = "window_weekly_counts"
    __table_args__ = {"sqlite_with_rowid": False}  # on SQLite, reading by key reads the row itself

    window_days: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)
    unacknowledged: Mapped[int] = mapped_column(default=0)


class WindowAcknowledgementDelay(db.Model):
    __tablename__ = "window_acknowledgement_delays"
    __table_args__ = {"sqlite_with_rowid": False}  # on SQLite, reading by key reads the row itself

    window_days: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    recognitions: Mapped[int] = mapped_column(default=0)


class PersonWindowTotal(db.Model):
    """An active person's counts in a window, with the department and job family they have now."""

    __tablename__ = "person_window_totals"
    __table_args__ = (
        sa.Index("ix_person_window_totals_scope", "window_days", "department_id", "job_family", "received", "given"),
        sa.Index("ix_person_window_totals_received", "window_days", "received"),
        sa.Index("ix_person_window_totals_given", "window_days", "given"),
        sa.Index("ix_person_window_totals_last_received_at", "window_days", "last_received_at"),
    )

    window_days: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    given: Mapped[int] = mapped_column(default=0)
    last_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department_id: Mapped[int | None]
    job_family: Mapped[str] = mapped_column(sa.String(60), default="")


def today() -> date:
    return datetime.now(UTC).date()


def window_start(window: int, as_of: date) -> date | None:
    """The first day of a window ending on ``as_of`` (``None``: all time)."""
    return None if window == ALL_TIME else as_of - timedelta(days=window - 1)


def _first_whole_week(start: date) -> date:
    week = monday(start)
    return week if week == start else week + timedelta(days=7)


def _recognition_department_in(department_ids: set[int]) -> sa.ColumnElement[bool]:
    """``department_id IN (…)`` that still uses the index, with NO_DEPARTMENT meaning NULL."""
    named = sorted(d for d in department_ids if d != NO_DEPARTMENT)
    conditions = [Recognition.department_id.in_(named)] if named else []
    if NO_DEPARTMENT in department_ids:
        conditions.append(Recognition.department_id.is_(None))
    return sa.or_(*conditions) if conditions else sa.false()


def _window_parts(
    window: int, as_of: date, department_ids: set[int] | None, weekly_table: sa.Table
) -> tuple[sa.Select, sa.ColumnElement[bool] | None]:
    """Weekly roll-up rows for the window's whole weeks, and the raw condition for its first days."""
    start = window_start(window, as_of)
    whole = sa.select(weekly_table)
    edge = None
    if start is not None:
        first_whole = _first_whole_week(start)
        whole = whole.where(weekly_table.c.week >= first_whole)
        if start < first_whole:
            edge = sa.and_(Recognition.created_at >= midnight(start), Recognition.created_at < midnight(first_whole))
    if department_ids is not None:
        whole = whole.where(weekly_table.c.department_id.in_(sorted(department_ids)))
        if edge is not None:
            edge = sa.and_(edge, _recognition_department_in(department_ids))
    return whole, edge


def _window_count_select(window: int, as_of: date, department_ids: set[int] | None) -> sa.Select:
    whole, edge = _window_parts(window, as_of, department_ids, WeeklyRecognitionCount.__table__)
    rows = sa.union_all(whole, *(count_selects(edge) if edge is not None else [])).subquery()
    keys = (rows.c.department_id, rows.c.source, rows.c.standard_id)
    return sa.select(
        sa.literal(window), *keys, sa.func.sum(rows.c.recognitions), sa.func.sum(rows.c.unacknowledged)
    ).group_by(*keys)


def _window_weekly_select(window: int, as_of: date, department_ids: set[int] | None) -> sa.Select:
    whole, edge = _window_parts(window, as_of, department_ids, WeeklyRecognitionCount.__table__)
    parts = [whole.where(WeeklyRecognitionCount.standard_id == ALL_STANDARDS)]
    if edge is not None:
        parts.append(count_selects(edge)[0])
    rows = sa.union_all(*parts).subquery()
    return sa.select(
        sa.literal(window),
        rows.c.week,
        rows.c.department_id,
        rows.c.source,
        rows.c.recognitions,
        rows.c.unacknowledged,
    )


def _window_delay_select(window: int, as_of: date, department_ids: set[int] | None, dialect: str) -> sa.Select:
    whole, edge = _window_parts(window, as_of, department_ids, WeeklyAcknowledgementDelay.__table__)
    rows = sa.union_all(whole, *([delay_select(edge, dialect)] if edge is not None else [])).subquery()
    keys = (rows.c.department_id, rows.c.days)
    return sa.select(sa.literal(window), *keys, sa.func.sum(rows.c.recognitions)).group_by(*keys)


def _person_windows_select(
    as_of: date, windows: tuple[int, ...], people: sa.Select | list[int] | None, dialect: str
) -> sa.CompoundSelect:
    """Each active person's counts in these windows (``people``: only these), in one pass over the rows.

    All time lists everyone active; a moving window only people with recognitions in it. A moving
    window ends now, so the last time someone was recognised in it is their last time at all.
    """
    starts = {window: window_start(window, as_of) for window in windows}
    earliest = None if ALL_TIME in windows else min(starts.values())
    in_range = [published()] + ([Recognition.created_at >= midnight(earliest)] if earliest else [])

    def counted(window: int) -> sa.ColumnElement[int]:
        if starts[window] is None:
            return sa.func.count()
        return sa.func.sum(sa.case((Recognition.created_at >= midnight(starts[window]), 1), else_=0))

    # On SQLite, grouped by an expression rather than the bare column: otherwise it walks every
    # recipient (or giver) in person order to skip a sort, instead of reading the window by date.
    recipient, giver = RecognitionRecipient.person_id, Recognition.giver_id
    if dialect == "sqlite" and earliest is not None:
        recipient, giver = recipient + 0, giver + 0
    received = (
        sa.select(
            RecognitionRecipient.person_id.label("person_id"),
            *(counted(window).label(f"received_{window}") for window in windows),
            sa.func.max(Recognition.created_at).label("last_received_at"),
        )
        .join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
        .where(*in_range)
    )
    given = sa.select(
        Recognition.giver_id.label("person_id"), *(counted(window).label(f"given_{window}") for window in windows)
    ).where(*in_range, Recognition.giver_id.is_not(None))
    everyone = sa.select(
        Person.id.label("person_id"), Person.department_id.label("department_id"), Person.job_family
    ).where(Person.active.is_(True))
    if people is not None:
        received = received.where(RecognitionRecipient.person_id.in_(people))
        given = given.where(Recognition.giver_id.in_(people))
        everyone = everyone.where(Person.id.in_(people))
    received = received.group_by(recipient).cte("received")
    given = given.group_by(giver).cte("given")
    everyone = everyone.cte("everyone")
    counts = (
        sa.select(
            everyone,
            *(sa.func.coalesce(received.c[f"received_{window}"], 0).label(f"received_{window}") for window in windows),
            *(sa.func.coalesce(given.c[f"given_{window}"], 0).label(f"given_{window}") for window in windows),
            received.c.last_received_at,
        )
        .outerjoin(received, received.c.person_id == everyone.c.person_id)
        .outerjoin(given, given.c.person_id == everyone.c.person_id)
        .cte("counts")
    )
    parts = []
    for window in windows:
        got, gave = counts.c[f"received_{window}"], counts.c[f"given_{window}"]
        part = sa.select(
            sa.literal(window),
            counts.c.person_id,
            got,
            gave,
            sa.case((got > 0, counts.c.last_received_at), else_=None),
            counts.c.department_id,
            counts.c.job_family,
        )
        if window != ALL_TIME:
            part = part.where(sa.or_(got > 0, gave > 0))
        parts.append(part)
    return sa.union_all(*parts)


def _replace(session: Session, model, select: sa.Select, *conditions: sa.ColumnElement[bool]) -> None:
    """Delete the rows matching ``conditions`` and insert ``select``; no conditions: the table is already empty."""
    table = model.__table__
    if conditions:
        session.execute(sa.delete(table).where(*conditions))
    session.execute(sa.insert(table).from_select([column.name for column in table.c], select))


def refresh_window_counts(
    session: Session,
    as_of: date,
    windows: tuple[int, ...],
    department_ids: set[int] | None = None,
    *,
    emptied: bool = False,
) -> None:
    """Recount these windows (only ``department_ids``' rows, if given); ``emptied``: the tables hold nothing yet."""
    dialect = dialect_of(session)
    for window in windows:
        for model, select in (
            (WindowRecognitionCount, _window_count_select(window, as_of, department_ids)),
            (WindowWeeklyCount, _window_weekly_select(window, as_of, department_ids)),
            (WindowAcknowledgementDelay, _window_delay_select(window, as_of, department_ids, dialect)),
        ):
            conditions = [] if emptied else [model.window_days == window]
            if department_ids is not None:
                conditions.append(model.department_id.in_(sorted(department_ids)))
            _replace(session, model, select, *conditions)


def refresh_window_people(
    session: Session,
    as_of: date,
    windows: tuple[int, ...],
    people: sa.Select | list[int] | None = None,
    *,
    emptied: bool = False,
) -> None:
    """Recount these people (everyone, if ``None``) in these windows; ``emptied``: the table holds nothing yet."""
    table = PersonWindowTotal.__table__
    if not emptied:
        conditions = [table.c.window_days.in_(windows)]
        if people is not None:
            conditions.append(table.c.person_id.in_(people))
        session.execute(sa.delete(table).where(*conditions))
    select = _person_windows_select(as_of, windows, people, dialect_of(session))
    session.execute(sa.insert(table).from_select([column.name for column in table.c], select))

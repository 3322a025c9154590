"""Roll-ups that keep the dashboard fast at a million recognitions.

Weekly roll-ups answer any period: ``weekly_recognition_counts`` holds published recognitions
per week, department, source and standard (``standard_id = 0``: the recognition itself, counted
once) and ``weekly_acknowledgement_delays`` how many were acknowledged after how many whole days.

Window roll-ups answer the periods the page offers (the last 30, 90 and 365 days, and all time)
without reading any raw row, per-person numbers included: ``window_recognition_counts``,
``window_weekly_counts``, ``window_acknowledgement_delays`` and ``person_window_totals`` (each
active person's received and given counts, with their department and job family copied in so
coverage, participation and the Gini group one indexed table instead of joining every person).
A window ends today, so windows are counted "as of" a day (``dashboard_windows.as_of``): from
the start of their first day onwards, with no end. All time keeps a row for every active person,
recognised or not, for the list of people not recognised.

Every write keeps all of them current inside its own transaction: after each flush, the cells
and people touched by changed recognitions (and people whose department, job family or active
flag changed) are recomputed from the raw tables and the weekly roll-up, so a roll-up always
equals the raw aggregate, whoever wrote the change. When the day changes, ``ensure_current``
moves the windows forward, recounting only the people whose recognitions left a window.
``rebuild()`` recomputes everything after bulk loads (seed-demo, roster imports of new people).
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


def _dialect(session: Session | Connection) -> str:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name


# --- windows -----------------------------------------------------------------------------------------


def today() -> date:
    return datetime.now(UTC).date()


def window_start(window: int, as_of: date) -> date | None:
    """The first day of a window ending on ``as_of`` (``None``: all time)."""
    return None if window == ALL_TIME else as_of - timedelta(days=window - 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


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
            edge = sa.and_(Recognition.created_at >= _midnight(start), Recognition.created_at < _midnight(first_whole))
    if department_ids is not None:
        whole = whole.where(weekly_table.c.department_id.in_(sorted(department_ids)))
        if edge is not None:
            edge = sa.and_(edge, _recognition_department_in(department_ids))
    return whole, edge


def _window_count_select(window: int, as_of: date, department_ids: set[int] | None) -> sa.Select:
    whole, edge = _window_parts(window, as_of, department_ids, WeeklyRecognitionCount.__table__)
    rows = sa.union_all(whole, *(_count_selects(edge) if edge is not None else [])).subquery()
    keys = (rows.c.department_id, rows.c.source, rows.c.standard_id)
    return sa.select(
        sa.literal(window), *keys, sa.func.sum(rows.c.recognitions), sa.func.sum(rows.c.unacknowledged)
    ).group_by(*keys)


def _window_weekly_select(window: int, as_of: date, department_ids: set[int] | None) -> sa.Select:
    whole, edge = _window_parts(window, as_of, department_ids, WeeklyRecognitionCount.__table__)
    parts = [whole.where(WeeklyRecognitionCount.standard_id == ALL_STANDARDS)]
    if edge is not None:
        parts.append(_count_selects(edge)[0])
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
    rows = sa.union_all(whole, *([_delay_select(edge, dialect)] if edge is not None else [])).subquery()
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
    in_range = [_published()] + ([Recognition.created_at >= _midnight(earliest)] if earliest else [])

    def counted(window: int) -> sa.ColumnElement[int]:
        if starts[window] is None:
            return sa.func.count()
        return sa.func.sum(sa.case((Recognition.created_at >= _midnight(starts[window]), 1), else_=0))

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


def _refresh_window_counts(
    session: Session,
    as_of: date,
    windows: tuple[int, ...],
    department_ids: set[int] | None = None,
    *,
    emptied: bool = False,
) -> None:
    """Recount these windows (only ``department_ids``' rows, if given); ``emptied``: the tables hold nothing yet."""
    dialect = _dialect(session)
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


def _refresh_window_people(
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
    select = _person_windows_select(as_of, windows, people, _dialect(session))
    session.execute(sa.insert(table).from_select([column.name for column in table.c], select))


def _people_of_recognitions(between: sa.ColumnElement[bool]) -> sa.Select:
    """Recipients and givers of the recognitions matching ``between``."""
    recipients = (
        sa.select(RecognitionRecipient.person_id)
        .join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
        .where(between)
    )
    givers = sa.select(Recognition.giver_id).where(between, Recognition.giver_id.is_not(None))
    return sa.select(sa.union(recipients, givers).subquery().c[0])


def _move_forward(session: Session, old: date, new: date) -> None:
    """Count the moving windows as of ``new``: recount only the people whose recognitions left them."""
    for window in MOVING_WINDOWS:
        if (new - old).days >= window:
            _refresh_window_people(session, new, (window,))
            continue
        left = sa.and_(
            Recognition.created_at >= _midnight(window_start(window, old)),
            Recognition.created_at < _midnight(window_start(window, new)),
        )
        _refresh_window_people(session, new, (window,), _people_of_recognitions(left))
    _refresh_window_counts(session, new, MOVING_WINDOWS)


def _take_writers_turn(session: Session) -> None:
    if _dialect(session) == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLUP_WRITERS_LOCK})


def ensure_current(session: Session | None = None) -> None:
    """Bring the windows to today before the dashboard reads them; commits when it changed anything.

    Usually nothing to do. The first view of a new day moves the windows forward (well under a
    second at a million recognitions); a database whose roll-ups were never built is built whole.
    """
    session = session or db.session
    state = session.get(WindowState, 1)
    if state is not None and state.as_of == today():
        return
    _take_writers_turn(session)  # another request may be doing the same: take turns, then look again
    state = session.scalar(sa.select(WindowState).execution_options(populate_existing=True))
    if state is None:
        rebuild(session)
    elif state.as_of < today():
        _move_forward(session, state.as_of, today())
        state.as_of = today()
    elif state.as_of != today():  # the clock went back: count the moving windows afresh
        _refresh_window_people(session, today(), MOVING_WINDOWS)
        _refresh_window_counts(session, today(), MOVING_WINDOWS)
        state.as_of = today()
    session.commit()


def windows_as_of(session: Session | None = None) -> date | None:
    state = (session or db.session).get(WindowState, 1)
    return state.as_of if state is not None else None


def refresh_people(people: sa.Select | list[int], session: Session | None = None) -> None:
    """Recount these people in every window: after bulk changes to people that skip the session hook."""
    session = session or db.session
    as_of = windows_as_of(session)
    if as_of is not None:
        _refresh_window_people(session, as_of, WINDOWS, people)


ROLLUP_TABLES = (
    WeeklyRecognitionCount,
    WeeklyAcknowledgementDelay,
    WindowRecognitionCount,
    WindowWeeklyCount,
    WindowAcknowledgementDelay,
    PersonWindowTotal,
)


def rebuild(session: Session | None = None) -> None:
    """Recompute every roll-up from the raw tables, windows as of today (after bulk loads); the caller commits."""
    session = session or db.session
    for model in ROLLUP_TABLES:
        session.execute(sa.delete(model.__table__))
    for select in _count_selects(sa.true()):
        session.execute(sa.insert(WeeklyRecognitionCount.__table__).from_select(COUNT_COLUMNS, select))
    session.execute(
        sa.insert(WeeklyAcknowledgementDelay.__table__).from_select(
            DELAY_COLUMNS, _delay_select(sa.true(), _dialect(session))
        )
    )
    as_of = today()
    _refresh_window_counts(session, as_of, WINDOWS, emptied=True)
    _refresh_window_people(session, as_of, WINDOWS, emptied=True)
    state = session.get(WindowState, 1)
    if state is None:
        session.add(WindowState(id=1, as_of=as_of))
    else:
        state.as_of = as_of
    session.flush()


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


# A person's window rows copy these; a change recounts them.
PERSON_COPIED = ("department_id", "job_family", "active")


def _person_changed(session: Session, instance: Person) -> bool:
    if instance in session.deleted:
        return False
    if instance in session.new:
        return True
    attributes = sa.inspect(instance).attrs
    return any(attributes[name].history.has_changes() for name in PERSON_COPIED)


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
        elif isinstance(instance, Person) and _person_changed(session, instance):
            people.add(instance.id)
    return cells, people


# pg_advisory_xact_lock key shared by every transaction that writes recognitions.
ROLLUP_WRITERS_LOCK = 7_246_001


def _changes_rollups(session: Session) -> bool:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Recognition | RecognitionRecipient):
            return True
        if isinstance(instance, Person) and _person_changed(session, instance):
            return True
    return False


@event.listens_for(Session, "before_flush")
def _take_turns_on_postgresql(session: Session, _context, _instances) -> None:
    """Writers of recognitions (and of people's departments) take turns until they commit or roll back.

    Cells are recomputed by DELETE and INSERT … SELECT. Under PostgreSQL's READ COMMITTED, two
    transactions doing that for the same cell at once would both insert it (a unique violation)
    or miss each other's rows. SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time.
    """
    if _dialect(session) == "postgresql" and _changes_rollups(session):
        _take_writers_turn(session)


def _refresh_windows(session: Session, cells: set[tuple[date, int]], people: set[int]) -> None:
    """Recount the window cells of the touched departments and the touched people."""
    as_of = windows_as_of(session)
    if as_of is None:  # never built: the first dashboard view builds them whole
        return
    for window in WINDOWS:
        start = window_start(window, as_of)
        first_week = monday(start) if start else date.min
        departments = {department for week, department in cells if week >= first_week}
        if departments:
            _refresh_window_counts(session, as_of, (window,), departments)
    if people:
        _refresh_window_people(session, as_of, WINDOWS, sorted(people))


@event.listens_for(Session, "after_flush")
def _keep_rollups_current(session: Session, _context) -> None:
    cells, people = _touched(session)
    if cells:
        _refresh_cells(session, cells)
    if cells or people:
        _refresh_windows(session, cells, people)

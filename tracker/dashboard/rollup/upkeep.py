"""Upkeep: moving the windows to a new day, rebuilding everything, and checking the roll-ups against a recount.

``move_windows`` runs from ``flask --app tracker dashboard refresh`` (cron, just after the
hospital's midnight) and from the outbox worker's loop; a page view never writes. Moving a window
takes away what left it, read from the recognitions of the days that left: no recount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import clock
from tracker.dashboard.rollup import deltas, recount, state
from tracker.dashboard.rollup.tables import (
    ALL_TIME,
    CELL_TABLES,
    COUNTED,
    DAILY_TABLES,
    MOVING_WINDOWS,
    PERSON_TABLES,
    ROLLUP_TABLES,
    WEEKLY_TABLES,
    PersonWindow,
    key_columns,
)
from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus

BATCH = 5000


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def rebuild(session: Session | None = None) -> None:
    """Count every roll-up afresh from the raw tables, windows ending today; the caller commits."""
    session = session or db.session
    state.read(session, lock="update")  # writers wait until the new counts are in
    zone = clock.hospital_zone()
    as_of = clock.hospital_today(zone)
    for model in ROLLUP_TABLES:
        session.execute(sa.delete(model.__table__))
    for model in DAILY_TABLES:
        select = recount.cell_select(model, zone.key, _dialect(session))
        session.execute(sa.insert(model.__table__).from_select(recount.column_names(model), select))
    for daily, weekly in zip(DAILY_TABLES, WEEKLY_TABLES, strict=True):  # weeks add up their days
        select = recount.weeks_of_days(daily, _dialect(session))
        session.execute(sa.insert(weekly.__table__).from_select(recount.column_names(weekly), select))
    for window, start in deltas.window_starts(as_of, zone).items():
        _recount_window(session, window, start)
    state.stamp(session, zone, as_of)


def _recount_window(session: Session, window: int, start: datetime | None) -> None:
    for model in PERSON_TABLES:
        table = model.__table__
        session.execute(sa.delete(table).where(table.c.window_days == window))
        select = recount.person_select(model, window, start)
        session.execute(sa.insert(table).from_select(recount.column_names(model), select))


def _recognitions_between(session: Session, start: datetime, end: datetime) -> list[int]:
    return session.scalars(
        sa.select(Recognition.id).where(
            Recognition.status == RecognitionStatus.PUBLISHED,
            Recognition.created_at >= start,
            Recognition.created_at < end,
        )
    ).all()


def _shift(session: Session, current: state.State, window: int, start: datetime, end: datetime, sign: int) -> None:
    """Add (``sign=1``) or take away the recognitions created in [start, end) from one window's people."""
    ids = _recognitions_between(session, start, end)
    for first in range(0, len(ids), BATCH):
        counted = deltas.load_counted(session, ids[first : first + BATCH])
        delta = deltas.Delta(current.zone, {window: None}, cells=False)
        for recognition in counted.values():
            delta.add(recognition, sign)
        deltas.apply(session, delta)


def move_windows(session: Session | None = None, to_day: date | None = None) -> str:
    """Bring the windows to the hospital's today (or ``to_day``); says what it did. The caller commits.

    Builds everything when the roll-ups were never built, were built by another release or in
    another time zone.
    """
    session = session or db.session
    current = state.read(session, lock="update")
    zone = clock.hospital_zone()
    to_day = to_day or clock.hospital_today(zone)
    if current is None or current.zone.key != zone.key:
        rebuild(session)
        return "rebuilt"
    old = current.windows_as_of
    if old == to_day:
        return "current"
    old_starts, new_starts = deltas.window_starts(old, zone), deltas.window_starts(to_day, zone)
    for window in MOVING_WINDOWS:
        if abs((to_day - old).days) >= window:
            _recount_window(session, window, new_starts[window])
        elif to_day > old:
            _shift(session, current, window, old_starts[window], new_starts[window], -1)
        else:  # the clock went back: the window takes back the days it had let go
            _shift(session, current, window, new_starts[window], old_starts[window], +1)
    for model in PERSON_TABLES:
        table = model.__table__
        session.execute(sa.delete(table).where(table.c.received == 0, table.c.given == 0))
    state.stamp(session, zone, to_day)
    return "moved"


@dataclass(frozen=True)
class Difference:
    table: str
    key: tuple
    expected: tuple | None
    found: tuple | None


def _normalise(row: dict, model) -> tuple[tuple, tuple] | None:
    names = key_columns(model)
    key = tuple(row[name] for name in names)
    values = tuple(int(row[name] or 0) for name in COUNTED[model])
    if not any(values):
        return None
    extra: tuple = ()
    if model in PERSON_TABLES:
        extra = (row["department_id"], row["job_family"] or "", bool(row["active"]))
        if model is PersonWindow and row["window_days"] == ALL_TIME:
            last = row["last_received_at"]
            extra += (last.replace(tzinfo=None) if isinstance(last, datetime) else last,)
    key = tuple(str(part) if isinstance(part, date) else part for part in key)
    return key, values + extra


def verify(session: Session | None = None, limit: int = 50) -> tuple[int, list[Difference]]:
    """Compare every roll-up row with a recount: (rows compared, the first ``limit`` differences)."""
    session = session or db.session
    current = state.read(session)
    if current is None:
        return 0, [Difference("dashboard_rollup_state", (), ("built by this release",), None)]
    starts = deltas.window_starts(current.windows_as_of, current.zone)
    differences: list[Difference] = []
    compared = 0
    for model in ROLLUP_TABLES:
        names = recount.column_names(model)
        if model in CELL_TABLES:
            selects = [recount.cell_select(model, current.zone.key, _dialect(session))]
        else:
            selects = [recount.person_select(model, window, start) for window, start in starts.items()]
        expected = {}
        for select in selects:
            for row in session.execute(select):
                normal = _normalise(dict(zip(names, row)), model)
                if normal:
                    expected[normal[0]] = normal[1]
        found = {}
        for row in session.execute(sa.select(model.__table__)).mappings():
            normal = _normalise(dict(row), model)
            if normal:
                found[normal[0]] = normal[1]
        compared += len(expected.keys() | found.keys())
        for key in sorted(expected.keys() | found.keys(), key=repr):
            if expected.get(key) != found.get(key):
                differences.append(Difference(model.__tablename__, key, expected.get(key), found.get(key)))
    return compared, differences[:limit] if limit else differences


def windows_lag(session: Session | None = None) -> timedelta | None:
    """How far the windows are behind the hospital's today (``None``: not built)."""
    current = state.read(session or db.session)
    if current is None:
        return None
    return clock.hospital_today(current.zone) - current.windows_as_of

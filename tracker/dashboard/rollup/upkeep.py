"""Upkeep of the roll-ups: moving the windows to a new day, recounting people, rebuilding everything.

When the day changes, ``ensure_current`` moves the windows forward, recounting only the people
whose recognitions left a window. ``refresh_people`` serves bulk writes to people that bypass the
session hook; ``rebuild()`` recomputes every roll-up, weekly ones included, after bulk loads.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.dashboard.rollup.weekly import (
    COUNT_COLUMNS,
    DELAY_COLUMNS,
    WeeklyAcknowledgementDelay,
    WeeklyRecognitionCount,
    count_selects,
    delay_select,
    dialect_of,
    midnight,
)
from tracker.dashboard.rollup.windows import (
    MOVING_WINDOWS,
    WINDOWS,
    PersonWindowTotal,
    WindowAcknowledgementDelay,
    WindowRecognitionCount,
    WindowState,
    WindowWeeklyCount,
    refresh_window_counts,
    refresh_window_people,
    today,
    window_start,
)
from tracker.extensions import db
from tracker.models import Recognition, RecognitionRecipient


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
            refresh_window_people(session, new, (window,))
            continue
        left = sa.and_(
            Recognition.created_at >= midnight(window_start(window, old)),
            Recognition.created_at < midnight(window_start(window, new)),
        )
        refresh_window_people(session, new, (window,), _people_of_recognitions(left))
    refresh_window_counts(session, new, MOVING_WINDOWS)


# pg_advisory_xact_lock key shared by every transaction that writes recognitions.
ROLLUP_WRITERS_LOCK = 7_246_001


def take_writers_turn(session: Session) -> None:
    """On PostgreSQL, wait for other writers of the roll-ups until this transaction ends."""
    if dialect_of(session) == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLUP_WRITERS_LOCK})


def ensure_current(session: Session | None = None) -> None:
    """Bring the windows to today before the dashboard reads them; commits when it changed anything.

    Usually nothing to do. The first view of a new day moves the windows forward (well under a
    second at a million recognitions); a database whose roll-ups were never built is built whole.
    """
    session = session or db.session
    day = today()
    state = session.get(WindowState, 1)
    if state is not None and state.as_of == day:
        return
    take_writers_turn(session)  # another request may be doing the same: take turns, then look again
    state = session.scalar(sa.select(WindowState).execution_options(populate_existing=True))
    if state is None:
        rebuild(session)
    elif state.as_of < day:
        _move_forward(session, state.as_of, day)
        state.as_of = day
    elif state.as_of != day:  # the clock went back: count the moving windows afresh
        refresh_window_people(session, day, MOVING_WINDOWS)
        refresh_window_counts(session, day, MOVING_WINDOWS)
        state.as_of = day
    session.commit()


def windows_as_of(session: Session | None = None) -> date | None:
    state = (session or db.session).get(WindowState, 1)
    return state.as_of if state is not None else None


def refresh_people(people: sa.Select | list[int], session: Session | None = None) -> None:
    """Recount these people in every window: after bulk changes to people that skip the session hook."""
    session = session or db.session
    as_of = windows_as_of(session)
    if as_of is not None:
        refresh_window_people(session, as_of, WINDOWS, people)


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
    for select in count_selects(sa.true()):
        session.execute(sa.insert(WeeklyRecognitionCount.__table__).from_select(COUNT_COLUMNS, select))
    session.execute(
        sa.insert(WeeklyAcknowledgementDelay.__table__).from_select(
            DELAY_COLUMNS, delay_select(sa.true(), dialect_of(session))
        )
    )
    as_of = today()
    refresh_window_counts(session, as_of, WINDOWS, emptied=True)
    refresh_window_people(session, as_of, WINDOWS, emptied=True)
    state = session.get(WindowState, 1)
    if state is None:
        session.add(WindowState(id=1, as_of=as_of))
    else:
        state.as_of = as_of
    session.flush()

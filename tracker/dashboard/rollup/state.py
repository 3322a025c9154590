"""Whether the roll-ups may be read and kept: built with this release's definitions, in the hospital's zone.

Writers read the state with a shared lock (PostgreSQL ``FOR SHARE``), so they never wait for each
other; moving the windows takes it exclusively, so no writer counts against a day that is moving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import Session

from tracker import clock
from tracker.dashboard.rollup.tables import VERSION, RollupState


@dataclass(frozen=True)
class State:
    zone: ZoneInfo
    windows_as_of: date


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def read(session: Session, *, lock: str | None = None) -> State | None:
    """The roll-ups' state, or ``None`` when they were never built or were built by another release.

    ``lock``: ``"share"`` for writers, ``"update"`` for whoever moves the windows or rebuilds.
    """
    statement = sa.select(RollupState.version, RollupState.time_zone, RollupState.windows_as_of).where(
        RollupState.id == 1
    )
    if lock and _dialect(session) == "postgresql":
        statement = statement.with_for_update(read=lock == "share")
    row = session.execute(statement).first()
    if row is None or row.version != VERSION:
        return None
    return State(zone=ZoneInfo(row.time_zone), windows_as_of=row.windows_as_of)


def readable(session: Session) -> State | None:
    """The state when readers may use the roll-ups: built by this release in the hospital's current zone.

    Read once per request: a page asks it for every number it shows.
    """
    if has_request_context():
        if "rollup_state" not in g:
            g.rollup_state = _readable(session)
        return g.rollup_state
    return _readable(session)


def _readable(session: Session) -> State | None:
    state = read(session)
    if state is None or state.zone.key != clock.hospital_zone().key:
        return None
    return state


def windows_current(session: Session) -> bool:
    """Whether the per-person windows end on the hospital's today, so a named period can read them."""
    state = readable(session)
    return state is not None and state.windows_as_of == clock.hospital_today(state.zone)


def stamp(session: Session, zone: ZoneInfo, as_of: date) -> None:
    row = session.get(RollupState, 1)
    if row is None:
        session.add(RollupState(id=1, version=VERSION, time_zone=zone.key, windows_as_of=as_of, built_at=clock.now()))
    else:
        row.version, row.time_zone, row.windows_as_of, row.built_at = VERSION, zone.key, as_of, clock.now()
    session.flush()

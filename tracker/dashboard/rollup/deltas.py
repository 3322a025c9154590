"""Roll-ups by deltas: what a recognition adds to each roll-up, and adding the difference a write makes.

A write reads the counted state of the recognitions it changes before and after its flush
(``load_counted``), turns both into roll-up rows (``Delta.add``) and adds the difference with
``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``, each table in a fixed order and each
table's rows in key order, so concurrent writers meet only on the rows they share and always take
them in the same order. Nothing is recounted on the write path, with one exception kept small:
when a person loses a recognition, their "last recognised" time is looked up again.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker import clock
from tracker.dashboard.rollup.tables import (
    ALL_TIME,
    COUNTED,
    DAILY_TABLES,
    NO_DEPARTMENT,
    PERSON_COPIED,
    PERSON_TABLES,
    ROLLUP_TABLES,
    WEEKLY_TABLES,
    WINDOWS,
    PersonWindow,
    PersonWindowSource,
    PersonWindowSourceStandard,
    PersonWindowStandard,
    key_columns,
)
from tracker.models import Person, Recognition, RecognitionRecipient, RecognitionStatus, recognition_standards


@dataclass(frozen=True)
class Counted:
    """What the roll-ups count of one published recognition."""

    created_at: datetime
    department_id: int
    source: str
    acknowledged_at: datetime | None
    standard_ids: tuple[int, ...]
    recipient_ids: tuple[int, ...]
    giver_id: int | None


def whole_days(created_at: datetime, acknowledged_at: datetime) -> int:
    """Whole days (rounded down) from a recognition to its acknowledgement."""
    return math.floor((acknowledged_at - created_at).total_seconds() / 86400 + 0.000001)


def load_counted(session: Session, ids: Iterable[int], *, lock: bool = False) -> dict[int, Counted]:
    """The counted state of these recognitions as the database holds it now; unpublished ones count nothing.

    ``lock``: on PostgreSQL, hold the recognitions' rows until the transaction ends, so two writers
    changing the same recognition take turns and each sees the other's result.
    """
    ids = sorted(set(ids))
    if not ids:
        return {}
    statement = sa.select(
        Recognition.id,
        Recognition.status,
        Recognition.created_at,
        Recognition.department_id,
        Recognition.source,
        Recognition.acknowledged_at,
        Recognition.giver_id,
    ).where(Recognition.id.in_(ids))
    if lock:
        statement = statement.order_by(Recognition.id).with_for_update()
    rows = [row for row in session.execute(statement) if row.status == RecognitionStatus.PUBLISHED]
    if not rows:
        return {}
    published = [row.id for row in rows]
    standards: dict[int, list[int]] = defaultdict(list)
    for recognition_id, standard_id in session.execute(
        sa.select(recognition_standards.c.recognition_id, recognition_standards.c.standard_id).where(
            recognition_standards.c.recognition_id.in_(published)
        )
    ):
        standards[recognition_id].append(standard_id)
    recipients: dict[int, list[int]] = defaultdict(list)
    for recognition_id, person_id in session.execute(
        sa.select(RecognitionRecipient.recognition_id, RecognitionRecipient.person_id).where(
            RecognitionRecipient.recognition_id.in_(published)
        )
    ):
        recipients[recognition_id].append(person_id)
    return {
        row.id: Counted(
            created_at=row.created_at,
            department_id=row.department_id or NO_DEPARTMENT,
            source=str(row.source),
            acknowledged_at=row.acknowledged_at,
            standard_ids=tuple(sorted(standards[row.id])),
            recipient_ids=tuple(sorted(recipients[row.id])),
            giver_id=row.giver_id,
        )
        for row in rows
    }


def counted_as_written(recognitions: Iterable[Recognition]) -> dict[int, Counted]:
    """The counted state of recognitions this flush has just written, from the objects themselves.

    What a new recognition counts is exactly what the flush wrote, so reading it back would only
    cost the writer three queries while it holds the write lock.
    """
    return {
        recognition.id: Counted(
            created_at=recognition.created_at.astimezone(UTC),
            department_id=recognition.department_id or NO_DEPARTMENT,
            source=str(recognition.source),
            acknowledged_at=recognition.acknowledged_at.astimezone(UTC) if recognition.acknowledged_at else None,
            standard_ids=tuple(sorted(standard.id for standard in recognition.standards)),
            recipient_ids=tuple(sorted(row.person_id for row in recognition.recipient_rows)),
            giver_id=recognition.giver_id,
        )
        for recognition in recognitions
        if recognition.status == RecognitionStatus.PUBLISHED
    }


class Delta:
    """Signed roll-up rows: ``{table: {key: [counts…]}}``, plus who gained or lost a recognition."""

    def __init__(self, zone: ZoneInfo, window_starts: dict[int, datetime | None], *, cells: bool = True):
        self.zone = zone
        self.window_starts = window_starts
        self.cells = cells  # False: only the per-person windows (when a window moves)
        self.rows: dict[type, dict[tuple, list[int]]] = {model: {} for model in ROLLUP_TABLES}
        self.last_received: dict[int, datetime] = {}
        self.lost_recognitions: set[int] = set()

    def _bump(self, model, key: tuple, values: tuple[int, ...], sign: int) -> None:
        current = self.rows[model].setdefault(key, [0] * len(values))
        for index, value in enumerate(values):
            current[index] += sign * value

    def add(self, counted: Counted, sign: int = 1) -> None:
        """Add (``sign=1``) or take away (``-1``) everything one recognition counts."""
        if self.cells:
            self._add_cells(counted, sign)
        if ALL_TIME in self.window_starts:
            for person_id in counted.recipient_ids:
                if sign > 0:
                    latest = self.last_received.get(person_id)
                    self.last_received[person_id] = max(latest, counted.created_at) if latest else counted.created_at
                else:
                    self.lost_recognitions.add(person_id)
        people = [(person_id, (1, 0)) for person_id in counted.recipient_ids]
        if counted.giver_id is not None:
            people.append((counted.giver_id, (0, 1)))
        for window, start in self.window_starts.items():
            if start is not None and counted.created_at < start:
                continue
            for person_id, values in people:
                self._bump(PersonWindow, (window, person_id), values, sign)
                self._bump(PersonWindowSource, (window, person_id, counted.source), values, sign)
                for standard_id in counted.standard_ids:
                    self._bump(PersonWindowStandard, (window, person_id, standard_id), values, sign)
                    self._bump(
                        PersonWindowSourceStandard, (window, person_id, counted.source, standard_id), values, sign
                    )

    def _add_cells(self, counted: Counted, sign: int) -> None:
        day = clock.local_day(counted.created_at, self.zone)
        unacknowledged = 1 if counted.acknowledged_at is None else 0
        days = whole_days(counted.created_at, counted.acknowledged_at) if counted.acknowledged_at else None
        for period, (counts, standards, delays, standard_delays) in (
            (clock.monday(day), WEEKLY_TABLES),
            (day, DAILY_TABLES),
        ):
            cell = (period, counted.department_id, counted.source)
            self._bump(counts, cell, (1, unacknowledged), sign)
            for standard_id in counted.standard_ids:
                self._bump(standards, (*cell, standard_id), (1, unacknowledged), sign)
            if days is not None:
                self._bump(delays, (*cell, days), (1,), sign)
                for standard_id in counted.standard_ids:
                    self._bump(standard_delays, (*cell, standard_id, days), (1,), sign)

    def nonzero(self, model) -> list[tuple[tuple, list[int]]]:
        return sorted((key, values) for key, values in self.rows[model].items() if any(values))

    def is_empty(self) -> bool:
        return not self.last_received and not self.lost_recognitions and not any(map(self.nonzero, ROLLUP_TABLES))


def difference(
    before: dict[int, Counted], after: dict[int, Counted], zone: ZoneInfo, window_starts: dict | None
) -> Delta:
    delta = Delta(zone, window_starts)
    kept: set[int] = set()
    for recognition_id in sorted(set(before) | set(after)):
        old, new = before.get(recognition_id), after.get(recognition_id)
        if old == new:
            continue
        if old is not None:
            delta.add(old, -1)
        if new is not None:
            delta.add(new, +1)
        if old is not None and new is not None and new.created_at >= old.created_at:
            kept.update(set(old.recipient_ids) & set(new.recipient_ids))  # their "last recognised" only moves on
    delta.lost_recognitions -= kept - lost_elsewhere(before, after)
    return delta


def lost_elsewhere(before: dict[int, Counted], after: dict[int, Counted]) -> set[int]:
    """People who lost a recognition outright (unpublished, deleted, no longer a recipient)."""
    lost: set[int] = set()
    for recognition_id, old in before.items():
        new = after.get(recognition_id)
        kept = set(new.recipient_ids) if new is not None and new.created_at >= old.created_at else set()
        lost |= set(old.recipient_ids) - kept
    return lost


def window_starts(as_of: date, zone: ZoneInfo) -> dict[int, datetime | None]:
    """The instant each window begins, for windows ending on the hospital's day ``as_of``."""
    return {
        window: None if window == ALL_TIME else clock.local_midnight(as_of - timedelta(days=window - 1), zone)
        for window in WINDOWS
    }


@cache
def _upsert_statement(dialect: str, model) -> sa.Insert:
    """``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` for one table, built once per process."""
    table = model.__table__
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    update = {name: table.c[name] + statement.excluded[name] for name in COUNTED[model]}
    if model is PersonWindow:
        current, offered = table.c.last_received_at, statement.excluded.last_received_at
        update["last_received_at"] = sa.case(
            (offered.is_(None), current),
            (sa.or_(current.is_(None), offered > current), offered),
            else_=current,
        )
    return statement.on_conflict_do_update(index_elements=key_columns(model), set_=update)


def _upsert(session: Session, model, records: list[dict]) -> None:
    """Add ``records``' counts to the rows with their keys, creating the rows that are missing.

    One statement with the rows as parameters (executemany), the same SQL for every write.
    """
    session.execute(_upsert_statement(session.get_bind().dialect.name, model), records)


def _person_records(session: Session, delta: Delta) -> dict[type, list[dict]]:
    people = sorted({key[1] for model in PERSON_TABLES for key, _ in delta.nonzero(model)} | set(delta.last_received))
    if not people:
        return {}
    copied = {
        row.id: {"department_id": row.department_id, "job_family": row.job_family or "", "active": row.active}
        for row in session.execute(
            sa.select(Person.id, Person.department_id, Person.job_family, Person.active).where(Person.id.in_(people))
        )
    }
    gone = {"department_id": None, "job_family": "", "active": False}  # deleted in this same flush
    records: dict[type, list[dict]] = {}
    for model in PERSON_TABLES:
        names = key_columns(model) + list(COUNTED[model])
        rows = {key: dict(zip(names, (*key, *values))) for key, values in delta.nonzero(model)}
        if model is PersonWindow:
            for record in rows.values():
                record["last_received_at"] = None
            for person_id, last in delta.last_received.items():  # "last recognised" is kept for all time
                record = rows.setdefault(
                    (ALL_TIME, person_id), {"window_days": ALL_TIME, "person_id": person_id, "received": 0, "given": 0}
                )
                record["last_received_at"] = last
        records[model] = [rows[key] | copied.get(key[1], gone) for key in sorted(rows)]
    return records


def apply(session: Session, delta: Delta) -> None:
    """Add a delta to the roll-up tables, tables and keys in a fixed order."""
    for model in ROLLUP_TABLES:
        if model in PERSON_TABLES:
            continue
        names = key_columns(model) + list(COUNTED[model])
        records = [dict(zip(names, (*key, *values))) for key, values in delta.nonzero(model)]
        if records:
            _upsert(session, model, records)
    for model, records in _person_records(session, delta).items():
        if records:
            _upsert(session, model, records)
    if delta.lost_recognitions:
        look_up_last_received(session, sorted(delta.lost_recognitions))


def last_received_select(people: list[int] | sa.Select | None = None) -> sa.Select:
    """Each person's latest published recognition received: the one value a delta cannot take back."""
    statement = (
        sa.select(RecognitionRecipient.person_id, sa.func.max(Recognition.created_at).label("last_received_at"))
        .join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
        .where(Recognition.status == RecognitionStatus.PUBLISHED)
    )
    if people is not None:
        statement = statement.where(RecognitionRecipient.person_id.in_(people))
    return statement.group_by(RecognitionRecipient.person_id)


def look_up_last_received(session: Session, people: list[int]) -> None:
    latest = dict(session.execute(last_received_select(people)).all())
    table = PersonWindow.__table__
    for person_id in people:
        session.execute(
            sa.update(table)
            .where(table.c.window_days == ALL_TIME, table.c.person_id == person_id)
            .values(last_received_at=latest.get(person_id))
        )


def copy_people(session: Session, people: list[int] | sa.Select) -> None:
    """Copy these people's department, job family and active flag into their per-person rows.

    Called for every change to people, by the session hook and by bulk writers such as the roster
    import, so a person who moves, changes job or leaves is counted where they are now.
    """
    for model in PERSON_TABLES:
        table = model.__table__
        values = {
            name: sa.select(getattr(Person, name)).where(Person.id == table.c.person_id).scalar_subquery()
            for name in PERSON_COPIED
        }
        values["job_family"] = sa.func.coalesce(values["job_family"], "")
        session.execute(sa.update(table).where(table.c.person_id.in_(people)).values(values))

"""The session hook that keeps every roll-up current inside the transaction of each write.

After each flush, the cells and people touched by changed recognitions (and people whose
department, job family or active flag changed) are recomputed from the raw tables and the weekly
roll-up, so a roll-up always equals the raw aggregate, whoever wrote the change.
"""

from __future__ import annotations

from datetime import UTC, date

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.dashboard.rollup.upkeep import take_writers_turn, windows_as_of
from tracker.dashboard.rollup.weekly import NO_DEPARTMENT, monday, refresh_cells
from tracker.dashboard.rollup.windows import WINDOWS, refresh_window_counts, refresh_window_people, window_start
from tracker.models import Person, Recognition, RecognitionRecipient


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


def _changes_rollups(session: Session) -> bool:
    return any(
        isinstance(instance, Recognition | RecognitionRecipient)
        or (isinstance(instance, Person) and _person_changed(session, instance))
        for instance in (*session.new, *session.dirty, *session.deleted)
    )


@event.listens_for(Session, "before_flush")
def _take_turns_on_postgresql(session: Session, _context, _instances) -> None:
    """Writers of recognitions (and of people's departments) take turns until they commit or roll back.

    Cells are recomputed by DELETE and INSERT … SELECT. Under PostgreSQL's READ COMMITTED, two
    transactions doing that for the same cell at once would both insert it (a unique violation)
    or miss each other's rows. SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time.
    """
    if _changes_rollups(session):
        take_writers_turn(session)


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
            refresh_window_counts(session, as_of, (window,), departments)
    if people:
        refresh_window_people(session, as_of, WINDOWS, sorted(people))


@event.listens_for(Session, "after_flush")
def _keep_rollups_current(session: Session, _context) -> None:
    cells, people = _touched(session)
    if cells:
        refresh_cells(session, cells)
    if cells or people:
        _refresh_windows(session, cells, people)

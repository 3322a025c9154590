"""The session hook that adds each write's difference to the roll-ups, inside the write's own transaction.

Before a flush it reads (and on PostgreSQL locks) the counted state of the recognitions the flush
changes; after the flush it reads them again and adds the difference. Edits that change nothing
counted (a thank-you reply, a message, an acknowledgement note) touch no roll-up.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.dashboard.rollup import deltas, state
from tracker.dashboard.rollup.tables import PERSON_COPIED
from tracker.models import Person, Recognition, RecognitionRecipient

# Attributes of a recognition that the roll-ups count.
COUNTED_ATTRIBUTES = (
    "status",
    "created_at",
    "department_id",
    "source",
    "acknowledged_at",
    "giver_id",
    "standards",
    "recipient_rows",
    "department",
    "giver",
)
PENDING = "rollup_pending"


def _has_identity(instance) -> bool:
    return sa.inspect(instance).has_identity


def _counted_change(instance: Recognition) -> bool:
    attributes = sa.inspect(instance).attrs
    return any(attributes[name].history.has_changes() for name in COUNTED_ATTRIBUTES)


def _changed_recognitions(session: Session) -> tuple[set[int], bool]:
    """Ids of stored recognitions whose counted state this flush may change, and whether it adds new ones."""
    ids: set[int] = set()
    adds = False
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Recognition):
            if not _has_identity(instance):
                adds = True
            elif instance in session.deleted or _counted_change(instance):
                ids.add(instance.id)
        elif isinstance(instance, RecognitionRecipient):
            recognition = instance.recognition
            if recognition is not None and _has_identity(recognition):
                ids.add(recognition.id)
            elif instance.recognition_id is not None:
                ids.add(instance.recognition_id)
    return ids, adds


def _changed_people(session: Session) -> set[int]:
    return {
        instance.id
        for instance in session.dirty
        if isinstance(instance, Person)
        and _has_identity(instance)
        and any(sa.inspect(instance).attrs[name].history.has_changes() for name in (*PERSON_COPIED, "department"))
    }


@event.listens_for(Session, "before_flush")
def _remember_before(session: Session, _context, _instances) -> None:
    session.info.pop(PENDING, None)  # left by a flush that failed half-way
    ids, adds = _changed_recognitions(session)
    people = _changed_people(session)
    if not (ids or adds or people):
        return
    current = state.read(session, lock="share")
    if current is None:  # never built (or built by another release): nothing to keep
        return
    new = [instance for instance in session.new if isinstance(instance, Recognition)]
    before = deltas.load_counted(session, ids, lock=True)
    session.info[PENDING] = (current, ids, new, before, people)


@event.listens_for(Session, "after_flush")
def _add_difference(session: Session, _context) -> None:
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    current, ids, new, before, people = pending
    after = deltas.load_counted(session, ids)
    after.update(deltas.counted_as_written(new))
    starts = deltas.window_starts(current.windows_as_of, current.zone)
    delta = deltas.difference(before, after, current.zone, starts)
    if not delta.is_empty():
        deltas.apply(session, delta)
    if people:
        deltas.copy_people(session, sorted(people))

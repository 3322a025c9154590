"""Peer recognition: giving one, reviewing it when approval is on, thanking and acknowledging.

Every function validates first and raises :class:`InvalidInput` before writing anything;
they add and flush, and the caller (a view, the API, a command) commits.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from tracker import audit, clock, settings
from tracker.extensions import db
from tracker.integrations import events as integration_events
from tracker.models import (
    Behavior,
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionReply,
    RecognitionStatus,
    Source,
    Standard,
    Visibility,
    utcnow,
)
from tracker.notifications.services import (
    PreparedEmails,
    queue_acknowledgement_notifications,
    queue_recognition_notifications,
    queue_reply_notification,
    queue_returned_notification,
)
from tracker.validation import InvalidInput

MAX_MESSAGE = 5000
MAX_NOTE = 2000
MAX_RECIPIENTS = 50
MAX_ID = 2**31 - 1  # ids are 32-bit integers; a larger one would fail in the database, not be refused
MAX_SUBMISSION_KEY = 80


def _message_errors(message: str, maximum: int) -> list[str]:
    if not message.strip():
        return [str(_l("Please write a few words."))]
    if len(message) > maximum:
        return [
            str(
                _l(
                    "Please keep it under %(max)s characters (now %(n)s).",
                    max=format_number(maximum),
                    n=format_number(len(message)),
                )
            )
        ]
    return []


def start_of_today() -> datetime:
    """Midnight in the hospital's time zone, as an aware datetime: the daily limit follows the local day."""
    return clock.start_of_today()


def given_today(giver: Person) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Recognition)
        .where(Recognition.giver_id == giver.id, Recognition.created_at >= start_of_today())
    )


def _stored_key(giver: Person, submission_key: str) -> str:
    """Keys are namespaced by giver, so one person's key can never reveal or block another's."""
    return f"peer:{giver.id}:{submission_key}"


def _existing(giver: Person, submission_key: str | None) -> Recognition | None:
    if not submission_key:
        return None
    return db.session.scalar(
        sa.select(Recognition).where(Recognition.submission_key == _stored_key(giver, submission_key))
    )


def _load_recipients(giver: Person, recipient_ids: list[int], errors: dict) -> list[Person]:
    try:
        wanted = list(dict.fromkeys(int(value) for value in recipient_ids))
    except (TypeError, ValueError):
        wanted = None
    if wanted is None or any(not 0 < person_id <= MAX_ID for person_id in wanted):
        errors["recipients"] = [str(_l("People must be chosen from the directory."))]
        return []
    if giver.id in wanted:
        errors["recipients"] = [str(_l("You cannot recognise yourself. Choose a colleague instead."))]
        return []
    if len(wanted) > MAX_RECIPIENTS:
        errors["recipients"] = [str(_l("Please choose at most %(max)s people.", max=format_number(MAX_RECIPIENTS)))]
        return []
    found = db.session.scalars(
        sa.select(Person)
        .where(Person.id.in_(wanted), Person.active.is_(True))
        .options(lazyload(Person.role_rows), lazyload(Person.managed_departments))  # not needed to be thanked
    ).all()
    if len(found) != len(wanted):
        errors["recipients"] = [str(_l("Some of the people chosen are not in the directory or have left."))]
        return []
    by_id = {person.id: person for person in found}
    return [by_id[person_id] for person_id in wanted]


def _load_unit(unit_slug: str | None, errors: dict) -> Department | None:
    if not unit_slug:
        return None
    unit = db.session.scalar(sa.select(Department).where(Department.slug == unit_slug, Department.active.is_(True)))
    if unit is None:
        errors["unit"] = [str(_l("There is no such unit. Please choose one from the list."))]
    return unit


def _load_standards(keys: list[str], behavior_keys: list[str], errors: dict) -> tuple[list[Standard], list[Behavior]]:
    keys = list(dict.fromkeys(str(key) for key in keys))
    behavior_keys = list(dict.fromkeys(str(key) for key in behavior_keys))
    if not keys:
        errors["standards"] = [str(_l("Tick at least one icare standard."))]
        return [], []
    standards = db.session.scalars(sa.select(Standard).where(Standard.key.in_(keys), Standard.active.is_(True))).all()
    if len(standards) != len(keys):
        errors["standards"] = [str(_l("Please choose standards from the list."))]
        return [], []
    behaviors = []
    if behavior_keys:
        behaviors = db.session.scalars(
            sa.select(Behavior).where(Behavior.key.in_(behavior_keys), Behavior.active.is_(True))
        ).all()
        if len(behaviors) != len(behavior_keys):
            errors["behaviors"] = [str(_l("Please choose example behaviours from the list."))]
        elif any(behavior.standard_id not in {s.id for s in standards} for behavior in behaviors):
            errors["behaviors"] = [str(_l("Each example behaviour must belong to a standard you ticked."))]
    return sorted(standards, key=lambda s: s.position), sorted(behaviors, key=lambda b: (b.standard_id, b.position))


def create_peer_recognition(
    giver: Person,
    *,
    recipient_ids: list[int],
    unit_slug: str | None,
    standard_keys: list[str],
    behavior_keys: list[str],
    message: str,
    visibility: str,
    submission_key: str | None = None,
) -> Recognition:
    """Record a colleague's recognition; published at once or pending approval, per the admin setting.

    A retry with the same ``submission_key`` by the same giver returns the first recognition.
    """
    if submission_key and len(submission_key) > MAX_SUBMISSION_KEY:
        raise InvalidInput.single("submission_key", str(_l("The form key is too long.")))
    if (existing := _existing(giver, submission_key)) is not None:
        return existing
    errors: dict[str, list[str]] = {}
    recipients = _load_recipients(giver, recipient_ids or [], errors)
    unit = _load_unit(unit_slug, errors)
    if not recipients and unit is None and not errors.get("recipients") and not errors.get("unit"):
        errors["recipients"] = [str(_l("Choose at least one colleague, or a whole unit."))]
    standards, behaviors = _load_standards(standard_keys or [], behavior_keys or [], errors)
    message = message if isinstance(message, str) else ""
    if message_errors := _message_errors(message, MAX_MESSAGE):
        errors["message"] = message_errors
    if visibility not in {v.value for v in Visibility}:
        errors["visibility"] = [str(_l("Choose public or private."))]
    if errors:
        raise InvalidInput(errors)
    limit = int(settings.get("daily_recognition_limit"))
    if given_today(giver) >= limit:
        raise InvalidInput.single(
            "form",
            str(
                _l(
                    "You have given %(limit)s recognitions today, the daily limit. Thank you!",
                    limit=format_number(limit),
                )
            ),
        )

    pending = bool(settings.get("approval_required"))
    now = utcnow()
    recognition = Recognition(
        source=Source.PEER,
        status=RecognitionStatus.PENDING if pending else RecognitionStatus.PUBLISHED,
        published_at=None if pending else now,
        created_at=now,
        visibility=Visibility(visibility),
        giver=giver,
        department_id=recipients[0].department_id if recipients else unit.id,
        unit=unit,
        message=message,
        submission_key=_stored_key(giver, submission_key) if submission_key else None,
        standards=standards,
        behaviors=behaviors,
        recipient_rows=[RecognitionRecipient(person=p, department_id=p.department_id) for p in recipients],
    )
    if not pending:  # read and rendered before the first write, so the write lock is held briefly
        emails = PreparedEmails(recognition)
        listeners = integration_events.listeners_of_recognition(recognition)
    try:
        with db.session.begin_nested():
            db.session.add(recognition)
    except IntegrityError:
        # A concurrent double-submit won the race for the key: hand back its recognition.
        if (existing := _existing(giver, submission_key)) is not None:
            return existing
        raise
    if not pending:
        emails.queue(recognition)
        integration_events.recognition_published(recognition, listeners)
    db.session.flush()
    return recognition


def approve(reviewer: Person, recognition: Recognition) -> None:
    """Publish a pending recognition and notify the people in it."""
    recognition.status = RecognitionStatus.PUBLISHED
    recognition.published_at = utcnow()
    recognition.reviewed_by_id = reviewer.id
    recognition.reviewed_at = recognition.published_at
    audit.record("recognition_approved", "recognition", recognition.id, actor=reviewer)
    queue_recognition_notifications(recognition)
    integration_events.recognition_published(recognition)
    db.session.flush()


def return_to_giver(reviewer: Person, recognition: Recognition, reason: str) -> None:
    """Decline a pending recognition with a reason the giver reads by e-mail."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput.single("reason", str(_l("Please tell the giver why, so they can write it again.")))
    if len(reason) > MAX_NOTE:
        raise InvalidInput.single(
            "reason", str(_l("Please keep it under %(max)s characters.", max=format_number(MAX_NOTE)))
        )
    recognition.status = RecognitionStatus.REJECTED
    recognition.review_note = reason
    recognition.reviewed_by = reviewer
    recognition.reviewed_at = utcnow()
    audit.record("recognition_returned", "recognition", recognition.id, actor=reviewer)
    queue_returned_notification(recognition)
    db.session.flush()


def add_reply(author: Person, recognition: Recognition, message: str) -> RecognitionReply:
    """A recipient's thank-you; the giver is told."""
    message = message if isinstance(message, str) else ""
    if errors := _message_errors(message, MAX_NOTE):
        raise InvalidInput({"message": errors})
    reply = RecognitionReply(recognition=recognition, author=author, message=message)
    db.session.add(reply)
    db.session.flush()
    queue_reply_notification(reply)
    return reply


def acknowledge(manager: Person, recognition: Recognition, note: str) -> None:
    """A manager's acknowledgement, with an optional note the recipients read (and are e-mailed, if they wish)."""
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > MAX_NOTE:
        raise InvalidInput.single(
            "note", str(_l("Please keep it under %(max)s characters.", max=format_number(MAX_NOTE)))
        )
    if recognition.acknowledged_at is not None:
        return
    recognition.acknowledged_by = manager
    recognition.acknowledged_at = utcnow()
    recognition.acknowledgement_note = note
    audit.record("recognition_acknowledged", "recognition", recognition.id, actor=manager)
    integration_events.recognition_acknowledged(recognition)
    queue_acknowledgement_notifications(recognition)
    db.session.flush()

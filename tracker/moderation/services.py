"""Moderation decisions on patient feedback: approve, reject, convert to a concern, split.

The patient's words (``Feedback.message``) are never changed. What staff may read is written to
``approved_message`` and, for a compliment, to the published recognition.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from tracker import audit, clock, phi
from tracker.exports import batched
from tracker.extensions import db
from tracker.feedback.services import MESSAGE_MAX, open_case
from tracker.integrations import events as integration_events
from tracker.models import (
    Feedback,
    FeedbackStatus,
    FeedbackType,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Standard,
    Visibility,
)
from tracker.models.types import utcnow
from tracker.notifications.services import queue_compliment_reached, queue_recognition_notifications
from tracker.references import make_reference
from tracker.validation import InvalidInput

REJECTION_REASONS = {
    "spam": _l("Spam"),
    "abusive": _l("Abusive"),
    "duplicate": _l("Duplicate"),
    "not_about_care": _l("Not about care"),
    "other": _l("Other (say why)"),
}
# A reason that means nothing without the moderator's note.
REASONS_NEEDING_A_NOTE = frozenset({"other"})
REJECT_NOTE_MAX = 1000


def pending_statement() -> sa.Select:
    """Items waiting for a decision, oldest first."""
    return (
        sa.select(Feedback).where(Feedback.status == FeedbackStatus.PENDING).order_by(Feedback.created_at, Feedback.id)
    )


def _require_pending(feedback: Feedback) -> None:
    if feedback.status != FeedbackStatus.PENDING:
        raise InvalidInput.single("status", _("This feedback has already been dealt with."))


def _decided(feedback: Feedback, moderator: Person, status: FeedbackStatus, note: str = "") -> None:
    feedback.status = status
    feedback.moderated_by = moderator
    feedback.moderated_at = utcnow()
    feedback.moderation_note = note


def _clean_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput.single(field, _("Please write a few words."))
    if len(text) > MESSAGE_MAX:
        raise InvalidInput.single(
            field, _("Please keep this under %(limit)s characters.", limit=format_number(MESSAGE_MAX))
        )
    return text


def draft_text(feedback: Feedback) -> str:
    """What the approve form starts from: the saved redaction, else the patient's words."""
    return feedback.approved_message if feedback.approved_message is not None else feedback.message


def check_health_information(feedback: Feedback) -> None:
    """Keep the queue's flag true to the words staff would read, as written or as redacted."""
    feedback.health_information_found = bool(phi.find_health_information(draft_text(feedback)))


def redact_flagged(feedback: Feedback, moderator: Person) -> list[phi.Finding]:
    """One click: remove every flagged piece of health information from the draft staff will read."""
    _require_pending(feedback)
    text = draft_text(feedback)
    findings = phi.find_health_information(text)
    feedback.approved_message = phi.redact(text, findings)
    check_health_information(feedback)
    audit.record("feedback.redacted", "feedback", feedback.id, actor=moderator, removed=len(findings))
    db.session.flush()
    return findings


def approve(
    feedback: Feedback,
    moderator: Person,
    *,
    recipient_ids: list[int],
    approved_message: str,
    standard_keys: list[str],
) -> Recognition | None:
    """A compliment becomes a published recognition; a suggestion is noted for the unit."""
    _require_pending(feedback)
    text = _clean_text(approved_message, "approved_message")
    if feedback.type == FeedbackType.SUGGESTION:
        feedback.approved_message = text
        check_health_information(feedback)
        _decided(feedback, moderator, FeedbackStatus.NOTED)
        audit.record("feedback.noted", "feedback", feedback.id, actor=moderator)
        db.session.flush()
        return None
    if feedback.type != FeedbackType.COMPLIMENT:
        raise InvalidInput.single("status", _("Concerns are worked as cases, not approved."))

    errors: dict[str, list[str]] = {}
    recipients = list(
        db.session.scalars(sa.select(Person).where(Person.id.in_(set(recipient_ids)), Person.active.is_(True)))
    )
    if len(recipients) != len(set(recipient_ids)):
        errors["recipient_ids"] = [_("Please choose people from the list.")]
    elif not recipients and feedback.unit_id is None:
        errors["recipient_ids"] = [_("Please choose at least one person, or a unit for the whole team.")]
    standards = list(db.session.scalars(sa.select(Standard).where(Standard.key.in_(set(standard_keys)))))
    if not standards or len(standards) != len(set(standard_keys)):
        errors["standard_keys"] = [_("Please choose at least one standard.")]
    if errors:
        raise InvalidInput(errors)

    feedback.approved_message = text
    check_health_information(feedback)
    _decided(feedback, moderator, FeedbackStatus.APPROVED)
    now = utcnow()
    recognition = Recognition(
        source=feedback.source,
        status=RecognitionStatus.PUBLISHED,
        published_at=now,
        visibility=Visibility.PUBLIC if feedback.consent_to_wall else Visibility.PRIVATE,
        giver_name=_first_name(feedback.contact_name) if feedback.consent_to_wall else "",
        department_id=feedback.unit_id or recipients[0].department_id,
        unit_id=feedback.unit_id if not recipients else None,
        message=text if feedback.consent_to_share else _("A patient or family member thanked you."),
        feedback_id=feedback.id,
        reviewed_by=moderator,
        reviewed_at=now,
        standards=standards,
        recipient_rows=[RecognitionRecipient(person=p, department_id=p.department_id) for p in recipients],
    )
    db.session.add(recognition)
    db.session.flush()
    queue_recognition_notifications(recognition)
    queue_compliment_reached(feedback, recognition)
    integration_events.recognition_published(recognition)
    audit.record(
        "feedback.approved", "feedback", feedback.id, actor=moderator, recognition=recognition.id,
        recipients=[p.id for p in recipients],
    )  # fmt: skip
    return recognition


def _first_name(name: str) -> str:
    parts = (name or "").split()
    return parts[0] if parts else ""


def reject(feedback: Feedback, moderator: Person, *, reason: str, note: str = "") -> None:
    _require_pending(feedback)
    if reason not in REJECTION_REASONS:
        raise InvalidInput.single("reason", _("Please choose a reason."))
    note = (note or "").strip()
    if len(note) > REJECT_NOTE_MAX:
        raise InvalidInput.single(
            "note", _("Please keep this under %(limit)s characters.", limit=format_number(REJECT_NOTE_MAX))
        )
    if reason in REASONS_NEEDING_A_NOTE and not note:
        raise InvalidInput.single("note", _("Please say in a few words why it is rejected."))
    _decided(feedback, moderator, FeedbackStatus.REJECTED, f"{reason}: {note}".strip().rstrip(":"))
    audit.record("feedback.rejected", "feedback", feedback.id, actor=moderator, reason=reason)
    db.session.flush()


def convert_to_concern(feedback: Feedback, moderator: Person):
    """The patient raised a concern under another heading: work it as a case."""
    _require_pending(feedback)
    _decided(feedback, moderator, FeedbackStatus.CONVERTED)
    case = open_case(feedback, summary=feedback.message)
    audit.record("feedback.converted", "feedback", feedback.id, actor=moderator, case=case.id)
    return case


def split(feedback: Feedback, moderator: Person, *, compliment_text: str, concern_text: str):
    """A mixed message becomes a compliment (back in the queue) and a concern (a case)."""
    _require_pending(feedback)
    errors = {}
    for field, value in (("compliment_text", compliment_text), ("concern_text", concern_text)):
        try:
            _clean_text(value, field)
        except InvalidInput as refused:
            errors.update(refused.fields)
    if errors:
        raise InvalidInput(errors)
    compliment = _child(feedback, FeedbackType.COMPLIMENT, compliment_text.strip())
    concern = _child(feedback, FeedbackType.CONCERN, concern_text.strip())
    concern.status = FeedbackStatus.CONVERTED
    db.session.add_all([compliment, concern])
    _decided(feedback, moderator, FeedbackStatus.SPLIT)
    db.session.flush()
    case = open_case(concern, summary=concern.message)
    audit.record(
        "feedback.split", "feedback", feedback.id, actor=moderator, compliment=compliment.reference, case=case.id
    )
    return compliment, case


def _child(parent: Feedback, kind: FeedbackType, message: str) -> Feedback:
    """A part of a split message; it keeps everything the patient told us about themselves."""
    copied = (
        "source", "staff_names", "unit_id", "location_text", "occurred_on", "occurred_when", "relation", "language",
        "consent_to_share", "consent_to_wall", "contact_name", "contact_email", "contact_phone", "entered_by_id",
    )  # fmt: skip
    child = Feedback(
        reference=make_reference("FB"),
        type=kind,
        status=FeedbackStatus.PENDING,
        message=message,
        parent_id=parent.id,
        **{name: getattr(parent, name) for name in copied},
    )
    child.standards = list(parent.standards) if kind == FeedbackType.COMPLIMENT else []
    check_health_information(child)
    return child


# --- the decisions, for a spreadsheet --------------------------------------------------------------

DECISION_COLUMNS = [
    "reference",
    "received_at",
    "decided_at",
    "decision",
    "reason",
    "moderator",
    "type",
    "unit",
    "language",
    "health_information_found",
]


def decision_rows(since: date | None, until: date | None) -> Iterator[tuple]:
    """Decided feedback, the latest decision first, in the hospital's calendar days ``since``–``until``.

    Neither the patient's words nor their contact details leave in the file: the message may hold
    health information (the guard only flags it), and a spreadsheet travels further than this app.
    The reason is the rejection's listed reason, without the moderator's note, which may quote the patient.
    """
    statement = (
        sa.select(Feedback.moderated_at, Feedback.id, Feedback)
        .where(Feedback.status != FeedbackStatus.PENDING, Feedback.moderated_at.is_not(None))
        .options(selectinload(Feedback.unit), selectinload(Feedback.moderated_by))
    )
    if since is not None:
        statement = statement.where(Feedback.moderated_at >= clock.local_midnight(since))
    if until is not None:
        statement = statement.where(Feedback.moderated_at < clock.local_midnight(until + timedelta(days=1)))
    for _decided_at, _id, feedback in batched(statement, [Feedback.moderated_at, Feedback.id], descending=True):
        yield (
            feedback.reference,
            feedback.created_at,
            feedback.moderated_at,
            feedback.status.value,
            _rejection_reason(feedback),
            feedback.moderated_by.name if feedback.moderated_by else "",
            feedback.type.value,
            feedback.unit.name if feedback.unit else "",
            feedback.language,
            feedback.health_information_found,
        )


def _rejection_reason(feedback: Feedback) -> str:
    """The listed reason a rejection was stored with (``reason: note``)."""
    if feedback.status != FeedbackStatus.REJECTED:
        return ""
    reason = feedback.moderation_note.split(":", 1)[0].strip()
    return reason if reason in REJECTION_REASONS else ""

"""Working a concern: every change is a line of history and an audit event.

A written grievance response must name who the patient can contact, the steps taken, the
outcome and the date it was completed; a case cannot be resolved without all four.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from tracker import audit, policy
from tracker.exports import batched
from tracker.extensions import db
from tracker.feedback.services import hospital_today
from tracker.integrations import events as integration_events
from tracker.models import Case, CaseEvent, CaseStatus, OutboxStatus, Person, PersonRole
from tracker.models.types import utcnow
from tracker.notifications.services import patient_email, patient_locale, queue_resolution_letter
from tracker.validation import InvalidInput

NOTE_MAX = 5000
# What the pages call each state of a case, in the reader's language.
STATUS_LABELS = {
    CaseStatus.NEW: _l("New"),
    CaseStatus.IN_PROGRESS: _l("In progress"),
    CaseStatus.RESOLVED: _l("Resolved"),
}
CONTACT_MAX = 200


def overdue_condition(today: date) -> sa.ColumnElement[bool]:
    """Open cases past either deadline: not acknowledged in time, or not resolved in time."""
    return sa.and_(
        Case.status != CaseStatus.RESOLVED,
        sa.or_(Case.resolve_by < today, sa.and_(Case.acknowledged_at.is_(None), Case.acknowledge_by < today)),
    )


TOPIC_LENGTH = 80


def case_list_statement(*, include_resolved: bool, today: date) -> sa.Select:
    """Cases for the list: overdue first, then the nearest deadline."""
    overdue = overdue_condition(today)
    statement = sa.select(Case, overdue.label("overdue")).options(
        orm.selectinload(Case.feedback), orm.selectinload(Case.department), orm.selectinload(Case.assignee)
    )
    if not include_resolved:
        statement = statement.where(Case.status != CaseStatus.RESOLVED)
    return statement.order_by(sa.case((overdue, 0), else_=1), Case.resolve_by, Case.id)


EXPORT_COLUMNS = [
    "reference",
    "opened_at",
    "type",
    "unit",
    "topic",
    "status",
    "assignee",
    "acknowledge_by",
    "acknowledged_at",
    "resolve_by",
    "overdue",
    "resolved_at",
]


def export_rows(*, include_resolved: bool, today: date) -> Iterator[tuple]:
    """The list's cases for a spreadsheet, newest opened first: no contact details, the topic as one line."""
    overdue = overdue_condition(today)
    statement = sa.select(Case.opened_at, Case.id, Case, overdue.label("overdue")).options(
        orm.selectinload(Case.feedback), orm.selectinload(Case.department), orm.selectinload(Case.assignee)
    )
    if not include_resolved:
        statement = statement.where(Case.status != CaseStatus.RESOLVED)
    for _opened, _id, case, is_overdue in batched(statement, [Case.opened_at, Case.id], descending=True):
        yield (
            case.reference,
            case.opened_at,
            case.feedback.type.value if case.feedback else "",
            case.department.name if case.department else "",
            topic(case).full,
            case.status.value,
            case.assignee.name if case.assignee else "",
            case.acknowledge_by,
            case.acknowledged_at,
            case.resolve_by,
            bool(is_overdue),
            case.resolved_at,
        )


@dataclass(frozen=True)
class Topic:
    """What a concern is about in one line: ``short`` for the list, ``full`` when it had to be cut."""

    short: str
    full: str

    @property
    def truncated(self) -> bool:
        return self.short != self.full


def topic(case: Case) -> Topic:
    """The case's summary, else the concern as written: its first line, cut at a word near 80 characters."""
    text = case.summary.strip() if case.summary else ""
    if not text and case.feedback is not None:
        text = (case.feedback.message or "").strip()
    line = text.splitlines()[0].strip() if text else ""
    if len(line) <= TOPIC_LENGTH:
        return Topic(line, line)
    cut = line[:TOPIC_LENGTH]
    space = cut.rfind(" ")
    if space > TOPIC_LENGTH // 2:
        cut = cut[:space]
    return Topic(cut.rstrip(" ,;:.-") + "…", line)


def is_overdue(case: Case, today: date) -> bool:
    if case.status == CaseStatus.RESOLVED:
        return False
    return case.resolve_by < today or (case.acknowledged_at is None and case.acknowledge_by < today)


def case_workers() -> list[Person]:
    """People a case may be assigned to: every active advocate and admin, by name."""
    statement = (
        sa.select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role.in_(policy.CASE_WORKERS), Person.active.is_(True))
        .options(orm.selectinload(Person.department))
        .distinct()
        .order_by(Person.name, Person.id)
    )
    return list(db.session.scalars(statement))


def case_worker_label(person: Person) -> str:
    """Name with job and unit, so two people of the same name can be told apart in the list."""
    where = ", ".join(part for part in (person.job_title, person.department.name if person.department else "") if part)
    return f"{person.name} ({where})" if where else person.name


def _event(
    case: Case, actor: Person, kind: str, note: str = "", from_status: str = "", to_status: str = "", **details
) -> None:
    case.events.append(CaseEvent(actor=actor, kind=kind, note=note, from_status=from_status, to_status=to_status))
    audit.record(f"case.{kind}", "case", case.id, actor=actor, **details)


def record_view(case: Case, viewer: Person, *, what: str = "viewed") -> None:
    """Every look at a concern is audited: concerns hold what patients told us in confidence."""
    audit.record(f"case.{what}", "case", case.id, actor=viewer)


def assign(case: Case, actor: Person, assignee_id: int | None) -> None:
    assignee = None
    if assignee_id:
        assignee = next((person for person in case_workers() if person.id == assignee_id), None)
        if assignee is None:
            message = _("Only active patient advocates and administrators can be assigned cases.")
            raise InvalidInput.single("assignee_id", message + " " + _("Please choose someone from the list."))
    case.assignee = assignee
    _event(case, actor, "assigned", note=assignee.name if assignee else _("Unassigned"))
    db.session.flush()


def add_note(case: Case, actor: Person, note: str) -> None:
    text = (note or "").strip()
    if not text:
        raise InvalidInput.single("note", _("Please write a few words."))
    if len(text) > NOTE_MAX:
        raise InvalidInput.single(
            "note", _("Please keep this under %(limit)s characters.", limit=format_number(NOTE_MAX))
        )
    _event(case, actor, "note", note=text)
    db.session.flush()


def change_status(case: Case, actor: Person, to_status: str) -> None:
    """Start work (which acknowledges the concern) or reopen a resolved case."""
    allowed = {CaseStatus.NEW: {CaseStatus.IN_PROGRESS}, CaseStatus.IN_PROGRESS: set(), CaseStatus.RESOLVED: {
        CaseStatus.IN_PROGRESS}}  # fmt: skip
    try:
        target = CaseStatus(to_status)
    except ValueError:
        target = None
    if target is None or target not in allowed[case.status]:
        raise InvalidInput.single("status", _("That status change is not possible."))
    previous = case.status
    if case.acknowledged_at is None:
        case.acknowledged_at = utcnow()
    if previous == CaseStatus.RESOLVED:
        case.resolved_at = None
        case.letter_outbox_id = None  # a new resolution means a new letter; the history keeps the old sending
    case.status = target
    _event(case, actor, "status", from_status=previous.value, to_status=target.value)
    db.session.flush()


def resolve(case: Case, actor: Person, *, contact: str, steps: str, outcome: str, completed_on: date | None) -> None:
    """Close the case with the four parts of a written response."""
    errors: dict[str, list[str]] = {}
    contact, steps, outcome = (contact or "").strip(), (steps or "").strip(), (outcome or "").strip()
    if not contact:
        errors["resolution_contact"] = [_("Please name the person the patient can contact.")]
    elif len(contact) > CONTACT_MAX:
        errors["resolution_contact"] = [
            _("Please keep this under %(limit)s characters.", limit=format_number(CONTACT_MAX))
        ]
    for field, value, missing in (
        ("resolution_steps", steps, _("Please describe the steps taken.")),
        ("resolution_outcome", outcome, _("Please describe the outcome.")),
    ):
        if not value:
            errors[field] = [missing]
        elif len(value) > NOTE_MAX:
            errors[field] = [_("Please keep this under %(limit)s characters.", limit=format_number(NOTE_MAX))]
    if completed_on is None:
        errors["resolution_completed_on"] = [_("Please give the date the work was completed.")]
    elif completed_on > hospital_today():
        errors["resolution_completed_on"] = [_("That date is in the future.")]
    elif completed_on < hospital_today(case.opened_at):
        errors["resolution_completed_on"] = [_("That date is before the case was opened.")]
    if case.status == CaseStatus.RESOLVED:
        errors["status"] = [_("This case is already resolved.")]
    if errors:
        raise InvalidInput(errors)
    previous = case.status
    now = utcnow()
    case.resolution_contact = contact
    case.resolution_steps = steps
    case.resolution_outcome = outcome
    case.resolution_completed_on = completed_on
    case.acknowledged_at = case.acknowledged_at or now
    case.resolved_at = now
    case.status = CaseStatus.RESOLVED
    _event(case, actor, "resolved", note=outcome, from_status=previous.value, to_status=CaseStatus.RESOLVED.value)
    db.session.flush()
    integration_events.case_resolved(case)


# --- the resolution letter by e-mail -----------------------------------------------------------


def letter_language(case: Case) -> str | None:
    """The language the patient wrote in, when it is one the letter can be written in."""
    feedback = case.feedback
    return feedback.language if feedback and feedback.language in current_app.config["LANGUAGES"] else None


def letter_email_language(case: Case) -> str:
    """The e-mailed letter is in the patient's language, else the hospital's (never the advocate's)."""
    return patient_locale(case.feedback)


@dataclass(frozen=True)
class LetterDelivery:
    """Where the e-mailed letter stands, as the case page tells it.

    ``state`` is ``waiting`` (queued, not tried yet), ``retrying`` (a failed attempt, another
    will follow), ``sent`` or ``failed`` (the outbox gave up: print it and post it instead).
    """

    state: str
    address: str
    queued_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    attempts: int
    error: str


def letter_delivery(case: Case) -> LetterDelivery | None:
    row = case.letter_message
    if row is None:
        return None
    if row.status == OutboxStatus.SENT:
        state = "sent"
    elif row.status == OutboxStatus.FAILED:
        state = "failed"
    elif row.last_error:
        state = "retrying"
    else:
        state = "waiting"
    return LetterDelivery(
        state=state,
        address=row.to_address,
        queued_at=row.created_at,
        sent_at=row.sent_at,
        next_attempt_at=row.next_attempt_at if state == "retrying" else None,
        attempts=row.attempts,
        error=row.last_error,
    )


def may_email_letter(case: Case) -> bool:
    """A resolved case whose patient left an e-mail address, with no sending of the letter under way."""
    if case.status != CaseStatus.RESOLVED or patient_email(case.feedback) is None:
        return False
    delivery = letter_delivery(case)
    return delivery is None or delivery.state in {"sent", "failed"}


def email_letter(case: Case, actor: Person, *, confirmed: bool):
    """Send the resolution letter, word for word as printed, to the patient in the language they wrote in.

    A formal document goes only when the advocate confirms it is ready. Sending again is possible
    once the previous e-mail was delivered or given up on, never while one is on its way.
    """
    if case.status != CaseStatus.RESOLVED:
        raise InvalidInput.single("status", _("The letter can be sent once the case is resolved."))
    address = patient_email(case.feedback)
    if address is None:
        raise InvalidInput.single(
            "confirm", _("The patient left no e-mail address. Print the letter and send it by post.")
        )
    if not may_email_letter(case):
        raise InvalidInput.single("confirm", _("The letter is already on its way to the patient."))
    if not confirmed:
        raise InvalidInput.single("confirm", _("Please confirm that the letter is ready to send."))
    language = letter_email_language(case)
    message = queue_resolution_letter(case, address, language)
    db.session.flush()
    case.letter_message = message
    _event(case, actor, "letter_emailed", outbox=message.id, language=language)
    db.session.flush()
    return message

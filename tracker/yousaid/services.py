"""You said, we did: recording what a unit did, approving it for the public page, telling the patient.

Every public summary passes the health-information guard before it is stored. Services add and
flush; the view commits. Who may do what is asked of :mod:`tracker.policy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale, format_number
from flask_babel import gettext as _

from tracker import audit, clock, phi, policy
from tracker.extensions import db
from tracker.feedback.services import public_units
from tracker.models import (
    ActionStatus,
    ActionTaken,
    Case,
    CaseStatus,
    Department,
    Feedback,
    FeedbackStatus,
    FeedbackType,
    OutboxMessage,
    Person,
)
from tracker.models.types import utcnow
from tracker.notifications.services import absolute_url, patient_email, patient_locale, queue_email
from tracker.validation import InvalidInput

SUMMARY_MAX = 500
NOTE_MAX = 1000
LIST_LIMIT = 50
PUBLIC_LIMIT = 200
FIRST_MONTH = date(2000, 1, 1)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class HealthInformationFound(InvalidInput):
    """The summary holds what looks like patient details; ``findings`` says what and where."""

    def __init__(self, text: str, findings: list[phi.Finding]):
        kinds = ", ".join(dict.fromkeys(finding.label for finding in findings))
        super().__init__(
            {"summary": [_("This looks like patient details (%(kinds)s). Please take them out.", kinds=kinds)]}
        )
        self.text = text
        self.findings = findings


# --- months ----------------------------------------------------------------------------------


def this_month() -> date:
    return clock.hospital_today().replace(day=1)


def parse_month(value: str | None, field: str = "month") -> date:
    """``YYYY-MM`` as the first day of that month, from 2000 to the hospital's current month."""
    text = (value or "").strip()
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput.single(field, _("Please give the month as year and month, like %(example)s.",
                                           example=this_month().strftime("%Y-%m")))  # fmt: skip
    month = date(int(match.group(1)), int(match.group(2)), 1)
    if month < FIRST_MONTH:
        raise InvalidInput.single(field, _("Please give a month from 2000 on."))
    if month > this_month():
        raise InvalidInput.single(field, _("That month has not come yet."))
    return month


def month_label(month: date) -> str:
    """ "March 2026" in the reader's language; each language orders month and year its own way."""
    year = str(month.year)
    labels = (
        _("January %(year)s", year=year), _("February %(year)s", year=year), _("March %(year)s", year=year),
        _("April %(year)s", year=year), _("May %(year)s", year=year), _("June %(year)s", year=year),
        _("July %(year)s", year=year), _("August %(year)s", year=year), _("September %(year)s", year=year),
        _("October %(year)s", year=year), _("November %(year)s", year=year), _("December %(year)s", year=year),
    )  # fmt: skip
    return labels[month.month - 1]


def month_value(month: date) -> str:
    return month.strftime("%Y-%m")


# --- what actions can answer -----------------------------------------------------------------


def _in_units(column, person: Person) -> sa.ColumnElement[bool]:
    units = policy.action_unit_ids(person)
    return sa.true() if units is None else column.in_(units or {-1})


def find_suggestion(feedback_id: int, person: Person) -> Feedback | None:
    """A moderated suggestion the person may record an action on."""
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None or feedback.type != FeedbackType.SUGGESTION or feedback.status != FeedbackStatus.NOTED:
        return None
    return feedback if policy.may_record_action_for(person, feedback.unit_id) else None


def find_resolved_case(case_id: int, person: Person) -> Case | None:
    case = db.session.get(Case, case_id)
    if case is None or case.status != CaseStatus.RESOLVED:
        return None
    return case if policy.may_record_action_for(person, case.department_id) else None


def suggestions_to_answer(person: Person) -> list[Feedback]:
    """Moderated suggestions of the person's units with no action yet, newest first."""
    answered = sa.select(ActionTaken.feedback_id).where(
        ActionTaken.feedback_id.is_not(None), ActionTaken.status != ActionStatus.REJECTED
    )
    statement = (
        sa.select(Feedback)
        .where(
            Feedback.type == FeedbackType.SUGGESTION,
            Feedback.status == FeedbackStatus.NOTED,
            Feedback.id.not_in(answered),
            _in_units(Feedback.unit_id, person),
        )
        .order_by(Feedback.moderated_at.desc(), Feedback.id.desc())
        .limit(LIST_LIMIT)
    )
    return list(db.session.scalars(statement))


def cases_to_answer(person: Person) -> list[Case]:
    """Resolved concerns of the person's units with no action yet, most recently resolved first."""
    answered = sa.select(ActionTaken.case_id).where(
        ActionTaken.case_id.is_not(None), ActionTaken.status != ActionStatus.REJECTED
    )
    statement = (
        sa.select(Case)
        .where(Case.status == CaseStatus.RESOLVED, Case.id.not_in(answered), _in_units(Case.department_id, person))
        .order_by(Case.resolved_at.desc(), Case.id.desc())
        .limit(LIST_LIMIT)
    )
    return list(db.session.scalars(statement))


def actions_for(person: Person, status: ActionStatus) -> list[ActionTaken]:
    """Actions of the person's units in one state, newest first."""
    statement = (
        sa.select(ActionTaken)
        .where(ActionTaken.status == status, _in_units(ActionTaken.unit_id, person))
        .order_by(ActionTaken.created_at.desc(), ActionTaken.id.desc())
        .limit(LIST_LIMIT)
    )
    return list(db.session.scalars(statement))


def actions_on(*, feedback: Feedback | None = None, case: Case | None = None) -> list[ActionTaken]:
    """Every action recorded on one suggestion or case, newest first."""
    column, value = (ActionTaken.feedback_id, feedback.id) if feedback is not None else (ActionTaken.case_id, case.id)
    statement = sa.select(ActionTaken).where(column == value).order_by(ActionTaken.created_at.desc())
    return list(db.session.scalars(statement))


def units_for(person: Person) -> list[Department]:
    """Units the person may record an action for."""
    return [unit for unit in public_units() if policy.may_record_action_for(person, unit.id)]


# --- recording, approving, rejecting -------------------------------------------------------------


def clean_summary(value: str | None) -> str:
    """A short summary in plain words, refused when it holds patient details."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput.single("summary", _("Please say in a few words what was done."))
    if len(text) > SUMMARY_MAX:
        raise InvalidInput.single(
            "summary", _("Please keep this under %(limit)s characters.", limit=format_number(SUMMARY_MAX))
        )  # fmt: skip
    findings = phi.find_health_information(text)
    if findings:
        raise HealthInformationFound(text, findings)
    return text


def record_action(
    recorder: Person,
    *,
    summary: str | None,
    unit_id: int | None,
    month: str | None,
    feedback: Feedback | None = None,
    case: Case | None = None,
) -> ActionTaken:
    """Record what was done about a suggestion or a resolved concern; it waits for an advocate."""
    if (feedback is None) == (case is None):
        raise ValueError("an action answers one suggestion or one case")
    errors: dict[str, list[str]] = {}
    unit = db.session.get(Department, unit_id) if unit_id else None
    if unit is None or not unit.active or unit.depth == 0 or not policy.may_record_action_for(recorder, unit.id):
        errors["unit_id"] = [_("Please choose one of the units in the list.")]
    try:
        chosen_month = parse_month(month)
    except InvalidInput as refused:
        errors.update(refused.fields)
    try:
        text = clean_summary(summary)
    except HealthInformationFound:
        if errors:  # report the other answers too, then the findings
            raise InvalidInput(errors) from None
        raise
    except InvalidInput as refused:
        errors.update(refused.fields)
    if errors:
        raise InvalidInput(errors)
    action = ActionTaken(
        unit=unit, month=chosen_month, summary=text, feedback=feedback, case=case, created_by=recorder,
        status=ActionStatus.PENDING,
    )  # fmt: skip
    db.session.add(action)
    db.session.flush()
    audit.record(
        "you_said_we_did.recorded", "action_taken", action.id, actor=recorder, unit=unit.id,
        month=month_value(chosen_month), feedback=feedback.id if feedback else None, case=case.id if case else None,
    )  # fmt: skip
    return action


def _require_pending(action: ActionTaken, person: Person) -> None:
    if action.status != ActionStatus.PENDING:
        raise InvalidInput.single("status", _("This action has already been decided."))
    if not policy.may_approve_action(person, action):
        raise InvalidInput.single("status", _("Only patient experience staff approve actions."))


def approve(action: ActionTaken, approver: Person) -> OutboxMessage | None:
    """Publish the action on the unit's page and tell the patient who raised it, when they left an e-mail."""
    _require_pending(action, approver)
    clean_summary(action.summary)  # the guard may have learnt more since it was written
    action.status = ActionStatus.APPROVED
    action.decided_by = approver
    action.decided_at = utcnow()
    db.session.flush()
    message = queue_patient_notice(action)
    audit.record(
        "you_said_we_did.approved", "action_taken", action.id, actor=approver, unit=action.unit_id,
        patient_told=message is not None,
    )  # fmt: skip
    return message


def reject(action: ActionTaken, approver: Person, *, note: str | None) -> None:
    """Not for the public page; the note tells the person who wrote it why."""
    _require_pending(action, approver)
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise InvalidInput.single(
            "note", _("Please keep this under %(limit)s characters.", limit=format_number(NOTE_MAX))
        )
    action.status = ActionStatus.REJECTED
    action.decided_by = approver
    action.decided_at = utcnow()
    action.rejection_note = text
    db.session.flush()
    audit.record("you_said_we_did.rejected", "action_taken", action.id, actor=approver, unit=action.unit_id)


def queue_patient_notice(action: ActionTaken) -> OutboxMessage | None:
    """The patient hears what was done, in the language they wrote in, if they left an e-mail address."""
    feedback = action.patient_feedback
    address = patient_email(feedback)
    if address is None:
        return None
    language = patient_locale(feedback)
    with force_locale(language):
        subject = _("You said, we did: %(unit)s", unit=action.unit.name)
        month = month_label(action.month)
    return queue_email(
        address,
        subject,
        "email/you_said_we_did.txt",
        "email/you_said_we_did.html",
        "you_said_we_did",
        locale=language,
        feedback=feedback,
        action=action,
        month=month,
        concern=action.case_id is not None,
        reference=action.case.reference if action.case_id is not None else feedback.reference,
        link=absolute_url(f"/units/{action.unit.slug}/you-said-we-did"),
    )


# --- the public page and poster --------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: date
    actions: list[ActionTaken]

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def value(self) -> str:
        return month_value(self.month)


def public_months(unit: Department, month: date | None = None) -> list[Month]:
    """The unit's approved actions, newest month first, newest first within a month."""
    statement = sa.select(ActionTaken).where(
        ActionTaken.unit_id == unit.id, ActionTaken.status == ActionStatus.APPROVED
    )
    if month is not None:
        statement = statement.where(ActionTaken.month == month)
    statement = statement.order_by(
        ActionTaken.month.desc(), ActionTaken.decided_at.desc(), ActionTaken.id.desc()
    ).limit(PUBLIC_LIMIT)
    grouped: dict[date, list[ActionTaken]] = {}
    for action in db.session.scalars(statement):
        grouped.setdefault(action.month, []).append(action)
    return [Month(key, actions) for key, actions in grouped.items()]

"""Receiving patient feedback: one service for the public form, staff entry and the JSON API."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from tracker import audit, clock, phi, settings
from tracker.extensions import db
from tracker.feedback.limits import LOCATION_MAX, MESSAGE_MAX, NAME_MAX, STAFF_NAMES_MAX, WHEN_MAX
from tracker.integrations import events as integration_events
from tracker.models import (
    Behavior,
    Case,
    Department,
    Feedback,
    FeedbackStatus,
    FeedbackType,
    Person,
    Relation,
    Source,
    Standard,
)
from tracker.models.types import utcnow
from tracker.references import make_reference
from tracker.validation import InvalidInput

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().-]+$")
STAFF_SOURCES = (Source.PAPER_CARD, Source.LETTER, Source.EMAIL, Source.PHONE)


def public_units() -> list[Department]:
    """Units a patient can name: active departments below the hospital itself."""
    statement = sa.select(Department).where(Department.active.is_(True), Department.depth > 0)
    return list(db.session.scalars(statement.order_by(Department.name)))


def find_unit(slug: str | None) -> Department | None:
    if not slug:
        return None
    return db.session.scalar(sa.select(Department).where(Department.slug == slug, Department.active.is_(True)))


def patient_facing_places() -> list[Department]:
    """What "Where were you?" offers: active places patients and visitors come to, by parent, then by name."""
    statement = (
        sa.select(Department)
        .where(Department.active.is_(True), Department.patient_facing.is_(True))
        .options(joinedload(Department.parent))
    )
    places = db.session.scalars(statement).all()

    def order(place: Department) -> tuple:
        parent_name = place.parent.name.casefold() if place.parent else ""
        return (place.parent is not None, parent_name, place.parent_id or 0, place.name.casefold())

    return sorted(places, key=order)


def find_place(slug: str | None) -> Department | None:
    """The unit a patient may name: active and patient-facing."""
    unit = find_unit(slug)
    return unit if unit is not None and unit.patient_facing else None


def patient_questions() -> list[Behavior]:
    """The plain-language questions of the form: active example behaviours of active standards."""
    statement = (
        sa.select(Behavior)
        .join(Standard)
        .where(Behavior.active.is_(True), Standard.active.is_(True), Behavior.patient_prompt != "")
        .order_by(Standard.position, Behavior.position)
    )
    return list(db.session.scalars(statement))


def standard_keys_for_behaviors(behavior_keys: Iterable[str]) -> list[str]:
    """Map the ticked plain-language answers to the standards they belong to."""
    keys = list(behavior_keys)
    if not keys:
        return []
    statement = sa.select(Standard.key).join(Behavior).where(Behavior.key.in_(keys)).distinct()
    return list(db.session.scalars(statement))


def _enum(enum_cls, value, field: str, errors: dict, message: str):
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        errors[field] = [message]
        return None


def _text(value, field: str, limit: int, errors: dict, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = [_("Please enter text.")]
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = [_("Please write a few words.")]
    elif len(value) > limit:
        errors[field] = [_("Please keep this under %(limit)s characters.", limit=format_number(limit))]
    return value


def _validate(arguments: dict) -> tuple[dict, dict]:
    """Check every argument; return the cleaned values and the errors by argument name."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    clean["type"] = _enum(
        FeedbackType, arguments["type"], "type", errors, _("Please choose what you would like to do.")
    )
    clean["message"] = _text(arguments["message"], "message", MESSAGE_MAX, errors, required=True)
    clean["staff_names"] = _text(arguments["staff_names"], "staff_names", STAFF_NAMES_MAX, errors)
    clean["location_text"] = _text(arguments["location_text"], "location_text", LOCATION_MAX, errors)
    clean["occurred_when"] = _text(arguments["occurred_when"], "occurred_when", WHEN_MAX, errors)
    clean["contact_name"] = _text(arguments["contact_name"], "contact_name", NAME_MAX, errors)

    unit_slug = arguments["unit_slug"]
    clean["unit"] = find_unit(unit_slug) if isinstance(unit_slug, str) else None
    if unit_slug and clean["unit"] is None:
        errors["unit_slug"] = [_("We do not know that unit. Please choose one from the list.")]
    elif clean["unit"] is not None and arguments["entered_by"] is None and not clean["unit"].patient_facing:
        # Patients name only the places the form offers; staff entering a letter may name any unit.
        errors["unit_slug"] = [_("That place cannot be chosen here. Please choose where you were from the list.")]

    language = arguments["language"] or current_app.config["BABEL_DEFAULT_LOCALE"]
    if language not in current_app.config["LANGUAGES"]:
        errors["language"] = [_("Please choose one of the languages offered.")]
    clean["language"] = language

    for flag in ("consent_to_share", "consent_to_wall"):
        if not isinstance(arguments[flag], bool):
            errors[flag] = [_("Please answer yes or no.")]
        clean[flag] = arguments[flag] is True

    email = _text(arguments["contact_email"], "contact_email", 254, errors)
    if email and "contact_email" not in errors:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["contact_email"] = [_("Please enter an e-mail address like name@example.com.")]
    clean["contact_email"] = email

    phone = _text(arguments["contact_phone"], "contact_phone", 40, errors)
    digits = re.sub(r"\D", "", phone)
    if phone and "contact_phone" not in errors and (not PHONE_CHARACTERS.match(phone) or not 7 <= len(digits) <= 15):
        errors["contact_phone"] = [_("Please enter a phone number with digits only, like 617 555 0123.")]
    clean["contact_phone"] = phone

    relation = arguments["relation"]
    clean["relation"] = (
        _enum(Relation, relation, "relation", errors, _("Please choose patient, family or visitor."))
        if relation
        else None
    )

    occurred_on = arguments["occurred_on"]
    if occurred_on is not None and not isinstance(occurred_on, date):
        errors["occurred_on"] = [_("Please enter a date.")]
        occurred_on = None
    elif occurred_on is not None and occurred_on > hospital_today() + timedelta(days=1):
        errors["occurred_on"] = [_("That date is in the future.")]
    clean["occurred_on"] = occurred_on

    clean["standards"] = _standards(arguments["standard_keys"], errors)
    clean["source"] = _enum(Source, arguments["source"], "source", errors, _("Please choose where this came from."))
    if clean["source"] == Source.PEER:
        errors["source"] = [_("Please choose where this came from.")]
    if clean["source"] in STAFF_SOURCES and arguments["entered_by"] is None:
        errors["source"] = [_("Only staff can enter feedback from cards, letters, e-mails and calls.")]
    return clean, errors


def _standards(keys, errors: dict) -> list[Standard]:
    if isinstance(keys, str) or not all(isinstance(key, str) for key in keys or ()):
        errors["standard_keys"] = [_("Please choose from the list.")]
        return []
    keys = set(keys or ())
    if not keys:
        return []
    found = list(db.session.scalars(sa.select(Standard).where(Standard.key.in_(keys), Standard.active.is_(True))))
    if len(found) != len(keys):
        errors["standard_keys"] = [_("Please choose from the list.")]
    return found


def submit_feedback(
    *,
    type,
    message,
    staff_names,
    unit_slug,
    language,
    consent_to_share,
    consent_to_wall=False,
    contact_name="",
    contact_email="",
    contact_phone="",
    relation=None,
    occurred_on=None,
    occurred_when="",
    location_text="",
    standard_keys=(),
    source=Source.PATIENT,
    entered_by: Person | None = None,
    submission_key: str | None = None,
) -> Feedback:
    """Store what a patient wrote, exactly as written; a concern opens a case at once.

    Raises ``InvalidInput`` (keys are these argument names) before anything is written. A repeated
    ``submission_key`` returns the feedback stored the first time instead of a duplicate.
    """
    if submission_key:
        existing = db.session.scalar(sa.select(Feedback).where(Feedback.submission_key == submission_key))
        if existing is not None:
            return existing
    clean, errors = _validate(dict(locals()))
    if errors:
        raise InvalidInput(errors)
    feedback = Feedback(
        reference=make_reference("FB"),
        type=clean["type"],
        source=clean["source"],
        status=FeedbackStatus.PENDING,
        message=clean["message"],
        staff_names=clean["staff_names"],
        unit=clean["unit"],
        location_text=clean["location_text"],
        occurred_on=clean["occurred_on"],
        occurred_when=clean["occurred_when"],
        relation=clean["relation"],
        language=clean["language"],
        consent_to_share=clean["consent_to_share"],
        consent_to_wall=clean["consent_to_wall"],
        contact_name=clean["contact_name"],
        contact_email=clean["contact_email"],
        contact_phone=clean["contact_phone"],
        entered_by=entered_by,
        submission_key=submission_key or None,
        standards=clean["standards"],
        health_information_found=bool(phi.find_health_information(clean["message"])),
    )
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
            db.session.flush()
    except IntegrityError:
        # The same submission arrived twice at once: the other request stored it.
        existing = db.session.scalar(sa.select(Feedback).where(Feedback.submission_key == submission_key))
        if submission_key and existing is not None:
            return existing
        raise
    if feedback.type == FeedbackType.CONCERN:
        open_case(feedback, summary=feedback.message)
        feedback.status = FeedbackStatus.CONVERTED
    if entered_by is not None:
        audit.record("feedback.entered", "feedback", feedback.id, source=str(feedback.source))
    db.session.flush()
    integration_events.feedback_received(feedback)
    return feedback


def feedback_errors(**arguments) -> dict[str, list[str]]:
    """What ``submit_feedback`` would refuse, by argument name, without writing anything."""
    defaults = {name: parameter.default for name, parameter in inspect.signature(submit_feedback).parameters.items()}
    return _validate(defaults | arguments)[1]


def open_case(feedback: Feedback, *, summary: str) -> Case:
    """A concern becomes a case whose deadlines run from the day it reached us."""
    opened_at = utcnow()
    today = hospital_today(opened_at)
    case = Case(
        reference=make_reference("CS"),
        feedback=feedback,
        department_id=feedback.unit_id,
        summary=summary,
        opened_at=opened_at,
        acknowledge_by=today + timedelta(days=int(settings.get("case_acknowledge_days"))),
        resolve_by=today + timedelta(days=int(settings.get("case_resolve_days"))),
    )
    db.session.add(case)
    db.session.flush()
    audit.record("case.opened", "case", case.id, feedback=feedback.reference)
    integration_events.case_opened(case)
    return case


def hospital_today(moment: datetime | None = None) -> date:
    """The calendar date at the hospital, which is what deadlines count in."""
    return clock.local_day(moment) if moment else clock.hospital_today()

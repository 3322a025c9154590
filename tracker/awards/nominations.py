"""Nominations from staff and from patients and families, and nominations made from earlier records."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from tracker import audit, matching
from tracker.awards import checks, programmes
from tracker.extensions import db
from tracker.models import (
    AwardCriterion,
    AwardProgramme,
    Department,
    Feedback,
    FeedbackType,
    Nomination,
    NominatorType,
    Person,
    Recognition,
    Relation,
)
from tracker.references import make_reference
from tracker.validation import InvalidInput

MAX_STORY = 5000
MIN_STORY = 20
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PUBLIC_NOMINATORS = (NominatorType.PATIENT, NominatorType.FAMILY, NominatorType.VISITOR)
# Who nominated, as the coordinator's pages say it.
NOMINATOR_LABELS = {
    NominatorType.STAFF: _l("A colleague"),
    NominatorType.PATIENT: _l("The patient"),
    NominatorType.FAMILY: _l("Family or a friend"),
    NominatorType.VISITOR: _l("A visitor"),
}


def find_nominee(name: str, unit: Department | None) -> Person | None:
    """The person a patient means by a name and a unit, with the same matching as patient feedback."""
    match = matching.rank(name, matching.roster(), unit)
    if match.preselected is None:  # nobody clear enough: namesakes, or the best fit is on another unit
        return None
    return db.session.get(Person, match.preselected)


def _unit(slug: str | None, field: str, errors: dict) -> Department | None:
    if not slug:
        return None
    unit = db.session.scalar(sa.select(Department).where(Department.slug == slug, Department.active.is_(True)))
    if unit is None:
        errors[field] = [_("There is no such unit.")]
    return unit


def _criteria(programme: AwardProgramme, ids, errors: dict) -> list[AwardCriterion]:
    known = {criterion.id: criterion for criterion in programme.criteria}
    chosen = []
    for value in ids or []:
        try:
            criterion = known.get(int(value))
        except (TypeError, ValueError):
            criterion = None
        if criterion is None:
            errors["criteria"] = [_("Please choose from the criteria listed.")]
            return []
        chosen.append(criterion)
    return chosen


def submit_nomination(
    programme: AwardProgramme,
    *,
    story: str,
    nominee_name: str = "",
    unit_slug: str | None = None,
    nominee: Person | None = None,
    team_slug: str | None = None,
    criterion_ids=(),
    nominator: Person | None = None,
    relation: str | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "en",
    consent: bool = False,
    source_type: str = "form",
    source_id: int | None = None,
    submission_key: str | None = None,
) -> Nomination:
    """Store a nomination for the programme's open cycle, or refuse it with a message per field."""
    if submission_key:
        earlier = db.session.scalar(sa.select(Nomination).where(Nomination.submission_key == submission_key))
        if earlier is not None:
            return earlier
    errors: dict[str, list[str]] = {}
    cycle = programmes.open_cycle(programme)
    if cycle is None:
        raise InvalidInput.single(
            "programme", _("%(programme)s is not taking nominations now.", programme=programme.name)
        )
    story = checks.text(story, "story", MAX_STORY, errors, required=True)
    if "story" not in errors and len(story) < MIN_STORY:
        errors["story"] = [_("Please tell us a little more: at least %(count)d characters.", count=MIN_STORY)]
    nominee_name = checks.text(nominee_name, "nominee_name", 200, errors)
    contact_name = checks.text(contact_name, "contact_name", 200, errors)
    contact_email = checks.text(contact_email, "contact_email", 254, errors).lower()
    contact_phone = checks.text(contact_phone, "contact_phone", 40, errors)
    if contact_email and not EMAIL.match(contact_email):
        errors["contact_email"] = [_("Please enter an e-mail address like name@example.org.")]
    unit = _unit(unit_slug, "unit_slug", errors)
    team = _unit(team_slug, "team_slug", errors)
    chosen = _criteria(programme, criterion_ids, errors)
    if nominator is not None:
        nominator_type = NominatorType.STAFF
    else:
        try:
            nominator_type = NominatorType(relation or "")
        except ValueError:
            nominator_type = None
        if nominator_type not in PUBLIC_NOMINATORS:
            errors["relation"] = [_("Please tell us who you are.")]
    if not consent:
        errors["consent"] = [_("Please agree, so that the committee may read your nomination.")]
    if team is not None:
        refusal = programmes.team_refusal(programme, team)
        if refusal:
            errors["team_slug"] = [refusal]
    elif nominee is None and not errors.get("unit_slug"):
        if not nominee_name:
            errors["nominee_name"] = [_("Please tell us who you are nominating.")]
        else:
            nominee = find_nominee(nominee_name, unit)
            if nominee is None:
                errors["nominee_name"] = [
                    _("We could not find anyone by that name. Please check the name, or choose their unit.")
                ]
    if nominee is not None:
        refusal = programmes.eligibility_refusal(programme, nominee)
        if refusal:
            errors["nominee_name"] = [refusal]
        elif nominator is not None and nominator.id == nominee.id:
            errors["nominee_name"] = [_("You cannot nominate yourself.")]
    if errors:
        raise InvalidInput(errors)
    nomination = Nomination(
        reference=make_reference("AW"),
        submission_key=submission_key or None,
        cycle_id=cycle.id,
        nominee=nominee if team is None else None,
        team=team,
        unit=team or unit or (nominee.department if nominee is not None else None),
        nominee_written=nominee_name or (nominee.name if nominee is not None else team.name),
        story=story,
        nominator_type=nominator_type,
        nominator=nominator,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        language=language or "en",
        consent=True,
        source_type=source_type,
        source_id=source_id,
        criteria=chosen,
    )
    with db.session.no_autoflush:
        _store_numbered(nomination)
    db.session.expire(cycle, ["nominations"])
    audit.record(
        "award_nomination_received",
        "award_nomination",
        nomination.id,
        cycle=cycle.id,
        nominator_type=nominator_type.value,
        source=source_type,
    )
    return nomination


def _store_numbered(nomination: Nomination) -> None:
    """Give the nomination the next number of its cycle; a number taken at the same moment is retried."""
    for attempt in range(5):
        highest = db.session.scalar(
            sa.select(sa.func.max(Nomination.number)).where(Nomination.cycle_id == nomination.cycle_id)
        )
        nomination.number = (highest or 0) + 1
        savepoint = db.session.begin_nested()
        try:
            db.session.add(nomination)
            db.session.flush()
            savepoint.commit()
            return
        except IntegrityError:
            savepoint.rollback()
            if attempt == 4:
                raise


def from_feedback(programme: AwardProgramme, feedback: Feedback, nominee: Person | None, **extra) -> Nomination:
    """A patient compliment becomes a nomination: its words, its writer's relation and contact details carried over."""
    if feedback.type != FeedbackType.COMPLIMENT:
        raise InvalidInput.single("source", _("Only compliments can become nominations."))
    relation = {
        Relation.PATIENT: NominatorType.PATIENT,
        Relation.FAMILY: NominatorType.FAMILY,
        Relation.VISITOR: NominatorType.VISITOR,
    }.get(feedback.relation, NominatorType.PATIENT)
    return submit_nomination(
        programme,
        story=feedback.message,
        nominee=nominee,
        nominee_name=feedback.staff_names[:200],
        unit_slug=feedback.unit.slug if feedback.unit is not None else None,
        relation=relation.value,
        contact_name=feedback.contact_name,
        contact_email=feedback.contact_email,
        contact_phone=feedback.contact_phone,
        language=feedback.language,
        consent=feedback.consent_to_share,
        source_type="feedback",
        source_id=feedback.id,
        **extra,
    )


def from_recognition(
    programme: AwardProgramme, recognition: Recognition, nominee: Person | None, **extra
) -> Nomination:
    """A recognition becomes a nomination: its message as the story, its giver as the nominator."""
    if nominee is None and recognition.recipient_rows:
        nominee = recognition.recipient_rows[0].person
    return submit_nomination(
        programme,
        story=recognition.message,
        nominee=nominee,
        nominator=recognition.giver,
        relation=None if recognition.giver is not None else NominatorType.PATIENT.value,
        consent=True,
        source_type="recognition",
        source_id=recognition.id,
        **extra,
    )

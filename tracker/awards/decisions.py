"""Shortlists and decisions, held until the cycle is announced; the announcement and who hears of it.

A decision recorded while ``deciding`` changes nothing anyone else sees: no outcome, no e-mail, no
honour roll, no wall. Moving the cycle to ``announced`` applies every decision together: outcomes are
set, every nominee receives a copy of their nomination, managers and nominators hear the outcome,
and the honourees are posted to their departments' Teams and Slack channels and sent as the
``award.announced`` webhook.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import audit, phi, policy
from tracker.awards import checks, scoring
from tracker.extensions import db
from tracker.integrations import events as integration_events
from tracker.models import (
    AwardCycle,
    AwardDecision,
    AwardProgramme,
    CyclePhase,
    Department,
    Nomination,
    Person,
    utcnow,
)
from tracker.notifications.services import absolute_url, nearest_managers, queue_email
from tracker.validation import InvalidInput

DECISION_LABELS = {
    AwardDecision.HONOUREE: _l("Honouree"),
    AwardDecision.HONOURABLE_MENTION: _l("Honourable mention"),
    AwardDecision.NOT_THIS_TIME: _l("Not this time"),
}
ANNOUNCED_PHASES = (CyclePhase.ANNOUNCED, CyclePhase.CLOSED)
WALL_DAYS = 90
RATIONALE_MAX = 5000


def shortlist(nomination: Nomination, on: bool) -> None:
    if nomination.cycle.phase not in (CyclePhase.JUDGING, CyclePhase.DECIDING):
        raise InvalidInput.single("shortlisted", _("Shortlists are kept while judging and deciding."))
    nomination.shortlisted = bool(on)
    audit.record("award_shortlisted", "award_nomination", nomination.id, on=bool(on))


def decide(nomination: Nomination, decision, rationale: str) -> None:
    """Record (hold) the coordinator's decision with its rationale."""
    cycle = nomination.cycle
    if cycle.phase != CyclePhase.DECIDING:
        raise InvalidInput.single("decision", _("Decisions are made while the cycle is deciding."))
    errors: dict[str, list[str]] = {}
    try:
        decision = AwardDecision(decision)
    except ValueError:
        errors["decision"] = [_("Please choose a decision.")]
    rationale = checks.text(rationale, "rationale", RATIONALE_MAX, errors, required=True)
    if not scoring.has_scores(nomination):
        errors["decision"] = [_("Nomination %(number)d has no scores yet.", number=nomination.number)]
    if not errors and decision == AwardDecision.HONOUREE:
        others = sum(
            1 for other in cycle.nominations if other.id != nomination.id and other.decision == AwardDecision.HONOUREE
        )
        if others >= cycle.programme.honourees_per_cycle:
            errors["decision"] = [
                _(
                    "This programme has %(count)d honourees a cycle, all chosen.",
                    count=cycle.programme.honourees_per_cycle,
                )
            ]
    if errors:
        raise InvalidInput(errors)
    nomination.decision = decision
    nomination.rationale = rationale
    nomination.decided_at = utcnow()
    audit.record("award_decided", "award_nomination", nomination.id, decision=decision.value)


def announce(cycle: AwardCycle) -> None:
    """Apply every held decision together and tell everyone concerned (called when the phase moves)."""
    undecided = [nomination.number for nomination in cycle.nominations if nomination.decision is None]
    if undecided:
        raise InvalidInput.single(
            "phase",
            _("Decide every nomination first (still to do: %(numbers)s).", numbers=", ".join(map(str, undecided))),
        )
    now = utcnow()
    for nomination in cycle.nominations:
        nomination.outcome = nomination.decision
        nomination.announced_at = now
        _tell(nomination)
        audit.record("award_outcome_applied", "award_nomination", nomination.id, outcome=nomination.outcome.value)
    _celebrate(cycle)


def _celebrate(cycle: AwardCycle) -> None:
    """The ``award.announced`` webhook and the posts in the honourees' channels, once per cycle.

    Only honourees who are people on the staff list are passed on: a team, or a name that matched
    nobody, has no department to post to and no id to send. Who keeps off walls is left out of the
    posts by the integrations themselves.
    """
    programme = cycle.programme
    honourees = [
        nomination.nominee
        for nomination in cycle.nominations
        if nomination.outcome == AwardDecision.HONOUREE and nomination.nominee is not None
    ]
    integration_events.award_announced(
        programme_slug=programme.slug,
        programme_name=programme.name,
        cycle_id=cycle.id,
        cycle_label=cycle.name,
        honourees=honourees,
        link=f"/awards/{programme.slug}",
    )


def _tell(nomination: Nomination) -> None:
    programme = nomination.cycle.programme
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    context = {
        "nomination": nomination,
        "programme": programme,
        "story": phi.redact(nomination.story),
        "outcome": nomination.outcome,
        "honour_roll": absolute_url(f"/awards/{programme.slug}"),
    }
    with force_locale(default):
        nominee_subject = _("You were nominated for %(programme)s", programme=programme.name)
        manager_subject = _(
            "%(name)s was nominated for %(programme)s", name=nomination.nominee_name, programme=programme.name
        )
    told = set()
    if nomination.nominee is not None and nomination.nominee.active:
        queue_email(
            nomination.nominee.email,
            nominee_subject,
            "email/award_nominee.txt",
            "email/award_nominee.html",
            "award_nominee",
            person=nomination.nominee,
            **context,
        )
        told.add(nomination.nominee.email)
    place = nomination.nominee.department_id if nomination.nominee is not None else nomination.unit_id
    for manager in nearest_managers({place} if place else set()):
        if manager.email not in told and manager.id != nomination.nominee_id:
            queue_email(
                manager.email,
                manager_subject,
                "email/award_manager.txt",
                "email/award_manager.html",
                "award_manager",
                person=manager,
                **context,
            )
            told.add(manager.email)
    if nomination.nominator is not None and nomination.nominator.active and nomination.nominator.email not in told:
        with force_locale(default):
            subject = _("The outcome of your nomination for %(programme)s", programme=programme.name)
        queue_email(
            nomination.nominator.email,
            subject,
            "email/award_nominator.txt",
            "email/award_nominator.html",
            "award_nominator",
            person=None,
            **context,
        )
    elif nomination.contact_email:
        language = nomination.language if nomination.language in current_app.config["LANGUAGES"] else default
        with force_locale(language):
            subject = _("The outcome of your nomination for %(programme)s", programme=programme.name)
        queue_email(
            nomination.contact_email,
            subject,
            "email/award_nominator.txt",
            "email/award_nominator.html",
            "award_nominator",
            locale=language,
            person=None,
            **context,
        )


def honour_roll(programme: AwardProgramme) -> list[Nomination]:
    """Announced honourees, newest cycle first; people who keep off walls are left out."""
    rows = db.session.scalars(
        sa.select(Nomination)
        .join(AwardCycle, AwardCycle.id == Nomination.cycle_id)
        .where(
            AwardCycle.programme_id == programme.id,
            AwardCycle.phase.in_(ANNOUNCED_PHASES),
            Nomination.outcome == AwardDecision.HONOUREE,
        )
        .order_by(AwardCycle.announced_on.desc(), Nomination.number)
    )
    return [nomination for nomination in rows if _may_show(nomination)]


def _may_show(nomination: Nomination) -> bool:
    return nomination.nominee is None or (nomination.nominee.active and nomination.nominee.show_on_walls)


def wall_honourees(department: Department | None) -> list[Nomination]:
    """Honourees announced in the last 90 days, for the wall and a unit's TV display."""
    statement = (
        sa.select(Nomination)
        .join(AwardCycle, AwardCycle.id == Nomination.cycle_id)
        .where(
            AwardCycle.phase.in_(ANNOUNCED_PHASES),
            Nomination.outcome == AwardDecision.HONOUREE,
            Nomination.announced_at >= utcnow() - timedelta(days=WALL_DAYS),
        )
        .order_by(Nomination.announced_at.desc())
        .limit(20)
    )
    if department is not None:
        statement = statement.join(Department, Department.id == Nomination.unit_id).where(
            Department.path.startswith(department.path, autoescape=True)
        )
    return [nomination for nomination in db.session.scalars(statement) if _may_show(nomination)]


def may_see_certificate(person: Person, nomination: Nomination) -> bool:
    if nomination.outcome != AwardDecision.HONOUREE:
        return False
    return policy.may_coordinate_awards(person) or nomination.nominee_id == person.id

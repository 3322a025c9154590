"""Programmes, their criteria and cycles, eligibility, and the phases a cycle moves through."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import audit
from tracker.awards import checks
from tracker.extensions import db
from tracker.models import AwardCriterion, AwardCycle, AwardProgramme, CyclePhase, Department, Person, utcnow
from tracker.validation import InvalidInput

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
RESERVED_SLUGS = {"manage", "cycles", "nominations", "honourees", "convert"}  # the coordinator's pages
PHASES = list(CyclePhase)
PHASE_LABELS = {
    CyclePhase.NOMINATING: _l("Nominating"),
    CyclePhase.JUDGING: _l("Judging"),
    CyclePhase.DECIDING: _l("Deciding"),
    CyclePhase.ANNOUNCED: _l("Announced"),
    CyclePhase.CLOSED: _l("Closed"),
}
# Offered in the coordinator's language; what they save is the criterion's own wording.
DEFAULT_LABELS = (_l("Not shown"), _l("A little"), _l("Clearly"), _l("Strongly"), _l("Exceptionally"))
DESCRIPTION_MAX = 5000
CRITERION_DESCRIPTION_MAX = 2000


def programme_by_slug(slug: str, *, active_only: bool = True) -> AwardProgramme | None:
    statement = sa.select(AwardProgramme).where(AwardProgramme.slug == slug)
    if active_only:
        statement = statement.where(AwardProgramme.active.is_(True))
    return db.session.scalar(statement)


def all_programmes() -> list[AwardProgramme]:
    return list(db.session.scalars(sa.select(AwardProgramme).order_by(AwardProgramme.name)))


def open_cycle(programme: AwardProgramme) -> AwardCycle | None:
    """The programme's cycle taking nominations now, if any."""
    return db.session.scalar(
        sa.select(AwardCycle)
        .where(AwardCycle.programme_id == programme.id, AwardCycle.phase == CyclePhase.NOMINATING)
        .order_by(AwardCycle.nominating_from.desc())
        .limit(1)
    )


def public_programmes() -> list[tuple[AwardProgramme, AwardCycle | None]]:
    programmes = db.session.scalars(
        sa.select(AwardProgramme).where(AwardProgramme.active.is_(True)).order_by(AwardProgramme.name)
    )
    return [(programme, open_cycle(programme)) for programme in programmes]


def create_programme(
    *,
    name: str,
    slug: str,
    description: str = "",
    job_families: list[str] | None = None,
    department_slug: str | None = None,
    honourees_per_cycle=1,
    judges_per_nomination=3,
) -> AwardProgramme:
    errors: dict[str, list[str]] = {}
    name = checks.text(name, "name", 200, errors, required=True)
    slug = checks.text(slug, "slug", 80, errors, required=True).lower()
    description = checks.text(description, "description", DESCRIPTION_MAX, errors)
    if "slug" not in errors:
        if not SLUG.match(slug) or slug in RESERVED_SLUGS:
            errors["slug"] = [_("Use lower-case letters, digits and hyphens only.")]
        elif programme_by_slug(slug, active_only=False) is not None:
            errors["slug"] = [_("Another programme already uses this address.")]
    department = None
    if department_slug:
        department = db.session.scalar(sa.select(Department).where(Department.slug == department_slug))
        if department is None:
            errors["department_slug"] = [_("There is no such department.")]
    honourees = checks.whole_number(honourees_per_cycle, "honourees_per_cycle", 1, 50, errors)
    judges = checks.whole_number(judges_per_nomination, "judges_per_nomination", 1, 20, errors)
    families = sorted({family.strip() for family in (job_families or []) if family and family.strip()})
    if any(len(family) > 60 for family in families):
        errors["job_families"] = [_("Please keep this under %(limit)s characters.", limit=format_number(60))]
    if errors:
        raise InvalidInput(errors)
    programme = AwardProgramme(
        name=name,
        slug=slug,
        description=description,
        job_families=families,
        department=department,
        honourees_per_cycle=honourees,
        judges_per_nomination=judges,
    )
    db.session.add(programme)
    db.session.flush()
    audit.record("award_programme_created", "award_programme", programme.id, slug=slug)
    return programme


def add_criterion(
    programme: AwardProgramme, *, name: str, description: str = "", labels=None, weight=1.0, required=True
) -> AwardCriterion:
    errors: dict[str, list[str]] = {}
    name = checks.text(name, "name", 200, errors, required=True)
    description = checks.text(description, "description", CRITERION_DESCRIPTION_MAX, errors)
    labels = [str(label).strip() for label in (labels or DEFAULT_LABELS)]
    if len(labels) != 5 or not all(labels) or any(len(label) > 60 for label in labels):
        errors["labels"] = [_("Give five labels, one for each point from 1 to 5.")]
    try:
        weight = float(weight)
    except (TypeError, ValueError):
        weight = 0.0
    if not 0 < weight <= 10:
        errors["weight"] = [_("The weight must be more than 0 and at most 10.")]
    if errors:
        raise InvalidInput(errors)
    criterion = AwardCriterion(
        name=name,
        description=description,
        scale_labels=labels,
        weight=weight,
        required=bool(required),
        position=len(programme.criteria),
    )
    programme.criteria.append(criterion)
    db.session.flush()
    audit.record("award_criterion_added", "award_programme", programme.id, criterion=criterion.id, weight=weight)
    return criterion


def create_cycle(programme: AwardProgramme, *, name: str, dates: dict[str, date | None]) -> AwardCycle:
    """A new cycle, nominating; its five dates come in phase order and may not go backwards."""
    errors: dict[str, list[str]] = {}
    name = checks.text(name, "name", 120, errors, required=True)
    fields = ("nominating_from", "judging_from", "deciding_from", "announced_on", "closes_on")
    for field in fields:
        if not isinstance(dates.get(field), date):
            errors[field] = [_("Please enter a date like 2024-05-31.")]
    if not errors:
        for earlier, later in zip(fields, fields[1:], strict=False):
            if dates[later] < dates[earlier]:
                errors[later] = [_("This date comes before the previous phase's date.")]
    if errors:
        raise InvalidInput(errors)
    cycle = AwardCycle(name=name, **{field: dates[field] for field in fields})
    programme.cycles.append(cycle)
    db.session.flush()
    audit.record("award_cycle_created", "award_cycle", cycle.id, programme=programme.slug)
    return cycle


def next_phase(cycle: AwardCycle) -> CyclePhase | None:
    index = PHASES.index(cycle.phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def advance(cycle: AwardCycle, to_phase) -> None:
    """Move a cycle one phase forward; backwards, sideways or skipping is refused."""
    from tracker.awards import committee, decisions

    try:
        target = CyclePhase(to_phase)
    except ValueError:
        raise InvalidInput.single("phase", _("There is no such phase.")) from None
    if target != next_phase(cycle):
        raise InvalidInput.single("phase", _("A cycle only moves forward, one phase at a time."))
    if target == CyclePhase.JUDGING:
        committee.assign(cycle)
    elif target == CyclePhase.ANNOUNCED:
        decisions.announce(cycle)
    before = cycle.phase
    cycle.phase = target
    cycle.phase_changed_at = utcnow()
    db.session.flush()
    audit.record("award_phase_changed", "award_cycle", cycle.id, old=before.value, new=target.value)


def eligibility_refusal(programme: AwardProgramme, person: Person) -> str | None:
    """Why ``person`` may not be nominated for ``programme``, or ``None`` when they may."""
    if not person.active:
        return _("%(name)s is not active on the staff list, so cannot be nominated.", name=person.name)
    families = [family.lower() for family in programme.job_families or []]
    if families and (person.job_family or "").lower() not in families:
        return _(
            "%(programme)s is for %(families)s; %(name)s is not in an eligible job family.",
            programme=programme.name,
            families=", ".join(programme.job_families),
            name=person.name,
        )
    if programme.department is not None and not _within(person.department, programme.department):
        return _(
            "%(programme)s is for %(department)s; %(name)s works elsewhere.",
            programme=programme.name,
            department=programme.department.name,
            name=person.name,
        )
    return None


def team_refusal(programme: AwardProgramme, team: Department) -> str | None:
    if not team.active:
        return _("There is no such unit.")
    if programme.department is not None and not _within(team, programme.department):
        return _(
            "%(programme)s is for %(department)s; this team is elsewhere.",
            programme=programme.name,
            department=programme.department.name,
        )
    return None


def _within(department: Department | None, ancestor: Department) -> bool:
    return department is not None and bool(department.path) and department.path.startswith(ancestor.path)

"""Committees, conflicts of interest, and the assignment of judges to nominations.

A judge is conflicted on a nomination when they are its nominee or nominator, manage the nominee,
work on the same unit or in the same department (the nominee's department subtree), or declared a
conflict themselves. Conflicted judges are never assigned and cannot open the nomination.
Assignment gives every nomination the programme's number of judges, always choosing the least-loaded
judges, so no judge ends up more than one nomination above another when conflicts allow.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import audit, policy
from tracker.awards import checks
from tracker.extensions import db
from tracker.models import (
    AwardCycle,
    AwardProgramme,
    CommitteeMember,
    ConflictDeclaration,
    CyclePhase,
    Department,
    JudgeAssignment,
    Nomination,
    Person,
)
from tracker.validation import InvalidInput

CONFLICT_REASON_MAX = 1000
CONFLICT_LABELS = {
    "nominee": _l("is the nominee"),
    "nominator": _l("made the nomination"),
    "manager": _l("manages the nominee"),
    "unit": _l("works on the same unit"),
    "department": _l("works in the same department"),
    "declared": _l("declared a conflict"),
}


def add_member(programme: AwardProgramme, email: str) -> CommitteeMember:
    person = db.session.scalar(sa.select(Person).where(Person.email == Person.normalize_email(email or "")))
    if person is None or not person.active or not policy.may_judge(person):
        raise InvalidInput.single("email", _("There is no active account with that e-mail address."))
    if any(member.person_id == person.id for member in programme.committee):
        raise InvalidInput.single("email", _("%(name)s is already on the committee.", name=person.name))
    member = CommitteeMember(person=person)
    programme.committee.append(member)
    db.session.flush()
    audit.record("award_judge_added", "award_programme", programme.id, judge=person.id)
    return member


def remove_member(member: CommitteeMember) -> None:
    audit.record("award_judge_removed", "award_programme", member.programme_id, judge=member.person_id)
    db.session.delete(member)
    db.session.flush()


def _department_root(department: Department | None) -> Department | None:
    """The department a unit belongs to: its ancestor one level below the hospital."""
    while department is not None and department.parent is not None and department.parent.parent is not None:
        department = department.parent
    return department if department is not None and department.parent is not None else None


def automatic_conflicts(nomination: Nomination, judge: Person) -> list[str]:
    reasons = []
    if nomination.nominee_id == judge.id:
        reasons.append("nominee")
    if nomination.nominator_id == judge.id:
        reasons.append("nominator")
    place = nomination.nominee.department if nomination.nominee is not None else nomination.team or nomination.unit
    if place is not None:
        if place.id in policy.managed_ids_for_conflicts(judge):
            reasons.append("manager")
        if judge.department_id is not None:
            if judge.department_id == place.id:
                reasons.append("unit")
            else:
                root = _department_root(place)
                if root is not None and judge.department is not None and judge.department.path.startswith(root.path):
                    reasons.append("department")
    return reasons


def declared(nomination_id: int, judge_id: int) -> ConflictDeclaration | None:
    return db.session.scalar(
        sa.select(ConflictDeclaration).where(
            ConflictDeclaration.nomination_id == nomination_id, ConflictDeclaration.person_id == judge_id
        )
    )


def is_conflicted(nomination: Nomination, judge: Person) -> bool:
    return bool(automatic_conflicts(nomination, judge)) or declared(nomination.id, judge.id) is not None


def conflicts_of(nomination: Nomination) -> list[tuple[Person, list[str]]]:
    """For the coordinator: every committee member conflicted on the nomination, and why."""
    found = []
    for member in nomination.cycle.programme.committee:
        reasons = automatic_conflicts(nomination, member.person)
        if declared(nomination.id, member.person_id) is not None:
            reasons.append("declared")
        if reasons:
            found.append((member.person, reasons))
    return found


def _loads(cycle: AwardCycle) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(JudgeAssignment.judge_id, sa.func.count())
        .join(Nomination, Nomination.id == JudgeAssignment.nomination_id)
        .where(Nomination.cycle_id == cycle.id)
        .group_by(JudgeAssignment.judge_id)
    )
    return {judge_id: count for judge_id, count in rows}


def assign(cycle: AwardCycle) -> list[JudgeAssignment]:
    """Give every nomination of the cycle its judges; refused (nothing written) when that is impossible."""
    programme = cycle.programme
    nominations = list(cycle.nominations)
    if not nominations:
        raise InvalidInput.single("phase", _("There are no nominations to judge."))
    unblinded = [nomination.number for nomination in nominations if nomination.blinded_approved_at is None]
    if unblinded:
        raise InvalidInput.single(
            "phase",
            _(
                "Approve the blinded copy of every nomination first (still to do: %(numbers)s).",
                numbers=", ".join(map(str, unblinded)),
            ),
        )
    judges = [member.person for member in programme.committee if member.person.active]
    loads = _loads(cycle)
    for judge in judges:
        loads.setdefault(judge.id, 0)
    wanted = programme.judges_per_nomination
    plan: list[tuple[Nomination, list[Person], int]] = []
    for nomination in nominations:
        taken = {assignment.judge_id for assignment in nomination.assignments}
        eligible = [judge for judge in judges if judge.id not in taken and not is_conflicted(nomination, judge)]
        conflicted = sum(1 for judge in judges if is_conflicted(nomination, judge))
        if conflicted:
            audit.record("award_conflicts_found", "award_nomination", nomination.id, judges=conflicted)
        plan.append((nomination, eligible, wanted - len(taken)))
    plan.sort(key=lambda item: (len(item[1]) - item[2], item[0].number))  # the hardest to staff first
    made = []
    for nomination, eligible, need in plan:
        if need <= 0:
            continue
        if len(eligible) < need:
            raise InvalidInput.single(
                "phase",
                _(
                    "Nomination %(number)d needs %(wanted)d judges without a conflict; the committee has %(have)d.",
                    number=nomination.number,
                    wanted=wanted,
                    have=len(eligible) + wanted - need,
                ),
            )
        chosen = sorted(eligible, key=lambda judge: (loads[judge.id], judge.id))[:need]
        for judge in chosen:
            loads[judge.id] += 1
            assignment = JudgeAssignment(nomination=nomination, judge=judge)
            db.session.add(assignment)
            made.append(assignment)
    db.session.flush()
    for assignment in made:
        audit.record("award_judge_assigned", "award_nomination", assignment.nomination_id, judge=assignment.judge_id)
    return made


def declare_conflict(assignment: JudgeAssignment, reason: str) -> JudgeAssignment | None:
    """A judge steps back from a nomination; another judge takes it when one is free of conflicts."""
    if assignment.submitted_at is not None:
        raise InvalidInput.single("reason", _("You have already scored this nomination."))
    if assignment.nomination.cycle.phase != CyclePhase.JUDGING:
        raise InvalidInput.single("reason", _("Judging is not open for this cycle."))
    errors: dict[str, list[str]] = {}
    reason = checks.text(reason, "reason", CONFLICT_REASON_MAX, errors, required=True)
    if errors:
        raise InvalidInput(errors)
    nomination, judge = assignment.nomination, assignment.judge
    db.session.add(ConflictDeclaration(nomination_id=nomination.id, person_id=judge.id, reason=reason))
    db.session.delete(assignment)
    db.session.flush()
    db.session.expire(nomination, ["assignments"])
    audit.record("award_conflict_declared", "award_nomination", nomination.id, judge=judge.id)
    taken = {other.judge_id for other in nomination.assignments} | {judge.id}
    loads = _loads(nomination.cycle)
    free = [
        member.person
        for member in nomination.cycle.programme.committee
        if member.person.active and member.person_id not in taken and not is_conflicted(nomination, member.person)
    ]
    if not free:
        return None
    replacement = min(free, key=lambda person: (loads.get(person.id, 0), person.id))
    new = JudgeAssignment(nomination=nomination, judge=replacement)
    db.session.add(new)
    db.session.flush()
    audit.record("award_judge_assigned", "award_nomination", nomination.id, judge=replacement.id, replacing=judge.id)
    return new

"""Scores per criterion, submitted once; the leaderboard with weighted means, medians and normalised scores.

Normalisation corrects lenient and harsh judges: each judge's weighted totals become z-scores
against that judge's own mean and spread, then are put back on the scale with the mean and spread
of every total in the cycle (and kept within 1–5). A judge with a single score, or with the same
score everywhere, gives no information about leniency: their totals map to the cycle's mean.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import audit
from tracker.awards import checks
from tracker.extensions import db
from tracker.models import AwardCycle, CriterionScore, CyclePhase, JudgeAssignment, Nomination, Person, utcnow
from tracker.validation import InvalidInput

COMMENT_MAX = 5000
CRITERION_COMMENT_MAX = 2000

LOWEST, HIGHEST = 1, 5


class AlreadyScored(Exception):
    """The judge has already submitted scores for this nomination; they are never changed."""


def assignment_for(judge: Person, assignment_id: int) -> JudgeAssignment | None:
    """The judge's own assignment, or ``None`` (answer 404) for anyone else's or a conflicted one."""
    from tracker.awards.committee import is_conflicted

    assignment = db.session.get(JudgeAssignment, assignment_id)
    if assignment is None or assignment.judge_id != judge.id:
        return None
    if is_conflicted(assignment.nomination, judge):
        return None
    return assignment


def assignments_of(judge: Person) -> list[JudgeAssignment]:
    from tracker.awards.committee import is_conflicted

    rows = db.session.scalars(
        sa.select(JudgeAssignment)
        .join(Nomination, Nomination.id == JudgeAssignment.nomination_id)
        .where(JudgeAssignment.judge_id == judge.id)
        .order_by(Nomination.cycle_id.desc(), Nomination.number)
    )
    return [assignment for assignment in rows if not is_conflicted(assignment.nomination, judge)]


def submit(assignment: JudgeAssignment, scores: dict, comments: dict | None = None, comment: str = "") -> None:
    """Store one judge's scores for one nomination; every refusal leaves nothing written."""
    if assignment.submitted_at is not None:
        raise AlreadyScored
    if assignment.nomination.cycle.phase != CyclePhase.JUDGING:
        raise InvalidInput.single("scores", _("Judging is not open for this cycle."))
    criteria = {criterion.id: criterion for criterion in assignment.nomination.cycle.programme.criteria}
    errors: dict[str, list[str]] = {}
    values: dict[int, int] = {}
    for key, value in (scores or {}).items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in criteria:
            errors.setdefault("scores", []).append(_("There is no criterion %(key)s.", key=key))
            continue
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int | str):
            value = None
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not LOWEST <= number <= HIGHEST:
            errors[f"score_{criterion_id}"] = [
                _("Please choose a score from %(low)d to %(high)d.", low=LOWEST, high=HIGHEST)
            ]
            continue
        values[criterion_id] = number
    for criterion in criteria.values():
        if criterion.required and criterion.id not in values and f"score_{criterion.id}" not in errors:
            errors[f"score_{criterion.id}"] = [_("Please score %(name)s.", name=criterion.name)]
    if not values and not errors:
        errors["scores"] = [_("Please score at least one criterion.")]
    notes = {}
    for key, text in (comments or {}).items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in criteria:
            errors.setdefault("comments", []).append(_("There is no criterion %(key)s.", key=key))
            continue
        notes[criterion_id] = checks.text(text, f"comment_{criterion_id}", CRITERION_COMMENT_MAX, errors)
    comment = checks.text(comment, "comment", COMMENT_MAX, errors)
    if errors:
        raise InvalidInput(errors)
    for criterion_id, number in values.items():
        assignment.scores.append(
            CriterionScore(criterion_id=criterion_id, value=number, comment=notes.get(criterion_id, ""))
        )
    assignment.comment = comment
    assignment.submitted_at = utcnow()
    db.session.flush()
    audit.record(
        "award_scored",
        "award_nomination",
        assignment.nomination_id,
        assignment=assignment.id,
        scores={str(key): value for key, value in values.items()},
    )


def weighted_total(assignment: JudgeAssignment) -> float | None:
    """The judge's score for the nomination: the weighted mean of the criteria they scored."""
    pairs = [(score.criterion.weight, score.value) for score in assignment.scores]
    weights = sum(weight for weight, _ in pairs)
    if not pairs or weights <= 0:
        return None
    return sum(weight * value for weight, value in pairs) / weights


def normalise(totals: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """``{(judge, nomination): total}`` → the same keys with per-judge z-scores rescaled to the scale."""
    if not totals:
        return {}
    everything = list(totals.values())
    centre = statistics.fmean(everything)
    spread = statistics.pstdev(everything) if len(everything) > 1 else 0.0
    by_judge: dict[int, list[float]] = {}
    for (judge_id, _nomination), total in totals.items():
        by_judge.setdefault(judge_id, []).append(total)
    result = {}
    for (judge_id, nomination_id), total in totals.items():
        own = by_judge[judge_id]
        own_spread = statistics.pstdev(own) if len(own) > 1 else 0.0
        z = (total - statistics.fmean(own)) / own_spread if own_spread > 0 else 0.0
        result[(judge_id, nomination_id)] = min(HIGHEST, max(LOWEST, centre + z * spread))
    return result


@dataclass
class Standing:
    nomination: Nomination
    scores: int
    weighted_mean: float | None
    median: float | None
    normalised: float | None
    rank: int = 0
    tied: bool = False


def leaderboard(cycle: AwardCycle) -> list[Standing]:
    """Every nomination of the cycle, best first by normalised score, then weighted mean; ties flagged."""
    nominations = list(cycle.nominations)
    totals: dict[tuple[int, int], float] = {}
    for nomination in nominations:
        for assignment in nomination.assignments:
            if assignment.submitted_at is not None and (total := weighted_total(assignment)) is not None:
                totals[(assignment.judge_id, nomination.id)] = total
    normalised = normalise(totals)
    standings = []
    for nomination in nominations:
        own = [total for (judge, nomination_id), total in totals.items() if nomination_id == nomination.id]
        rescaled = [value for (judge, nomination_id), value in normalised.items() if nomination_id == nomination.id]
        standings.append(
            Standing(
                nomination=nomination,
                scores=len(own),
                weighted_mean=round(statistics.fmean(own), 2) if own else None,
                median=round(statistics.median(own), 2) if own else None,
                normalised=round(statistics.fmean(rescaled), 2) if rescaled else None,
            )
        )
    standings.sort(
        key=lambda s: (s.normalised is None, -(s.normalised or 0), -(s.weighted_mean or 0), s.nomination.number)
    )
    for position, standing in enumerate(standings, start=1):
        standing.rank = position
    for standing in standings:
        if standing.normalised is None:
            continue
        key = (standing.normalised, standing.weighted_mean)
        standing.tied = sum(1 for other in standings if (other.normalised, other.weighted_mean) == key) > 1
    return standings


def other_totals(assignment: JudgeAssignment) -> list[float]:
    """After a judge has submitted: the other judges' totals for the nomination, without their names."""
    if assignment.submitted_at is None:
        return []
    return [
        round(total, 2)
        for other in assignment.nomination.assignments
        if other.id != assignment.id and other.submitted_at is not None and (total := weighted_total(other)) is not None
    ]


def has_scores(nomination: Nomination) -> bool:
    return any(assignment.submitted_at is not None for assignment in nomination.assignments)

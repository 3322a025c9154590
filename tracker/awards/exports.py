"""Exports for the coordinator (a cycle's nominations and results, a DAISY-ready honouree record),
fulfilment ticks, and the nominations dashboard with small groups suppressed."""

from __future__ import annotations

from collections import Counter

from tracker import audit
from tracker.awards import scoring
from tracker.exports import csv_lines
from tracker.models import AwardCycle, Nomination

MINIMUM_GROUP = 5  # as on the dashboards: groups under five are not shown, so nobody is singled out
FULFILMENT = ("copy_sent", "pin_given", "celebrated")

CYCLE_COLUMNS = [
    "number",
    "reference",
    "received",
    "nominee",
    "unit",
    "job_family",
    "nominator_type",
    "consent",
    "source",
    "blinded_approved",
    "scores",
    "weighted_mean",
    "median",
    "normalised",
    "rank",
    "tied",
    "shortlisted",
    "decision",
    "outcome",
]


def _csv(header: list[str], rows: list[list]) -> str:
    """The whole file at once (a cycle holds tens of rows), written like every other export."""
    return "".join(csv_lines(header, rows))


def cycle_csv(cycle: AwardCycle) -> str:
    standings = {standing.nomination.id: standing for standing in scoring.leaderboard(cycle)}
    rows = []
    for nomination in cycle.nominations:
        standing = standings[nomination.id]
        rows.append(
            [
                nomination.number,
                nomination.reference,
                nomination.created_at,
                nomination.nominee_name,
                nomination.unit.name if nomination.unit else "",
                nomination.nominee.job_family if nomination.nominee else "",
                nomination.nominator_type.value,
                nomination.consent,
                nomination.source_type,
                nomination.blinded_approved_at is not None,
                standing.scores,
                standing.weighted_mean,
                standing.median,
                standing.normalised,
                standing.rank,
                standing.tied,
                nomination.shortlisted,
                nomination.decision.value if nomination.decision else "",
                nomination.outcome.value if nomination.outcome else "",
            ]
        )
    audit.record("award_cycle_exported", "award_cycle", cycle.id, rows=len(rows))
    return _csv(CYCLE_COLUMNS, rows)


def daisy_record(nomination: Nomination, organisation: str) -> list[tuple[str, str]]:
    """The fields a DAISY Foundation honouree submission asks for, as (field, value) pairs."""
    nominee = nomination.nominee
    pairs = [
        ("programme", nomination.cycle.programme.name),
        ("cycle", nomination.cycle.name),
        ("organisation", organisation),
        ("unit", nomination.unit.name if nomination.unit else ""),
        ("nominee", nomination.nominee_name),
        ("nominee_job_title", nominee.job_title if nominee else ""),
        ("nominee_email", nominee.email if nominee else ""),
        ("nominator_type", nomination.nominator_type.value),
        ("nominator_consent", "yes" if nomination.consent else "no"),
        ("received", nomination.created_at.date().isoformat()),
        ("original_story", nomination.story),
        ("blinded_story", nomination.blinded_story),
    ]
    for criterion in nomination.cycle.programme.criteria:
        values = [
            score.value
            for assignment in nomination.assignments
            if assignment.submitted_at is not None
            for score in assignment.scores
            if score.criterion_id == criterion.id
        ]
        pairs.append((f"score: {criterion.name}", f"{sum(values) / len(values):.2f}" if values else ""))
    pairs += [
        ("decision", nomination.outcome.value if nomination.outcome else ""),
        ("rationale", nomination.rationale if nomination.outcome else ""),
        ("copy_sent", "yes" if nomination.copy_sent else "no"),
        ("pin_given", "yes" if nomination.pin_given else "no"),
        ("celebrated", "yes" if nomination.celebrated else "no"),
    ]
    return pairs


def daisy_csv(nomination: Nomination, organisation: str) -> str:
    audit.record("award_daisy_exported", "award_nomination", nomination.id)
    return _csv(["field", "value"], [list(pair) for pair in daisy_record(nomination, organisation)])


def set_fulfilment(nomination: Nomination, ticked: set[str]) -> None:
    before = {name: getattr(nomination, name) for name in FULFILMENT}
    for name in FULFILMENT:
        setattr(nomination, name, name in ticked)
    changed = {name: getattr(nomination, name) for name in FULFILMENT if before[name] != getattr(nomination, name)}
    if changed:
        audit.record("award_fulfilment_changed", "award_nomination", nomination.id, **changed)


def nomination_counts(cycle: AwardCycle) -> dict[str, list[dict]]:
    """Nominations per unit and per job family; groups under five are suppressed, not shown."""
    by_unit = Counter(nomination.unit.name if nomination.unit else "—" for nomination in cycle.nominations)
    by_family = Counter(
        (nomination.nominee.job_family or "—") if nomination.nominee else "—" for nomination in cycle.nominations
    )

    def rows(counter: Counter) -> list[dict]:
        return [
            {"group": group, "count": count if count >= MINIMUM_GROUP else None, "suppressed": count < MINIMUM_GROUP}
            for group, count in sorted(counter.items())
        ]

    return {"units": rows(by_unit), "job_families": rows(by_family)}

"""The award rules through the services: bad input, conflicts, balance, normalisation, held decisions."""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.awards.conftest import STORY, blind_all, nominate, to_phase
from tests.factories import PersonFactory
from tracker.awards import committee, decisions, exports, nominations, programmes, scoring
from tracker.extensions import db
from tracker.models import AwardDecision, CyclePhase, JudgeAssignment, OutboxMessage, Role
from tracker.validation import InvalidInput


def refused_fields(call, *args, **kwargs) -> dict:
    with pytest.raises(InvalidInput) as refused:
        call(*args, **kwargs)
    return refused.value.fields


# --- nominations --------------------------------------------------------------------------------


def test_a_patient_names_a_nurse_as_heard_and_the_matching_finds_her(programme, colleague, hospital):
    nomination = nominations.submit_nomination(
        programme, story=STORY, nominee_name="Mari", unit_slug="ellison-12", relation="patient", consent=True
    )
    assert nomination.nominee == colleague and nomination.unit == hospital["ellison-12"]


def test_a_team_can_be_nominated(programme, hospital):
    nomination = nominations.submit_nomination(
        programme, story=STORY, team_slug="ellison-14", relation="family", consent=True
    )
    assert nomination.team == hospital["ellison-14"] and nomination.nominee is None


@pytest.mark.parametrize(
    ("story", "field"),
    [("", "story"), ("   ", "story"), ("Too short.", "story"), ("x" * 5001, "story")],
)
def test_empty_short_or_huge_stories_are_refused(programme, colleague, story, field):
    assert field in refused_fields(nominate, programme, colleague, story=story)


def test_ineligible_and_inactive_nominees_are_refused_with_a_reason(programme, surgeon, colleague):
    (message,) = refused_fields(nominate, programme, surgeon)["nominee_name"]
    assert "John Smith" in message and "job family" in message
    colleague.active = False
    (message,) = refused_fields(nominate, programme, colleague)["nominee_name"]
    assert "not active" in message


def test_nobody_found_by_that_name_is_refused(programme):
    fields = refused_fields(
        nominations.submit_nomination,
        programme,
        story=STORY,
        nominee_name="Zebedee Quillfeather",
        relation="patient",
        consent=True,
    )
    assert "could not find" in fields["nominee_name"][0]


def test_consent_relation_contact_and_criteria_are_checked(programme, colleague):
    fields = refused_fields(
        nominations.submit_nomination,
        programme,
        story=STORY,
        nominee=colleague,
        relation="alien",
        contact_email="not-an-address",
        criterion_ids=[999999],
        consent=False,
    )
    assert {"relation", "contact_email", "criteria", "consent"} <= fields.keys()


def test_nominations_outside_nominating_are_refused(programme, cycle, judges, colleague, staff):
    nominate(programme, colleague)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    before = len(cycle.nominations)
    assert "programme" in refused_fields(nominate, programme, staff)
    db.session.expire_all()
    assert len(cycle.nominations) == before


def test_a_compliment_and_a_recognition_become_nominations(programme, colleague, staff):
    from tests.factories import FeedbackFactory, RecognitionFactory

    feedback = FeedbackFactory(message=STORY, consent_to_share=True, contact_email="son@example.org", language="pt")
    made = nominations.from_feedback(programme, feedback, colleague)
    assert (made.source_type, made.source_id, made.contact_email, made.language) == (
        "feedback",
        feedback.id,
        "son@example.org",
        "pt",
    )
    recognition = RecognitionFactory(giver=staff, recipients=[colleague], message=STORY)
    made = nominations.from_recognition(programme, recognition, None)
    assert (made.nominee, made.nominator, made.source_type) == (colleague, staff, "recognition")


# --- phases -------------------------------------------------------------------------------------


def test_judging_needs_every_blinded_copy_approved(programme, cycle, judges, colleague):
    nominate(programme, colleague)
    assert "Approve the blinded copy" in refused_fields(programmes.advance, cycle, CyclePhase.JUDGING)["phase"][0]
    assert cycle.phase == CyclePhase.NOMINATING


def test_cycle_dates_go_in_phase_order(programme):
    from tests.awards.conftest import DATES

    dates = {**DATES, "judging_from": DATES["nominating_from"].replace(year=2025)}
    assert "judging_from" in refused_fields(programmes.create_cycle, programme, name="Bad", dates=dates)


# --- conflicts and assignment -----------------------------------------------------------------


def test_automatic_conflicts(programme, cycle, hospital, colleague, staff, manager, root_judge, advisor):
    nomination = nominate(programme, colleague, nominator=staff, relation=None)
    sibling = PersonFactory(department=hospital["ellison-14"])
    assert "nominee" in committee.automatic_conflicts(nomination, colleague)
    assert "nominator" in committee.automatic_conflicts(nomination, staff)
    assert "manager" in committee.automatic_conflicts(nomination, manager)
    assert "unit" in committee.automatic_conflicts(nomination, staff)
    assert committee.automatic_conflicts(nomination, sibling) == ["department"]
    assert committee.automatic_conflicts(nomination, root_judge) == []
    assert committee.automatic_conflicts(nomination, advisor) == []


def test_a_declared_conflict_hands_the_nomination_to_another_judge(programme, cycle, judges, colleague, advisor):
    nomination = nominate(programme, colleague)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    assignment = (
        next(a for a in nomination.assignments if a.judge_id == advisor.id)
        if any(a.judge_id == advisor.id for a in nomination.assignments)
        else nomination.assignments[0]
    )
    judge = assignment.judge
    assert "reason" in refused_fields(committee.declare_conflict, assignment, "")
    replacement = committee.declare_conflict(assignment, "My neighbour wrote it.")
    db.session.expire_all()
    assert judge.id not in {a.judge_id for a in nomination.assignments}
    assert replacement is not None and replacement.judge_id != judge.id
    assert committee.is_conflicted(nomination, judge)
    assert scoring.assignment_for(judge, assignment.id) is None


def test_assignment_is_balanced(programme, cycle, hospital):
    programme.judges_per_nomination = 3
    people = [PersonFactory(department=None, roles={Role.PFAC}, job_family="") for _ in range(7)]
    for person in people:
        committee.add_member(programme, person.email)
    for _ in range(10):
        nominate(programme, PersonFactory(department=hospital["ellison-12"]))
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    loads = {person.id: 0 for person in people}
    for nomination in cycle.nominations:
        judges = [a.judge_id for a in nomination.assignments]
        assert len(judges) == len(set(judges)) == 3
        for judge_id in judges:
            loads[judge_id] += 1
    assert sum(loads.values()) == 30 and max(loads.values()) - min(loads.values()) <= 1


def test_too_few_judges_without_conflicts_is_refused(programme, cycle, hospital, surgery_judge):
    committee.add_member(programme, surgery_judge.email)
    nominate(programme, PersonFactory(department=hospital["ellison-12"]))
    blind_all(cycle)
    assert "needs 2 judges" in refused_fields(programmes.advance, cycle, CyclePhase.JUDGING)["phase"][0]


# --- scoring ------------------------------------------------------------------------------------


@pytest.fixture
def judging(programme, cycle, judges, colleague, staff):
    nominate(programme, colleague)
    nominate(programme, staff)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    return cycle


def test_bad_scores_are_refused_and_change_nothing(judging, programme):
    assignment = judging.nominations[0].assignments[0]
    compassion, skill, _beyond = programme.criteria
    cases = [
        {compassion.id: 0, skill.id: 3},
        {compassion.id: 6, skill.id: 3},
        {compassion.id: "x", skill.id: 3},
        {compassion.id: 3},  # a required criterion left out
        {compassion.id: 3, skill.id: 3, 999999: 3},
        {"not-a-number": 3},
    ]
    for scores in cases:
        refused_fields(scoring.submit, assignment, scores)  # refused before anything is written
    db.session.expire_all()
    assert assignment.submitted_at is None and assignment.scores == []


def test_a_judge_scores_once_and_sees_others_only_after(judging, programme):
    first, second = judging.nominations[0].assignments[:2]
    ids = [c.id for c in programme.criteria]
    scoring.submit(second, {ids[0]: 5, ids[1]: 5})
    assert scoring.other_totals(first) == []  # not submitted yet: nothing to see
    scoring.submit(first, {ids[0]: 4, ids[1]: 1}, {ids[0]: "Lovely."}, "Good.")
    assert scoring.other_totals(first) == [5.0]
    assert scoring.weighted_total(first) == pytest.approx((2 * 4 + 1) / 3)
    with pytest.raises(scoring.AlreadyScored):
        scoring.submit(first, {ids[0]: 1, ids[1]: 1})


def test_normalisation_worked_example():
    """Judge 1 is lenient (5, 4, 3), judge 2 harsh (3, 2, 1): after normalising they agree.

    All six totals: mean 3, population spread √(10/6) ≈ 1.291. Each judge's own mean is 4 and 2, spread
    √(2/3) ≈ 0.816, so their z-scores are +1.225, 0, −1.225, rescaled to 3 ± 1.225 × 1.291 = 4.58 and 1.42.
    """
    totals = {(1, 10): 5.0, (1, 20): 4.0, (1, 30): 3.0, (2, 10): 3.0, (2, 20): 2.0, (2, 30): 1.0}
    result = scoring.normalise(totals)
    high = 3 + math.sqrt(3 / 2) * math.sqrt(10 / 6)
    assert result[(1, 10)] == pytest.approx(high) == pytest.approx(4.5811, abs=1e-4)
    assert result[(2, 10)] == pytest.approx(high)
    assert result[(1, 20)] == result[(2, 20)] == pytest.approx(3.0)
    assert result[(1, 30)] == pytest.approx(6 - high) == pytest.approx(1.4189, abs=1e-4)
    # one score, or the same score everywhere, says nothing about leniency: the cycle's mean
    assert scoring.normalise({(1, 10): 5.0, (2, 10): 3.0, (2, 20): 3.0}) == {
        (1, 10): pytest.approx(11 / 3),
        (2, 10): pytest.approx(11 / 3),
        (2, 20): pytest.approx(11 / 3),
    }


def test_leaderboard_means_medians_counts_and_ties(judging, programme):
    ids = [c.id for c in programme.criteria]
    for nomination in judging.nominations:
        for assignment in nomination.assignments:
            scoring.submit(assignment, {ids[0]: 4, ids[1]: 4})
    standings = scoring.leaderboard(judging)
    assert [s.scores for s in standings] == [2, 2]
    assert all(s.weighted_mean == 4.0 and s.median == 4.0 for s in standings)
    assert all(s.tied for s in standings)


# --- decisions ----------------------------------------------------------------------------------


def test_a_decision_needs_deciding_a_score_and_a_rationale(judging, programme):
    first, second = judging.nominations
    assert "decision" in refused_fields(decisions.decide, first, AwardDecision.HONOUREE, "Why")
    ids = [c.id for c in programme.criteria]
    for assignment in first.assignments:
        scoring.submit(assignment, {ids[0]: 5, ids[1]: 5})
    to_phase(judging, CyclePhase.DECIDING)
    assert "has no scores" in refused_fields(decisions.decide, second, AwardDecision.HONOUREE, "Why")["decision"][0]
    assert "rationale" in refused_fields(decisions.decide, first, AwardDecision.HONOUREE, "")
    assert "decision" in refused_fields(decisions.decide, first, "knighthood", "Why")
    assert second.decision is None


def test_held_decisions_change_nothing_before_announcement(judging, programme, colleague):
    ids = [c.id for c in programme.criteria]
    for nomination in judging.nominations:
        for assignment in nomination.assignments:
            scoring.submit(assignment, {ids[0]: 5, ids[1]: 4})
    to_phase(judging, CyclePhase.DECIDING)
    first, second = judging.nominations
    decisions.decide(first, AwardDecision.HONOUREE, "Moving.")
    assert "all chosen" in refused_fields(decisions.decide, second, AwardDecision.HONOUREE, "Also.")["decision"][0]
    db.session.flush()
    assert first.outcome is None and first.announced_at is None
    assert decisions.honour_roll(programme) == []
    assert decisions.wall_honourees(None) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert ("decision", "") in exports.daisy_record(first, "General Hospital")
    assert not decisions.may_see_certificate(colleague, first)
    assert "Decide every nomination" in refused_fields(programmes.advance, judging, CyclePhase.ANNOUNCED)["phase"][0]
    decisions.decide(second, AwardDecision.HONOURABLE_MENTION, "Close.")
    to_phase(judging, CyclePhase.ANNOUNCED)
    assert first.outcome == AwardDecision.HONOUREE and decisions.honour_roll(programme) == [first]
    assert decisions.wall_honourees(None) == [first] and decisions.may_see_certificate(colleague, first)


def test_exports_and_counts(judging, programme):
    text = exports.cycle_csv(judging)
    assert text.startswith("\ufeffnumber,reference") and len(text.splitlines()) == 3  # a BOM, as every export
    first = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert datetime.fromisoformat(first["received"]) and first["consent"] in ("yes", "no")
    counts = exports.nomination_counts(judging)
    assert all(row["suppressed"] and row["count"] is None for row in counts["units"])
    exports.set_fulfilment(judging.nominations[0], {"pin_given"})
    assert judging.nominations[0].pin_given and not judging.nominations[0].copy_sent


def test_nominee_judged_by_no_assignment_of_theirs(judging, colleague):
    assert all(a.judge_id != colleague.id for n in judging.nominations for a in n.assignments)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JudgeAssignment)) == 4

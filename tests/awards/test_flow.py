"""A cycle from nominations to announcement, through the services."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.awards.conftest import blind_all, nominate, to_phase
from tests.factories import PersonFactory
from tracker.awards import committee, decisions, programmes, scoring
from tracker.extensions import db
from tracker.models import AuditEvent, AwardDecision, CyclePhase, OutboxMessage
from tracker.validation import InvalidInput


def score_all(cycle, value=4):
    for nomination in cycle.nominations:
        for assignment in nomination.assignments:
            scoring.submit(assignment, {c.id: value for c in cycle.programme.criteria})


def test_a_whole_cycle(cycle, programme, judges, colleague, staff):
    first = nominate(programme, colleague, contact_email="family@example.org", language="es")
    second = nominate(programme, staff)
    assert (first.number, second.number) == (1, 2)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    assert all(len(n.assignments) == 2 for n in cycle.nominations)
    score_all(cycle)
    to_phase(cycle, CyclePhase.DECIDING)
    decisions.decide(first, AwardDecision.HONOUREE, "Moving story.")
    decisions.decide(second, AwardDecision.NOT_THIS_TIME, "Next time.")
    assert first.outcome is None
    to_phase(cycle, CyclePhase.ANNOUNCED)
    assert first.outcome == AwardDecision.HONOUREE
    kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
    assert kinds.count("award_nominee") == 2 and "award_nominator" in kinds
    es = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "family@example.org"))
    assert "nominación" in es.subject.lower() or "nominación" in es.body_text.lower()
    assert decisions.honour_roll(programme) == [first]
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"award_phase_changed", "award_blinding_approved", "award_scored", "award_decided"} <= actions


def test_phases_only_move_forward(cycle):
    with pytest.raises(InvalidInput):
        programmes.advance(cycle, CyclePhase.NOMINATING)
    with pytest.raises(InvalidInput):
        programmes.advance(cycle, CyclePhase.DECIDING)
    with pytest.raises(InvalidInput):
        programmes.advance(cycle, "sideways")
    assert cycle.phase == CyclePhase.NOMINATING


def test_conflicted_judges_are_never_assigned(cycle, programme, judges, hospital, surgery_judge):
    surgeon_nurse = PersonFactory(name="Ines Duarte", department=hospital["white-6"], job_family="Nursing")
    nominate(programme, surgeon_nurse)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    (nomination,) = cycle.nominations
    assert surgery_judge.id not in {a.judge_id for a in nomination.assignments}
    assert committee.automatic_conflicts(nomination, surgery_judge) == ["unit"]

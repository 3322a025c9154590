"""The every-page sweeps' hospital: a few units, one person per role, and a record behind every page.

Recognitions, a moderation queue, cases (one resolved, with its letter), "you said, we did",
integrations, a TV display link, awards in judging and announced, and an imported survey export:
enough that each GET route of the URL map has something to show to somebody.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.factories import DepartmentFactory, FeedbackFactory, PersonFactory, RecognitionFactory
from tracker.cases.services import resolve
from tracker.extensions import db
from tracker.feedback.services import hospital_today, open_case
from tracker.models import (
    AwardDecision,
    CyclePhase,
    FeedbackStatus,
    FeedbackType,
    RecognitionStatus,
    Role,
    Source,
    Standard,
    Visibility,
)


def _hospital():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    surgery = DepartmentFactory(slug="surgery", name="Surgery", parent=root)
    units = {
        "ellison-12": DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine),
        "ellison-14": DepartmentFactory(slug="ellison-14", name="Ellison 14", parent=medicine),
        "cticu": DepartmentFactory(slug="cticu", name="Cardiothoracic Intensive Care Unit (Blake 8)", parent=medicine),
        "white-6": DepartmentFactory(slug="white-6", name="White 6", parent=surgery),
    }
    return root, medicine, units


def _awards(nurse, surgeon, judge, advisor):
    """DAISY in judging (the advisor's assignment), and a unit award already announced with an honouree."""
    from tracker.awards import blinding, committee, decisions, nominations, programmes, scoring

    day = hospital_today()
    dates = dict.fromkeys(("nominating_from", "judging_from", "deciding_from", "announced_on", "closes_on"), day)
    daisy = programmes.create_programme(
        name="DAISY Award",
        slug="daisy",
        description="For nurses whose compassion made a difference.",
        judges_per_nomination=1,
    )
    programmes.add_criterion(daisy, name="Compassion", description="Kindness shown to patient and family.")
    cycle = programmes.create_cycle(daisy, name="2026 Q4", dates=dates)
    committee.add_member(daisy, advisor.email)
    nomination = nominations.submit_nomination(
        daisy, story="She explained every step of the night to us.", nominee=nurse, relation="family", consent=True
    )
    blinding.approve(nomination, blinding.suggested_copy(nomination))
    programmes.advance(cycle, CyclePhase.JUDGING)

    hero = programmes.create_programme(name="Unit Hero", slug="unit-hero", judges_per_nomination=1)
    programmes.add_criterion(hero, name="Teamwork")
    past = programmes.create_cycle(hero, name="2026 Q3", dates=dates)
    committee.add_member(hero, judge.email)
    honoured = nominations.submit_nomination(
        hero,
        story="Covered three night shifts when the flu went round.",
        nominee=surgeon,
        relation="family",
        consent=True,
    )
    blinding.approve(honoured, blinding.suggested_copy(honoured))
    programmes.advance(past, CyclePhase.JUDGING)
    scoring.submit(honoured.assignments[0], {hero.criteria[0].id: 5})
    programmes.advance(past, CyclePhase.DECIDING)
    decisions.decide(honoured, AwardDecision.HONOUREE, "Steady and kind through a hard month.")
    programmes.advance(past, CyclePhase.ANNOUNCED)
    db.session.flush()
    return {
        "cycle_id": cycle.id,
        "nomination_id": nomination.id,
        "assignment_id": nomination.assignments[0].id,
        "certificate_id": honoured.id,
    }


def _survey_import(unit):
    """A survey vendor's mapping and one imported export, for the survey review pages."""
    from tests.surveys.conftest import ROWS, export, press_ganey
    from tracker.surveys import importing

    mapping = press_ganey({"E12": unit.id, "W6": unit.id})
    return mapping, importing.apply_plan(importing.plan_import(export(ROWS), "march.csv", mapping), None)


def build_hospital():
    """A hospital with a few units, one person per role, recognitions, a moderation queue, cases and awards."""
    from tests.security.test_authorization_matrix import _integration_records
    from tracker.displays import services as displays
    from tracker.yousaid import services as yousaid

    root, medicine, units = _hospital()
    unit = units["ellison-12"]
    staff = PersonFactory(name="Sam Okafor", email="nurse@example.org", department=unit)
    nurse = PersonFactory(
        name="Maximiliana Hernández-Castellanos", email="maria@example.org", department=units["cticu"]
    )
    manager = PersonFactory(
        name="Dana Whitfield", email="manager@example.org", department=unit, roles={Role.MANAGER}, manages=[medicine]
    )
    advocate = PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    PersonFactory(name="Morgan Reyes", email="admin@example.org", department=root, roles={Role.ADMIN})
    PersonFactory(name="Cora Whitby", email="coordinator@example.org", department=root, roles={Role.AWARD_COORDINATOR})
    advisor = PersonFactory(name="Pat Fenwick", email="advisor@example.org", department=None, roles={Role.PFAC})
    team = [staff, nurse] + [
        PersonFactory(department=list(units.values())[index % 3], show_on_walls=index != 2) for index in range(8)
    ]
    standards = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()
    now = datetime.now(UTC)
    recognitions = [
        RecognitionFactory(
            giver=team[index % len(team)],
            recipients=[team[(index * 3 + 1) % len(team)]],
            standards=standards[: 1 + index % len(standards)],
            source=Source.PATIENT if index % 4 == 0 else Source.PEER,
            created_at=now - timedelta(days=index * 2, hours=3),
        )
        for index in range(24)
    ]
    RecognitionFactory(giver=staff, recipients=[nurse], visibility=Visibility.PRIVATE)
    RecognitionFactory(giver=nurse, recipients=[staff], status=RecognitionStatus.PENDING)
    compliment = FeedbackFactory(unit=unit)
    FeedbackFactory(
        type=FeedbackType.CONCERN,
        unit=units["white-6"],
        message="Nobody answered the call bell for an hour and my father was left waiting in pain.",
        created_at=now - timedelta(days=4),
    )
    FeedbackFactory(type=FeedbackType.SUGGESTION, unit=unit, language="es", message="Más sillas, por favor.")
    case = open_case(
        FeedbackFactory(type=FeedbackType.CONCERN, unit=unit, message="The meal came cold three days running."),
        summary="Meals arrive cold",
    )
    resolved = open_case(FeedbackFactory(type=FeedbackType.CONCERN, unit=unit), summary="Noisy at night")
    resolve(resolved, advocate, contact="Luz Ortega", steps="Asked.", outcome="Quieter.", completed_on=hospital_today())
    suggestion = FeedbackFactory(
        type=FeedbackType.SUGGESTION, status=FeedbackStatus.NOTED, unit=unit, approved_message="More chairs."
    )
    yousaid.record_action(
        manager,
        summary="We added chairs.",
        unit_id=unit.id,
        month=hospital_today().strftime("%Y-%m"),
        feedback=suggestion,
    )
    channel, endpoint = _integration_records(unit)
    display_link, _token = displays.create_link(unit, "Corridor screen", manager)
    surgeon = PersonFactory(name="John Smith", email="john@example.org", department=units["white-6"])
    awards = _awards(nurse, surgeon, staff, advisor)
    survey_mapping, survey_import = _survey_import(unit)
    db.session.flush()
    standard = standards[0]
    arguments = {
        "unit_slug": unit.slug,
        "slug": unit.slug,
        "department_id": unit.id,
        "person_id": nurse.id,
        "standard_id": standard.id,
        "behaviour_id": standard.behaviors[0].id,
        "recognition_id": recognitions[1].id,
        "case_id": case.id,
        "feedback_id": compliment.id,
        "channel_id": channel.id,
        "endpoint_id": endpoint.id,
        "link_id": display_link.id,
        "cycle_id": awards["cycle_id"],
        "nomination_id": awards["nomination_id"],
        "assignment_id": awards["assignment_id"],
        "kind": "feedback",
        "record_id": compliment.id,
        "mapping_id": survey_mapping.id,
        "import_id": survey_import.id,
    }
    # Where one argument name means different records on different pages.
    overrides = {
        "awards.honour_roll": {"slug": "unit-hero"},
        "awards.nominate": {"slug": "daisy"},
        "awards.nominated": {"slug": "daisy"},
        "awards.programme": {"slug": "daisy"},
        "awards.certificate": {"nomination_id": awards["certificate_id"]},
        "cases.letter": {"case_id": resolved.id},
        "yousaid.record_for_case": {"case_id": resolved.id},
        "yousaid.record_for_suggestion": {"feedback_id": suggestion.id},
    }
    return arguments, overrides

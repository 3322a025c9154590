"""Award fixtures: a DAISY-like programme for nurses, its committee, and helpers to run a cycle."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import bearer  # noqa: F401  (the API fixture, for the award API tests)
from tests.factories import PersonFactory
from tracker.awards import blinding, committee, nominations, programmes
from tracker.extensions import db
from tracker.models import CyclePhase, Role

DATES = {
    "nominating_from": date(2026, 10, 1),
    "judging_from": date(2026, 12, 1),
    "deciding_from": date(2026, 12, 15),
    "announced_on": date(2027, 1, 5),
    "closes_on": date(2027, 1, 31),
}
STORY = "She sat with my father through the night and explained every step in words we understood."


@pytest.fixture
def coordinator(hospital):
    return PersonFactory(
        name="Cora Whitby",
        email="coordinator@example.org",
        department=hospital["hospital"],
        roles={Role.AWARD_COORDINATOR},
    )


@pytest.fixture
def advisor(db_session):
    """A patient and family advisor: an account that is not staff."""
    return PersonFactory(
        name="Pat Fenwick", email="advisor@example.org", department=None, job_title="", job_family="", roles={Role.PFAC}
    )


@pytest.fixture
def programme(hospital, coordinator):
    made = programmes.create_programme(
        name="DAISY Award",
        slug="daisy",
        description="For extraordinary nurses.",
        job_families=["Nursing"],
        honourees_per_cycle=1,
        judges_per_nomination=2,
    )
    programmes.add_criterion(made, name="Compassion", description="Kindness shown.", weight=2)
    programmes.add_criterion(made, name="Clinical skill", weight=1)
    programmes.add_criterion(made, name="Went beyond", weight=1, required=False)
    programmes.create_cycle(made, name="2026 Q4", dates=DATES)
    db.session.flush()
    return made


@pytest.fixture
def cycle(programme):
    return programmes.open_cycle(programme)


@pytest.fixture
def surgery_judge(hospital):
    return PersonFactory(
        name="Gwen Halloran", email="gwen@example.org", department=hospital["white-6"], job_title="Charge Nurse"
    )


@pytest.fixture
def root_judge(hospital):
    return PersonFactory(
        name="Omar Castellanos",
        email="omar@example.org",
        department=hospital["hospital"],
        job_title="Chaplain",
        job_family="Chaplaincy",
    )


@pytest.fixture
def judges(programme, surgery_judge, root_judge, advisor):
    for person in (surgery_judge, root_judge, advisor):
        committee.add_member(programme, person.email)
    return [surgery_judge, root_judge, advisor]


def nominate(programme, nominee, *, story=STORY, **extra):
    arguments = {"relation": "family", "consent": True, **extra}
    return nominations.submit_nomination(programme, story=story, nominee=nominee, **arguments)


def blind_all(cycle):
    for nomination in cycle.nominations:
        blinding.approve(nomination, blinding.suggested_copy(nomination))


def to_phase(cycle, phase: CyclePhase):
    while cycle.phase != phase:
        programmes.advance(cycle, programmes.next_phase(cycle))

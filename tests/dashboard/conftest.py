"""A small known dataset: every dashboard number for it is worked out by hand in the tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import RecognitionStatus, Source, Standard, Visibility


@pytest.fixture(autouse=True, params=["raw", "rollups"])
def counted_by(request, db_session):
    """Every dashboard test runs twice: on the raw tables, and on roll-ups built first and kept by deltas."""
    if request.param == "rollups":
        from tracker.dashboard import rollup

        rollup.rebuild()
    return request.param


@pytest.fixture
def standards(db_session):
    return db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()


@pytest.fixture
def known(hospital, staff, colleague, manager, surgeon, standards):
    """Medicine has 8 active people (6 on Ellison 12, 2 on Ellison 14) and one inactive.

    In the last 30 days: 5 recognitions in Medicine (one from a patient), 2 unacknowledged,
    acknowledged after 2, 4 and 1 whole days; 4 of the 8 people recognised; 2 of them gave.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    e12, e14 = hospital["ellison-12"], hospital["ellison-14"]
    p3 = PersonFactory(name="Ana Silva", department=e12, job_family="Nursing")
    p5 = PersonFactory(name="Ben Ode", department=e12, job_family="Support", show_on_walls=False)
    p6 = PersonFactory(name="Cy Lam", department=e12, job_family="Support")
    p4 = PersonFactory(name="Dee Rao", department=e14, job_family="Nursing")
    p7 = PersonFactory(name="Eli Koh", department=e14, job_family="Nursing")
    PersonFactory(name="Former Person", department=e12, active=False)
    a, b, c = standards[0], standards[1], standards[2]

    def recognise(giver, recipients, picked, days_ago, acknowledged_after=None, **extra):
        created = now - timedelta(days=days_ago)
        acknowledged = created + timedelta(days=acknowledged_after) if acknowledged_after is not None else None
        return RecognitionFactory(
            giver=giver,
            recipients=recipients,
            standards=picked,
            created_at=created,
            acknowledged_at=acknowledged,
            acknowledged_by=manager if acknowledged else None,
            **extra,
        )

    recognitions = {
        "r1": recognise(staff, [colleague], [a], 10, 2),
        "r2": recognise(colleague, [staff], [a, b], 9, 4.5),
        "r3": recognise(staff, [colleague], [b], 8),
        "r4": recognise(None, [p4], [a], 5, 1, source=Source.PATIENT, giver_name="A patient"),
        "r5": recognise(surgeon, [p3], [c], 3),
        "pending": recognise(staff, [colleague], [a], 2, status=RecognitionStatus.PENDING),
        "out_of_scope": recognise(staff, [surgeon], [a], 2),
        "old": recognise(colleague, [p5], [c], 200, 3, visibility=Visibility.PRIVATE),
    }
    db.session.flush()
    people = {"p3": p3, "p4": p4, "p5": p5, "p6": p6, "p7": p7}
    return {"now": now, "recognitions": recognitions, "people": people, "standards": (a, b, c)}

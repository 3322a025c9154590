"""Random sequences of writes, people moves, roster imports and day changes: ``verify`` never finds a difference."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PersonFactory
from tracker import clock
from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.models import Recognition, RecognitionRecipient, RecognitionStatus, Source, Standard

pytestmark = pytest.mark.parametrize("counted_by", ["rollups"], indirect=True)

PEOPLE = 6
STATUSES = [RecognitionStatus.PUBLISHED, RecognitionStatus.PENDING, RecognitionStatus.REJECTED]
SOURCES = [Source.PEER, Source.PATIENT, Source.LETTER]

people_subset = st.sets(st.integers(0, PEOPLE - 1), min_size=1, max_size=3)
standard_subset = st.sets(st.integers(0, 3), min_size=1, max_size=3)
recognition_index = st.integers(0, 50)

operations = st.one_of(
    st.tuples(
        st.just("create"),
        st.one_of(st.none(), st.integers(0, PEOPLE - 1)),
        people_subset,
        standard_subset,
        st.integers(0, 400),
        st.sampled_from(STATUSES),
        st.sampled_from(SOURCES),
    ),
    st.tuples(st.just("status"), recognition_index, st.sampled_from(STATUSES)),
    st.tuples(st.just("acknowledge"), recognition_index, st.floats(0, 20)),
    st.tuples(st.just("recipients"), recognition_index, people_subset),
    st.tuples(st.just("standards"), recognition_index, standard_subset),
    st.tuples(st.just("department"), recognition_index, st.integers(0, 2)),
    st.tuples(st.just("delete"), recognition_index),
    st.tuples(st.just("move"), st.integers(0, PEOPLE - 1), st.integers(0, 2)),
    st.tuples(st.just("leave"), st.integers(0, PEOPLE - 1), st.booleans()),
    st.tuples(st.just("job"), st.integers(0, PEOPLE - 1), st.sampled_from(["Nursing", "Support", ""])),
    st.tuples(st.just("roster"), st.integers(0, PEOPLE - 1), st.integers(0, 2)),
    st.tuples(st.just("day"), st.sampled_from([1, 2, 6, 29, 31, 89, 200, 366, -1])),
)


@pytest.fixture
def world(hospital):
    units = [hospital["ellison-12"], hospital["ellison-14"], hospital["white-6"]]
    people = [
        PersonFactory(name=f"Person {n}", department=units[n % 3], employee_id=f"P{n}", job_family="Nursing")
        for n in range(PEOPLE)
    ]
    standards = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()
    db.session.flush()
    return {"units": units, "people": people, "standards": standards}


def _apply(operation, world, recognitions: list[Recognition], shift: list[timedelta]) -> None:
    kind, *args = operation
    people, units, standards = world["people"], world["units"], world["standards"]
    target = recognitions[args[0] % len(recognitions)] if recognitions and isinstance(args[0], int) else None
    if kind == "create":
        giver, recipients, picked, days_ago, status, source = args
        created = clock.now() - timedelta(days=days_ago, minutes=days_ago)
        recognition = Recognition(
            giver_id=people[giver].id if giver is not None and giver not in recipients else None,
            source=source,
            status=status,
            created_at=created,
            department_id=people[min(recipients)].department_id,
            message="A story",
            standards=[standards[i] for i in sorted(picked)],
            recipient_rows=[
                RecognitionRecipient(person_id=people[i].id, department_id=people[i].department_id)
                for i in sorted(recipients)
            ],
        )
        db.session.add(recognition)
        recognitions.append(recognition)
    elif target is None and kind in {"status", "acknowledge", "recipients", "standards", "department", "delete"}:
        return
    elif kind == "status":
        target.status = args[1]
    elif kind == "acknowledge":
        target.acknowledged_at = target.created_at + timedelta(days=args[1])
    elif kind == "recipients":
        target.recipient_rows = [
            RecognitionRecipient(person_id=people[i].id, department_id=people[i].department_id) for i in sorted(args[1])
        ]
    elif kind == "standards":
        target.standards = [standards[i] for i in sorted(args[1])]
    elif kind == "department":
        target.department_id = units[args[1]].id
    elif kind == "delete":
        db.session.delete(target)
        recognitions.remove(target)
    elif kind == "move":
        people[args[0]].department_id = units[args[1]].id
    elif kind == "leave":
        people[args[0]].active = args[1]
    elif kind == "job":
        people[args[0]].job_family = args[1]
    elif kind == "roster":
        from tracker.roster import apply_plan, parse, plan_import

        person = people[args[0]]
        db.session.flush()
        text = f"employee_id,name,email,job_title,department\n{person.employee_id},{person.name},{person.email},"
        text += f"Nurse,{units[args[1]].slug}\n"
        apply_plan(plan_import(parse(text.encode())))
        db.session.expire_all()
    elif kind == "day":
        shift[0] += timedelta(days=args[0])
        db.session.flush()
        rollup.move_windows()
    db.session.flush()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(operations, min_size=1, max_size=14))
def test_any_sequence_of_writes_keeps_every_rollup_equal_to_a_recount(world, monkeypatch, sequence):
    real_now = clock.now
    shift = [timedelta()]
    monkeypatch.setattr(clock, "now", lambda: real_now() + shift[0])
    savepoint = db.session.begin_nested()
    try:
        rollup.rebuild()
        recognitions: list[Recognition] = []
        for operation in sequence:
            _apply(operation, world, recognitions, shift)
        _compared, differences = rollup.verify(limit=0)
        assert differences == [], (sequence, differences[:5])
    finally:
        savepoint.rollback()
        db.session.expire_all()
        monkeypatch.setattr(clock, "now", real_now)

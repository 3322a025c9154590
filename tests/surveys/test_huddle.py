"""The huddle pack reads the week's approved survey comments aloud, redacted, under each icare standard."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import first_standard
from tests.surveys.conftest import ROWS, export
from tracker import clock
from tracker.extensions import db
from tracker.models import Standard, SurveyComment
from tracker.surveys import importing, services


def _approve(advocate, mapping, lines: list[int], standards: list[Standard]):
    batch = importing.apply_plan(importing.plan_import(export(ROWS), "march.csv", mapping), None)
    ids = list(db.session.scalars(sa.select(SurveyComment.id).where(SurveyComment.line.in_(lines))))
    services.approve(batch, ids, [s.key for s in standards], advocate)
    db.session.flush()
    return batch


def test_the_pack_groups_the_weeks_survey_compliments_by_standard(
    client, sign_in, manager, advocate, mapping, unit_people
):
    second = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()[1]
    _approve(advocate, mapping, [2, 4], [first_standard(), second])
    sign_in(manager)
    week = clock.hospital_today().isoformat()
    page = client.get(f"/units/ellison-12/huddle?week={week}").get_data(as_text=True)
    section = page[page.index("From patient surveys, by icare standard") :]
    assert section.count("Our nurse Maria and Dr. Patel were wonderful.") == 2  # once under each standard
    assert "food was cold" not in page  # a complaint is never read out as praise
    assert "Kevin the aide" not in page  # White 6's comment stays with White 6
    last_week = client.get("/units/ellison-12/huddle?week=2020-01-06").get_data(as_text=True)
    assert "From patient surveys" not in last_week


def test_the_verbatims_are_the_redacted_compliment(advocate, mapping, unit_people, hospital):
    rows = [["S7", "Q2", "E12", "03/02/2026", "Nurse Maria was wonderful with my dad, MRN 12345678.", "positive"]]
    batch = importing.apply_plan(importing.plan_import(export(rows), "f.csv", mapping), None)
    comment = db.session.scalar(sa.select(SurveyComment))
    services.approve(batch, [comment.id], [first_standard().key], advocate)
    groups = services.week_verbatims({hospital["ellison-12"].id}, clock.monday(clock.hospital_today()))
    assert [g.standard for g in groups] == [first_standard()]
    assert "12345678" not in groups[0].verbatims[0] and "Nurse Maria was wonderful" in groups[0].verbatims[0]

"""The roll-ups always equal the raw aggregates, however the recognitions were written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tracker.dashboard import counts, rollup
from tracker.dashboard.filters import resolve, today
from tracker.extensions import db
from tracker.models import RecognitionStatus, Source


def rollup_rows():
    weekly = db.session.execute(
        sa.select(rollup.WeeklyRecognitionCount.__table__).order_by(*rollup.WeeklyRecognitionCount.__table__.c)
    ).all()
    delays = db.session.execute(
        sa.select(rollup.WeeklyAcknowledgementDelay.__table__).order_by(*rollup.WeeklyAcknowledgementDelay.__table__.c)
    ).all()
    totals = db.session.execute(
        sa.select(rollup.PersonRecognitionTotal.__table__).order_by(rollup.PersonRecognitionTotal.person_id)
    ).all()
    return weekly, delays, totals


def assert_rollups_match_raw(viewer, standards):
    combinations = [
        {},
        {"since": today() - timedelta(days=29)},
        {"since": today() - timedelta(days=12), "until": today() - timedelta(days=4)},
        {"since": today() - timedelta(days=400), "source": "patient"},
        {"standard_key": standards[0].key},
        {"department_slug": "ellison-14"},
    ]
    for arguments in combinations:
        chosen = resolve(viewer, **arguments)
        for by in [(), ("week", "source"), ("department", "standard"), ("source",)]:
            assert counts.recognition_counts(chosen, by) == counts.raw_recognition_counts(chosen, by), (arguments, by)
        assert counts.acknowledgement_delays(chosen) == counts.raw_acknowledgement_delays(chosen), arguments
    incremental = rollup_rows()
    rollup.rebuild()
    assert rollup_rows() == incremental


def test_rollups_equal_raw_aggregates_after_inserts(known, manager, admin, standards):
    assert_rollups_match_raw(admin, standards)
    assert_rollups_match_raw(manager, standards)


def test_rollups_follow_status_changes_acknowledgements_and_deletes(known, admin, standards, manager, staff, colleague):
    recognitions = known["recognitions"]
    recognitions["pending"].status = RecognitionStatus.PUBLISHED
    recognitions["r1"].status = RecognitionStatus.REJECTED
    recognitions["r3"].acknowledged_at = datetime.now(UTC)
    recognitions["r2"].standards = [standards[3]]
    recognitions["r5"].created_at -= timedelta(days=40)
    db.session.flush()
    db.session.delete(recognitions["r4"])
    db.session.flush()
    RecognitionFactory(giver=staff, recipients=[colleague], source=Source.LETTER, department=None)
    assert_rollups_match_raw(admin, standards)
    totals = {row.person_id: row for row in rollup_rows()[2]}
    assert totals[colleague.id].received == 3  # r3, the published "pending" one and the letter; r1 was rejected
    assert totals[staff.id].given == 4


@pytest.mark.parametrize("weekday_offset", range(7))
def test_week_start_is_the_monday_on_either_database(db_session, weekday_offset):
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=UTC) + timedelta(days=weekday_offset)  # 2 March 2026 is a Monday
    week = db.session.scalar(sa.select(rollup.week_start(sa.literal(moment, rollup.UTCDateTime()))))
    assert str(week)[:10] == "2026-03-02"

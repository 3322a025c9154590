"""The roll-ups always equal the raw aggregates, however the recognitions were written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tracker.dashboard import counts, rollup
from tracker.dashboard.filters import resolve, today
from tracker.extensions import db
from tracker.models import RecognitionStatus, Source, UTCDateTime

ROLLUPS = (
    rollup.WeeklyRecognitionCount,
    rollup.WeeklyAcknowledgementDelay,
    rollup.WindowRecognitionCount,
    rollup.WindowWeeklyCount,
    rollup.WindowAcknowledgementDelay,
    rollup.PersonWindowTotal,
)


def rollup_rows():
    """Every roll-up row, in a stable order (zero rows are dropped: a rebuild does not write them)."""
    rows = []
    for model in ROLLUPS:
        table = model.__table__
        rows.append(db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all())
    return rows


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


@pytest.fixture
def built(db_session):
    """Roll-ups built before anything else is written, so every later write maintains them."""
    rollup.ensure_current()
    assert rollup.windows_as_of() == rollup.today()


def test_rollups_equal_raw_aggregates_after_inserts(built, known, manager, admin, standards):
    assert_rollups_match_raw(admin, standards)
    assert_rollups_match_raw(manager, standards)


def test_rollups_follow_status_changes_acknowledgements_and_deletes(
    built, known, admin, standards, manager, staff, colleague
):
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
    totals = {row.person_id: row for row in rollup_rows()[-1] if row.window_days == rollup.ALL_TIME}
    assert totals[colleague.id].received == 3  # r3, the published "pending" one and the letter; r1 was rejected
    assert totals[staff.id].given == 4


@pytest.mark.parametrize("weekday_offset", range(7))
def test_week_start_is_the_monday_on_either_database(db_session, weekday_offset):
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=UTC) + timedelta(days=weekday_offset)  # 2 March 2026 is a Monday
    week = db.session.scalar(sa.select(rollup.week_start(sa.literal(moment, UTCDateTime()))))
    assert str(week)[:10] == "2026-03-02"


def test_window_numbers_equal_the_raw_path(built, known, admin, manager, monkeypatch):
    """Every number a named period reads from the window roll-ups equals the same number from raw rows."""
    from tracker.dashboard import filters as dashboard_filters
    from tracker.dashboard import people, services

    def everything(viewer, period):
        chosen = dashboard_filters.from_query(viewer, {"period": period})
        page = services.page(viewer, chosen)
        page.pop("unacknowledged_list")
        page.pop("standard_rows")
        page["breakdown"] = sorted(people.breakdown(chosen))
        return page

    for viewer in (admin, manager):
        for period in ("30", "90", "365", "all"):
            assert dashboard_filters.from_query(viewer, {"period": period}).window is not None
            from_windows = everything(viewer, period)
            with monkeypatch.context() as patched:
                patched.setattr(dashboard_filters.Filters, "window", property(lambda self: None))
                from_raw = everything(viewer, period)
            assert from_windows == from_raw, (viewer.email, period)


def test_windows_move_forward_with_the_day(db_session, known, admin, staff, colleague, monkeypatch):
    """Built some days ago and kept current by writes since; the next day's first view moves them exactly."""
    real_today = rollup.today()
    for days_behind in (1, 6, 45, 400):
        monkeypatch.setattr(
            rollup.upkeep, "today", lambda days_behind=days_behind: real_today - timedelta(days=days_behind)
        )
        rollup.rebuild()
        RecognitionFactory(giver=staff, recipients=[colleague], created_at=datetime.now(UTC) - timedelta(days=2))
        monkeypatch.setattr(rollup.upkeep, "today", lambda: real_today)
        rollup.ensure_current()
        assert rollup.windows_as_of() == real_today
        moved = rollup_rows()
        rollup.rebuild()
        assert rollup_rows() == moved, days_behind


def test_people_who_move_leave_or_join_are_recounted(built, known, hospital, manager, staff, colleague):
    from tests.factories import PersonFactory
    from tracker.dashboard import people
    from tracker.dashboard.filters import resolve

    colleague.department = hospital["surgery"]
    staff.job_family = "Allied health"
    known["people"]["p3"].active = False
    PersonFactory(name="New Starter", department=hospital["ellison-12"])
    db.session.flush()
    incremental = rollup_rows()
    rollup.rebuild()
    assert rollup_rows() == incremental
    total, rows = people.not_recognised(resolve(manager), limit=50)
    assert "New Starter" in [row["name"] for row in rows]
    assert "Ana Silva" not in [row["name"] for row in rows]  # no longer active


def test_roster_imports_recount_the_people_they_change(built, known, hospital, staff, colleague):
    """The roster writes people with bulk SQL, which the session hook never sees."""
    from tracker.roster import apply_plan, parse, plan_import

    text = (
        "employee_id,name,email,job_title,department\n"
        f"E1,{staff.name},{staff.email},Registered Nurse,ellison-14\n"  # moves unit
        "E2,Ada New,ada.new@example.org,Registered Nurse,ellison-12\n"  # joins
    )
    apply_plan(plan_import(parse(text.encode())))
    db.session.expire_all()
    incremental = rollup_rows()
    rollup.rebuild()
    assert rollup_rows() == incremental
    rows = {row.person_id: row for row in incremental[-1] if row.window_days == rollup.ALL_TIME}
    assert rows[staff.id].department_id == hospital["ellison-14"].id
    assert any(row.received == 0 and row.last_received_at is None for row in rows.values())


def test_commands_rebuild_and_refresh(runner, known, monkeypatch):
    result = runner.invoke(args=["dashboard", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    built = rollup_rows()
    state = db.session.get(rollup.WindowState, 1)
    state.as_of = rollup.today() - timedelta(days=3)
    db.session.flush()
    result = runner.invoke(args=["dashboard", "refresh"])
    assert result.exit_code == 0, result.output
    assert f"current as of {rollup.today()}" in result.output
    assert rollup_rows() == built

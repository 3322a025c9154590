"""The roll-ups kept by deltas always equal a recount from the raw tables, whatever is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.factories import PersonFactory, RecognitionFactory
from tracker import clock
from tracker.dashboard import people, rollup, services
from tracker.dashboard.filters import resolve
from tracker.extensions import db
from tracker.models import RecognitionReply, RecognitionStatus, Source

# Tests about the roll-ups themselves run only with them built (the dashboard conftest runs the rest both ways).
rollups_only = pytest.mark.parametrize("counted_by", ["rollups"], indirect=True)


def assert_verified():
    compared, differences = rollup.verify(limit=0)
    assert differences == [], differences[:10]
    return compared


def rollup_statements():
    """Collect the SQL statements that write a roll-up table while the block runs."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        if "rollup_" in statement and not statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listen)


@rollups_only
def test_known_data_is_counted_by_deltas_equal_to_a_recount(known, manager):
    assert rollup.readable(db.session) is not None
    assert rollup.windows_current(db.session)
    assert assert_verified() > 0


@rollups_only
def test_status_changes_acknowledgements_recipients_standards_and_deletes(known, manager, surgeon):
    r = known["recognitions"]
    a, b, c = known["standards"]
    r["pending"].status = RecognitionStatus.PUBLISHED
    r["r1"].status = RecognitionStatus.REJECTED
    r["r3"].acknowledged_at = r["r3"].created_at + timedelta(days=6, hours=1)
    r["r2"].standards = [c]
    r["r5"].recipient_rows[0].person_id = known["people"]["p7"].id
    db.session.flush()
    assert_verified()
    db.session.delete(r["r4"])
    r["old"].department_id = None
    r["r2"].created_at = r["r2"].created_at - timedelta(days=100)
    db.session.flush()
    assert_verified()


@rollups_only
def test_edits_that_change_no_count_touch_no_rollup(known, staff):
    recognition = known["recognitions"]["r2"]
    seen, stop = rollup_statements()
    try:
        recognition.message = "Edited words"
        recognition.acknowledgement_note = "Noted at the huddle."
        db.session.add(RecognitionReply(recognition=recognition, author=staff, message="Thank you!"))
        db.session.flush()
    finally:
        stop()
    assert seen == []


@rollups_only
def test_a_new_recognition_costs_one_statement_a_table_and_no_recount(known, staff, colleague):
    from tracker.recognitions.services import create_peer_recognition

    seen, stop = rollup_statements()
    try:
        create_peer_recognition(
            staff,
            recipient_ids=[colleague.id],
            unit_slug=None,
            standard_keys=[standard.key for standard in known["standards"][:2]],
            behavior_keys=[],
            message="Thank you for staying late.",
            visibility="public",
        )
        db.session.flush()
    finally:
        stop()
    assert all("ON CONFLICT" in statement for statement in seen), seen
    assert len(seen) == 8  # weekly and daily cells, each per standard too, and the four per-person tables
    assert_verified()


@rollups_only
def test_a_rolled_back_write_leaves_the_rollups_as_they_were(known, staff, colleague):
    before = assert_verified()
    savepoint = db.session.begin_nested()
    RecognitionFactory(giver=staff, recipients=[colleague])
    db.session.flush()
    savepoint.rollback()
    assert assert_verified() == before


@rollups_only
def test_people_who_move_change_job_or_leave_are_counted_where_they_are(known, hospital, manager, colleague):
    colleague.department = hospital["white-6"]
    known["people"]["p3"].job_family = "Physicians"
    known["people"]["p4"].active = False
    db.session.flush()
    assert_verified()
    chosen = resolve(manager, since=clock.hospital_today() - timedelta(days=29))
    assert services.summary_for(chosen)[0]["tiles"]["people_in_scope"] == 6


@rollups_only
def test_roster_imports_keep_the_rollups_right(known, hospital, staff, colleague):
    from tracker.roster import apply_plan, parse, plan_import

    text = (
        "employee_id,name,email,job_title,department\n"
        f"E1,{staff.name},{staff.email},Nurse,white-6\n"
        f"E2,{colleague.name},{colleague.email},Nurse,ellison-12\n"
        "E3,New Person,new.person@example.org,Nurse,ellison-14\n"
    )
    apply_plan(plan_import(parse(text.encode())))
    assert_verified()


@rollups_only
def test_windows_move_forward_and_back_with_the_day(known, monkeypatch, manager, staff, colleague):
    real_now = clock.now()
    for days_ahead in (1, 6, 45, 400, 2):
        monkeypatch.setattr(clock, "now", lambda days_ahead=days_ahead: real_now + timedelta(days=days_ahead))
        assert rollup.move_windows() == "moved"
        assert rollup.move_windows() == "current"
        assert_verified()
        RecognitionFactory(giver=staff, recipients=[colleague], created_at=clock.now() - timedelta(hours=1))
        db.session.flush()
        assert_verified()


def test_stale_windows_and_other_releases_are_read_raw_and_agree(known, manager, monkeypatch, counted_by):
    chosen = resolve(manager, since=clock.hospital_today() - timedelta(days=29))
    expected = services.summary_for(chosen)[0]
    state = db.session.get(rollup.RollupState, 1)
    if state is not None:
        state.version = 1  # rows built by an earlier definition are never read
        db.session.flush()
    assert rollup.readable(db.session) is None
    assert people.current_window(chosen) is None
    assert services.summary_for(chosen)[0] == expected


@pytest.mark.parametrize(
    "filter_args",
    [
        {},
        {"source": "patient"},
        {"standard": 0},
        {"source": "peer", "standard": 1},
        {"period": "all"},
        {"period": "all", "standard": 2},
        {"period": "custom", "since": -40, "until": -3, "source": "peer"},
    ],
)
def test_every_filter_reads_the_same_numbers_as_the_raw_tables(known, admin, manager, filter_args, counted_by):
    from tracker.dashboard import filters as dashboard_filters

    args = dict(filter_args)
    if "standard" in args:
        args["standard"] = known["standards"][args["standard"]].key
    for field in ("since", "until"):
        if field in args:
            args[field] = (clock.hospital_today() + timedelta(days=args[field])).isoformat()
    for viewer in (admin, manager):
        chosen = dashboard_filters.from_query(viewer, args)
        page = services.page(viewer, chosen)
        state = db.session.get(rollup.RollupState, 1)
        if state is not None:
            db.session.delete(state)
            db.session.flush()
        raw = services.page(viewer, chosen)
        if state is not None:
            rollup.rebuild()
        for name in ("tiles", "weekly", "standards", "gini", "job_families", "units", "top_recognised"):
            assert page[name] == raw[name], name
        assert page["not_recognised_total"] == raw["not_recognised_total"]


def test_commands_rebuild_refresh_and_verify(runner, known, monkeypatch):
    result = runner.invoke(args=["dashboard", "rebuild"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["dashboard", "verify"])
    assert result.exit_code == 0 and "equal a recount" in result.output
    db.session.execute(sa.update(rollup.WeeklyCount).values(recognitions=rollup.WeeklyCount.recognitions + 1))
    result = runner.invoke(args=["dashboard", "verify"])
    assert result.exit_code == 1
    assert "rollup_weekly_counts" in result.output and "dashboard rebuild" in result.output
    real_now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: real_now + timedelta(days=3))
    result = runner.invoke(args=["dashboard", "refresh"])
    assert result.exit_code == 0 and "moved" in result.output, result.output
    assert rollup.windows_current(db.session)


def test_verify_says_when_the_rollups_were_never_built(runner, db_session, counted_by):
    if counted_by == "rollups":
        db.session.execute(sa.delete(rollup.RollupState))
    result = runner.invoke(args=["dashboard", "verify"])
    assert result.exit_code == 1
    assert "dashboard_rollup_state" in result.output


@rollups_only
def test_a_time_zone_change_is_read_raw_until_the_next_refresh_rebuilds(known, monkeypatch):
    from tracker import settings

    settings.set_value("timezone", "Asia/Tokyo")
    db.session.flush()
    assert rollup.readable(db.session) is None
    assert rollup.move_windows() == "rebuilt"
    assert rollup.readable(db.session).zone.key == "Asia/Tokyo"
    assert_verified()


@rollups_only
def test_patient_recognitions_without_a_department_are_counted(known, colleague):
    RecognitionFactory(giver=None, recipients=[colleague], source=Source.PATIENT, department=None)
    PersonFactory(name="Nobody Yet")
    db.session.flush()
    assert_verified()


@rollups_only
def test_losing_the_latest_recognition_brings_back_the_one_before(known, colleague):
    latest = known["recognitions"]["r3"]  # Maria's latest; r1 came two days earlier
    latest.status = RecognitionStatus.REJECTED
    db.session.flush()
    assert_verified()
    row = db.session.get(rollup.PersonWindow, (rollup.ALL_TIME, colleague.id))
    assert row.last_received_at == known["recognitions"]["r1"].created_at

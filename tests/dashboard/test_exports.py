"""Each dashboard chart's table as a CSV file: the page's numbers, filters and scope, audited once sent."""

from __future__ import annotations

import codecs

import pytest
import sqlalchemy as sa

from tests import csv_files
from tests.factories import PersonFactory, RecognitionFactory
from tracker.dashboard import filters as dashboard_filters
from tracker.dashboard import people, services
from tracker.extensions import db
from tracker.models import AuditEvent

CHART_FILES = ("weekly", "standards", "heat-map", "units", "job-families", "equity")


def _get(client, kind: str, query: str = "", **headers):
    return client.get(f"/dashboard/export/{kind}.csv?{query}", headers=headers, buffered=True)


def _filters(manager, **args):
    return dashboard_filters.from_query(manager, args)


def test_weekly_and_standards_files_hold_the_page_numbers(known, manager, sign_in):
    client = sign_in(manager)
    chosen = _filters(manager, period="90")
    weekly = csv_files.rows(_get(client, "weekly", "period=90"), "weekly")
    assert [(row["week_starting"], row["source"], int(row["recognitions"])) for row in weekly] == [
        (row["week"], row["source"], row["recognitions"]) for row in services.weekly(chosen)
    ]
    assert [row["week_starting"] for row in weekly] == sorted(row["week_starting"] for row in weekly)  # oldest first
    mix = csv_files.rows(_get(client, "standards", "period=90"), "standards")
    expected = services.standard_mix(chosen, services.active_standards())
    assert [(row["standard"], int(row["recognitions"])) for row in mix] == [
        (row["name"], row["recognitions"]) for row in expected
    ]
    assert sum(int(row["recognitions"]) for row in mix) > 0


def test_heat_map_file_is_the_grid_the_page_draws(known, manager, sign_in):
    response = _get(sign_in(manager), "heat-map", "period=30")
    grid = services.heat_map(_filters(manager, period="30"), services.active_standards())
    assert csv_files.header(response) == ["department", *grid["standards"]]
    rows = csv_files.rows(response, "heat-map")
    assert [row["department"] for row in rows] == grid["departments"] == ["Ellison 12", "Ellison 14"]
    assert [[int(row[name]) for name in grid["standards"]] for row in rows] == grid["values"]


def test_coverage_files_suppress_small_groups_as_the_page_does(known, manager, sign_in):
    client = sign_in(manager)
    breakdown = people.breakdown(_filters(manager, period="30"))
    for kind, by in (("units", "unit"), ("job-families", "job_family")):
        rows = csv_files.rows(_get(client, kind, "period=30"), kind)
        expected = people.groups(breakdown, by)
        assert [row["group"] for row in rows] == [group["group"] for group in expected]
        for row, group in zip(rows, expected, strict=True):
            if group["suppressed"]:
                assert row["suppressed"] == "yes"
                assert row["active_people"] == row["recognised"] == row["coverage_percent"] == row["recognitions"] == ""
            else:
                assert row["suppressed"] == "no"
                assert (int(row["active_people"]), int(row["recognised"])) == (group["people"], group["recognised"])
                assert float(row["coverage_percent"]) == group["coverage"]
    units = {row["group"]: row for row in csv_files.rows(_get(client, "units", "period=30"), "units")}
    assert set(units) == {"Ellison 12", "Ellison 14"}  # the manager's subtree only
    assert units["Ellison 14"]["suppressed"] == "yes" and units["Ellison 14"]["active_people"] == ""
    assert units["Ellison 12"]["active_people"] == "6"


def test_equity_file_holds_the_lorenz_points_and_the_gini(known, manager, sign_in):
    rows = csv_files.rows(_get(sign_in(manager), "equity", "period=30"), "equity")
    histogram = people.histogram_of(people.breakdown(_filters(manager, period="30")))
    points = people.lorenz_points(histogram)
    assert [(float(row["share_of_people_percent"]), float(row["share_of_recognitions_percent"])) for row in rows] == [
        (round(100 * x, 1), round(100 * y, 1)) for x, y in points
    ]
    assert {row["gini"] for row in rows} == {str(people.gini(histogram))}
    assert rows[-1]["share_of_people_percent"] == "100.0"


def test_standards_are_named_in_the_readers_language(known, manager, sign_in, standards):
    first = standards[0]
    first.translations = {"es": {"name": "Compasión en español"}}
    db.session.flush()
    client = sign_in(manager)
    mix = csv_files.rows(_get(client, "standards", "period=30", **{"Accept-Language": "es"}), "standards")
    assert mix[0]["standard"] == "Compasión en español"
    heat = _get(client, "heat-map", "period=30", **{"Accept-Language": "es"})
    assert "Compasión en español" in csv_files.header(heat)
    spanish = _get(client, "recognitions", "period=30", **{"Accept-Language": "es"})
    recognitions = csv_files.rows(spanish, "recognitions")
    assert any("Compasión en español" in row["standards"] for row in recognitions)
    assert not any(first.key in row["standards"] for row in recognitions)  # names, never keys
    english = csv_files.rows(_get(client, "standards", "period=30"), "standards")
    assert english[0]["standard"] == first.name


def test_recognitions_are_newest_first_with_iso_dates(known, manager, sign_in):
    rows = csv_files.rows(_get(sign_in(manager), "recognitions", "period=all"), "recognitions")
    created = [row["created_at"] for row in rows]
    assert created == sorted(created, reverse=True)
    assert all(value.endswith("+00:00") and "T" in value for value in created)
    acknowledged = [row["acknowledged_at"] for row in rows if row["acknowledged_at"]]
    assert acknowledged and all("T" in value for value in acknowledged)


def test_not_recognised_lists_the_never_recognised_then_the_longest_waiting(known, manager, sign_in):
    rows = csv_files.rows(_get(sign_in(manager), "not-recognised"), "not-recognised")
    never = [row for row in rows if not row["last_recognised_on"]]
    waiting = [row for row in rows if row["last_recognised_on"]]
    assert rows == never + waiting
    assert [row["last_recognised_on"] for row in waiting] == sorted(row["last_recognised_on"] for row in waiting)
    ben = next(row for row in rows if row["name"] == "Ben Ode")
    assert len(ben["last_recognised_on"]) == 10 and ben["days_since"] == "200"  # an ISO day


def test_a_manager_gets_only_their_subtree(known, manager, other_manager, sign_in, client):
    sign_in(manager)
    assert _get(client, "units", "department=surgery").status_code == 403
    client.post_form("/logout")
    sign_in(other_manager)
    units = csv_files.rows(_get(client, "units", "period=all"), "units")
    assert {row["group"] for row in units} == {"White 6"}
    heat = csv_files.rows(_get(client, "heat-map", "period=all"), "heat-map")
    assert [row["department"] for row in heat] == ["White 6"]  # one department: one row, as the page draws it


@pytest.mark.parametrize("kind", CHART_FILES)
def test_staff_and_advocates_may_not_export(known, staff, advocate, sign_in, client, kind):
    sign_in(staff)
    assert _get(client, kind).status_code == 403
    client.post_form("/logout")
    sign_in(advocate)
    assert _get(client, kind).status_code == 403


@pytest.mark.parametrize("kind", CHART_FILES)
def test_each_file_is_audited_with_its_filters_once_sent(known, manager, sign_in, kind):
    rows = csv_files.rows(_get(sign_in(manager), kind, "period=90&source=peer"), kind)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "dashboard.export")).all()
    assert [(event.object_id, event.actor_id) for event in events] == [(kind, manager.id)]
    assert events[0].details == {"period": "90", "source": "peer", "rows": len(rows)}


@pytest.mark.parametrize("kind", CHART_FILES)
@pytest.mark.parametrize("query", ["period=week&source=pigeon", "period=custom&since=2026-02-30", "department=nowhere"])
def test_bad_filters_answer_the_page_with_messages(manager, sign_in, kind, query):
    response = _get(sign_in(manager), kind, query)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert not db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("dashboard.export%"))).all()


def test_a_nul_in_a_filter_is_refused_not_a_500(manager, sign_in):
    assert _get(sign_in(manager), "weekly", "standard=%00").status_code == 400


def test_formula_like_text_is_neutralised(known, manager, sign_in, hospital):
    for _ in range(5):
        PersonFactory(department=hospital["ellison-12"], job_family='=HYPERLINK("http://x")')
    rows = csv_files.rows(_get(sign_in(manager), "job-families", "period=30"), "job-families")
    assert '\'=HYPERLINK("http://x")' in {row["group"] for row in rows}


def test_a_large_view_streams_in_batches(known, manager, sign_in, standards, monkeypatch):
    from tracker import exports

    monkeypatch.setattr(exports, "BATCH", 2)
    colleague = known["people"]["p6"]
    for _ in range(5):
        RecognitionFactory(giver=colleague, recipients=[known["people"]["p7"]], standards=standards[:2])
    response = _get(sign_in(manager), "recognitions", "period=all")
    rows = csv_files.rows(response, "recognitions")
    assert len({row["id"] for row in rows}) == len(rows) == 11  # every row once, across batches
    assert response.get_data().count(codecs.BOM_UTF8) == 1

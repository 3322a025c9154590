"""Every number of the dashboard on a small known dataset, worked out by hand (see conftest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.exceptions import Forbidden

from tracker.clock import hospital_today as today
from tracker.dashboard import missed, people, services
from tracker.dashboard.counts import median
from tracker.validation import InvalidInput


def last_30_days(viewer, **kwargs):
    return services.summary(viewer, since=today() - timedelta(days=29), until=today(), **kwargs)


def test_tiles_for_a_manager_in_the_last_30_days(known, manager):
    tiles = last_30_days(manager)["tiles"]
    assert tiles["recognitions"] == 5
    assert tiles["patient_compliments"] == 1
    assert tiles["people_recognised"] == 4
    assert tiles["coverage"] == 50.0  # 4 of 8 active people
    assert tiles["participation"] == 25.0  # Sam and Maria gave
    assert tiles["unacknowledged"] == 2
    assert tiles["median_days_to_acknowledge"] == 2.0  # 1, 2 and 4 whole days


def test_gini_and_standard_mix(known, manager):
    numbers = last_30_days(manager)
    # received: 2, 1, 1, 1 and four people with none → G = 2·34/(8·5) − 9/8
    assert numbers["gini"] == 0.575
    a, b, c = known["standards"]
    mix = {row["key"]: row["recognitions"] for row in numbers["standards"]}
    assert (mix[a.key], mix[b.key], mix[c.key]) == (3, 2, 1)
    assert sum(row["recognitions"] for row in numbers["weekly"]) == 5


def test_all_time_uses_the_totals_and_agrees(known, manager):
    numbers = services.summary(manager)
    assert numbers["tiles"]["recognitions"] == 6
    assert numbers["tiles"]["people_recognised"] == 5
    assert numbers["tiles"]["coverage"] == 62.5
    assert numbers["gini"] == 0.458
    assert numbers["tiles"]["median_days_to_acknowledge"] == 2.5  # 1, 2, 3 and 4 days


def test_filters_by_department_source_and_standard(known, manager):
    a, _b, c = known["standards"]
    assert last_30_days(manager, department_slug="ellison-14")["tiles"]["recognitions"] == 1
    assert last_30_days(manager, source="patient")["tiles"]["recognitions"] == 1
    by_standard = last_30_days(manager, standard_key=a.key)["tiles"]
    assert by_standard["recognitions"] == 3
    assert by_standard["median_days_to_acknowledge"] == 2.0  # r1 2, r2 4, r4 1
    assert last_30_days(manager, standard_key=c.key)["tiles"]["people_recognised"] == 1


def test_admin_sees_the_whole_hospital(known, admin):
    tiles = last_30_days(admin)["tiles"]
    assert tiles["recognitions"] == 6  # the recognition of the surgeon counts too
    assert tiles["people_recognised"] == 5


def test_groups_under_five_people_are_suppressed(known, manager):
    from tracker.dashboard.filters import resolve

    chosen = resolve(manager, since=today() - timedelta(days=29))
    rows = people.breakdown(chosen)
    units = {row["group"]: row for row in people.groups(rows, "unit")}
    assert units["Ellison 14"]["suppressed"] is True
    assert units["Ellison 14"]["people"] is None and units["Ellison 14"]["coverage"] is None
    assert units["Ellison 12"] == {
        "group": "Ellison 12",
        "people": 6,
        "recognised": 3,
        "coverage": 50.0,
        "recognitions": 4,
        "suppressed": False,
    }
    families = {row["group"]: row for row in people.groups(rows, "job_family")}
    assert families["Support"]["suppressed"] is True  # two people
    assert families["Nursing"]["people"] == 6


def test_top_lists_honour_the_opt_out(known, manager, colleague):
    from tracker.dashboard.filters import resolve

    everything = resolve(manager)
    names = [row["name"] for row in people.top_recognised(everything)]
    assert names[0] == colleague.name
    assert "Ben Ode" not in names  # recognised, but asked to stay off leaderboards
    givers = [row["name"] for row in people.top_givers(everything)]
    assert givers[:2] == ["Sam Okafor", "Maria Lopez"]  # 3 and 2 published


def test_not_recognised_list(known, manager):
    from tracker.dashboard.filters import resolve

    total, rows = missed.not_recognised(resolve(manager), limit=50)
    names = [row["name"] for row in rows]
    # Dana (manager), Cy and Eli never; Ben's only recognition was 200 days ago.
    assert total == 4
    assert names[:3] == sorted(["Dana Whitfield", "Cy Lam", "Eli Koh"])
    assert rows[3]["name"] == "Ben Ode" and rows[3]["days_since"] == 200


def test_median_of_a_histogram():
    assert median({}) is None
    assert median({3: 1}) == 3.0
    assert median({1: 1, 2: 1, 4: 1}) == 2.0
    assert median({1: 2, 5: 2}) == 3.0


def test_gini_of_known_distributions():
    assert people.gini({5: 4}) == 0.0
    assert people.gini({0: 3, 9: 1}) == 0.75
    assert people.gini({0: 5}) is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"since": "2026-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "since"),
        ({"department_slug": "no-such-ward"}, "department"),
        ({"standard_key": "no-such-standard"}, "standard"),
        ({"source": "carrier-pigeon"}, "source"),
        ({"department_slug": "ellison\x0012"}, "department"),
        ({"standard_key": "a\x00"}, "standard"),
    ],
)
def test_bad_filters_are_refused_by_field(manager, arguments, field):
    with pytest.raises(InvalidInput) as refused:
        services.summary(manager, **arguments)
    assert field in refused.value.fields


def test_a_department_outside_the_subtree_is_forbidden(manager, other_manager):
    with pytest.raises(Forbidden):
        services.summary(manager, department_slug="surgery")

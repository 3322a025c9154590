"""GET /api/v1/dashboard/summary: managers for their own subtree, administrators for all, nobody else."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_fields
from tests.factories import RecognitionFactory


@pytest.fixture
def recognised(staff, colleague, surgeon):
    RecognitionFactory(giver=colleague, recipients=[staff])
    RecognitionFactory(giver=staff, recipients=[colleague])
    RecognitionFactory(giver=colleague, recipients=[surgeon])


@pytest.mark.parametrize("role", ["staff", "advocate"])
def test_only_managers_and_admins(request, client, bearer, role):
    response = client.get("/api/v1/dashboard/summary", headers=bearer(request.getfixturevalue(role)))
    assert response.status_code == 403
    error_fields(response)


def test_needs_sign_in(client):
    assert client.get("/api/v1/dashboard/summary").status_code == 401


def test_admin_sees_the_whole_hospital(client, bearer, admin, recognised):
    response = client.get("/api/v1/dashboard/summary", headers=bearer(admin))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"filters", "tiles", "weekly", "standards", "gini"}
    assert body["tiles"]["recognitions"] == 3
    assert sum(week["recognitions"] for week in body["weekly"]) == 3
    assert {s["key"] for s in body["standards"]} >= {"communicate"}


def test_manager_sees_own_subtree_only(client, bearer, manager, recognised):
    headers = bearer(manager)
    mine = client.get("/api/v1/dashboard/summary", headers=headers).get_json()
    assert mine["tiles"]["recognitions"] == 2
    assert client.get("/api/v1/dashboard/summary?department=ellison-12", headers=headers).status_code == 200
    outside = client.get("/api/v1/dashboard/summary?department=surgery", headers=headers)
    assert outside.status_code == 403
    error_fields(outside)


@pytest.mark.parametrize(
    "query, field",
    [
        ("department=nowhere", "department"),
        ("standard=nope", "standard"),
        ("source=pigeon", "source"),
        ("since=2026-02-30", "since"),
        ("since=2026-03-01&until=2026-02-01", "since"),
        ("until=9999-12-31", "until"),
        ("since=0001-01-01", "since"),
    ],
)
def test_bad_filters_are_field_errors(client, bearer, admin, query, field):
    response = client.get(f"/api/v1/dashboard/summary?{query}", headers=bearer(admin))
    assert response.status_code == 422
    assert field in error_fields(response)

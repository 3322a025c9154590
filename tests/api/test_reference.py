"""Standards, departments and the directory through the API."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_fields
from tests.factories import DepartmentFactory, PersonFactory


def test_standards_are_public_with_their_behaviours(client):
    response = client.get("/api/v1/standards")
    assert response.status_code == 200
    body = response.get_json()
    assert body["page"] == 1 and body["total"] == len(body["items"]) >= 1
    first = body["items"][0]
    assert set(first) == {"key", "name", "description", "color", "behaviors"}
    assert first["color"].startswith("#")
    assert all(set(b) == {"key", "name"} for b in first["behaviors"])


def test_departments_list_active_ones_with_parent_slugs(client, hospital):
    DepartmentFactory(slug="closed-ward", name="Closed ward", parent=hospital["medicine"], active=False)
    DepartmentFactory(slug="security", name="Police and Security", parent=hospital["hospital"], patient_facing=False)
    body = client.get("/api/v1/departments?per_page=200").get_json()
    by_slug = {d["slug"]: d for d in body["items"]}
    assert by_slug["ellison-12"] == {
        "slug": "ellison-12",
        "name": "Ellison 12",
        "parent": "medicine",
        "patient_facing": True,
    }
    assert by_slug["security"]["patient_facing"] is False
    assert by_slug["hospital"]["parent"] is None
    assert "closed-ward" not in by_slug


def test_departments_paginate(client, hospital):
    first = client.get("/api/v1/departments?per_page=2&page=1").get_json()
    second = client.get("/api/v1/departments?per_page=2&page=2").get_json()
    assert first["per_page"] == 2 and len(first["items"]) == 2
    assert first["total"] == second["total"] >= 6
    assert {d["slug"] for d in first["items"]}.isdisjoint({d["slug"] for d in second["items"]})


def test_people_needs_sign_in(client, staff):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    error_fields(response)


@pytest.mark.parametrize("role", ["staff", "manager", "advocate", "admin"])
def test_people_directory_for_every_role(request, client, bearer, hospital, colleague, surgeon, role):
    person = request.getfixturevalue(role)
    response = client.get("/api/v1/people?q=maria", headers=bearer(person))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1
    maria = {
        "id": colleague.id,
        "name": "Maria Lopez",
        "job_title": "Registered Nurse",
        "department": "ellison-12",
        "unit": "Ellison 12",
    }
    assert body["items"] == [maria]


def test_people_department_filter_covers_the_subtree_and_hides_leavers(client, bearer, staff, colleague, surgeon):
    PersonFactory(name="Left Already", department=colleague.department, active=False)
    body = client.get("/api/v1/people?department=medicine", headers=bearer(staff)).get_json()
    assert {p["name"] for p in body["items"]} == {"Sam Okafor", "Maria Lopez"}


def test_people_unknown_department_is_a_field_error(client, bearer, staff):
    response = client.get("/api/v1/people?department=nowhere", headers=bearer(staff))
    assert response.status_code == 422
    assert "department" in error_fields(response)


@pytest.mark.parametrize(
    "query, field",
    [
        ("per_page=201", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=-5", "per_page"),
    ],
)
def test_out_of_range_pagination_is_refused(client, bearer, staff, query, field):
    response = client.get(f"/api/v1/people?{query}", headers=bearer(staff))
    assert response.status_code == 422
    assert field in error_fields(response)
    assert client.get(f"/api/v1/departments?{query}").status_code == 422

"""The OpenAPI document states the rules the server applies: what it documents as valid is accepted,
what it documents as invalid is refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.api.conftest import error_fields
from tracker.api.schemas import NOT_BLANK, PHONE
from tracker.extensions import db
from tracker.models import Behavior, Department, Standard

TEXTS = ["", " ", "\t\n", "\u00a0", "\u3000", "\x1c", "\x85", "\ufeff", "a", " a ", "\u200b", "0"]
PHONES = [
    "",
    "  ",
    "617 555 0123",
    "+1 (617) 555-0123",
    " +16175550123 ",
    "555 012",
    "+" + "1" * 16,
    "12a4567",
    "1+234567",
]


def _document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


@pytest.mark.parametrize("value", TEXTS)
def test_blank_means_what_the_services_strip(value):
    """The document's "not blank" is Python's str.strip(), which the services use."""
    assert bool(re.fullmatch(NOT_BLANK[1:-1], value)) == bool(value.strip())


@pytest.mark.parametrize("value", PHONES)
def test_the_phone_pattern_is_the_services_phone_rule(client, hospital, value):
    documented = bool(re.fullmatch(PHONE[1:-1], value))
    response = client.post("/api/v1/feedback", json={"type": "compliment", "message": "Thanks", "contact_phone": value})
    assert (response.status_code == 201) == documented, response.get_json()


def test_blank_messages_are_documented_as_refused(client, bearer, staff, colleague):
    schemas = _document(client)["components"]["schemas"]
    for model in ("RecognitionIn", "FeedbackIn"):
        message = schemas[model]["properties"]["message"]
        assert message["minLength"] == 1 and message["pattern"] == NOT_BLANK
    body = {"recipients": [colleague.id], "standards": ["respect"], "message": " \u3000\n"}
    response = client.post("/api/v1/recognitions", json=body, headers=bearer(staff))
    assert response.status_code == 422 and "message" in error_fields(response)


def test_standards_and_behaviours_are_listed_from_the_database(client):
    document = _document(client)
    recognition = document["components"]["schemas"]["RecognitionIn"]["properties"]
    active = list(
        db.session.scalars(sa.select(Standard.key).where(Standard.active.is_(True)).order_by(Standard.position))
    )
    assert recognition["standards"]["items"]["enum"] == active
    behaviours = set(db.session.scalars(sa.select(Behavior.key).where(Behavior.active.is_(True))))
    assert set(recognition["behaviors"]["items"]["enum"]) <= behaviours
    assert "x-vocabulary" not in str(document)
    (standard,) = [p for p in document["paths"]["/api/v1/recognitions"]["get"]["parameters"] if p["name"] == "standard"]
    assert standard["schema"]["anyOf"][0]["enum"][: len(active)] == active


def test_a_recognition_needs_a_colleague_or_a_unit_as_documented(client):
    rule = _document(client)["components"]["schemas"]["RecognitionIn"]["anyOf"]
    assert {tuple(option["required"]) for option in rule} == {("recipients",), ("unit",)}


def test_answers_link_to_the_operations_that_read_what_they_name(client):
    paths = _document(client)["paths"]
    links = paths["/api/v1/recognitions"]["post"]["responses"]["201"]["links"]
    target = paths["/api/v1/recognitions/{recognition_id}"]["get"]["operationId"]
    assert links["GetRecognition"] == {"operationId": target, "parameters": {"recognition_id": "$response.body#/id"}}


@pytest.mark.parametrize(
    "query", ["until=0", "since=20260101", "until=2026-1-1", "since=%D9%A2%D9%A0%D9%A2%D9%A6-01-01"]
)
def test_days_are_only_written_yyyy_mm_dd(client, bearer, staff, query):
    response = client.get(f"/api/v1/recognitions?{query}", headers=bearer(staff))
    assert response.status_code == 422, response.get_json()


@pytest.mark.parametrize(
    "changes",
    [{"consent_to_share": 0}, {"consent_to_share": "true"}, {"language": "fr"}, {"contact_email": "a@b.test"}],
)
def test_feedback_refuses_what_the_document_refuses(client, hospital, changes):
    response = client.post("/api/v1/feedback", json={"type": "compliment", "message": "Thanks", **changes})
    assert response.status_code == 422 and set(error_fields(response)) == set(changes)


@pytest.mark.parametrize("recipient", ["{id}", True, "{id}.5"])
def test_person_ids_in_a_body_are_json_numbers(client, bearer, staff, colleague, recipient):
    value = recipient.format(id=colleague.id) if isinstance(recipient, str) else recipient
    value = float(value) if isinstance(value, str) and "." in value else value
    body = {"recipients": [value], "standards": ["respect"], "message": "Thank you"}
    response = client.post("/api/v1/recognitions", json=body, headers=bearer(staff))
    assert response.status_code == 422, response.get_json()


def test_a_whole_number_written_as_a_float_is_a_person_id(client, bearer, staff, colleague):
    body = {"recipients": [float(colleague.id)], "standards": ["respect"], "message": "Thank you"}
    response = client.post("/api/v1/recognitions", json=body, headers=bearer(staff))
    assert response.status_code == 201, response.get_json()


def test_departments_are_listed_from_the_database(client, hospital):
    document = _document(client)
    every = list(db.session.scalars(sa.select(Department.slug).order_by(Department.path, Department.id)))
    open_ = list(
        db.session.scalars(
            sa.select(Department.slug).where(Department.active.is_(True)).order_by(Department.path, Department.id)
        )
    )
    (department,) = [
        p for p in document["paths"]["/api/v1/recognitions"]["get"]["parameters"] if p["name"] == "department"
    ]
    assert department["schema"]["anyOf"][0]["enum"] == every and "ellison-12" in every
    unit = document["components"]["schemas"]["RecognitionIn"]["properties"]["unit"]
    assert unit["anyOf"][0]["enum"] == open_


def test_feedback_names_only_the_places_patients_come_to(client, hospital):
    places = list(
        db.session.scalars(
            sa.select(Department.slug)
            .where(Department.active.is_(True), Department.patient_facing.is_(True))
            .order_by(Department.path, Department.id)
        )
    )
    unit = _document(client)["components"]["schemas"]["FeedbackIn"]["properties"]["unit"]
    assert unit["anyOf"][0]["enum"] == places and places
    for slug in places:
        response = client.post("/api/v1/feedback", json={"type": "compliment", "message": "Thank you", "unit": slug})
        assert response.status_code == 201, response.get_json()

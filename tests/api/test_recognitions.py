"""POST/GET /api/v1/recognitions: giving, safe retries, and the scope rules per role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.api.conftest import error_fields
from tests.factories import RecognitionFactory
from tracker.extensions import db
from tracker.models import IdempotencyRecord, Recognition, RecognitionStatus, Source, Visibility


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def body_for(*people, **changes) -> dict:
    body = {"recipients": [p.id for p in people], "standards": ["communicate"], "message": "Thank you for the help."}
    return {**body, **changes}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item["id"] for item in response.get_json()["items"]}


# --- giving ------------------------------------------------------------------------------------


def test_give_a_recognition(client, bearer, staff, colleague):
    response = client.post(
        "/api/v1/recognitions", json=body_for(colleague, visibility="private", unit="ellison-12"), headers=bearer(staff)
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/recognitions/{body['id']}"
    assert body["giver"] == {"id": staff.id, "name": "Sam Okafor"}
    assert body["recipients"] == [{"id": colleague.id, "name": "Maria Lopez", "department": "ellison-12"}]
    assert body["unit"] == "ellison-12" and body["visibility"] == "private" and body["source"] == "peer"
    assert body["standards"] == ["communicate"] and body["behaviors"] == [] and body["acknowledged_at"] is None
    assert body["created_at"].endswith("Z") or body["created_at"].endswith("+00:00")
    assert count(Recognition) == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"standards": ["not-a-standard"]}, "standards"),
        ({"standards": []}, "standards"),
        ({"message": "   "}, "message"),
        ({"message": 42}, "message"),
        ({"recipients": [2_000_000_000]}, "recipients"),
        ({"unit": "nowhere"}, "unit"),
        ({"behaviors": ["no-such-behaviour"]}, "behaviors"),
    ],
)
def test_bad_recognitions_are_refused_by_field_and_nothing_is_stored(client, bearer, staff, colleague, changes, field):
    response = client.post("/api/v1/recognitions", json=body_for(colleague, **changes), headers=bearer(staff))
    assert response.status_code == 422
    assert field in error_fields(response)
    assert count(Recognition) == 0


def test_nobody_recognises_themself(client, bearer, staff):
    response = client.post("/api/v1/recognitions", json=body_for(staff), headers=bearer(staff))
    assert response.status_code == 422
    assert "recipients" in error_fields(response)


def test_markup_is_stored_as_written(client, bearer, staff, colleague):
    message = '<script>alert("x")</script> & thanks'
    response = client.post("/api/v1/recognitions", json=body_for(colleague, message=message), headers=bearer(staff))
    assert response.get_json()["message"] == message


# --- safe retries ------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_answer(client, bearer, staff, colleague):
    headers = {**bearer(staff), "Idempotency-Key": "retry-1"}
    first = client.post("/api/v1/recognitions", json=body_for(colleague), headers=headers)
    again = client.post("/api/v1/recognitions", json=body_for(colleague), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(Recognition) == 1 and count(IdempotencyRecord) == 1


def test_the_same_key_with_another_body_is_refused(client, bearer, staff, colleague):
    headers = {**bearer(staff), "Idempotency-Key": "retry-2"}
    client.post("/api/v1/recognitions", json=body_for(colleague), headers=headers)
    response = client.post("/api/v1/recognitions", json=body_for(colleague, message="Other words"), headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in error_fields(response)
    assert count(Recognition) == 1


def test_keys_belong_to_one_caller(client, bearer, staff, colleague, surgeon):
    key = {"Idempotency-Key": "shared-key"}
    mine = client.post("/api/v1/recognitions", json=body_for(colleague), headers={**bearer(staff), **key})
    theirs = client.post("/api/v1/recognitions", json=body_for(colleague), headers={**bearer(surgeon), **key})
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]


def test_a_refused_request_can_be_retried_with_its_key_once_fixed(client, bearer, staff, colleague):
    headers = {**bearer(staff), "Idempotency-Key": "fix-and-retry"}
    refused = client.post("/api/v1/recognitions", json=body_for(colleague, standards=["nope"]), headers=headers)
    assert refused.status_code == 422
    assert client.post("/api/v1/recognitions", json=body_for(colleague), headers=headers).status_code == 201


def test_an_overlong_key_is_refused(client, bearer, staff, colleague):
    headers = {**bearer(staff), "Idempotency-Key": "k" * 121}
    response = client.post("/api/v1/recognitions", json=body_for(colleague), headers=headers)
    assert response.status_code == 422
    assert count(Recognition) == 0


# --- reading, per role -------------------------------------------------------------------------


@pytest.fixture
def stories(staff, colleague, surgeon, other_manager):
    """A public and a private story on Ellison 12, a private one in Surgery, and one still pending."""
    return {
        "public": RecognitionFactory(giver=colleague, recipients=[staff]),
        "private_ellison": RecognitionFactory(giver=surgeon, recipients=[colleague], visibility=Visibility.PRIVATE),
        "private_surgery": RecognitionFactory(giver=other_manager, recipients=[surgeon], visibility=Visibility.PRIVATE),
        "pending": RecognitionFactory(giver=surgeon, recipients=[colleague], status=RecognitionStatus.PENDING),
    }


@pytest.mark.parametrize(
    "role, visible",
    [
        ("staff", {"public"}),
        ("colleague", {"public", "private_ellison"}),
        ("surgeon", {"public", "private_ellison", "private_surgery", "pending"}),
        ("manager", {"public", "private_ellison", "pending"}),
        ("other_manager", {"public", "private_surgery"}),
        ("advocate", {"public", "private_ellison", "private_surgery", "pending"}),
        ("admin", {"public", "private_ellison", "private_surgery", "pending"}),
    ],
)
def test_list_and_read_follow_the_scope_rules(request, client, bearer, stories, role, visible):
    headers = bearer(request.getfixturevalue(role))
    assert ids(client.get("/api/v1/recognitions", headers=headers)) == {stories[name].id for name in visible}
    for name, story in stories.items():
        response = client.get(f"/api/v1/recognitions/{story.id}", headers=headers)
        assert response.status_code == (200 if name in visible else 404), name


def test_out_of_scope_looks_exactly_like_missing(client, bearer, staff, stories):
    hidden = client.get(f"/api/v1/recognitions/{stories['private_surgery'].id}", headers=bearer(staff))
    missing = client.get("/api/v1/recognitions/2147483647", headers=bearer(staff))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()


def test_patients_are_not_named_as_givers(client, bearer, admin, colleague):
    story = RecognitionFactory(
        giver=None, giver_name="A grateful patient", source=Source.PATIENT, recipients=[colleague]
    )
    body = client.get(f"/api/v1/recognitions/{story.id}", headers=bearer(admin)).get_json()
    assert body["giver"] is None and body["source"] == "patient"


def test_filters(client, bearer, admin, staff, colleague, surgeon, stories):
    headers = bearer(admin)
    assert ids(client.get("/api/v1/recognitions?department=surgery", headers=headers)) == {
        stories["private_surgery"].id
    }
    assert ids(client.get(f"/api/v1/recognitions?recipient={staff.id}", headers=headers)) == {stories["public"].id}
    assert ids(client.get("/api/v1/recognitions?source=patient", headers=headers)) == set()
    assert len(ids(client.get("/api/v1/recognitions?standard=communicate", headers=headers))) == 4
    old = RecognitionFactory(giver=staff, recipients=[colleague], created_at=datetime(2024, 3, 5, 12, tzinfo=UTC))
    window = ids(client.get("/api/v1/recognitions?since=2024-03-05&until=2024-03-05", headers=headers))
    assert window == {old.id}
    assert ids(client.get("/api/v1/recognitions?until=2024-03-04", headers=headers)) == set()


@pytest.mark.parametrize(
    "query, field",
    [
        ("standard=nope", "standard"),
        ("department=nowhere", "department"),
        ("source=pigeon", "source"),
        ("since=2025-13-01", "since"),
        ("since=2025-02-01&until=2025-01-01", "since"),
        ("until=9999-12-31", "until"),
        ("since=0001-01-01", "since"),
        ("recipient=abc", "recipient"),
        ("per_page=500", "per_page"),
    ],
)
def test_bad_filters_are_field_errors(client, bearer, staff, query, field):
    response = client.get(f"/api/v1/recognitions?{query}", headers=bearer(staff))
    assert response.status_code == 422
    assert field in error_fields(response)


def test_reading_needs_sign_in(client, stories):
    assert client.get("/api/v1/recognitions").status_code == 401
    assert client.get(f"/api/v1/recognitions/{stories['public'].id}").status_code == 401
    assert client.post("/api/v1/recognitions", json={}).status_code == 401

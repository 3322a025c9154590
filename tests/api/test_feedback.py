"""POST /api/v1/feedback: anyone may leave feedback; it is stored as written and waits for moderation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.conftest import error_fields
from tracker.extensions import db
from tracker.models import Case, Feedback, FeedbackStatus, Source


def stored() -> list[Feedback]:
    return list(db.session.scalars(sa.select(Feedback)))


def test_a_compliment_is_received_for_moderation(client, hospital):
    body = {
        "type": "compliment",
        "message": "La enfermera María fue muy amable.",
        "staff_names": "María, night shift",
        "unit": "ellison-12",
        "language": "es",
        "consent_to_share": True,
        "contact_email": "family@example.org",
    }
    response = client.post("/api/v1/feedback", json=body)
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["status"] == "received" and answer["reference"].startswith("FB-")
    (feedback,) = stored()
    assert feedback.reference == answer["reference"]
    assert feedback.message == body["message"] and feedback.language == "es"
    assert feedback.status == FeedbackStatus.PENDING and feedback.source == Source.PATIENT
    assert feedback.unit.slug == "ellison-12" and feedback.consent_to_share is True


def test_a_concern_opens_a_case(client, bearer, staff, hospital):
    response = client.post(
        "/api/v1/feedback", json={"type": "concern", "message": "Nobody answered the call bell."}, headers=bearer(staff)
    )
    assert response.status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"type": "complaint"}, "type"),
        ({"message": ""}, "message"),
        ({"message": ["a list"]}, "message"),
        ({"unit": "nowhere"}, "unit"),
        ({"language": "xx"}, "language"),
        ({"consent_to_share": "yes please"}, "consent_to_share"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"contact_phone": "call me maybe"}, "contact_phone"),
        ({"rating": 5}, "rating"),
    ],
)
def test_bad_feedback_is_refused_by_field_and_nothing_is_stored(client, hospital, changes, field):
    body = {"type": "suggestion", "message": "More chairs in the waiting room.", **changes}
    response = client.post("/api/v1/feedback", json=body)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert stored() == []


def test_a_retried_submission_is_stored_once(client, hospital):
    body = {"type": "suggestion", "message": "More chairs in the waiting room."}
    first = client.post("/api/v1/feedback", json=body, headers={"Idempotency-Key": "kiosk-42"})
    again = client.post("/api/v1/feedback", json=body, headers={"Idempotency-Key": "kiosk-42"})
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert len(stored()) == 1
    other = client.post(
        "/api/v1/feedback", json={**body, "message": "Quieter nights."}, headers={"Idempotency-Key": "kiosk-42"}
    )
    assert other.status_code == 422
    assert len(stored()) == 1

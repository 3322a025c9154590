"""Signed webhooks: verified with the Standard Webhooks library, payloads checked against the documented schemas."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.factories import PersonFactory
from tests.integrations.conftest import received, run_worker
from tests.integrations.test_channel_posts import recognise
from tracker.admin import people
from tracker.cases import services as cases
from tracker.extensions import db
from tracker.feedback.services import submit_feedback
from tracker.integrations import events, services
from tracker.models import Case, IntegrationDelivery, WebhookEvent
from tracker.recognitions.services import acknowledge
from tracker.validation import InvalidInput

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_schemas() -> dict[str, dict]:
    """Every JSON Schema in docs/webhooks.md, by its title."""
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(), flags=re.S)
    schemas = [json.loads(block) for block in blocks]
    return {schema["title"]: schema for schema in schemas if "title" in schema}


def schema_for(event: str) -> dict:
    schemas = documented_schemas()
    return schemas["case"] if event.startswith("case.") else schemas[event]


@pytest.fixture
def endpoint(loopback, httpserver):
    httpserver.expect_request("/events", method="POST").respond_with_data("", status=204)
    endpoint, secret = services.add_endpoint(httpserver.url_for("/events"), [e.value for e in WebhookEvent], by=None)
    db.session.commit()
    return endpoint, secret


def test_every_event_is_documented_with_a_schema():
    titles = set(documented_schemas())
    for event in WebhookEvent:
        assert (event.value in titles) or (event.value.startswith("case.") and "case" in titles), event


def test_events_arrive_signed_verifiably_and_match_their_documented_schemas(
    endpoint, httpserver, hospital, staff, colleague, manager, advocate, admin
):
    _endpoint, secret = endpoint
    recognition, _standard = recognise(staff, colleague)
    acknowledge(manager, recognition, "Well done")
    feedback = submit_feedback(
        type="concern",
        message="Nobody answered the call bell for an hour.",
        staff_names="",
        unit_slug="ellison-12",
        language="en",
        consent_to_share=False,
        contact_name="Ana Pereira",
        contact_email="ana@example.org",
        contact_phone="617 555 0101",
    )
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    cases.resolve(case, advocate, contact="Luz Ortega", steps="Spoke with the team", outcome="Bells checked hourly",
                  completed_on=date.today())  # fmt: skip
    events.award_announced(
        programme_slug="daisy", programme_name="DAISY Award", cycle_id=3, cycle_label="Spring",
        honourees=[colleague], link="/awards/daisy",
    )  # fmt: skip
    leaving = PersonFactory(department=hospital["ellison-12"], employee_id="E123")
    people.update_person(
        leaving,
        people.PersonChanges(
            name=leaving.name, email=leaving.email, job_title="", employee_id="E123",
            department=leaving.department, active=False, roles=leaving.roles, managed_departments=[],
        ),
    )  # fmt: skip
    db.session.commit()

    assert run_worker().delivered == 7
    arrived = received(httpserver)
    types = [body["type"] for _path, body, _headers in arrived]
    assert sorted(types) == sorted(e.value for e in WebhookEvent)
    verifier = Webhook(secret)
    for request, _response in httpserver.log:
        headers = {key: value for key, value in request.headers.items()}
        body = verifier.verify(request.get_data(), headers)  # the library's own check
        assert request.headers["webhook-id"].startswith("msg_")
        jsonschema.Draft202012Validator(documented_schemas()["envelope"]).validate(body)
        jsonschema.Draft202012Validator(schema_for(body["type"])).validate(body["data"])
        text = request.get_data(as_text=True)
        for private in ("call bell", "ana@example.org", "617 555", "Ana Pereira", "Well done", "Stayed late"):
            assert private not in text


def test_a_forged_or_altered_delivery_fails_verification(endpoint, httpserver, staff, colleague):
    _endpoint, secret = endpoint
    recognise(staff, colleague)
    run_worker()
    [(request, _response)] = httpserver.log
    headers = dict(request.headers.items())
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.get_data().replace(b'"public"', b'"private"'), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJD" * 8).verify(request.get_data(), headers)


def test_only_subscribed_events_are_sent(loopback, httpserver, staff, colleague):
    httpserver.expect_request("/hr").respond_with_data("", status=200)
    services.add_endpoint(httpserver.url_for("/hr"), "person.deactivated", by=None)
    db.session.commit()
    recognise(staff, colleague)
    assert db.session.scalars(sa.select(IntegrationDelivery)).all() == []


def test_unknown_events_are_refused(loopback, httpserver):
    with pytest.raises(InvalidInput) as caught:
        services.add_endpoint(httpserver.url_for("/x"), "recognition.published,recognition.deleted", by=None)
    assert "recognition.deleted" in caught.value.fields["events"][0]


def test_a_replay_keeps_the_webhook_id_so_receivers_can_tell(endpoint, httpserver, staff, colleague):
    recognise(staff, colleague)
    run_worker()
    [row] = db.session.scalars(sa.select(IntegrationDelivery)).all()
    services.replay(row, by=None)
    db.session.commit()
    run_worker()
    first, second = (request.headers["webhook-id"] for request, _response in httpserver.log)
    assert first == second == row.message_id


def test_a_test_message_goes_through_the_whole_path(endpoint, httpserver):
    target, secret = endpoint
    services.send_test(target, by=None)
    db.session.commit()
    run_worker()
    [(request, _response)] = httpserver.log
    body = Webhook(secret).verify(request.get_data(), dict(request.headers.items()))
    assert body["type"] == "webhook.test" and body["data"] == {"endpoint_id": target.id}

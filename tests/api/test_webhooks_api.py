"""Webhook endpoints through the API: administrators only, the pages' checks, the secret shown once."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from tests.api.conftest import error_fields
from tests.integrations import conftest as integration_fixtures
from tests.integrations.conftest import run_worker
from tests.integrations.test_channel_posts import recognise
from tracker.extensions import db
from tracker.integrations import secrets, services
from tracker.models import AuditEvent, IdempotencyRecord, IntegrationDelivery, TargetStatus, WebhookEndpoint

loopback = integration_fixtures.loopback  # loopback receivers allowed, as in local development

OPERATIONS = [
    ("get", "/api/v1/webhooks", None),
    ("post", "/api/v1/webhooks", {"url": "https://hr.example.org/icare", "events": ["case.opened"]}),
    ("get", "/api/v1/webhooks/{id}", None),
    ("patch", "/api/v1/webhooks/{id}", {"active": False}),
    ("delete", "/api/v1/webhooks/{id}", None),
    ("get", "/api/v1/webhooks/{id}/deliveries", None),
    ("post", "/api/v1/webhooks/{id}/deliveries/{delivery}/replay", {}),
]
KNOWN = (
    "case.opened, case.resolved, feedback.received, person.deactivated, award.announced, "
    "recognition.acknowledged, recognition.published"
)


@pytest.fixture
def receiver(loopback, httpserver):
    httpserver.expect_request("/events", method="POST").respond_with_data("", status=204)
    return httpserver.url_for("/events")


@pytest.fixture
def endpoint(receiver):
    """An endpoint with one delivered test message."""
    endpoint, _secret = services.add_endpoint(receiver, ["recognition.published", "case.opened"], by=None)
    db.session.commit()
    services.send_test(endpoint, by=None)
    db.session.commit()
    run_worker()
    return endpoint


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def call(client, method, path, body, headers):
    if body is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, json=body, headers=headers)


def paths(endpoint) -> list[tuple[str, str, dict | None]]:
    delivery = db.session.scalars(sa.select(IntegrationDelivery.id)).first()
    return [(m, p.format(id=endpoint.id, delivery=delivery), body) for m, p, body in OPERATIONS]


# --- who may ---------------------------------------------------------------------------------


def test_signed_out_callers_get_401_everywhere(client, endpoint):
    for method, path, body in paths(endpoint):
        response = call(client, method, path, body, {})
        assert response.status_code == 401, (method, path)
        error_fields(response)
    assert count(WebhookEndpoint) == 1


@pytest.mark.parametrize("role", ["staff", "manager", "advocate"])
def test_everyone_but_administrators_gets_403_everywhere(request, client, bearer, endpoint, role):
    headers = bearer(request.getfixturevalue(role))
    for method, path, body in paths(endpoint):
        response = call(client, method, path, body, headers)
        assert response.status_code == 403, (method, path)
        error_fields(response)
    assert count(WebhookEndpoint) == 1
    assert db.session.get(WebhookEndpoint, endpoint.id).status == TargetStatus.ACTIVE


def test_a_browser_session_must_send_the_csrf_header(client, sign_in, admin, receiver):
    sign_in(admin)
    body = {"url": receiver, "events": ["case.opened"]}
    assert client.post("/api/v1/webhooks", json=body).status_code == 400
    assert count(WebhookEndpoint) == 0
    response = client.post("/api/v1/webhooks", json=body, headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 201


# --- adding an endpoint and its secret -----------------------------------------------------------


def test_an_endpoint_is_added_with_its_secret_shown_this_once(
    client, bearer, admin, receiver, httpserver, staff, colleague, caplog
):
    caplog.set_level(logging.DEBUG)
    headers = {**bearer(admin), "Idempotency-Key": "add-hr-endpoint"}
    body = {"url": receiver, "events": ["recognition.published", "case.opened"], "description": "HR system"}
    response = client.post("/api/v1/webhooks", json=body, headers=headers)

    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    secret = created.pop("secret")
    assert secret.startswith("whsec_")
    assert response.headers["Location"] == f"/api/v1/webhooks/{created['id']}"
    assert response.headers["Cache-Control"] == "no-store"
    port_tail = receiver[-4:]
    assert created == {
        "id": created["id"],
        "url": f"localhost …{port_tail}",
        "description": "HR system",
        "events": ["recognition.published", "case.opened"],
        "active": True,
        "status": "active",
        "status_message": "",
        "created_at": created["created_at"],
        "last_delivered_at": None,
        "last_failed_at": None,
        "last_delivery_status": None,
    }
    stored = db.session.get(WebhookEndpoint, created["id"])
    assert secrets.decrypt(stored.secret_encrypted) == secret and secret not in stored.secret_encrypted

    # A retry with the same key answers the same endpoint, without the secret, and adds nothing.
    again = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == {**created, "secret": None}
    assert count(WebhookEndpoint) == 1

    listed = client.get("/api/v1/webhooks", headers=headers)
    detail = client.get(f"/api/v1/webhooks/{created['id']}", headers=headers)
    deliveries = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=headers)
    for answer in (listed, detail, deliveries, again):
        assert secret not in answer.get_data(as_text=True)
        assert receiver not in answer.get_data(as_text=True)
    assert "secret" not in detail.get_json()
    stored_answers = db.session.scalars(sa.select(IdempotencyRecord.response_body)).all()
    assert stored_answers and all(secret not in answer for answer in stored_answers)
    [added] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "webhook_endpoint_added")).all()
    assert added.actor_id == admin.id and secret not in str(added.details) and receiver not in str(added.details)
    assert secret not in caplog.text and receiver not in caplog.text

    # The secret shown is the one deliveries are signed with.
    recognise(staff, colleague)
    run_worker()
    [(request, _response)] = httpserver.log
    Webhook(secret).verify(request.get_data(), dict(request.headers.items()))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"url": "http://8.8.8.8/icare"}, "url", "HTTPS"),
        ({"url": "https://10.1.2.3/icare"}, "url", "private network"),
        ({"url": "https://169.254.169.254/latest"}, "url", "private network"),
        ({"url": "ftp://hr.example.org/"}, "url", "https://"),
        ({"url": ""}, "url", "paste the address"),
        ({"url": "https://hr.example.org/" + "a" * 2100}, "url", "at most"),
        ({"url": 5}, "url", "string"),
        ({"events": ["recognition.deleted"]}, "events", "Unknown events: recognition.deleted"),
        ({"events": []}, "events", "Choose at least one"),
        ({"events": "case.opened"}, "events", "list"),
        ({"events": [1]}, "events.0", "string"),
        ({"events": ["case.opened"] * 51}, "events", "at most 50"),
        ({"description": "d" * 201}, "description", "at most 200"),
        ({"description": "nul\x00"}, "description", "pattern"),
        ({"secret": "whsec_mine"}, "secret", "Unknown field"),
    ],
)
def test_bad_endpoints_are_refused_by_field_and_nothing_is_stored(client, bearer, admin, changes, field, words):
    body = {"url": "https://8.8.8.8/icare", "events": ["case.opened"], **changes}  # a public address
    response = client.post("/api/v1/webhooks", json=body, headers=bearer(admin))
    assert response.status_code == 422, response.get_json()
    fields = error_fields(response)
    assert words.lower() in " ".join(fields[field]).lower(), fields
    assert count(WebhookEndpoint) == 0


def test_unknown_events_are_named_with_the_known_ones_as_on_the_page(client, bearer, admin, receiver):
    body = {"url": receiver, "events": ["case.opened", "case.closed"]}
    response = client.post("/api/v1/webhooks", json=body, headers=bearer(admin))
    [message] = error_fields(response)["events"]
    assert message.startswith("Unknown events: case.closed. Known: ")
    assert set(message.removeprefix("Unknown events: case.closed. Known: ").rstrip(".").split(", ")) == set(
        KNOWN.split(", ")
    )


def test_loopback_is_refused_unless_the_setting_allows_it(client, bearer, admin, httpserver):
    body = {"url": httpserver.url_for("/events"), "events": ["case.opened"]}
    response = client.post("/api/v1/webhooks", json=body, headers=bearer(admin))
    assert response.status_code == 422
    assert "loopback" in error_fields(response)["url"][0]


@pytest.mark.parametrize(
    ("data", "status"),
    [('{"url": ', 400), ("[]", 400), ('"https://x"', 400), ("null", 400)],
)
def test_malformed_bodies_are_400(client, bearer, admin, endpoint, data, status):
    headers = bearer(admin)
    for method, path in (("post", "/api/v1/webhooks"), ("patch", f"/api/v1/webhooks/{endpoint.id}")):
        response = getattr(client, method)(path, data=data, content_type="application/json", headers=headers)
        assert response.status_code == status, (method, path)
        assert "body" in error_fields(response)
    assert count(WebhookEndpoint) == 1


def test_a_huge_body_is_413_and_form_data_is_415(client, bearer, admin):
    headers = bearer(admin)
    huge = {"url": "https://hr.example.org/", "events": ["case.opened"], "description": "x" * (70 * 1024)}
    assert client.post("/api/v1/webhooks", json=huge, headers=headers).status_code == 413
    form = client.post("/api/v1/webhooks", data={"url": "https://hr.example.org/"}, headers=headers)
    assert form.status_code == 415
    assert count(WebhookEndpoint) == 0


# --- reading, changing, removing -----------------------------------------------------------------


def test_list_and_detail_show_the_state_and_the_last_delivery(client, bearer, admin, endpoint, receiver):
    headers = bearer(admin)
    other, _secret = services.add_endpoint(receiver, ["person.deactivated"], by=None)
    services.set_paused(other, True, by=None)
    db.session.commit()

    listed = client.get("/api/v1/webhooks", headers=headers).get_json()
    assert (listed["page"], listed["per_page"], listed["total"]) == (1, 50, 2)
    first, second = listed["items"]
    assert (first["id"], first["active"], first["last_delivery_status"]) == (endpoint.id, True, "delivered")
    assert first["last_delivered_at"] is not None
    assert (second["id"], second["active"], second["status"], second["last_delivery_status"]) == (
        other.id,
        False,
        "paused",
        None,
    )
    assert second["status_message"] == "Paused."
    paged = client.get("/api/v1/webhooks?per_page=1&page=2", headers=headers).get_json()
    assert [item["id"] for item in paged["items"]] == [other.id] and paged["total"] == 2

    detail = client.get(f"/api/v1/webhooks/{endpoint.id}", headers=headers).get_json()
    assert detail["delivery_counts"] == {"delivered": 1}
    assert detail["events"] == ["recognition.published", "case.opened"]


def test_patch_changes_events_pauses_and_resumes_with_audit(client, bearer, admin, endpoint):
    headers = bearer(admin)
    path = f"/api/v1/webhooks/{endpoint.id}"
    response = client.patch(
        path, json={"events": ["person.deactivated", "case.opened"], "active": False}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["events"] == ["case.opened", "person.deactivated"]  # in the vocabulary's order
    assert (body["active"], body["status"]) == (False, "paused")

    resumed = client.patch(path, json={"active": True}, headers=headers).get_json()
    assert (resumed["active"], resumed["status_message"]) == (True, "")
    unchanged = client.patch(path, json={}, headers=headers)
    assert unchanged.status_code == 200 and unchanged.get_json()["events"] == body["events"]

    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == str(endpoint.id)).order_by(AuditEvent.id)
    ).all()
    assert actions[-3:] == ["webhook_endpoint_updated", "webhook_endpoint_paused", "webhook_endpoint_resumed"]
    actors = db.session.scalars(sa.select(AuditEvent.actor_id).where(AuditEvent.action.like("webhook_endpoint_%ed")))
    assert admin.id in set(actors)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": ["nope"], "active": False}, "events"),
        ({"events": []}, "events"),
        ({"active": "no"}, "active"),
        ({"active": 0}, "active"),
        ({"events": None, "url": "https://elsewhere.example.org/"}, "url"),
        ({"events": "case.opened"}, "events"),
    ],
)
def test_a_refused_patch_changes_nothing(client, bearer, admin, endpoint, body, field):
    response = client.patch(f"/api/v1/webhooks/{endpoint.id}", json=body, headers=bearer(admin))
    assert response.status_code == 422, response.get_json()
    assert field in error_fields(response)
    db.session.expire_all()
    again = db.session.get(WebhookEndpoint, endpoint.id)
    assert again.status == TargetStatus.ACTIVE and again.event_names == ["recognition.published", "case.opened"]


def test_delete_removes_the_endpoint_and_its_log(client, bearer, admin, endpoint):
    headers = bearer(admin)
    response = client.delete(f"/api/v1/webhooks/{endpoint.id}", headers=headers)
    assert response.status_code == 204 and response.data == b""
    assert count(WebhookEndpoint) == 0 and count(IntegrationDelivery) == 0
    removed = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "webhook_endpoint_removed"))
    assert removed.actor_id == admin.id
    assert client.delete(f"/api/v1/webhooks/{endpoint.id}", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/webhooks/999", None),
        ("patch", "/api/v1/webhooks/999", {"active": False}),
        ("delete", "/api/v1/webhooks/999", None),
        ("get", "/api/v1/webhooks/999/deliveries", None),
        ("post", "/api/v1/webhooks/999/deliveries/1/replay", {}),
        ("get", "/api/v1/webhooks/99999999999999999999", None),
        ("delete", "/api/v1/webhooks/3384513224", None),
        ("patch", "/api/v1/webhooks/3384513224", {"active": True}),
        ("post", "/api/v1/webhooks/{id}/deliveries/3384513224/replay", {}),
        ("get", "/api/v1/webhooks/-1", None),
        ("get", "/api/v1/webhooks/abc", None),
        ("post", "/api/v1/webhooks/{id}/deliveries/999/replay", {}),
    ],
)
def test_unknown_ids_are_404(client, bearer, admin, endpoint, method, path, body):
    response = call(client, method, path.format(id=endpoint.id), body, bearer(admin))
    assert response.status_code == 404
    error_fields(response)


# --- the delivery log and replay -----------------------------------------------------------------


def test_the_delivery_log_pages_newest_first(client, bearer, admin, endpoint):
    for _ in range(2):
        services.send_test(endpoint, by=None)
    db.session.commit()
    headers = bearer(admin)
    path = f"/api/v1/webhooks/{endpoint.id}/deliveries"
    first = client.get(f"{path}?per_page=2", headers=headers).get_json()
    second = client.get(f"{path}?per_page=2&page=2", headers=headers).get_json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    oldest = second["items"][0]
    assert (oldest["status"], oldest["event_type"], oldest["kind"], oldest["may_replay"]) == (
        "delivered",
        "webhook.test",
        "test",
        True,
    )
    assert oldest["message_id"].startswith("msg_") and oldest["response_status"] == 204
    assert [item["status"] for item in first["items"]] == ["queued", "queued"]
    for query, field in (("per_page=0", "per_page"), ("per_page=201", "per_page"), ("page=abc", "page")):
        response = client.get(f"{path}?{query}", headers=headers)
        assert response.status_code == 422 and field in error_fields(response)


def test_replay_sends_a_delivery_again_with_its_webhook_id(client, bearer, admin, endpoint, httpserver):
    [delivery] = db.session.scalars(sa.select(IntegrationDelivery)).all()
    path = f"/api/v1/webhooks/{endpoint.id}/deliveries/{delivery.id}/replay"
    headers = bearer(admin)

    response = client.post(path, json={}, headers=headers)
    assert response.status_code == 202, response.get_json()
    assert (response.get_json()["status"], response.get_json()["replays"]) == ("queued", 1)
    waiting = client.post(path, json={}, headers=headers)  # still waiting: not queued twice
    assert waiting.status_code == 409
    assert error_fields(waiting) == {"delivery": ["This message is still waiting to be sent."]}
    assert client.post(path, json={"now": True}, headers=headers).status_code == 422

    run_worker()
    first, second = (request.headers["webhook-id"] for request, _response in httpserver.log)
    assert first == second == delivery.message_id
    replayed = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "integration_delivery_replayed"))
    assert replayed.actor_id == admin.id and replayed.object_id == str(delivery.id)


def test_a_delivery_of_another_endpoint_is_404(client, bearer, admin, endpoint, receiver):
    other, _secret = services.add_endpoint(receiver, ["case.opened"], by=None)
    db.session.commit()
    [delivery] = db.session.scalars(sa.select(IntegrationDelivery)).all()
    response = client.post(
        f"/api/v1/webhooks/{other.id}/deliveries/{delivery.id}/replay", json={}, headers=bearer(admin)
    )
    assert response.status_code == 404
    assert db.session.get(IntegrationDelivery, delivery.id).replays == 0


# --- the document --------------------------------------------------------------------------------


def test_every_webhook_operation_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    wanted = {
        ("get", "/api/v1/webhooks"): "200",
        ("post", "/api/v1/webhooks"): "201",
        ("get", "/api/v1/webhooks/{endpoint_id}"): "200",
        ("patch", "/api/v1/webhooks/{endpoint_id}"): "200",
        ("delete", "/api/v1/webhooks/{endpoint_id}"): "204",
        ("get", "/api/v1/webhooks/{endpoint_id}/deliveries"): "200",
        ("post", "/api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay"): "202",
    }
    for (method, path), ok in wanted.items():
        operation = document["paths"][path][method]
        assert operation["security"], (method, path)
        assert {ok, "401", "403", "429"} <= set(operation["responses"]), (method, path)
    schemas = document["components"]["schemas"]
    assert schemas["EndpointIn"]["additionalProperties"] is False
    assert "secret" in schemas["EndpointCreated"]["properties"]
    assert "secret" not in schemas["EndpointOut"]["properties"]

"""Webhook endpoints through the API, for administrators: the same services, checks and audit as the pages.

An endpoint's address is shown as its hint (host and last four characters) and its signing secret
only in the answer that creates it; a retry with the same ``Idempotency-Key`` replays that answer
without the secret, which is never stored in the clear.
"""

from __future__ import annotations

from json import dumps

import sqlalchemy as sa
from flask import url_for

from tracker import policy
from tracker.api import bp
from tracker.api.idempotency import REPLAYED_HEADER, Retry
from tracker.api.openapi import operation, refused
from tracker.api.schemas import PageQuery
from tracker.api.views import paginate
from tracker.api.webhook_schemas import (
    DeliveryList,
    DeliveryOut,
    EndpointCreated,
    EndpointDetail,
    EndpointIn,
    EndpointList,
    EndpointOut,
    EndpointPatch,
    IdempotencyHeaders,
    ReplayIn,
)
from tracker.errors import json_error
from tracker.extensions import db
from tracker.integrations import services
from tracker.models import IntegrationDelivery, TargetStatus, WebhookEndpoint
from tracker.validation import InvalidInput

KEEPERS = policy.WEBHOOK_KEEPERS
# Ids are checked against the column's range in the view, not by the URL converter: a converter that
# refuses a value makes the router answer 405 for the other methods of the same path instead of 404.
ID = "int"
MAX_ID = 2**31 - 1
NO_ENDPOINT = "No such webhook endpoint."


def _get(model, record_id: int):
    return db.session.get(model, record_id) if record_id <= MAX_ID else None


def _fields(endpoint: WebhookEndpoint, last_status) -> dict:
    return {
        "id": endpoint.id,
        "url": endpoint.url_hint,
        "description": endpoint.description,
        "events": endpoint.event_names,
        "active": endpoint.status == TargetStatus.ACTIVE,
        "status": endpoint.status,
        "status_message": endpoint.status_message,
        "created_at": endpoint.created_at,
        "last_delivered_at": endpoint.last_delivered_at,
        "last_failed_at": endpoint.last_failed_at,
        "last_delivery_status": last_status,
    }


def _detail(endpoint: WebhookEndpoint) -> EndpointDetail:
    last = services.last_delivery_statuses([endpoint.id]).get(endpoint.id)
    return EndpointDetail(**_fields(endpoint, last), delivery_counts=services.delivery_counts(endpoint))


def _delivery(delivery: IntegrationDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        created_at=delivery.created_at,
        kind=delivery.kind,
        event_type=delivery.event_type,
        message_id=delivery.message_id,
        status=delivery.status,
        attempts=delivery.attempts,
        replays=delivery.replays,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        response_status=delivery.response_status,
        last_error=delivery.last_error,
        may_replay=services.may_replay(delivery),
    )


@bp.get("/webhooks")
@policy.roles(*KEEPERS)
@operation(ok={"HTTP_200": EndpointList}, errors=["HTTP_403"], query=PageQuery, signed_in=True, tags=["webhooks"])
def list_webhooks(query: PageQuery):
    """Every webhook endpoint, oldest first, with its state and the status of its latest delivery."""
    rows, total = paginate(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id), query)
    endpoints = [endpoint for (endpoint,) in rows]
    last = services.last_delivery_statuses(endpoint.id for endpoint in endpoints)
    items = [EndpointOut(**_fields(endpoint, last.get(endpoint.id))) for endpoint in endpoints]
    return EndpointList(items=items, page=query.page, per_page=query.per_page, total=total)


@bp.post("/webhooks")
@policy.roles(*KEEPERS)
@operation(
    ok={"HTTP_201": EndpointCreated},
    errors=["HTTP_403", "HTTP_422"],
    json=EndpointIn,
    headers=IdempotencyHeaders,
    signed_in=True,
    tags=["webhooks"],
)
def create_webhook(json: EndpointIn, headers: IdempotencyHeaders):
    """Add an endpoint. The answer holds its signing secret (`whsec_…`): store it now, it is never shown again."""
    retry = Retry(headers.idempotency_key)
    if (answer := retry.earlier_answer()) is not None:
        return answer
    try:
        endpoint, secret = services.add_endpoint(
            json.url, json.events, by=policy.current_person(), description=json.description
        )
    except InvalidInput as error:
        db.session.rollback()
        return refused(error)
    public = EndpointCreated(**_fields(endpoint, None), secret=None).model_dump(mode="json")
    location = url_for("api.get_webhook", endpoint_id=endpoint.id)
    answer = retry.commit(201, public, {"Location": location})  # what a retry replays: no secret
    if REPLAYED_HEADER not in answer.headers:
        answer.set_data(dumps({**public, "secret": secret}))
    return answer


@bp.get(f"/webhooks/<{ID}:endpoint_id>")
@policy.roles(*KEEPERS)
@operation(ok={"HTTP_200": EndpointDetail}, errors=["HTTP_403", "HTTP_404"], signed_in=True, tags=["webhooks"])
def get_webhook(endpoint_id: int):
    """One endpoint: its state, events and how many deliveries are in each status."""
    endpoint = _get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        return json_error(404, NO_ENDPOINT)
    return _detail(endpoint)


@bp.patch(f"/webhooks/<{ID}:endpoint_id>")
@policy.roles(*KEEPERS)
@operation(
    ok={"HTTP_200": EndpointDetail},
    errors=["HTTP_403", "HTTP_404", "HTTP_422"],
    json=EndpointPatch,
    signed_in=True,
    tags=["webhooks"],
)
def update_webhook(endpoint_id: int, json: EndpointPatch):
    """Change the events an endpoint receives, or pause (`"active": false`) and resume it."""
    endpoint = _get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        return json_error(404, NO_ENDPOINT)
    try:
        services.update_endpoint(endpoint, by=policy.current_person(), events_wanted=json.events, active=json.active)
    except InvalidInput as error:
        db.session.rollback()
        return refused(error)
    db.session.commit()
    return _detail(endpoint)


@bp.delete(f"/webhooks/<{ID}:endpoint_id>")
@policy.roles(*KEEPERS)
@operation(ok={"HTTP_204": None}, errors=["HTTP_403", "HTTP_404"], signed_in=True, tags=["webhooks"])
def delete_webhook(endpoint_id: int):
    """Remove an endpoint and its delivery log; nothing more is sent to it."""
    endpoint = _get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        return json_error(404, NO_ENDPOINT)
    services.remove(endpoint, by=policy.current_person())
    db.session.commit()
    return "", 204


@bp.get(f"/webhooks/<{ID}:endpoint_id>/deliveries")
@policy.roles(*KEEPERS)
@operation(
    ok={"HTTP_200": DeliveryList},
    errors=["HTTP_403", "HTTP_404"],
    query=PageQuery,
    signed_in=True,
    tags=["webhooks"],
)
def webhook_deliveries(endpoint_id: int, query: PageQuery):
    """The endpoint's delivery log, newest first: status, attempts and the receiver's last answer."""
    endpoint = _get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        return json_error(404, NO_ENDPOINT)
    rows, total = paginate(services.deliveries_of(endpoint), query)
    items = [_delivery(delivery) for (delivery,) in rows]
    return DeliveryList(items=items, page=query.page, per_page=query.per_page, total=total)


@bp.post(f"/webhooks/<{ID}:endpoint_id>/deliveries/<{ID}:delivery_id>/replay")
@policy.roles(*KEEPERS)
@operation(
    ok={"HTTP_202": DeliveryOut},
    errors=["HTTP_403", "HTTP_404", "HTTP_409"],
    json=ReplayIn,
    signed_in=True,
    tags=["webhooks"],
)
def replay_webhook_delivery(endpoint_id: int, delivery_id: int, json: ReplayIn):
    """Send a past delivery again, with the same `webhook-id`; 409 while it is still waiting to be sent."""
    delivery = _get(IntegrationDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint_id:
        return json_error(404, "No such delivery for this endpoint.")
    try:
        services.replay(delivery, by=policy.current_person())
    except InvalidInput as error:
        db.session.rollback()
        fields = {name: [str(message) for message in messages] for name, messages in error.fields.items()}
        return json_error(409, str(error.message), fields)
    db.session.commit()
    return _delivery(delivery).model_dump(mode="json"), 202

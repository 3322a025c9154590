"""Connecting and keeping channels and webhook endpoints; test messages and replays.

Every function validates first and raises :class:`InvalidInput` before writing anything; they
add and flush, and the caller (a view, the API, a command) commits. Addresses are checked, stored
encrypted and audited by their hint only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import audit, policy
from tracker.extensions import db
from tracker.integrations import addresses, cards, events, secrets
from tracker.models import (
    Channel,
    ChannelKind,
    DeliveryStatus,
    Department,
    IntegrationDelivery,
    Person,
    PostKind,
    TargetStatus,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from tracker.validation import InvalidInput

NAME_MAX = 120
DESCRIPTION_MAX = 200
TEST_EVENT = "webhook.test"


def _checked_url(url: str, field: str = "url") -> str:
    try:
        addresses.check(url)
    except addresses.AddressRefused as refusal:
        raise InvalidInput.single(field, refusal.message) from None
    return url.strip()


def channels_for(person: Person) -> list[Channel]:
    statement = sa.select(Channel).join(Department, Department.id == Channel.department_id)
    scope = policy.channel_department_ids(person)
    if scope is not None:
        statement = statement.where(Channel.department_id.in_(scope or {-1}))
    return list(db.session.scalars(statement.order_by(Department.path, Channel.id)))


def departments_for(person: Person) -> list[Department]:
    statement = sa.select(Department).where(Department.active.is_(True))
    scope = policy.channel_department_ids(person)
    if scope is not None:
        statement = statement.where(Department.id.in_(scope or {-1}))
    return list(db.session.scalars(statement.order_by(Department.path)))


def _language(language: str | None) -> str:
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    if language not in current_app.config["LANGUAGES"]:
        raise InvalidInput.single("language", _("Choose one of the languages offered."))
    return language


def connect_channel(
    department: Department | None,
    kind: str,
    url: str,
    *,
    by: Person | None = None,
    name: str = "",
    language: str | None = None,
    post_recognitions: bool = True,
    post_awards: bool = True,
    post_weekly_summary: bool = False,
) -> Channel:
    errors: dict[str, list[str]] = {}
    if (
        department is None
        or not department.active
        or by is not None
        and not policy.may_manage_department(by, department)
    ):
        errors["department"] = [_("Choose one of your departments.")]
    if kind not in {k.value for k in ChannelKind}:
        errors["kind"] = [_("Choose Microsoft Teams or Slack.")]
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        errors["name"] = [_("Please keep it under %(max)s characters.", max=format_number(NAME_MAX))]
    for check in (lambda: _checked_url(url), lambda: _language(language)):
        try:
            check()
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(errors)
    url = url.strip()
    channel = Channel(
        department=department,
        kind=ChannelKind(kind),
        name=name,
        language=_language(language),
        url_encrypted=secrets.encrypt(url),
        url_hint=secrets.hint(url),
        post_recognitions=bool(post_recognitions),
        post_awards=bool(post_awards),
        post_weekly_summary=bool(post_weekly_summary),
        created_by=by,
    )
    db.session.add(channel)
    db.session.flush()
    audit.record("channel_connected", "channel", channel.id, actor=by, department=department.slug, kind=kind)
    return channel


def update_channel(
    channel: Channel,
    *,
    by: Person | None,
    name: str,
    language: str,
    post_recognitions: bool,
    post_awards: bool,
    post_weekly_summary: bool,
    new_url: str = "",
) -> list[str]:
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise InvalidInput.single("name", _("Please keep it under %(max)s characters.", max=format_number(NAME_MAX)))
    language = _language(language)
    new_url = (new_url or "").strip()
    if new_url:
        _checked_url(new_url, "new_url")
    values = {
        "name": name,
        "language": language,
        "post_recognitions": bool(post_recognitions),
        "post_awards": bool(post_awards),
        "post_weekly_summary": bool(post_weekly_summary),
    }
    changed = [key for key, value in values.items() if getattr(channel, key) != value]
    for key in changed:
        setattr(channel, key, values[key])
    if new_url:
        channel.url_encrypted = secrets.encrypt(new_url)
        channel.url_hint = secrets.hint(new_url)
        changed.append("url")
    if changed:
        audit.record("channel_updated", "channel", channel.id, actor=by, changes=changed)
    db.session.flush()
    return changed


def set_paused(target: Channel | WebhookEndpoint, paused: bool, *, by: Person | None) -> None:
    """Pause by hand, or resume: a resumed target starts afresh and its waiting deliveries go out."""
    kind = "channel" if isinstance(target, Channel) else "webhook_endpoint"
    if paused:
        target.status = TargetStatus.PAUSED
        target.status_message = _("Paused by %(name)s.", name=by.name) if by is not None else _("Paused.")
    else:
        target.status = TargetStatus.ACTIVE
        target.status_message = ""
        target.consecutive_failures = 0
        target.hold_until = None
    audit.record(f"{kind}_{'paused' if paused else 'resumed'}", kind, target.id, actor=by)
    db.session.flush()


def remove(target: Channel | WebhookEndpoint, *, by: Person | None) -> None:
    kind = "channel" if isinstance(target, Channel) else "webhook_endpoint"
    audit.record(f"{kind}_removed", kind, target.id, actor=by, hint=target.url_hint)
    db.session.execute(
        sa.delete(IntegrationDelivery).where(
            (IntegrationDelivery.channel_id == target.id)
            if isinstance(target, Channel)
            else (IntegrationDelivery.endpoint_id == target.id)
        )
    )
    db.session.delete(target)
    db.session.flush()


def parse_events(values: Iterable[str] | str) -> list[str]:
    """Event names from a list or a comma-separated string, checked against :class:`WebhookEvent`."""
    if isinstance(values, str):
        values = values.split(",")
    wanted = list(dict.fromkeys(str(value).strip() for value in values if str(value).strip()))
    known = {event.value for event in WebhookEvent}
    unknown = [value for value in wanted if value not in known]
    if unknown or not wanted:
        raise InvalidInput.single(
            "events",
            _("Choose at least one of: %(events)s.", events=", ".join(sorted(known)))
            if not unknown
            else _(
                "Unknown events: %(names)s. Known: %(events)s.",
                names=", ".join(unknown),
                events=", ".join(sorted(known)),
            ),
        )
    return [event.value for event in WebhookEvent if event.value in wanted]


def add_endpoint(url: str, events_wanted, *, by: Person | None, description: str = "") -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its signing secret, shown this once and stored encrypted."""
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("Please keep it under %(max)s characters.", max=format_number(DESCRIPTION_MAX))]
    chosen: list[str] = []
    for check in (lambda: _checked_url(url), lambda: chosen.extend(parse_events(events_wanted))):
        try:
            check()
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(errors)
    url = url.strip()
    secret = secrets.new_signing_secret()
    endpoint = WebhookEndpoint(
        description=description,
        events=chosen,
        url_encrypted=secrets.encrypt(url),
        url_hint=secrets.hint(url),
        secret_encrypted=secrets.encrypt(secret),
        created_by=by,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhook_endpoint_added", "webhook_endpoint", endpoint.id, actor=by, events=chosen)
    return endpoint, secret


def update_endpoint(
    endpoint: WebhookEndpoint, *, by: Person | None, events_wanted=None, active: bool | None = None
) -> list[str]:
    """Change the events an endpoint receives and/or pause or resume it; returns what changed.

    ``None`` leaves a value as it is. Everything is checked before anything is written.
    """
    chosen = parse_events(events_wanted) if events_wanted is not None else None
    changed = []
    if chosen is not None and chosen != endpoint.event_names:
        endpoint.events = chosen
        audit.record("webhook_endpoint_updated", "webhook_endpoint", endpoint.id, actor=by, events=chosen)
        changed.append("events")
    if active is not None and bool(active) != (endpoint.status == TargetStatus.ACTIVE):
        set_paused(endpoint, not active, by=by)
        changed.append("active")
    db.session.flush()
    return changed


def send_test(target: Channel | WebhookEndpoint, *, by: Person | None) -> IntegrationDelivery:
    """Queue a test message; the worker sends it like any other, so it tests the whole path."""
    key = f"test:{uuid.uuid4().hex}"
    if isinstance(target, Channel):
        delivery = events.queue(PostKind.TEST, key, cards.test_post(target), channel=target)
    else:
        body = events.webhook_body(TEST_EVENT, {"endpoint_id": target.id})
        delivery = events.queue(PostKind.TEST, key, body, endpoint=target, event_type=TEST_EVENT)
    kind = "channel" if isinstance(target, Channel) else "webhook_endpoint"
    audit.record(f"{kind}_test_sent", kind, target.id, actor=by)
    db.session.flush()
    return delivery


def may_replay(delivery: IntegrationDelivery) -> bool:
    """Channel posts are replayed only when they did not (surely) arrive; webhook events always can be.

    A webhook replay keeps its ``webhook-id``, so a receiver that already has it can tell.
    """
    if delivery.status in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
        return False
    if delivery.channel_id is not None:
        return delivery.status in (DeliveryStatus.FAILED, DeliveryStatus.INTERRUPTED)
    return True


def replay(delivery: IntegrationDelivery, *, by: Person | None) -> None:
    if not may_replay(delivery):
        raise InvalidInput.single(
            "delivery",
            _("This message was delivered already; a channel post is never sent twice.")
            if delivery.status == DeliveryStatus.DELIVERED
            else _("This message is still waiting to be sent."),
        )
    delivery.status = DeliveryStatus.QUEUED
    delivery.next_attempt_at = utcnow()
    delivery.attempts = 0
    delivery.replays += 1
    delivery.claimed_at = None
    audit.record("integration_delivery_replayed", "integration_delivery", delivery.id, actor=by)
    db.session.flush()


def deliveries_of(target: Channel | WebhookEndpoint) -> sa.Select:
    """The delivery log of a channel or endpoint, newest first (the page shows its head, the API pages it)."""
    column = IntegrationDelivery.channel_id if isinstance(target, Channel) else IntegrationDelivery.endpoint_id
    return (
        sa.select(IntegrationDelivery)
        .where(column == target.id)
        .order_by(IntegrationDelivery.created_at.desc(), IntegrationDelivery.id.desc())
    )


def recent_deliveries(target: Channel | WebhookEndpoint, limit: int = 50) -> list[IntegrationDelivery]:
    return list(db.session.scalars(deliveries_of(target).limit(limit)))


def last_delivery_statuses(endpoint_ids: Iterable[int]) -> dict[int, DeliveryStatus]:
    """The status of each endpoint's latest delivery, for endpoints that have one, in one query."""
    wanted = list(endpoint_ids)
    if not wanted:
        return {}
    latest = (
        sa.select(
            IntegrationDelivery.endpoint_id,
            IntegrationDelivery.status,
            sa.func.row_number()
            .over(
                partition_by=IntegrationDelivery.endpoint_id,
                order_by=(IntegrationDelivery.created_at.desc(), IntegrationDelivery.id.desc()),
            )
            .label("position"),
        )
        .where(IntegrationDelivery.endpoint_id.in_(wanted))
        .subquery()
    )
    rows = db.session.execute(sa.select(latest.c.endpoint_id, latest.c.status).where(latest.c.position == 1))
    return {endpoint_id: DeliveryStatus(status) for endpoint_id, status in rows}


# What the delivery log calls each state, in the reader's language.
DELIVERY_STATUS_LABELS = {
    DeliveryStatus.QUEUED: _l("Waiting to be sent"),
    DeliveryStatus.SENDING: _l("Being sent"),
    DeliveryStatus.DELIVERED: _l("Delivered"),
    DeliveryStatus.FAILED: _l("Not delivered"),
    DeliveryStatus.INTERRUPTED: _l("Interrupted while sending"),
}


def delivery_counts(target: Channel | WebhookEndpoint) -> dict[str, int]:
    column = IntegrationDelivery.channel_id if isinstance(target, Channel) else IntegrationDelivery.endpoint_id
    rows = db.session.execute(
        sa.select(IntegrationDelivery.status, sa.func.count())
        .where(column == target.id)
        .group_by(IntegrationDelivery.status)
    ).all()
    return {str(status): count for status, count in rows}

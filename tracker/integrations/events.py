"""Turning events into queued deliveries, in the transaction of the event itself.

Every function here only adds rows to the session (the caller commits with its own change), so
a post or a webhook exists exactly when the event does. Each delivery carries an idempotency key
made of the event and the target: calling a function twice for the same event queues nothing new.

The one entry point for award programmes is :func:`award_announced`; call it when a cycle is
announced, in the announcing transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from tracker import policy
from tracker.extensions import db
from tracker.integrations import cards, payloads
from tracker.models import (
    Case,
    Channel,
    Department,
    Feedback,
    IntegrationDelivery,
    Person,
    PostKind,
    Recognition,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from tracker.recognitions.queries import wall_condition


def new_message_id() -> str:
    return "msg_" + uuid.uuid4().hex


def queue(
    kind: PostKind,
    event_key: str,
    payload: dict,
    *,
    channel: Channel | None = None,
    endpoint: WebhookEndpoint | None = None,
    event_type: str = "",
) -> IntegrationDelivery | None:
    """Add one delivery unless this event already has one for this target; flushed by the caller."""
    target = f"channel:{channel.id}" if channel is not None else f"endpoint:{endpoint.id}"
    key = f"{event_key}|{target}"
    if db.session.scalar(sa.select(IntegrationDelivery.id).where(IntegrationDelivery.idempotency_key == key)):
        return None
    delivery = IntegrationDelivery(
        kind=kind,
        event_type=event_type or str(kind),
        event_key=event_key,
        idempotency_key=key,
        message_id=new_message_id(),
        channel=channel,
        endpoint=endpoint,
        payload=payload,
    )
    db.session.add(delivery)
    return delivery


# --- webhooks --------------------------------------------------------------------------------


def subscribed(event: WebhookEvent) -> list[WebhookEndpoint]:
    endpoints = db.session.scalars(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id))
    return [endpoint for endpoint in endpoints if str(event) in endpoint.event_names]


def webhook_body(event: WebhookEvent | str, data: dict, moment: datetime | None = None) -> dict:
    """The Standard Webhooks body: ``type``, ``timestamp`` and the event's ``data``."""
    return {"type": str(event), "timestamp": payloads._iso(moment or utcnow()), "data": data}


def emit(event: WebhookEvent, subject_key: str, data: dict, endpoints: list[WebhookEndpoint] | None = None) -> int:
    """Queue ``event`` for every endpoint subscribed to it; returns how many were queued."""
    endpoints = subscribed(event) if endpoints is None else endpoints
    body = webhook_body(event, data)
    queued = 0
    for endpoint in endpoints:
        if queue(PostKind.WEBHOOK_EVENT, f"{event}:{subject_key}", body, endpoint=endpoint, event_type=str(event)):
            queued += 1
    return queued


# --- channels --------------------------------------------------------------------------------


def _ancestor_ids(department_ids: Iterable[int | None]) -> set[int]:
    """The departments themselves and every department above them, from their stored paths."""
    wanted = {value for value in department_ids if value is not None}
    if not wanted:
        return set()
    paths = db.session.scalars(sa.select(Department.path).where(Department.id.in_(wanted)))
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def channels_over(department_ids: Iterable[int | None], flag) -> list[Channel]:
    """Channels whose department's subtree contains any of ``department_ids`` and that want ``flag``."""
    ancestors = _ancestor_ids(department_ids)
    if not ancestors:
        return []
    return list(
        db.session.scalars(
            sa.select(Channel).where(Channel.department_id.in_(ancestors), flag.is_(True)).order_by(Channel.id)
        )
    )


def may_post_recognition(recognition: Recognition) -> bool:
    """The wall's rule, applied to channels: published, public, nobody in it opted out of walls, and
    a survey recognition only while the hospital lets survey comments reach walls.

    Patients' words additionally need their consent to show them on a wall.
    """
    db.session.flush()
    on_the_wall = db.session.scalar(
        sa.select(sa.literal(True)).where(Recognition.id == recognition.id, wall_condition())
    )
    if not on_the_wall:
        return False
    if recognition.feedback_id is not None:
        feedback = db.session.get(Feedback, recognition.feedback_id)
        if feedback is None or not feedback.consent_to_wall:
            return False
    return True


@dataclass(frozen=True)
class Listeners:
    """Who hears of a published recognition: subscribed webhook endpoints and channels above its people."""

    endpoints: list[WebhookEndpoint]
    channels: list[Channel]


def listeners_of_recognition(recognition: Recognition) -> Listeners:
    """Looked up before a new recognition is written, so a writer does not hold the write lock for it."""
    departments = {row.department_id for row in recognition.recipient_rows}
    departments.add(recognition.unit.id if recognition.unit is not None else recognition.unit_id)
    return Listeners(
        subscribed(WebhookEvent.RECOGNITION_PUBLISHED), channels_over(departments, Channel.post_recognitions)
    )


def recognition_published(recognition: Recognition, listeners: Listeners | None = None) -> None:
    """A recognition was published: the webhook event, and a post in every channel above its people."""
    listeners = listeners or listeners_of_recognition(recognition)
    if listeners.endpoints:
        emit(
            WebhookEvent.RECOGNITION_PUBLISHED,
            str(recognition.id),
            payloads.recognition(recognition),
            listeners.endpoints,
        )
    channels = listeners.channels
    if not channels or not may_post_recognition(recognition):
        return
    for channel in channels:
        queue(
            PostKind.RECOGNITION,
            f"recognition.published:{recognition.id}",
            cards.recognition_post(channel, recognition),
            channel=channel,
        )
    db.session.flush()


def recognition_acknowledged(recognition: Recognition) -> None:
    emit(WebhookEvent.RECOGNITION_ACKNOWLEDGED, str(recognition.id), payloads.acknowledgement(recognition))


def feedback_received(feedback: Feedback) -> None:
    emit(WebhookEvent.FEEDBACK_RECEIVED, str(feedback.id), payloads.feedback(feedback))


def case_opened(case: Case) -> None:
    emit(WebhookEvent.CASE_OPENED, str(case.id), payloads.case(case))


def case_resolved(case: Case) -> None:
    # A case can be reopened and resolved again: each resolution is its own event.
    emit(WebhookEvent.CASE_RESOLVED, f"{case.id}:{payloads._iso(case.resolved_at)}", payloads.case(case))


def people_deactivated(person_ids: Sequence[int], when: datetime | None = None) -> int:
    """``person.deactivated`` for each person (one query for them all, for roster imports)."""
    endpoints = subscribed(WebhookEvent.PERSON_DEACTIVATED)
    if not endpoints or not person_ids:
        return 0
    when = when or utcnow()
    queued = 0
    for start in range(0, len(person_ids), 1000):
        rows = db.session.execute(
            sa.select(Person.id, Person.employee_id, Department.slug)
            .outerjoin(Department, Department.id == Person.department_id)
            .where(Person.id.in_(list(person_ids[start : start + 1000])))
        ).all()
        for person_id, employee_id, slug in rows:
            data = payloads.person_deactivated(person_id, employee_id, slug, when)
            queued += emit(WebhookEvent.PERSON_DEACTIVATED, f"{person_id}:{payloads._iso(when)}", data, endpoints)
    return queued


def award_announced(
    *,
    programme_slug: str,
    programme_name: str,
    cycle_id: int,
    cycle_label: str,
    honourees: Sequence[Person],
    link: str,
) -> None:
    """An award cycle was announced: the ``award.announced`` webhook and a post in each channel above an honouree.

    ``link`` is the site path of the announcement (``/awards/<slug>``). Channel posts name only
    honourees who are active and allow walls; a channel with none of them gets no post.
    """
    honourees = list(honourees)
    key = f"{programme_slug}:{cycle_id}"
    data = payloads.award(
        programme_slug=programme_slug,
        programme_name=programme_name,
        cycle_id=cycle_id,
        cycle_label=cycle_label,
        honourees=honourees,
        link=link,
    )
    emit(WebhookEvent.AWARD_ANNOUNCED, key, data)
    shown = [person for person in honourees if person.active and person.show_on_walls]
    for channel in channels_over({person.department_id for person in shown}, Channel.post_awards):
        here = policy.subtree_ids([channel.department])
        people = [person for person in shown if person.department_id in here]
        if people:
            payload = cards.honourees_post(channel, programme_name, cycle_label, people, link)
            queue(PostKind.AWARD_HONOUREES, f"award.announced:{key}", payload, channel=channel)
    db.session.flush()

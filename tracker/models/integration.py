"""Channels (Teams, Slack), signed webhook endpoints, and the deliveries queued for them.

Addresses and signing secrets are secrets: they are stored encrypted (see
:mod:`tracker.integrations.secrets`) with a short hint (host and last four characters) for display.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import enum_column
from tracker.models.person import Person
from tracker.models.types import UTCDateTime, utcnow


class WebhookEvent(StrEnum):
    """What other systems may subscribe to. Each has a JSON Schema in docs/webhooks.md."""

    RECOGNITION_PUBLISHED = "recognition.published"
    RECOGNITION_ACKNOWLEDGED = "recognition.acknowledged"
    FEEDBACK_RECEIVED = "feedback.received"
    CASE_OPENED = "case.opened"
    CASE_RESOLVED = "case.resolved"
    AWARD_ANNOUNCED = "award.announced"
    PERSON_DEACTIVATED = "person.deactivated"


class ChannelKind(StrEnum):
    TEAMS = "teams"
    SLACK = "slack"


class PostKind(StrEnum):
    """What a delivery carries: a channel post of some kind, a webhook event, or a test message."""

    RECOGNITION = "recognition"
    AWARD_HONOUREES = "award_honourees"
    WEEKLY_SUMMARY = "weekly_summary"
    WEBHOOK_EVENT = "webhook_event"
    TEST = "test"


class TargetStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    DELIVERED = "delivered"
    # Refused for good (payload rejected, or every attempt failed); kept, and can be replayed.
    FAILED = "failed"
    # The worker stopped while sending: it may or may not have arrived, so it is never resent on its own.
    INTERRUPTED = "interrupted"


class _Target:
    """Columns shared by channels and endpoints: the encrypted address and the delivery health."""

    url_encrypted: Mapped[str] = mapped_column(sa.Text)
    url_hint: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[TargetStatus] = mapped_column(enum_column(TargetStatus), default=TargetStatus.ACTIVE)
    # Why it is paused, or what the last failure was, in words for the page.
    status_message: Mapped[str] = mapped_column(sa.Text, default="")
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    # A 429's Retry-After holds every delivery to this target until then.
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Channel(_Target, db.Model):
    """A department's Teams or Slack channel, posted to for people of the department's subtree."""

    __tablename__ = "integration_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind))
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    # The language cards are written in: the department's choice for its channel.
    language: Mapped[str] = mapped_column(sa.String(16), default="en")
    post_recognitions: Mapped[bool] = mapped_column(default=True)
    post_awards: Mapped[bool] = mapped_column(default=True)
    post_weekly_summary: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))

    department: Mapped[Department] = relationship()
    created_by: Mapped[Person | None] = relationship()


class WebhookEndpoint(_Target, db.Model):
    """Another system's address that receives signed events (Standard Webhooks)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(sa.String(200), default="")
    # Event names from WebhookEvent; checked on the way in.
    events: Mapped[list] = mapped_column(sa.JSON, default=list)
    secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))

    created_by: Mapped[Person | None] = relationship()

    @property
    def event_names(self) -> list[str]:
        return [str(event) for event in self.events]


class IntegrationDelivery(db.Model):
    """One message for one channel or endpoint, queued in the transaction of the event that caused it.

    ``idempotency_key`` is unique per event and target, so an event can never queue a second post
    to the same channel. ``message_id`` is the Standard Webhooks ``webhook-id``, fixed at queue time.
    """

    __tablename__ = "integration_deliveries"
    __table_args__ = (
        sa.Index("ix_integration_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        sa.CheckConstraint("(channel_id IS NULL) <> (endpoint_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind))
    event_type: Mapped[str] = mapped_column(sa.String(60), default="")
    event_key: Mapped[str] = mapped_column(sa.String(160))
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    message_id: Mapped[str] = mapped_column(sa.String(80), unique=True)
    channel_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("integration_channels.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus), default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    replays: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_status: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")

    channel: Mapped[Channel | None] = relationship()
    endpoint: Mapped[WebhookEndpoint | None] = relationship()

    @property
    def target(self) -> Channel | WebhookEndpoint:
        return self.channel if self.channel_id is not None else self.endpoint

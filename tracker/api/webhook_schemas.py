"""Request and response shapes of the webhook endpoint API (administrators only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool

from tracker.api.schemas import WHITESPACE, IdempotencyHeaders, Page, Strict, documented, text
from tracker.integrations.addresses import MAX_URL
from tracker.integrations.services import DESCRIPTION_MAX
from tracker.models import DeliveryStatus, PostKind, TargetStatus, WebhookEvent

__all__ = [
    "DeliveryList",
    "DeliveryOut",
    "EndpointCreated",
    "EndpointDetail",
    "EndpointIn",
    "EndpointList",
    "EndpointOut",
    "EndpointPatch",
    "IdempotencyHeaders",
    "ReplayIn",
]

EVENTS = ", ".join(f"`{event.value}`" for event in WebhookEvent)
# Event names are checked by the same rule as the page and the command, so the message is the same;
# the document lists the names that rule knows.
EventNames = Annotated[
    list[documented(text(60), enum=[event.value for event in WebhookEvent])], Field(json_schema_extra={"minItems": 1})
]
# The address rule as far as it can be told without looking the host up: http(s), a host, no spaces inside
# (surrounding spaces are trimmed). Whether the host is public is only known once it has been resolved.
WebAddress = documented(
    text(MAX_URL),
    pattern=rf"^[{WHITESPACE}]*[Hh][Tt][Tt][Pp][Ss]?://[^{WHITESPACE}/?#@\x00][^{WHITESPACE}\x00]*[{WHITESPACE}]*$",
)


class EndpointIn(Strict):
    url: WebAddress = Field(
        description="HTTPS address of the receiving system. Private, link-local and loopback addresses are refused "
        "unless the host is on the allow-list."
    )
    events: EventNames = Field(max_length=50, description=f"The events it receives, at least one of: {EVENTS}.")
    description: text(DESCRIPTION_MAX) = Field("", description="What the endpoint is for.")


class EndpointPatch(Strict):
    events: EventNames | None = Field(None, max_length=50, description=f"Replace the events: {EVENTS}.")
    active: StrictBool | None = Field(
        None, description="false pauses the endpoint (events wait); true resumes it and sends what waited."
    )


class EndpointOut(BaseModel):
    id: int
    url: str = Field(description="The address as the pages show it: its host and last four characters, never whole.")
    description: str
    events: list[str]
    active: bool
    status: TargetStatus
    status_message: str = Field(description="Why it is paused, or the last problem, in words.")
    created_at: datetime
    last_delivered_at: datetime | None
    last_failed_at: datetime | None
    last_delivery_status: DeliveryStatus | None = Field(description="Status of the latest delivery; null before any.")


class EndpointDetail(EndpointOut):
    delivery_counts: dict[str, int] = Field(description="How many deliveries are in each status.")


class EndpointCreated(EndpointOut):
    secret: str | None = Field(
        description="The signing secret (whsec_…), given only in this answer. A retry with the same "
        "Idempotency-Key answers null: remove the endpoint and add it again if the secret was lost."
    )


class EndpointList(Page):
    items: list[EndpointOut]


class DeliveryOut(BaseModel):
    id: int
    created_at: datetime
    kind: PostKind
    event_type: str
    message_id: str = Field(description="The webhook-id header the receiver sees; the same on retries and replays.")
    status: DeliveryStatus
    attempts: int
    replays: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    response_status: int | None = Field(description="The HTTP status the receiver answered last.")
    last_error: str
    may_replay: bool


class DeliveryList(Page):
    items: list[DeliveryOut]


class ReplayIn(Strict):
    """No fields: send ``{}``."""

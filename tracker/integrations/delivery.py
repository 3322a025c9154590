"""The integrations worker: claims due deliveries, posts them, records each outcome at once.

Guarantees, and their limits:

* Nothing is lost. A delivery leaves ``queued`` only to become ``delivered``, ``failed`` (the other
  side refused that message, or every attempt failed; kept and replayable) or ``interrupted``.
  A channel that needs attention (deleted on the other side, redirecting, refusing access, an
  address that became unsafe) is paused with its deliveries left queued, so they go out once it
  is fixed and resumed.
* At most once. A delivery is claimed (``sending``, committed) just before it is posted, and marked
  ``delivered`` right after the answer. A worker killed in between leaves it ``sending``; after
  :data:`STALE_CLAIM` it becomes ``interrupted``, never posted again on its own: a Teams or Slack
  channel cannot recognise a repeat, so an admin decides, from the delivery log, whether to replay.
* Retries back off exponentially (30 s, 1, 2, 4 … minutes, at most six hours); a 429's
  ``Retry-After`` holds every delivery to that target until then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from standardwebhooks.webhooks import Webhook

from tracker.extensions import db
from tracker.integrations import addresses, secrets, transport
from tracker.integrations.notices import tell_owner_paused
from tracker.models import (
    Channel,
    DeliveryStatus,
    IntegrationDelivery,
    TargetStatus,
    WebhookEndpoint,
    utcnow,
)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=15)
PAUSE_AFTER_FAILURES = 5
ANSWER_IN_MESSAGE = 300


@dataclass
class RunResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    interrupted: int = 0


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date; ``None`` when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(timedelta(seconds=int(value)), LONGEST_RETRY)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return min(max(moment - now, timedelta(0)), LONGEST_RETRY)


def _open_targets(now: datetime, model) -> sa.Select:
    return sa.select(model.id).where(
        model.status == TargetStatus.ACTIVE, sa.or_(model.hold_until.is_(None), model.hold_until <= now)
    )


def mark_interrupted(stale_after: timedelta = STALE_CLAIM) -> int:
    """Deliveries a dead worker left ``sending``: maybe posted, maybe not, so never posted again on their own."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = _(
            "The worker stopped while sending this, so it may or may not have arrived. It is not sent again"
            " on its own: replay it if it did not arrive."
        )
    result = db.session.execute(
        sa.update(IntegrationDelivery)
        .where(
            IntegrationDelivery.status == DeliveryStatus.SENDING,
            IntegrationDelivery.claimed_at <= utcnow() - stale_after,
        )
        .values(status=DeliveryStatus.INTERRUPTED, last_error=message)
    )
    db.session.commit()
    return result.rowcount or 0


def claim_batch(limit: int = 1) -> list[int]:
    """Mark up to ``limit`` due deliveries to open targets ``sending`` and commit; returns their ids."""
    now = utcnow()
    statement = (
        sa.select(IntegrationDelivery.id)
        .where(
            IntegrationDelivery.status == DeliveryStatus.QUEUED,
            IntegrationDelivery.next_attempt_at <= now,
            sa.or_(
                IntegrationDelivery.channel_id.in_(_open_targets(now, Channel)),
                IntegrationDelivery.endpoint_id.in_(_open_targets(now, WebhookEndpoint)),
            ),
        )
        .order_by(IntegrationDelivery.next_attempt_at, IntegrationDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(statement))
    if ids:
        db.session.execute(
            sa.update(IntegrationDelivery)
            .where(IntegrationDelivery.id.in_(ids))
            .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=IntegrationDelivery.attempts + 1)
        )
    db.session.commit()
    return ids


def request_for(delivery: IntegrationDelivery, moment: datetime) -> tuple[bytes, dict[str, str]]:
    """The exact bytes to post and the headers; webhook events are signed (Standard Webhooks)."""
    text = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    if delivery.endpoint_id is None:
        return text.encode(), {}
    signer = Webhook(secrets.decrypt(delivery.endpoint.secret_encrypted))
    return text.encode(), {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signer.sign(delivery.message_id, moment, text),
    }


class _Outcome:
    """What one attempt came to; applied to the delivery and its target in one commit."""

    def __init__(self, delivery: IntegrationDelivery, result: RunResult):
        self.delivery = delivery
        self.target = delivery.target
        self.result = result
        self.now = utcnow()

    def delivered(self, status: int) -> None:
        self.delivery.status = DeliveryStatus.DELIVERED
        self.delivery.delivered_at = self.now
        self.delivery.response_status = status
        self.delivery.last_error = ""
        self.target.consecutive_failures = 0
        self.target.last_delivered_at = self.now
        if self.target.status == TargetStatus.ACTIVE:
            self.target.status_message = ""
        self.result.delivered += 1

    def _failure_counted(self, message: str) -> None:
        self.target.consecutive_failures += 1
        self.target.last_failed_at = self.now
        self.target.status_message = message
        if self.target.consecutive_failures >= PAUSE_AFTER_FAILURES:
            self.pause(
                _("Paused after %(count)d failed deliveries in a row. Last problem: %(problem)s",
                  count=self.target.consecutive_failures, problem=message),
                requeue=False,
            )  # fmt: skip

    def retry(self, message: str, status: int | None = None, wait: timedelta | None = None) -> None:
        self.delivery.last_error = message
        self.delivery.response_status = status
        if self.delivery.attempts >= MAX_ATTEMPTS:
            self.delivery.status = DeliveryStatus.FAILED
            self.result.failed += 1
        else:
            self.delivery.status = DeliveryStatus.QUEUED
            self.delivery.next_attempt_at = self.now + max(wait or timedelta(0), retry_delay(self.delivery.attempts))
            self.result.retrying += 1
        self._failure_counted(message)

    def throttled(self, status: int, wait: timedelta | None) -> None:
        """429: not a failure of the message; everything to this target waits as asked."""
        wait = wait if wait is not None else retry_delay(self.delivery.attempts)
        self.delivery.attempts = max(self.delivery.attempts - 1, 0)
        self.delivery.status = DeliveryStatus.QUEUED
        self.delivery.next_attempt_at = self.now + wait
        self.delivery.response_status = status
        self.delivery.last_error = _("Too many requests: the other side asked to wait %(seconds)d seconds.",
                                     seconds=int(wait.total_seconds()))  # fmt: skip
        self.target.hold_until = self.now + wait
        self.result.retrying += 1

    def refused(self, message: str, status: int | None) -> None:
        """The other side refused this message itself: kept as ``failed``, replayable."""
        self.delivery.status = DeliveryStatus.FAILED
        self.delivery.last_error = message
        self.delivery.response_status = status
        self.result.failed += 1
        self._failure_counted(message)

    def pause(self, message: str, status: int | None = None, *, requeue: bool = True) -> None:
        """The target needs a person: paused, its owner told; this delivery waits for it."""
        if requeue and self.delivery.status == DeliveryStatus.SENDING:
            self.delivery.status = DeliveryStatus.QUEUED
            self.delivery.attempts = max(self.delivery.attempts - 1, 0)
            self.delivery.response_status = status
            self.delivery.last_error = message
            self.result.held += 1
        self.target.last_failed_at = self.now
        self.target.status_message = message
        if self.target.status != TargetStatus.PAUSED:
            self.target.status = TargetStatus.PAUSED
            tell_owner_paused(self.target, message)


def _answer_text(answer: transport.Answer) -> str:
    text = " ".join(answer.text.split())
    return text[:ANSWER_IN_MESSAGE]


def judge(outcome: _Outcome, answer: transport.Answer) -> None:
    status = answer.status
    if 200 <= status < 300:
        outcome.delivered(status)
    elif 300 <= status < 400:
        outcome.pause(
            _("The address answered with a redirect (HTTP %(status)d). Redirects are not followed:"
              " check the address and enter the one the service gives you.", status=status),
            status,
        )  # fmt: skip
    elif status in (404, 410):
        outcome.pause(
            _("The channel or webhook no longer exists on the other side (HTTP %(status)d). Create a new"
              " webhook there and enter its address here.", status=status),
            status,
        )  # fmt: skip
    elif status in (401, 403):
        outcome.pause(
            _("The other side refused access (HTTP %(status)d): %(answer)s", status=status,
              answer=_answer_text(answer)),
            status,
        )  # fmt: skip
    elif status == 429:
        outcome.throttled(status, retry_after(answer.headers.get("retry-after"), outcome.now))
    elif status in (408, 425) or status >= 500:
        outcome.retry(
            _("The other side had a problem (HTTP %(status)d); trying again later.", status=status),
            status,
            retry_after(answer.headers.get("retry-after"), outcome.now),
        )
    else:
        outcome.refused(
            _("The other side refused this message (HTTP %(status)d): %(answer)s", status=status,
              answer=_answer_text(answer)),
            status,
        )  # fmt: skip


def deliver(delivery: IntegrationDelivery, result: RunResult) -> None:
    """One attempt, its outcome committed at once."""
    outcome = _Outcome(delivery, result)
    target = outcome.target
    if target.status != TargetStatus.ACTIVE or (target.hold_until is not None and target.hold_until > outcome.now):
        # Paused or held by an earlier delivery of this batch: back in the queue, untouched.
        delivery.status = DeliveryStatus.QUEUED
        delivery.attempts = max(delivery.attempts - 1, 0)
        result.held += 1
        db.session.commit()
        return
    try:
        url = secrets.decrypt(outcome.target.url_encrypted)
        address = addresses.check(url)  # again now: the name may resolve elsewhere than when it was entered
        body, headers = request_for(delivery, outcome.now)
    except secrets.SecretUnreadable:
        outcome.pause(_("The stored address cannot be read with this server's key. Enter the address again."))
    except addresses.AddressRefused as refusal:
        if refusal.transient:
            outcome.retry(refusal.message)
        else:
            outcome.pause(refusal.message)
    else:
        try:
            answer = transport.post(address, body, headers)
        except transport.TransportError as error:
            outcome.retry(_("No answer: %(reason)s. Trying again later.", reason=str(error)))
        else:
            judge(outcome, answer)
    if delivery.status != DeliveryStatus.DELIVERED:
        current_app.logger.warning(
            "integration delivery %s (%s) not delivered: %s", delivery.id, delivery.kind, delivery.last_error
        )
    db.session.commit()


def send_due(limit: int = 1000, stale_after: timedelta = STALE_CLAIM) -> RunResult:
    """Post due deliveries, at most ``limit`` in this run, claiming one at a time.

    One at a time, so a worker killed mid-delivery leaves exactly one delivery in doubt: the one
    it was posting. Everything else it had not reached is still ``queued``.
    """
    result = RunResult(interrupted=mark_interrupted(stale_after))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for _ in range(limit):
            ids = claim_batch(1)
            if not ids:
                break
            deliver(db.session.get(IntegrationDelivery, ids[0]), result)
    return result

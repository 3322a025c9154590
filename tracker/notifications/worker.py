"""The outbox worker: claims due messages, delivers them, records the outcome one by one.

Guarantees, and their limits:

* Nothing is lost. A row leaves ``queued`` only to become ``sent``, or ``failed`` after
  :data:`MAX_ATTEMPTS`; a failure puts it back with exponential back-off.
* Two workers never send the same row. Claiming marks rows ``sending`` in a short transaction
  (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so workers skip each other's rows; SQLite: the
  ``BEGIN IMMEDIATE`` write lock lets one claim at a time).
* A killed worker leaves its claimed rows ``sending``; after :data:`STALE_CLAIM` another run takes
  them over. Each row is marked ``sent`` and committed right after the server accepts it, so the
  only message that can go out twice is the one whose acceptance and commit were cut apart by
  the kill (at-least-once). Its Message-ID was fixed at queue time, so mail systems and readers
  can recognise the repeat.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.models import OutboxMessage, OutboxStatus, utcnow
from tracker.notifications.mailer import build_message, transport_from_config

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=15)
BATCH_SIZE = 50


@dataclass
class RunResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def claim_batch(limit: int = BATCH_SIZE, stale_after: timedelta = STALE_CLAIM) -> list[int]:
    """Mark up to ``limit`` due rows ``sending`` and commit; returns their ids."""
    now = utcnow()
    due = sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at <= now - stale_after),
    )
    statement = (
        sa.select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(statement))
    if ids:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        )
    db.session.commit()
    return ids


def _record_failure(row: OutboxMessage, error: Exception, result: RunResult) -> None:
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
        result.failed += 1
        current_app.logger.error("outbox message %s failed for good: %s", row.id, row.last_error)
    else:
        row.status = OutboxStatus.QUEUED
        row.next_attempt_at = utcnow() + retry_delay(row.attempts)
        result.retrying += 1
    db.session.commit()


def send_due(limit: int = BATCH_SIZE, stale_after: timedelta = STALE_CLAIM) -> RunResult:
    """Deliver every due message, a batch at a time, until none is left."""
    result = RunResult()
    sender = current_app.config["MAIL_SENDER"]
    while ids := claim_batch(limit, stale_after):
        transport = transport_from_config()
        unreachable: Exception | None = None
        try:
            for message_id in ids:
                row = db.session.get(OutboxMessage, message_id)
                if unreachable is not None:  # no point waiting on a dead server once per message
                    _record_failure(row, unreachable, result)
                    continue
                try:
                    transport.send(build_message(row, sender))
                except (OSError, smtplib.SMTPException) as error:
                    if transport.connection_failed:
                        unreachable = error
                    _record_failure(row, error, result)
                    continue
                # Commit at once: from here to the commit is the only window for a duplicate.
                row.status = OutboxStatus.SENT
                row.sent_at = utcnow()
                row.last_error = ""
                db.session.commit()
                result.sent += 1
        finally:
            transport.close()
        if len(ids) < limit:
            break
    return result

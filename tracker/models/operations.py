"""Records that keep the system accountable: audit trail, outbox, API tokens, settings."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.enums import OutboxStatus, enum_column
from tracker.models.person import Person
from tracker.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Who did what to which record, when and from where."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40), default="")
    object_id: Mapped[str] = mapped_column(sa.String(64), default="")
    ip_address: Mapped[str] = mapped_column(sa.String(64), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[Person | None] = relationship()


class OutboxMessage(db.Model):
    """An e-mail queued in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(60))
    # RFC 5322 Message-ID, fixed when queued, so a resend after a crash is recognisable downstream.
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class IdempotencyRecord(db.Model):
    """The first answer to a request sent with an ``Idempotency-Key``, replayed on retries."""

    __tablename__ = "idempotency_records"
    __table_args__ = (sa.UniqueConstraint("scope", "key", name="uq_idempotency_records_scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(120))
    key: Mapped[str] = mapped_column(sa.String(120))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Setting(db.Model):
    """An admin-editable setting; defaults live in :mod:`tracker.settings`."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[dict | list | str | int | bool | None] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))

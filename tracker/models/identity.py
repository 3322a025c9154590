"""Credentials of the hospital's directory: the bearer tokens its SCIM client provisions people with."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.person import Person
from tracker.models.types import UTCDateTime, utcnow

scim_group_members = sa.Table(
    "scim_group_members",
    db.metadata,
    sa.Column("group_id", sa.ForeignKey("scim_groups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ScimGroup(db.Model):
    """A directory group provisioned by SCIM; ``SCIM_GROUP_MAP`` says which roles and departments it grants."""

    __tablename__ = "scim_groups"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    members: Mapped[list[Person]] = relationship(secondary=scim_group_members, lazy="selectin", order_by=Person.id)


class ScimToken(db.Model):
    """A bearer token for ``/scim/v2/`` only. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

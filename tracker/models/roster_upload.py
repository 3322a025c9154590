"""A roster file uploaded for review: kept between the dry run and the apply."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.types import UTCDateTime, utcnow


class RosterUpload(db.Model):
    """The uploaded file lives in the database, not on one app host's disk, so the apply
    request may reach any host behind the load balancer. Removed once applied."""

    __tablename__ = "roster_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

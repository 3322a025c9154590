"""Display links: a unit's TV shows its recognitions through a revocable link, with nobody signed in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.operations import ApiToken
from tracker.models.person import Person
from tracker.models.types import UTCDateTime, utcnow


class DisplayLink(db.Model):
    """A link that opens one unit's TV display. Only the SHA-256 of its token is stored; it is shown once."""

    __tablename__ = "display_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    # Kept to a few minutes, so a TV that reloads often does not write on every visit.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship()
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[Person | None] = relationship(foreign_keys=[revoked_by_id])

    @staticmethod
    def hash(token: str) -> str:
        """The same SHA-256 as API tokens: looked up by its hash, a guess learns nothing from timing."""
        return ApiToken.hash(token)

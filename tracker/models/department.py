"""Departments form a tree: hospital → department → unit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.types import UTCDateTime, utcnow


class Department(db.Model):
    """A node of the organisation tree.

    ``path`` holds the ids from the root down (``/1/4/17/``) so a whole subtree is one
    indexed ``LIKE '/1/4/%'`` on either database, without recursive queries.
    """

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    depth: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # A place patients and visitors can name on the public form ("Where were you?"). New
    # departments start as places so a new unit's poster works at once; services are unticked.
    patient_facing: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Department | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Department]] = relationship(back_populates="parent", order_by="Department.name")

    def __repr__(self) -> str:
        return f"<Department {self.slug}>"

    def refresh_path(self) -> None:
        """Recompute ``path``/``depth`` from the parent; the id must already be assigned."""
        prefix = self.parent.path if self.parent is not None else "/"
        self.path = f"{prefix}{self.id}/"
        self.depth = prefix.count("/") - 1

    def is_within(self, other: Department) -> bool:
        return self.path.startswith(other.path)

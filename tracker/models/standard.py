"""The hospital's value set (the icare standards) and their example behaviours.

They are data, seeded by the first migration and edited by admins: no code names a key.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


class Standard(db.Model):
    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    color: Mapped[str] = mapped_column(sa.String(7))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # {"es": {"name": "...", "description": "..."}, ...}: names in the languages of the public pages
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    behaviors: Mapped[list[Behavior]] = relationship(
        back_populates="standard", order_by="Behavior.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Standard {self.key}>"

    def translated(self, field: str, locale: str) -> str:
        return (self.translations or {}).get(locale, {}).get(field) or getattr(self, field)


class Behavior(db.Model):
    """An example behaviour of a standard; ``patient_prompt`` is how the public form asks about it."""

    __tablename__ = "behaviors"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(sa.ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    patient_prompt: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    standard: Mapped[Standard] = relationship(back_populates="behaviors")

    def __repr__(self) -> str:
        return f"<Behavior {self.key}>"

    def translated(self, field: str, locale: str) -> str:
        return (self.translations or {}).get(locale, {}).get(field) or getattr(self, field)

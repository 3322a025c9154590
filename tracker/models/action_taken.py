""" "You said, we did": what a unit changed because of a suggestion or a resolved concern.

Each action is a short public summary written once, in the hospital's language, with no patient
details. It answers either a suggestion (``feedback_id``) or a resolved concern (``case_id``),
never both, belongs to one unit and one month, and is public only once an advocate approved it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import enum_column
from tracker.models.feedback import Case, Feedback
from tracker.models.person import Person
from tracker.models.types import UTCDateTime, utcnow


class ActionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ActionTaken(db.Model):
    __tablename__ = "actions_taken"
    __table_args__ = (
        # The unit's public page: approved actions of one unit, newest month first.
        sa.Index("ix_actions_taken_unit_id_status_month", "unit_id", "status", "month"),
        sa.CheckConstraint("(feedback_id IS NULL) <> (case_id IS NULL)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    # The first day of the month the action was taken in.
    month: Mapped[date] = mapped_column(sa.Date)
    summary: Mapped[str] = mapped_column(sa.Text)
    feedback_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus), default=ActionStatus.PENDING, index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_note: Mapped[str] = mapped_column(sa.Text, default="")

    unit: Mapped[Department] = relationship()
    feedback: Mapped[Feedback | None] = relationship()
    case: Mapped[Case | None] = relationship()
    created_by: Mapped[Person] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<ActionTaken {self.id} {self.status.value}>"

    @property
    def patient_feedback(self) -> Feedback | None:
        """What the patient wrote: the suggestion itself, or the feedback the concern came from."""
        return self.feedback if self.feedback_id is not None else (self.case.feedback if self.case else None)

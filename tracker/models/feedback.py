"""Patient and family feedback, kept exactly as written, and the cases concerns become."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import (
    CaseStatus,
    FeedbackStatus,
    FeedbackType,
    Relation,
    Source,
    enum_column,
)
from tracker.models.operations import OutboxMessage
from tracker.models.person import Person
from tracker.models.standard import Standard
from tracker.models.types import UTCDateTime, utcnow

feedback_standards = sa.Table(
    "feedback_standards",
    db.metadata,
    sa.Column("feedback_id", sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("standard_id", sa.ForeignKey("standards.id"), primary_key=True),
)


class Feedback(db.Model):
    """What a patient, family member or visitor wrote.

    ``message`` is never altered: moderation writes ``approved_message`` (redacted) for staff,
    and the original stays with advocates. Contact details are for advocates only.
    """

    __tablename__ = "feedback"
    __table_args__ = (sa.Index("ix_feedback_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    type: Mapped[FeedbackType] = mapped_column(enum_column(FeedbackType))
    source: Mapped[Source] = mapped_column(enum_column(Source), default=Source.PATIENT)
    status: Mapped[FeedbackStatus] = mapped_column(enum_column(FeedbackStatus), default=FeedbackStatus.PENDING)
    message: Mapped[str] = mapped_column(sa.Text)
    staff_names: Mapped[str] = mapped_column(sa.Text, default="")
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    location_text: Mapped[str] = mapped_column(sa.String(200), default="")
    occurred_on: Mapped[date | None] = mapped_column(sa.Date)
    occurred_when: Mapped[str] = mapped_column(sa.String(120), default="")
    relation: Mapped[Relation | None] = mapped_column(enum_column(Relation))
    language: Mapped[str] = mapped_column(sa.String(16), default="en")
    consent_to_share: Mapped[bool] = mapped_column(default=False)
    consent_to_wall: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    contact_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff who transcribed a card, letter, e-mail or call.
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    submission_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    approved_message: Mapped[str | None] = mapped_column(sa.Text)
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_note: Mapped[str] = mapped_column(sa.Text, default="")
    # Whether the health-information guard finds anything in the text staff would read; None: not checked.
    health_information_found: Mapped[bool | None] = mapped_column()
    # A split message: the compliment or concern carved out of this one.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback.id"))

    unit: Mapped[Department | None] = relationship()
    entered_by: Mapped[Person | None] = relationship(foreign_keys=[entered_by_id])
    moderated_by: Mapped[Person | None] = relationship(foreign_keys=[moderated_by_id])
    standards: Mapped[list[Standard]] = relationship(secondary=feedback_standards, order_by=Standard.position)

    def __repr__(self) -> str:
        return f"<Feedback {self.reference}>"


class Case(db.Model):
    """A patient grievance worked to a written resolution within the hospital's deadlines."""

    __tablename__ = "cases"
    __table_args__ = (sa.Index("ix_cases_status_resolve_by", "status", "resolve_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    feedback_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.NEW)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledge_by: Mapped[date] = mapped_column(sa.Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_by: Mapped[date] = mapped_column(sa.Date)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The written response: who the patient may contact, what was done, what came of it, and when.
    resolution_contact: Mapped[str] = mapped_column(sa.String(200), default="")
    resolution_steps: Mapped[str] = mapped_column(sa.Text, default="")
    resolution_outcome: Mapped[str] = mapped_column(sa.Text, default="")
    resolution_completed_on: Mapped[date | None] = mapped_column(sa.Date)
    # The latest e-mail of the resolution letter to the patient: queued, sent, or failed (shown on the case).
    letter_outbox_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox.id", ondelete="SET NULL"))

    feedback: Mapped[Feedback | None] = relationship()
    letter_message: Mapped[OutboxMessage | None] = relationship()
    department: Mapped[Department | None] = relationship()
    assignee: Mapped[Person | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.created_at"
    )

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"


class CaseEvent(db.Model):
    """One line of a case's history: a note, an assignment, a status change, a resolution."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    from_status: Mapped[str] = mapped_column(sa.String(20), default="")
    to_status: Mapped[str] = mapped_column(sa.String(20), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship()

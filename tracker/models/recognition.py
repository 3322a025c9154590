"""Recognitions: a story of icare standards lived, given by a colleague or a patient."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import RecognitionStatus, Source, Visibility, enum_column
from tracker.models.person import Person
from tracker.models.standard import Behavior, Standard
from tracker.models.types import UTCDateTime, utcnow

recognition_standards = sa.Table(
    "recognition_standards",
    db.metadata,
    sa.Column("recognition_id", sa.ForeignKey("recognitions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("standard_id", sa.ForeignKey("standards.id"), primary_key=True, index=True),
)

recognition_behaviors = sa.Table(
    "recognition_behaviors",
    db.metadata,
    sa.Column("recognition_id", sa.ForeignKey("recognitions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("behavior_id", sa.ForeignKey("behaviors.id"), primary_key=True, index=True),
)


class Recognition(db.Model):
    __tablename__ = "recognitions"
    __table_args__ = (
        sa.Index("ix_recognitions_status_created_at_giver_id", "status", "created_at", "giver_id"),
        sa.Index("ix_recognitions_department_id_created_at", "department_id", "created_at"),
        sa.Index("ix_recognitions_giver_id_created_at", "giver_id", "created_at"),
        # The oldest still waiting for acknowledgement, in order, without sorting them all.
        sa.Index("ix_recognitions_acknowledged_at_created_at", "acknowledged_at", "created_at"),
        sa.Index("ix_recognitions_source_acknowledged_at_created_at", "source", "acknowledged_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[Source] = mapped_column(enum_column(Source), default=Source.PEER)
    status: Mapped[RecognitionStatus] = mapped_column(
        enum_column(RecognitionStatus), default=RecognitionStatus.PUBLISHED
    )
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility), default=Visibility.PUBLIC)
    giver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    # For patients, families and visitors: the name they chose to give (first name on walls), if any.
    giver_name: Mapped[str] = mapped_column(sa.String(200), default="")
    # Where it happened; for peer recognitions, the recipients' (first) department.
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))
    # A whole unit recognised as a team.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    message: Mapped[str] = mapped_column(sa.Text)
    feedback_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback.id"), index=True)
    # Set by the form and by the API's Idempotency-Key so a retried submission creates nothing new.
    submission_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    review_note: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledgement_note: Mapped[str] = mapped_column(sa.Text, default="")

    giver: Mapped[Person | None] = relationship(foreign_keys=[giver_id])
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    unit: Mapped[Department | None] = relationship(foreign_keys=[unit_id])
    reviewed_by: Mapped[Person | None] = relationship(foreign_keys=[reviewed_by_id])
    acknowledged_by: Mapped[Person | None] = relationship(foreign_keys=[acknowledged_by_id])
    recipient_rows: Mapped[list[RecognitionRecipient]] = relationship(
        back_populates="recognition", cascade="all, delete-orphan"
    )
    standards: Mapped[list[Standard]] = relationship(secondary=recognition_standards, order_by=Standard.position)
    behaviors: Mapped[list[Behavior]] = relationship(secondary=recognition_behaviors, order_by=Behavior.position)
    replies: Mapped[list[RecognitionReply]] = relationship(
        back_populates="recognition", cascade="all, delete-orphan", order_by="RecognitionReply.created_at"
    )

    def __repr__(self) -> str:
        return f"<Recognition {self.id}>"

    @property
    def recipients(self) -> list[Person]:
        return [row.person for row in self.recipient_rows]

    @classmethod
    def tagged_with(cls, standard_id: int) -> sa.ColumnElement[bool]:
        """Recognitions of this standard, as a per-row check on the association's key.

        A correlated ``EXISTS`` rather than ``id IN (every recognition of the standard)``: a list
        ordered by time stops after a page of rows instead of first collecting a quarter of a
        million ids, and a period's aggregate checks only its own rows.
        """
        return sa.exists().where(
            recognition_standards.c.recognition_id == cls.id, recognition_standards.c.standard_id == standard_id
        )


class RecognitionRecipient(db.Model):
    """A person recognised. ``department_id`` is theirs at the time, so history keeps its place."""

    __tablename__ = "recognition_recipients"
    __table_args__ = (
        sa.Index("ix_recognition_recipients_person_id", "person_id"),
        sa.Index("ix_recognition_recipients_department_id", "department_id"),
    )

    recognition_id: Mapped[int] = mapped_column(sa.ForeignKey("recognitions.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))

    recognition: Mapped[Recognition] = relationship(back_populates="recipient_rows")
    person: Mapped[Person] = relationship()


class RecognitionReply(db.Model):
    """A recipient's thank-you in answer to a recognition."""

    __tablename__ = "recognition_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    recognition_id: Mapped[int] = mapped_column(sa.ForeignKey("recognitions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    message: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recognition: Mapped[Recognition] = relationship(back_populates="replies")
    author: Mapped[Person] = relationship()

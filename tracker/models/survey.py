"""Patient-survey comments imported in bulk from the survey vendor's exports."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import SurveyCommentStatus, Valence, enum_column
from tracker.models.person import Person
from tracker.models.recognition import Recognition
from tracker.models.types import UTCDateTime, utcnow


class SurveyMapping(db.Model):
    """Which column of one vendor's export holds what; saved once per vendor and reused every month."""

    __tablename__ = "survey_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    text_column: Mapped[str] = mapped_column(sa.String(120))
    unit_column: Mapped[str] = mapped_column(sa.String(120))
    date_column: Mapped[str] = mapped_column(sa.String(120))
    survey_id_column: Mapped[str] = mapped_column(sa.String(120))
    question_id_column: Mapped[str] = mapped_column(sa.String(120))
    # Empty when the vendor gives no valence; then each comment's sentences are classified here.
    valence_column: Mapped[str] = mapped_column(sa.String(120), default="")
    date_format: Mapped[str] = mapped_column(sa.String(40), default="%Y-%m-%d")
    # Whether the vendor's consent terms let a patient's comment reach a public wall at all.
    wall_allowed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit_codes: Mapped[list[SurveyUnitCode]] = relationship(
        back_populates="mapping", cascade="all, delete-orphan", order_by="SurveyUnitCode.code"
    )

    def __repr__(self) -> str:
        return f"<SurveyMapping {self.name}>"


class SurveyUnitCode(db.Model):
    """A vendor's unit or service code and the department it means, remembered for the next file."""

    __tablename__ = "survey_unit_codes"
    __table_args__ = (sa.UniqueConstraint("mapping_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mapping_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_mappings.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(120))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)

    mapping: Mapped[SurveyMapping] = relationship(back_populates="unit_codes")
    department: Mapped[Department] = relationship()


class SurveyUpload(db.Model):
    """A file kept between its dry run and its import, in the database so any app host can apply it."""

    __tablename__ = "survey_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    mapping_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_mappings.id", ondelete="CASCADE"))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    mapping: Mapped[SurveyMapping] = relationship()


class SurveyImport(db.Model):
    """One applied file: who imported it, when, and what it added."""

    __tablename__ = "survey_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    mapping_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_mappings.id"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    rows_read: Mapped[int] = mapped_column(default=0)
    comments_added: Mapped[int] = mapped_column(default=0)
    already_imported: Mapped[int] = mapped_column(default=0)

    mapping: Mapped[SurveyMapping] = relationship()
    imported_by: Mapped[Person | None] = relationship()


class SurveyComment(db.Model):
    """One verbatim comment, as the vendor sent it, with what the guard and the matcher made of it.

    ``text`` is the patient's words (a formula-like start neutralised); ``redacted_text`` and its
    compliment and improvement parts are what staff may read.
    """

    __tablename__ = "survey_comments"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "question_id"),
        sa.Index("ix_survey_comments_import_id_status", "import_id", "status"),
        sa.Index("ix_survey_comments_unit_id_decided_at", "unit_id", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_imports.id"))
    survey_id: Mapped[str] = mapped_column(sa.String(120))
    question_id: Mapped[str] = mapped_column(sa.String(120))
    line: Mapped[int] = mapped_column(default=0)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    visit_date: Mapped[date] = mapped_column(sa.Date)
    text: Mapped[str] = mapped_column(sa.Text)
    redacted_text: Mapped[str] = mapped_column(sa.Text)
    compliment_text: Mapped[str] = mapped_column(sa.Text, default="")
    improvement_text: Mapped[str] = mapped_column(sa.Text, default="")
    valence: Mapped[Valence] = mapped_column(enum_column(Valence))
    vendor_valence: Mapped[str] = mapped_column(sa.String(40), default="")
    health_information_found: Mapped[bool] = mapped_column(default=False)
    # [{"text": "Dr. Patel", "start": 12, "end": 21, "person_id": 7, "name": "Raj Patel", "confidence": 91}]
    mentions: Mapped[list] = mapped_column(sa.JSON, default=list)
    matched: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SurveyCommentStatus] = mapped_column(
        enum_column(SurveyCommentStatus), default=SurveyCommentStatus.PENDING
    )
    recognition_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recognitions.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey_import: Mapped[SurveyImport] = relationship()
    unit: Mapped[Department] = relationship()
    recognition: Mapped[Recognition | None] = relationship()
    decided_by: Mapped[Person | None] = relationship()

    @property
    def matched_person_ids(self) -> list[int]:
        return [mention["person_id"] for mention in self.mentions or [] if mention.get("person_id")]

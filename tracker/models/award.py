"""Award programmes: their criteria, cycles, committees, nominations, judging and decisions."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import AwardDecision, CyclePhase, NominatorType, enum_column
from tracker.models.person import Person
from tracker.models.types import UTCDateTime, utcnow

nomination_criteria = sa.Table(
    "award_nomination_criteria",
    db.metadata,
    sa.Column("nomination_id", sa.ForeignKey("award_nominations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("criterion_id", sa.ForeignKey("award_criteria.id", ondelete="CASCADE"), primary_key=True),
)


class AwardProgramme(db.Model):
    """An award the hospital gives in cycles, e.g. the DAISY Award for nurses."""

    __tablename__ = "award_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Eligibility: job families (empty: any) and a department whose subtree is eligible (none: all).
    job_families: Mapped[list] = mapped_column(sa.JSON, default=list)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))
    honourees_per_cycle: Mapped[int] = mapped_column(default=1)
    judges_per_nomination: Mapped[int] = mapped_column(default=3)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department | None] = relationship()
    criteria: Mapped[list[AwardCriterion]] = relationship(
        back_populates="programme", order_by="AwardCriterion.position", cascade="all, delete-orphan"
    )
    cycles: Mapped[list[AwardCycle]] = relationship(
        back_populates="programme", order_by="AwardCycle.nominating_from.desc()", cascade="all, delete-orphan"
    )
    committee: Mapped[list[CommitteeMember]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="CommitteeMember.id"
    )


class AwardCriterion(db.Model):
    """What judges score, on a 1–5 scale whose five points each carry a label."""

    __tablename__ = "award_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("award_programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    scale_labels: Mapped[list] = mapped_column(sa.JSON, default=list)  # five labels, for 1 to 5
    weight: Mapped[float] = mapped_column(sa.Float, default=1.0)
    required: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    programme: Mapped[AwardProgramme] = relationship(back_populates="criteria")


class AwardCycle(db.Model):
    """One round of a programme (a quarter, a month), moving through its phases."""

    __tablename__ = "award_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("award_programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    phase: Mapped[CyclePhase] = mapped_column(enum_column(CyclePhase), default=CyclePhase.NOMINATING, index=True)
    nominating_from: Mapped[date] = mapped_column(sa.Date)
    judging_from: Mapped[date] = mapped_column(sa.Date)
    deciding_from: Mapped[date] = mapped_column(sa.Date)
    announced_on: Mapped[date] = mapped_column(sa.Date)
    closes_on: Mapped[date] = mapped_column(sa.Date)
    phase_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[AwardProgramme] = relationship(back_populates="cycles")
    nominations: Mapped[list[Nomination]] = relationship(back_populates="cycle", order_by="Nomination.number")


class CommitteeMember(db.Model):
    """A judge of a programme: a member of staff or a patient and family advisor."""

    __tablename__ = "award_committee_members"
    __table_args__ = (sa.UniqueConstraint("programme_id", "person_id", name="uq_award_committee_members_judge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("award_programmes.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[AwardProgramme] = relationship(back_populates="committee")
    person: Mapped[Person] = relationship()


class Nomination(db.Model):
    """A nomination: the original as written (coordinators only) and the blinded copy judges read."""

    __tablename__ = "award_nominations"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "number", name="uq_award_nominations_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # what judges call it: "Nomination 7"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who is nominated: a person, or a whole unit as a team.
    nominee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    nominee_written: Mapped[str] = mapped_column(sa.String(200), default="")
    story: Mapped[str] = mapped_column(sa.Text)
    # Who nominated: a member of staff (signed in), or a patient, family member or visitor.
    nominator_type: Mapped[NominatorType] = mapped_column(enum_column(NominatorType))
    nominator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    language: Mapped[str] = mapped_column(sa.String(10), default="en")
    consent: Mapped[bool] = mapped_column(default=False)
    source_type: Mapped[str] = mapped_column(sa.String(20), default="form")  # form, feedback, recognition
    source_id: Mapped[int | None]
    # The blinded copy: suggested, edited and approved by the coordinator before judging.
    blinded_story: Mapped[str] = mapped_column(sa.Text, default="")
    blinded_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blinded_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    # The coordinator's decision is held until the cycle is announced, then applied as the outcome.
    shortlisted: Mapped[bool] = mapped_column(default=False)
    decision: Mapped[AwardDecision | None] = mapped_column(enum_column(AwardDecision, 30, "decision"))
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[AwardDecision | None] = mapped_column(enum_column(AwardDecision, 30, "outcome"), index=True)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fulfilment, ticked by the coordinator after the announcement.
    copy_sent: Mapped[bool] = mapped_column(default=False)
    pin_given: Mapped[bool] = mapped_column(default=False)
    celebrated: Mapped[bool] = mapped_column(default=False)

    cycle: Mapped[AwardCycle] = relationship(back_populates="nominations")
    nominee: Mapped[Person | None] = relationship(foreign_keys=[nominee_id])
    team: Mapped[Department | None] = relationship(foreign_keys=[team_id])
    unit: Mapped[Department | None] = relationship(foreign_keys=[unit_id])
    nominator: Mapped[Person | None] = relationship(foreign_keys=[nominator_id])
    criteria: Mapped[list[AwardCriterion]] = relationship(
        secondary=nomination_criteria, order_by=AwardCriterion.position
    )
    assignments: Mapped[list[JudgeAssignment]] = relationship(back_populates="nomination", cascade="all, delete-orphan")

    @property
    def nominee_name(self) -> str:
        if self.nominee is not None:
            return self.nominee.name
        return self.team.name if self.team is not None else self.nominee_written


class ConflictDeclaration(db.Model):
    """A judge's own declaration that they cannot judge a nomination fairly."""

    __tablename__ = "award_conflicts"
    __table_args__ = (sa.UniqueConstraint("nomination_id", "person_id", name="uq_award_conflicts_judge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("award_nominations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JudgeAssignment(db.Model):
    """One judge's task of scoring one nomination; submitted once, never changed."""

    __tablename__ = "award_assignments"
    __table_args__ = (sa.UniqueConstraint("nomination_id", "judge_id", name="uq_award_assignments_judge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("award_nominations.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="assignments")
    judge: Mapped[Person] = relationship()
    scores: Mapped[list[CriterionScore]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", lazy="selectin"
    )


class CriterionScore(db.Model):
    __tablename__ = "award_scores"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "criterion_id", name="uq_award_scores_criterion"),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="value_on_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("award_assignments.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("award_criteria.id", ondelete="CASCADE"))
    value: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    assignment: Mapped[JudgeAssignment] = relationship(back_populates="scores")
    criterion: Mapped[AwardCriterion] = relationship()

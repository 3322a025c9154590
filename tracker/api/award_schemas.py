"""Request and response shapes of the award and judging endpoints."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, StrictBool

from tracker.api.schemas import BodyId, IdempotencyHeaders, JsonInt, Slug, Strict, Text, documented, required_text, text
from tracker.awards.nominations import MAX_STORY, MIN_STORY
from tracker.awards.scoring import HIGHEST, LOWEST
from tracker.models.enums import CyclePhase, NominatorType

__all__ = [
    "AssignmentList",
    "AssignmentOut",
    "AwardList",
    "BlindedNomination",
    "IdempotencyHeaders",
    "NominationIn",
    "NominationReceipt",
    "ScoreIn",
    "ScoreReceipt",
]


class CriterionOut(BaseModel):
    id: int
    name: str
    description: str
    weight: float
    required: bool
    scale: list[str] = Field(description="Labels of the points 1 to 5, in order.")


class CycleOut(BaseModel):
    id: int
    name: str
    phase: CyclePhase
    nominating_from: date
    judging_from: date
    announced_on: date


class ProgrammeOut(BaseModel):
    slug: str
    name: str
    description: str
    job_families: list[str]
    department: str | None = Field(description="Slug of the eligible department subtree; null for all.")
    honourees_per_cycle: int
    criteria: list[CriterionOut]
    open_cycle: CycleOut | None = Field(description="The cycle taking nominations now, if any.")


class AwardList(BaseModel):
    items: list[ProgrammeOut]
    page: int
    per_page: int
    total: int


class NominationIn(Strict):
    story: required_text(MAX_STORY, MIN_STORY)
    nominee_name: text(200) = Field("", description="The nominee's name as written; matched against the staff list.")
    nominee: BodyId | None = Field(None, description="Person id of the nominee (signed-in staff).")
    unit: Slug | None = Field(None, description="The nominee's unit, which helps find them.")
    team: Slug | None = Field(None, description="Nominate a whole unit as a team instead of a person.")
    criteria: list[JsonInt] = Field(
        default_factory=list, max_length=50, description="Ids of the criteria the story shows."
    )
    relation: NominatorType | None = Field(None, description="For anonymous callers: patient, family or visitor.")
    contact_name: text(200) = ""
    contact_email: text(254) = ""
    contact_phone: text(40) = ""
    language: text(16) = "en"
    consent: StrictBool = False


class NominationReceipt(BaseModel):
    reference: str
    status: str = "received"


class AssignmentOut(BaseModel):
    """A judge's view of a nomination: a number and the blinded copy, never who or where."""

    id: int
    programme: str
    cycle: str
    phase: CyclePhase
    number: int
    submitted_at: datetime | None


class AssignmentList(BaseModel):
    items: list[AssignmentOut]
    page: int
    per_page: int
    total: int


class ScoreOut(BaseModel):
    criterion: int
    value: int
    comment: str


class BlindedNomination(AssignmentOut):
    blinded_story: str
    criteria: list[CriterionOut]
    scores: list[ScoreOut] = Field(description="Your own scores, once submitted.")
    other_judges: list[float] = Field(description="Other judges' weighted scores, only after you submitted yours.")


class ScoreIn(Strict):
    scores: dict[str, documented(JsonInt, minimum=LOWEST, maximum=HIGHEST) | None] = Field(
        description=f"Criterion id → a score from {LOWEST} to {HIGHEST}; null leaves a criterion unscored."
    )
    comments: dict[str, text(2000)] = Field(default_factory=dict, description="Criterion id → a comment.")
    comment: Text = ""


class ScoreReceipt(BaseModel):
    id: int
    submitted_at: datetime

"""Request and response shapes of the API, declared once: they validate input and make the OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tracker import clock
from tracker.models.enums import FeedbackType, RecognitionStatus, Source, Visibility

MAX_PER_PAGE = 200
# No text may hold a NUL character: PostgreSQL cannot store one, and no person types one.
NO_NUL = r"^[^\x00]*$"


def text(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL)]


Text = text(5000)
Slug = text(80, min_length=1)
Key = text(60, min_length=1)
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[\x21-\x7e]+$")]
PersonId = Annotated[int, Field(ge=1, le=2**31 - 1)]
# The days a filter may name (the clock's range), documented to clients as a pattern on the year.
Day = Annotated[
    date,
    Field(ge=clock.FIRST_DAY, le=clock.LAST_DAY, json_schema_extra={"pattern": r"^(19\d\d|2\d\d\d)-\d\d-\d\d$"}),
]


class Strict(BaseModel):
    """Input models refuse fields they do not know, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


# --- errors ------------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    message: str
    fields: dict[str, list[str]] | None = None


class Error(BaseModel):
    """The API's one error shape: ``{"error": {"message": ..., "fields": {name: [messages]}}}``."""

    error: ErrorDetail


# --- query strings ------------------------------------------------------------------------------


class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description="Items per page, at most 200.")


class PeopleQuery(PageQuery):
    q: text(200) = Field("", description="Words to find in the name, e-mail or job title.")
    department: Slug | None = Field(None, description="Department slug; covers its whole subtree.")


class RecognitionQuery(PageQuery):
    department: Slug | None = Field(None, description="Recipients' department or unit (whole subtree).")
    standard: Key | None = Field(None, description="Standard key.")
    source: Source | None = None
    recipient: PersonId | None = Field(None, description="Person id of a recipient.")
    since: Day | None = Field(None, description="First day (UTC), inclusive; 1900-01-01 to 2999-12-31.")
    until: Day | None = Field(None, description="Last day (UTC), inclusive; 1900-01-01 to 2999-12-31.")


class DashboardQuery(BaseModel):
    department: Slug | None = Field(None, description="Department slug; defaults to everything you may see.")
    since: Day | None = Field(
        None, description="First day (UTC), inclusive; all time when left out; 1900-01-01 to 2999-12-31."
    )
    until: Day | None = Field(
        None, description="Last day (UTC), inclusive; today when left out; 1900-01-01 to 2999-12-31."
    )
    standard: Key | None = None
    source: Source | None = None


class IdempotencyHeaders(BaseModel):
    """Send the same ``Idempotency-Key`` when retrying: the first answer is replayed, nothing is created twice."""

    idempotency_key: IdempotencyKey | None = Field(
        None, alias="Idempotency-Key", description="A unique value per intended request, e.g. a UUID."
    )


# --- reference data -----------------------------------------------------------------------------


class BehaviorOut(BaseModel):
    key: str
    name: str


class StandardOut(BaseModel):
    key: str
    name: str
    description: str
    color: str
    behaviors: list[BehaviorOut]


class DepartmentOut(BaseModel):
    slug: str
    name: str
    parent: str | None


class PersonOut(BaseModel):
    id: int
    name: str
    job_title: str
    department: str | None


class Page(BaseModel):
    page: int
    per_page: int
    total: int


class StandardList(Page):
    items: list[StandardOut]


class DepartmentList(Page):
    items: list[DepartmentOut]


class PersonList(Page):
    items: list[PersonOut]


# --- recognitions -------------------------------------------------------------------------------


class RecognitionIn(Strict):
    recipients: list[PersonId] = Field(default_factory=list, max_length=50, description="Person ids.")
    unit: Slug | None = Field(None, description="Slug of a recognised unit (optional).")
    standards: list[Key] = Field(min_length=1, max_length=20, description="Standard keys, at least one.")
    behaviors: list[Key] = Field(default_factory=list, max_length=50, description="Example-behaviour keys.")
    message: Text
    visibility: Visibility = Visibility.PUBLIC


class GiverOut(BaseModel):
    id: int
    name: str


class RecipientOut(BaseModel):
    id: int
    name: str
    department: str | None


class RecognitionOut(BaseModel):
    id: int
    created_at: datetime
    source: Source
    status: RecognitionStatus
    visibility: Visibility
    giver: GiverOut | None = Field(description="null when a patient, family member or visitor gave it.")
    recipients: list[RecipientOut]
    unit: str | None
    standards: list[str]
    behaviors: list[str]
    message: str
    acknowledged_at: datetime | None


class RecognitionList(Page):
    items: list[RecognitionOut]


# --- feedback -----------------------------------------------------------------------------------


class FeedbackIn(Strict):
    type: FeedbackType
    message: Text
    staff_names: text(500) = ""
    unit: Slug | None = None
    language: text(16) = "en"
    consent_to_share: bool = False
    contact_name: text(200) = ""
    contact_email: text(254) = ""
    contact_phone: text(40) = ""


class FeedbackReceipt(BaseModel):
    reference: str
    status: Literal["received"]


# --- dashboard ----------------------------------------------------------------------------------


class Tiles(BaseModel):
    recognitions: int
    patient_compliments: int
    people_recognised: int
    people_in_scope: int
    coverage: float | None = Field(description="Percent of active people in scope recognised at least once.")
    participation: float | None = Field(description="Percent of active people in scope who gave at least one.")
    unacknowledged: int
    median_days_to_acknowledge: float | None


class WeekCount(BaseModel):
    week: date = Field(description="Monday of the week.")
    source: Source
    recognitions: int


class StandardCount(BaseModel):
    key: str
    name: str
    color: str
    recognitions: int


class SummaryFilters(BaseModel):
    department: str | None
    since: date | None
    until: date
    standard: str | None
    source: Source | None


class DashboardSummary(BaseModel):
    filters: SummaryFilters
    tiles: Tiles
    weekly: list[WeekCount]
    standards: list[StandardCount]
    gini: float | None = Field(description="Gini coefficient of recognitions across people in scope (0 = even).")

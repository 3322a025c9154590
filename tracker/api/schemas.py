"""Request and response shapes of the API, declared once: they validate input and make the OpenAPI document."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

import email_validator
from flask_babel import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints

from tracker import clock
from tracker.feedback.services import MESSAGE_MAX, NAME_MAX, STAFF_NAMES_MAX
from tracker.models.enums import FeedbackType, RecognitionStatus, Source, Visibility
from tracker.recognitions.services import MAX_ID, MAX_MESSAGE, MAX_RECIPIENTS

MAX_PER_PAGE = 200
# No text may hold a NUL character: PostgreSQL cannot store one, and no person types one.
NO_NUL = r"^[^\x00]*$"
# What the services strip before they look at a text (Python's whitespace, str.isspace), as a character
# class for the document's patterns, so the document and the services agree on what "blank" is.
WHITESPACE = "".join(f"\\u{code:04x}" for code in range(0x10000) if chr(code).isspace())
NOT_BLANK = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"
# The services' phone rule, on the text as sent: after stripping, an optional leading +, then digits,
# spaces, brackets, dots and dashes holding 7 to 15 digits; or nothing at all.
PHONE = rf"^[{WHITESPACE}]*(?:\+?[{WHITESPACE}().-]*(?:\d[{WHITESPACE}().-]*){{7,15}})?$"
BLANK = rf"^[{WHITESPACE}]*$"


def text(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL)]


def documented(kind: type, **schema):
    """``kind`` as pydantic checks it, with what the service goes on to check stated in the document.

    The service stays the one place that enforces the rule, with its own translated message; the
    document says the same rule so that clients and schema-driven tools send what will be accepted.
    """
    return Annotated[kind, Field(json_schema_extra=schema)]


def required_text(max_length: int, min_length: int = 1):
    """Text the service refuses when, stripped of surrounding whitespace, it is shorter than ``min_length``."""
    if min_length <= 1:
        return documented(text(max_length), minLength=1, pattern=NOT_BLANK)
    inner = rf"[^\x00{WHITESPACE}][^\x00]{{{min_length - 2},}}[^\x00{WHITESPACE}]"
    return documented(text(max_length), minLength=min_length, pattern=rf"^[{WHITESPACE}]*{inner}[{WHITESPACE}]*$")


def vocabulary(name: str, kind: type):
    """A value from a list the database holds; the document lists its values when it is served."""
    return documented(kind, **{"x-vocabulary": name})


Text = text(5000)
Slug = text(80, min_length=1)
Key = text(60, min_length=1)
DepartmentSlug = vocabulary("departments", Slug)  # any department, also a closed one: filters name them
ActiveDepartmentSlug = vocabulary("active-departments", Slug)
PlaceSlug = vocabulary("places", Slug)
StandardKey = vocabulary("standards", Key)  # any standard, also one no longer offered: filters name them
ActiveStandardKey = vocabulary("active-standards", Key)
ActiveBehaviorKey = vocabulary("active-behaviors", Key)
Language = vocabulary("languages", text(16))
Phone = documented(text(40), pattern=PHONE)
# An address the services' e-mail check (email_validator) accepts: none at a special-use domain such as .test.
SPECIAL_USE_DOMAINS = "|".join(re.escape(name) for name in email_validator.SPECIAL_USE_DOMAIN_NAMES)
Email = documented(
    text(254),
    anyOf=[
        {"pattern": BLANK},
        {"format": "email", "not": {"pattern": rf"[.@]({SPECIAL_USE_DOMAINS})[{WHITESPACE}]*$"}},
    ],
)
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[\x21-\x7e]+$")]
PersonId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _json_number(value):
    """In a JSON body a whole number is a JSON number (5 or 5.0, as JSON Schema counts integers), never "5"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("Please enter a whole number."))
    return value


# Whole numbers in JSON bodies (query strings are text and keep pydantic's parsing of "5").
JsonInt = Annotated[int, BeforeValidator(_json_number)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_json_number)]
# The days a filter may name (the clock's range), documented to clients as a pattern on the year.
ISO_DAY = r"^(19[0-9][0-9]|2[0-9][0-9][0-9])-[0-9][0-9]-[0-9][0-9]$"


def _iso_day(value):
    """A day is written YYYY-MM-DD; pydantic alone would also read "0" as a Unix time (1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(ISO_DAY[1:-1], value):
        raise ValueError(_("Enter a date as YYYY-MM-DD, for example 2026-03-31."))
    return value


Day = Annotated[
    date,
    Field(ge=clock.FIRST_DAY, le=clock.LAST_DAY, json_schema_extra={"pattern": ISO_DAY}),
    BeforeValidator(_iso_day),
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
    department: DepartmentSlug | None = Field(None, description="Department slug; covers its whole subtree.")


class RecognitionQuery(PageQuery):
    department: DepartmentSlug | None = Field(None, description="Recipients' department or unit (whole subtree).")
    standard: StandardKey | None = Field(None, description="Standard key.")
    source: Source | None = None
    recipient: PersonId | None = Field(None, description="Person id of a recipient.")
    since: Day | None = Field(None, description="First day (UTC), inclusive; 1900-01-01 to 2999-12-31.")
    until: Day | None = Field(None, description="Last day (UTC), inclusive; 1900-01-01 to 2999-12-31.")


class DashboardQuery(BaseModel):
    department: DepartmentSlug | None = Field(None, description="Department slug; defaults to everything you may see.")
    since: Day | None = Field(
        None, description="First day (UTC), inclusive; all time when left out; 1900-01-01 to 2999-12-31."
    )
    until: Day | None = Field(
        None, description="Last day (UTC), inclusive; today when left out; 1900-01-01 to 2999-12-31."
    )
    standard: StandardKey | None = None
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
    patient_facing: bool = Field(
        description="Patients and visitors come here: the places a feedback form or kiosk offers."
    )


class PersonOut(BaseModel):
    id: int
    name: str
    job_title: str
    department: str | None
    unit: str | None = Field(None, description="Name of the person's department or unit, to tell namesakes apart.")


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
    # At least one colleague or a unit: the service refuses a recognition of nobody.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["recipients"], "properties": {"recipients": {"minItems": 1}}},
                {"required": ["unit"], "properties": {"unit": {"type": "string"}}},
            ]
        },
    )

    recipients: list[BodyId] = Field(
        default_factory=list, max_length=MAX_RECIPIENTS, description="Person ids of colleagues (not your own)."
    )
    unit: ActiveDepartmentSlug | None = Field(None, description="Slug of a recognised unit (optional).")
    standards: list[ActiveStandardKey] = Field(min_length=1, max_length=20, description="Standard keys, at least one.")
    behaviors: list[ActiveBehaviorKey] = Field(
        default_factory=list, max_length=50, description="Example-behaviour keys, each of a standard you chose."
    )
    message: required_text(MAX_MESSAGE)
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
    message: required_text(MESSAGE_MAX)
    staff_names: text(STAFF_NAMES_MAX) = ""
    unit: PlaceSlug | None = Field(None, description="A place patients and visitors come to (a ward, clinic or desk).")
    language: Language = Field("en", description="One of the languages offered; empty means the default.")
    consent_to_share: StrictBool = False
    contact_name: text(NAME_MAX) = ""
    contact_email: Email = ""
    contact_phone: Phone = Field("", description="Digits (7 to 15), optionally with +, spaces, brackets, dashes.")


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

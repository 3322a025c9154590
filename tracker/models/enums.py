"""The fixed vocabularies of the domain."""

from enum import StrEnum

import sqlalchemy as sa


class Role(StrEnum):
    STAFF = "staff"
    MANAGER = "manager"
    ADVOCATE = "advocate"
    ADMIN = "admin"
    AWARD_COORDINATOR = "award_coordinator"
    PFAC = "pfac"  # a patient and family advisor: judges blinded award nominations, nothing else


class Source(StrEnum):
    PEER = "peer"
    PATIENT = "patient"
    PAPER_CARD = "paper_card"
    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"
    SURVEY = "survey"  # a comment from the patient-experience survey vendor's export


class Valence(StrEnum):
    """What a survey comment says: praise, something to improve, both, or neither."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"
    NEUTRAL = "neutral"


class SurveyCommentStatus(StrEnum):
    """Where an imported survey comment stands in the bulk review."""

    PENDING = "pending"
    APPROVED = "approved"  # its compliment became a recognition (an improvement part went to the managers)
    SENT = "sent"  # sent to the unit's managers as what patients said
    DISCARDED = "discarded"


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class RecognitionStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class FeedbackType(StrEnum):
    COMPLIMENT = "compliment"
    SUGGESTION = "suggestion"
    CONCERN = "concern"


class FeedbackStatus(StrEnum):
    """Where a piece of patient feedback stands in moderation."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CONVERTED = "converted"
    SPLIT = "split"
    NOTED = "noted"


class Relation(StrEnum):
    PATIENT = "patient"
    FAMILY = "family"
    VISITOR = "visitor"


class CaseStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class CyclePhase(StrEnum):
    """Where an award cycle stands; it only ever moves forward, in this order."""

    NOMINATING = "nominating"
    JUDGING = "judging"
    DECIDING = "deciding"
    ANNOUNCED = "announced"
    CLOSED = "closed"


class NominatorType(StrEnum):
    STAFF = "staff"
    PATIENT = "patient"
    FAMILY = "family"
    VISITOR = "visitor"


class AwardDecision(StrEnum):
    HONOUREE = "honouree"
    HONOURABLE_MENTION = "honourable_mention"
    NOT_THIS_TIME = "not_this_time"


def enum_column(enum_cls: type[StrEnum], length: int = 20, name: str | None = None) -> sa.Enum:
    """A portable string column restricted to the enum's values by a CHECK constraint."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        validate_strings=True,
        values_callable=lambda cls: [member.value for member in cls],
        name=name or enum_cls.__name__.lower(),
    )

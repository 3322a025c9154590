"""The moderation queue: what is waiting, how long it has waited, and the filters advocates use.

An item is overdue once it has waited longer than the hospital's ``moderation_overdue_days`` setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from tracker import clock, settings
from tracker.models import Feedback, FeedbackType
from tracker.moderation.services import pending_statement

TYPE_LABELS = {
    FeedbackType.COMPLIMENT: _l("Compliment"),
    FeedbackType.SUGGESTION: _l("Suggestion"),
    FeedbackType.CONCERN: _l("Concern"),
}


@dataclass(frozen=True)
class QueueFilters:
    """What the advocate narrowed the queue to; ``None`` means any."""

    type: FeedbackType | None = None
    language: str | None = None
    health_information: bool | None = None
    overdue_only: bool = False


def overdue_before(now: datetime | None = None) -> datetime:
    """Feedback received before this instant has waited longer than the hospital expects."""
    return (now or clock.now()) - timedelta(days=int(settings.get("moderation_overdue_days")))


def statement(filters: QueueFilters, now: datetime | None = None) -> sa.Select:
    """The waiting items the filters keep, oldest first; every filter runs in SQL."""
    query = pending_statement().options(selectinload(Feedback.unit))
    if filters.type is not None:
        query = query.where(Feedback.type == filters.type)
    if filters.language is not None:
        query = query.where(Feedback.language == filters.language)
    if filters.health_information is not None:
        query = query.where(Feedback.health_information_found.is_(filters.health_information))
    if filters.overdue_only:
        query = query.where(Feedback.created_at < overdue_before(now))
    return query


@dataclass(frozen=True)
class QueueRow:
    feedback: Feedback
    waited: timedelta
    overdue: bool

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.feedback.type])


def rows(items: list[Feedback], now: datetime) -> list[QueueRow]:
    """How long each item has waited, and whether that is longer than the hospital expects."""
    limit = overdue_before(now)
    return [QueueRow(feedback, now - feedback.created_at, feedback.created_at < limit) for feedback in items]

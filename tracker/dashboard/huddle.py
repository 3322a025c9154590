"""The weekly huddle pack: a unit's published compliments and recognitions of one week, read aloud.

Read aloud at the unit huddle, so only public recognitions are included (private ones stay
with their recipients and managers). Each story appears once, with all its standards; the
counts are grouped in SQL over the same selection, so the pack and the weekly channel post
(which reads them from here) always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import clock, policy
from tracker.clock import monday
from tracker.extensions import db
from tracker.models import (
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Source,
    Standard,
    Visibility,
)
from tracker.models.recognition import recognition_standards
from tracker.surveys.services import StandardVerbatims, week_verbatims
from tracker.validation import InvalidInput


@dataclass
class StandardCount:
    standard: Standard
    count: int


@dataclass
class HuddlePack:
    week: date
    # Patients' and families' words first, then colleagues'; newest first within each.
    from_patients: list[Recognition]
    from_colleagues: list[Recognition]
    people_recognised: int
    # Most mentioned first; a story of two standards counts once under each.
    standards: list[StandardCount]
    # The week's approved patient-survey comments (redacted), under each of their standards.
    survey_verbatims: list[StandardVerbatims] = field(default_factory=list)

    @property
    def patient_compliments(self) -> int:
        return len(self.from_patients)

    @property
    def colleague_recognitions(self) -> int:
        return len(self.from_colleagues)

    @property
    def total(self) -> int:
        return self.patient_compliments + self.colleague_recognitions

    @property
    def week_end(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def previous_week(self) -> date:
        return self.week - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.week + timedelta(days=7)


def unit_for(viewer: Person, slug: str) -> Department | None:
    """The unit, if the viewer may read its huddle pack; otherwise ``None`` (a 404)."""
    unit = db.session.scalar(sa.select(Department).where(Department.slug == slug))
    if unit is None or not policy.may_view_huddle(viewer, unit):
        return None
    return unit


def readable_units(viewer: Person) -> list[Department]:
    """The active units the viewer manages whose huddle pack they may read, by name."""
    return [unit for unit in viewer.managed_departments if unit.active and policy.may_view_huddle(viewer, unit)]


def units_in_view(viewer: Person, slug: str | None = None) -> list[Department]:
    """The unit named by ``slug`` (whoever may read it), or without one the units of :func:`readable_units`."""
    if not slug:
        return readable_units(viewer)
    unit = db.session.scalar(sa.select(Department).where(Department.slug == slug))
    return [unit] if unit is not None else []


def parse_week(value: str | None) -> date:
    """Any day of the wanted week (YYYY-MM-DD); the current week when omitted."""
    if not value:
        return monday(clock.hospital_today())
    try:
        return monday(date.fromisoformat(value.strip()))
    except ValueError:
        raise InvalidInput.single("week", _("Enter a day of the week as YYYY-MM-DD, for example 2026-03-30.")) from None


def _selected_ids(unit: Department, week: date) -> sa.Select:
    """Ids of the week's published public recognitions that happened in, or were given to, the unit's subtree."""
    start, end = clock.local_midnight(week), clock.local_midnight(week + timedelta(days=7))
    unit_ids = policy.subtree_ids([unit])
    received_here = sa.select(RecognitionRecipient.recognition_id).where(
        RecognitionRecipient.department_id.in_(unit_ids)
    )
    return sa.select(Recognition.id).where(
        Recognition.status == RecognitionStatus.PUBLISHED,
        Recognition.visibility == Visibility.PUBLIC,
        Recognition.created_at >= start,
        Recognition.created_at < end,
        sa.or_(
            Recognition.department_id.in_(unit_ids),
            Recognition.unit_id.in_(unit_ids),
            Recognition.id.in_(received_here),
        ),
    )


def pack(unit: Department, week: date) -> HuddlePack:
    selected = _selected_ids(unit, week)
    stories = db.session.scalars(
        sa.select(Recognition)
        .where(Recognition.id.in_(selected))
        .options(
            selectinload(Recognition.recipient_rows).selectinload(RecognitionRecipient.person),
            selectinload(Recognition.standards),
            selectinload(Recognition.giver),
            selectinload(Recognition.unit),
        )
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
    ).all()
    people = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(RecognitionRecipient.person_id))).where(
            RecognitionRecipient.recognition_id.in_(selected)
        )
    )
    per_standard = (
        sa.select(recognition_standards.c.standard_id, sa.func.count().label("n"))
        .where(recognition_standards.c.recognition_id.in_(selected))
        .group_by(recognition_standards.c.standard_id)
        .subquery()
    )
    standards = db.session.execute(
        sa.select(Standard, per_standard.c.n)
        .join(per_standard, per_standard.c.standard_id == Standard.id)
        .order_by(per_standard.c.n.desc(), Standard.position, Standard.id)
    ).all()
    return HuddlePack(
        week=week,
        # Survey comments are read from their own section, grouped by standard.
        from_patients=[story for story in stories if story.source not in (Source.PEER, Source.SURVEY)],
        from_colleagues=[story for story in stories if story.source == Source.PEER],
        people_recognised=people or 0,
        standards=[StandardCount(standard, count) for standard, count in standards],
        survey_verbatims=survey_verbatims(unit, week),
    )


def survey_verbatims(unit: Department, week: date) -> list[StandardVerbatims]:
    """The unit's approved survey comments of the week, private ones too: a huddle is the team, not a wall."""
    return week_verbatims(policy.subtree_ids([unit]), week)

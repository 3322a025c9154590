"""The weekly huddle pack: a unit's published compliments and recognitions, by icare standard.

Read aloud at the unit huddle, so only public recognitions are included (private ones stay
with their recipients and managers).
"""

from __future__ import annotations

from dataclasses import dataclass
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
    Standard,
    Visibility,
)
from tracker.validation import InvalidInput


@dataclass
class HuddlePack:
    week: date
    sections: list[tuple[Standard, list[Recognition]]]
    total: int

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
    """The unit, if the viewer manages it (or is an admin); otherwise ``None`` (a 404)."""
    unit = db.session.scalar(sa.select(Department).where(Department.slug == slug))
    if unit is None or not policy.may_manage_department(viewer, unit):
        return None
    return unit


def parse_week(value: str | None) -> date:
    """Any day of the wanted week (YYYY-MM-DD); the current week when omitted."""
    if not value:
        return monday(clock.hospital_today())
    try:
        return monday(date.fromisoformat(value.strip()))
    except ValueError:
        raise InvalidInput.single("week", _("Enter a day of the week as YYYY-MM-DD, for example 2026-03-30.")) from None


def pack(unit: Department, week: date) -> HuddlePack:
    start, end = clock.local_midnight(week), clock.local_midnight(week + timedelta(days=7))
    unit_ids = policy.subtree_ids([unit])
    received_here = sa.select(RecognitionRecipient.recognition_id).where(
        RecognitionRecipient.department_id.in_(unit_ids)
    )
    recognitions = db.session.scalars(
        sa.select(Recognition)
        .where(
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
        .options(
            selectinload(Recognition.recipient_rows).selectinload(RecognitionRecipient.person),
            selectinload(Recognition.standards),
            selectinload(Recognition.giver),
            selectinload(Recognition.unit),
        )
        .order_by(Recognition.created_at)
    ).all()
    standards = db.session.scalars(sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position))
    sections = []
    for standard in standards:
        matching = [r for r in recognitions if standard in r.standards]
        if matching:
            sections.append((standard, matching))
    return HuddlePack(week=week, sections=sections, total=len(recognitions))

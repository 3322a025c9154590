"""The optional weekly post for a unit: counts, the standard of the week, a link to the huddle pack.

The numbers come from the huddle pack itself, so the post and the printed pack always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from tracker.clock import monday
from tracker.dashboard import huddle
from tracker.extensions import db
from tracker.integrations import cards, events
from tracker.models import Channel, PostKind, Standard


@dataclass
class WeekSummary:
    week: date
    recognitions: int
    patient_compliments: int
    people_recognised: int
    standard: Standard | None


def summarise(channel: Channel, week: date) -> WeekSummary:
    pack = huddle.pack(channel.department, week)
    return WeekSummary(
        week=pack.week,
        recognitions=pack.total,
        patient_compliments=pack.patient_compliments,
        people_recognised=pack.people_recognised,
        standard=pack.standards[0].standard if pack.standards else None,
    )


def queue_weekly_summaries(day: date, *, previous: bool = False) -> int:
    """One summary per channel per week (the idempotency key is the week): a second run queues nothing."""
    week = monday(day) - (timedelta(days=7) if previous else timedelta(0))
    channels = db.session.scalars(sa.select(Channel).where(Channel.post_weekly_summary.is_(True)).order_by(Channel.id))
    queued = 0
    for channel in channels:
        summary = summarise(channel, week)
        payload = cards.weekly_summary_post(channel, channel.department, summary)
        if events.queue(PostKind.WEEKLY_SUMMARY, f"weekly_summary:{week.isoformat()}", payload, channel=channel):
            queued += 1
    db.session.flush()
    return queued

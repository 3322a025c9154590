"""What the home page shows each person: their latest recognitions, their team, and what waits for them."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from tracker import clock, policy
from tracker.cases.services import overdue_condition
from tracker.dashboard import filters as dashboard_filters
from tracker.dashboard import huddle
from tracker.dashboard import services as dashboard
from tracker.extensions import db, limiter
from tracker.models import Case, CaseStatus, Department, Person, Recognition
from tracker.moderation.services import pending_statement
from tracker.recognitions import queries

LATEST = 3


@dataclass
class Waiting:
    """A count of things waiting for this person, and where to deal with them; the page words ``kind``.

    One item per page it leads to, so the home page never offers the same link twice.
    """

    kind: str
    count: int
    endpoint: str
    overdue: int = 0


@dataclass
class Team:
    """The manager's card: what waits for them about their people, and their units' huddle packs."""

    approvals: int
    unacknowledged: int
    huddle_units: list[Department]


@dataclass
class HomeSummary:
    latest_received: list[Recognition]
    received_total: int
    team: Team | None = None
    waiting: list[Waiting] = field(default_factory=list)


def _count(statement: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())) or 0


def unacknowledged_in_subtree(manager: Person) -> int:
    """What the manager's dashboard shows as waiting for acknowledgement in its default period."""
    return dashboard.unacknowledged_count(dashboard_filters.default_for(manager))


def team(person: Person) -> Team:
    approvals = queries.approval_statement(person)
    return Team(
        approvals=_count(approvals) if approvals is not None else 0,
        unacknowledged=unacknowledged_in_subtree(person),
        huddle_units=huddle.readable_units(person),
    )


def summary(person: Person) -> HomeSummary:
    """Everything on the home page in a handful of counting queries."""
    received = sa.select(Recognition).where(queries.received_condition(person))
    latest, total = queries.paginate(received, page=1, per_page=LATEST)
    result = HomeSummary(latest_received=latest, received_total=total)
    if person.has_role(*policy.HUDDLE_READERS):
        result.team = team(person)
    if policy.may_moderate(person):
        pending_feedback = _count(pending_statement())
        if pending_feedback:
            result.waiting.append(Waiting("moderation", pending_feedback, "moderation.queue"))
    if policy.may_work_cases(person):
        open_cases = sa.select(Case.id).where(Case.status != CaseStatus.RESOLVED)
        still_open = _count(open_cases)
        if still_open:
            overdue = _count(open_cases.where(overdue_condition(clock.hospital_today())))
            result.waiting.append(Waiting("open_cases", still_open, "cases.index", overdue=overdue))
    return result


SHARED_COUNTING_LOST = "per-process (shared storage unreachable)"


def rate_limit_counting() -> str:
    """How rate limits are counted right now, for the health check.

    ``shared`` when every process counts in the configured Redis, ``per-process`` when configured
    to count in memory, ``off`` when disabled, and :data:`SHARED_COUNTING_LOST` while Redis is
    unreachable and each process falls back to counting on its own.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return "off"
    if str(current_app.config["RATELIMIT_STORAGE_URI"]).startswith("memory"):
        return "per-process"
    return "shared" if limiter.storage.check() else SHARED_COUNTING_LOST

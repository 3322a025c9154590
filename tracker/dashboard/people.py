"""Per-person numbers: who is recognised, who gives, and how evenly recognition is spread.

"People in scope" are the active people whose current department is in the filter's subtree.
For "all time" without source or standard filters the all-time roll-up answers; otherwise the
raw recipient and giver rows of the period are grouped in SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tracker.dashboard.filters import NOT_RECOGNISED_DAYS, Filters
from tracker.dashboard.rollup import PersonRecognitionTotal
from tracker.extensions import db
from tracker.models import (
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    recognition_standards,
)

MINIMUM_GROUP = 5
TOP = 10


def in_scope(filters: Filters) -> sa.ColumnElement[bool]:
    condition = Person.active.is_(True)
    if filters.department_ids is not None:
        condition = sa.and_(condition, Person.department_id.in_(filters.department_ids))
    return condition


def _uses_totals(filters: Filters) -> bool:
    return filters.since is None and filters.source is None and filters.standard is None


def _recognitions_in_view(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = [Recognition.status == RecognitionStatus.PUBLISHED, Recognition.created_at < filters.end]
    if filters.start is not None:
        conditions.append(Recognition.created_at >= filters.start)
    if filters.source is not None:
        conditions.append(Recognition.source == filters.source)
    if filters.standard is not None:
        chosen = sa.select(recognition_standards.c.recognition_id).where(
            recognition_standards.c.standard_id == filters.standard.id
        )
        conditions.append(Recognition.id.in_(chosen))
    return conditions


def received_per_person(filters: Filters) -> sa.Subquery:
    """``person_id, received`` for everybody recognised in view (any department)."""
    if _uses_totals(filters):
        totals = PersonRecognitionTotal
        statement = sa.select(totals.person_id, totals.received.label("received")).where(
            totals.received > 0, totals.last_received_at < filters.end
        )
        return statement.subquery()
    return (
        sa.select(RecognitionRecipient.person_id, sa.func.count().label("received"))
        .join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
        .where(*_recognitions_in_view(filters))
        .group_by(RecognitionRecipient.person_id)
        .subquery()
    )


def given_per_person(filters: Filters) -> sa.Subquery:
    if _uses_totals(filters):
        totals = PersonRecognitionTotal
        return sa.select(totals.person_id, totals.given.label("given")).where(totals.given > 0).subquery()
    return (
        sa.select(Recognition.giver_id.label("person_id"), sa.func.count().label("given"))
        .where(Recognition.giver_id.is_not(None), *_recognitions_in_view(filters))
        .group_by(Recognition.giver_id)
        .subquery()
    )


def breakdown(filters: Filters) -> list[tuple[str, str, int, int]]:
    """(unit, job family, recognitions received, active people) for everybody in scope.

    One grouped query feeds the Gini, the Lorenz curve and the comparisons by unit and by
    job family, so the per-person aggregate runs once per page.
    """
    if filters.department_ids is not None and not filters.department_ids:
        return []
    received = received_per_person(filters)
    count = sa.func.coalesce(received.c.received, 0)
    rows = db.session.execute(
        sa.select(sa.func.coalesce(Department.name, ""), Person.job_family, count, sa.func.count())
        .select_from(Person)
        .outerjoin(Department, Department.id == Person.department_id)
        .outerjoin(received, received.c.person_id == Person.id)
        .where(in_scope(filters))
        .group_by(Department.name, Person.job_family, count)
    ).all()
    return [(unit, family or "", int(value), int(people)) for unit, family, value, people in rows]


def histogram_of(rows: list[tuple[str, str, int, int]]) -> dict[int, int]:
    """{recognitions received: how many people}, zeros included."""
    histogram: dict[int, int] = {}
    for _unit, _family, value, people in rows:
        histogram[value] = histogram.get(value, 0) + people
    return histogram


def groups(rows: list[tuple[str, str, int, int]], by: str) -> list[dict]:
    """Coverage per unit or job family; groups under five people are suppressed, not compared."""
    index = 0 if by == "unit" else 1
    totals: dict[str, list[int]] = {}
    for row in rows:
        people, recognised, recognitions = totals.setdefault(row[index], [0, 0, 0])
        value, count = row[2], row[3]
        totals[row[index]] = [people + count, recognised + (count if value else 0), recognitions + value * count]
    result = []
    for label in sorted(totals):
        people, recognised, recognitions = totals[label]
        suppressed = people < MINIMUM_GROUP
        result.append(
            {
                "group": label or "—",
                "people": None if suppressed else people,
                "recognised": None if suppressed else recognised,
                "coverage": None if suppressed else round(100 * recognised / people, 1),
                "recognitions": None if suppressed else recognitions,
                "suppressed": suppressed,
            }
        )
    return result


def givers_in_scope(filters: Filters) -> int:
    if filters.department_ids is not None and not filters.department_ids:
        return 0
    given = given_per_person(filters)
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Person)
        .join(given, given.c.person_id == Person.id)
        .where(in_scope(filters))
    )


def gini(histogram: dict[int, int]) -> float | None:
    """Gini coefficient of recognitions across people (0: all equal, 1: one person gets all)."""
    people = sum(histogram.values())
    total = sum(value * count for value, count in histogram.items())
    if people == 0 or total == 0:
        return None
    weighted, rank = 0.0, 0
    for value in sorted(histogram):
        count = histogram[value]
        # ranks rank+1 … rank+count all hold ``value``: their sum is count*rank + count(count+1)/2
        weighted += value * (count * rank + count * (count + 1) / 2)
        rank += count
    return round(2 * weighted / (people * total) - (people + 1) / people, 3)


def lorenz_points(histogram: dict[int, int]) -> list[tuple[float, float]]:
    """Cumulative share of people (poorest first) against cumulative share of recognitions."""
    people = sum(histogram.values())
    total = sum(value * count for value, count in histogram.items())
    points = [(0.0, 0.0)]
    if people == 0 or total == 0:
        return points
    seen_people = seen_total = 0
    for value in sorted(histogram):
        seen_people += histogram[value]
        seen_total += value * histogram[value]
        points.append((round(seen_people / people, 4), round(seen_total / total, 4)))
    return points


def _top(filters: Filters, subquery: sa.Subquery, column: str) -> list[dict]:
    value = subquery.c[column]
    rows = db.session.execute(
        sa.select(Person.name, Department.name, value)
        .select_from(Person)
        .join(subquery, subquery.c.person_id == Person.id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(in_scope(filters), Person.show_on_walls.is_(True))
        .order_by(value.desc(), Person.name)
        .limit(TOP)
    ).all()
    return [{"name": name, "department": department or "", "count": int(count)} for name, department, count in rows]


def top_recognised(filters: Filters) -> list[dict]:
    """The most recognised people who allow walls and leaderboards (SPEC §3 preferences)."""
    if filters.department_ids is not None and not filters.department_ids:
        return []
    return _top(filters, received_per_person(filters), "received")


def top_givers(filters: Filters) -> list[dict]:
    if filters.department_ids is not None and not filters.department_ids:
        return []
    return _top(filters, given_per_person(filters), "given")


def not_recognised_statement(filters: Filters, now: datetime | None = None) -> sa.Select:
    """Active people in scope not recognised in the last 90 days, longest-waiting first."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=NOT_RECOGNISED_DAYS)
    totals = PersonRecognitionTotal
    return (
        sa.select(
            Person.id, Person.name, Person.job_title, Department.name.label("department"), totals.last_received_at
        )
        .select_from(Person)
        .outerjoin(totals, totals.person_id == Person.id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(in_scope(filters))
        .where(sa.or_(totals.last_received_at.is_(None), totals.last_received_at < cutoff))
        .order_by(totals.last_received_at.is_not(None), totals.last_received_at, Person.name)
    )


def not_recognised(filters: Filters, limit: int) -> tuple[int, list[dict]]:
    if filters.department_ids is not None and not filters.department_ids:
        return 0, []
    statement = not_recognised_statement(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    now = datetime.now(UTC)
    rows = [
        {
            "name": row.name,
            "job_title": row.job_title,
            "department": row.department or "",
            "days_since": (now - row.last_received_at).days if row.last_received_at else None,
        }
        for row in db.session.execute(statement.limit(limit))
    ]
    return total, rows

"""Per-person numbers: who is recognised, who gives, and how evenly recognition is spread.

"People in scope" are the active people whose current department is in the filter's subtree.
A period ending today of 30, 90 or 365 days or all time reads the per-person windows, whatever the
source and standard filters (each has its own table); any other period groups the period's raw
recipient and giver rows in SQL.
"""

from __future__ import annotations

import sqlalchemy as sa

from tracker.dashboard import rollup
from tracker.dashboard.filters import Filters
from tracker.dashboard.rollup import (
    PersonWindow,
    PersonWindowSource,
    PersonWindowSourceStandard,
    PersonWindowStandard,
)
from tracker.extensions import db
from tracker.models import (
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
)

MINIMUM_GROUP = 5
TOP = 10


def in_scope(filters: Filters) -> sa.ColumnElement[bool]:
    condition = Person.active.is_(True)
    if filters.department_ids is not None:
        condition = sa.and_(condition, Person.department_id.in_(sorted(filters.department_ids)))
    return condition


def current_window(filters: Filters) -> int | None:
    """The per-person window that answers these filters, if it ends today; ``None``: read raw rows."""
    if filters.window is None or not rollup.windows_current(db.session):
        return None
    return filters.window


def window_people(filters: Filters, window: int):
    """``person_id, received, given, department_id, job_family`` of the people in scope in one window."""
    if filters.standard is not None and filters.source is not None:
        table = PersonWindowSourceStandard
        conditions = [
            table.window_days == window,
            table.source == filters.source.value,
            table.standard_id == filters.standard.id,
        ]
    elif filters.standard is not None:
        table = PersonWindowStandard
        conditions = [table.window_days == window, table.standard_id == filters.standard.id]
    elif filters.source is not None:
        table = PersonWindowSource
        conditions = [table.window_days == window, table.source == filters.source.value]
    else:
        table = PersonWindow
        conditions = [table.window_days == window]
    return _table_rows(table, filters, conditions)


def window_scope(table, filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = [table.active.is_(True)]
    if filters.department_ids is not None:
        conditions.append(table.department_id.in_(sorted(filters.department_ids)))
    return conditions


def _table_rows(table, filters: Filters, conditions):
    return (
        sa.select(table.person_id, table.received, table.given, table.department_id, table.job_family)
        .where(*conditions, *window_scope(table, filters))
        .subquery()
    )


def _recognitions_in_view(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = [Recognition.status == RecognitionStatus.PUBLISHED, Recognition.created_at < filters.end]
    if filters.start is not None:
        conditions.append(Recognition.created_at >= filters.start)
    if filters.source is not None:
        conditions.append(Recognition.source == filters.source)
    if filters.standard is not None:
        conditions.append(Recognition.tagged_with(filters.standard.id))
    return conditions


def received_per_person(filters: Filters) -> sa.Subquery:
    """``person_id, received`` for everybody recognised in view (any department), from the raw rows."""
    return (
        sa.select(RecognitionRecipient.person_id, sa.func.count().label("received"))
        .join(Recognition, Recognition.id == RecognitionRecipient.recognition_id)
        .where(*_recognitions_in_view(filters))
        .group_by(RecognitionRecipient.person_id)
        .subquery()
    )


def given_per_person(filters: Filters) -> sa.Subquery:
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
    window = current_window(filters)
    if window is not None:
        return _window_breakdown(filters, window)
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


def _window_breakdown(filters: Filters, window: int) -> list[tuple[str, str, int, int]]:
    """The same rows from the window roll-up, grouped on its index.

    A window holds only people with recognitions in it: everyone else in scope received none,
    counted per unit and job family from the people table.
    """
    rows = window_people(filters, window)
    recognised = (
        sa.select(rows.c.department_id, rows.c.job_family, rows.c.received, sa.func.count().label("people"))
        .where(rows.c.received > 0)
        .group_by(rows.c.department_id, rows.c.job_family, rows.c.received)
        .subquery()
    )
    found = db.session.execute(
        sa.select(Department.name, recognised.c.job_family, recognised.c.received, recognised.c.people)
        .select_from(recognised)
        .outerjoin(Department, Department.id == recognised.c.department_id)
    ).all()
    result = [(unit or "", family or "", int(received), int(count)) for unit, family, received, count in found]
    people = (
        sa.select(Person.department_id, Person.job_family, sa.func.count().label("people"))
        .where(in_scope(filters))
        .group_by(Person.department_id, Person.job_family)
        .subquery()
    )
    groups = db.session.execute(
        sa.select(Department.name, people.c.job_family, people.c.people)
        .select_from(people)
        .outerjoin(Department, Department.id == people.c.department_id)
    ).all()
    not_recognised = {(unit or "", family or ""): int(count) for unit, family, count in groups}
    for unit, family, _received, count in result:
        not_recognised[unit, family] = not_recognised.get((unit, family), 0) - count
    result.extend((unit, family, 0, count) for (unit, family), count in not_recognised.items() if count > 0)
    return result


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
    window = current_window(filters)
    if window is not None:
        rows = window_people(filters, window)
        return db.session.scalar(sa.select(sa.func.count()).select_from(rows).where(rows.c.given > 0))
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


def _window_top(filters: Filters, window: int, column: str) -> list[dict]:
    """The top of a window: only people counting at least the tenth count are sorted by name."""
    rows = window_people(filters, window)
    value = rows.c[column]
    shown = [value > 0, Person.show_on_walls.is_(True)]
    tenth = (
        sa.select(value)
        .join(Person, Person.id == rows.c.person_id)
        .where(*shown)
        .order_by(value.desc())
        .limit(1)
        .offset(TOP - 1)
        .scalar_subquery()
    )
    found = db.session.execute(
        sa.select(Person.name, Department.name, value)
        .select_from(rows)
        .join(Person, Person.id == rows.c.person_id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(*shown, value >= sa.func.coalesce(tenth, 1))
        .order_by(value.desc(), Person.name)
        .limit(TOP)
    ).all()
    return [{"name": name, "department": department or "", "count": int(count)} for name, department, count in found]


def top_recognised(filters: Filters) -> list[dict]:
    """The most recognised people who allow walls and leaderboards (their profile's preferences)."""
    if filters.department_ids is not None and not filters.department_ids:
        return []
    window = current_window(filters)
    if window is not None:
        return _window_top(filters, window, "received")
    return _top(filters, received_per_person(filters), "received")


def top_givers(filters: Filters) -> list[dict]:
    if filters.department_ids is not None and not filters.department_ids:
        return []
    window = current_window(filters)
    if window is not None:
        return _window_top(filters, window, "given")
    return _top(filters, given_per_person(filters), "given")

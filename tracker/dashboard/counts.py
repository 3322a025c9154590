"""Recognition counts for any filter: whole weeks from the weekly cells, the days at either edge from the daily ones.

Any period, source, standard and department filter reads the same way: the weekly cells (per
standard when a standard is asked for) for the whole weeks inside the period, and the daily cells
of the at most six days at each end. When the roll-ups are not built (an upgrade before ``dashboard rebuild``), the
whole period reads raw. All of them are SQL aggregates; Python adds up their few grouped rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tracker import clock
from tracker.dashboard import rollup
from tracker.dashboard.filters import Filters
from tracker.dashboard.rollup import (
    NO_DEPARTMENT,
    DailyCount,
    DailyDelay,
    DailyStandardCount,
    DailyStandardDelay,
    WeeklyCount,
    WeeklyDelay,
    WeeklyStandardCount,
    WeeklyStandardDelay,
    whole_days_to_acknowledge,
)
from tracker.dashboard.rollup.recount import local_week
from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus, recognition_standards


def _split(filters: Filters) -> tuple[date | None, date, list[tuple[date, date, date]]]:
    """Whole weeks [first, last) for the weekly cells; the days [start, end) left at either edge, with their week."""
    end_day = filters.until + timedelta(days=1)
    last = clock.monday(end_day)
    edges = []
    if filters.since is None:
        first = None
    else:
        first = clock.monday(filters.since)
        if first < filters.since:
            first += timedelta(days=7)
        if first >= last:  # no whole week inside: the period lies within at most two weeks
            return date.min, date.min, _days_by_week(filters.since, end_day)
        if filters.since < first:
            edges.append((filters.since, first, clock.monday(filters.since)))
    if last < end_day:
        edges.append((last, end_day, last))
    return first, last, edges


def _days_by_week(since: date, end_day: date) -> list[tuple[date, date, date]]:
    ranges, day = [], since
    while day < end_day:
        week_end = min(clock.monday(day) + timedelta(days=7), end_day)
        ranges.append((day, week_end, clock.monday(day)))
        day = week_end
    return ranges


def _cells(
    filters: Filters, by: tuple[str, ...], first: date | None, last: date, week: date | None = None
) -> sa.Select:
    """Cells of the weeks [first, last), or, given the ``week`` they fall in, of the days [first, last)."""
    standard = "standard" in by or filters.standard is not None
    if week is None:
        table = WeeklyStandardCount if standard else WeeklyCount
        period = table.week
    else:
        table = DailyStandardCount if standard else DailyCount
        period = table.day
    columns = {
        "week": period if week is None else sa.literal(week, sa.Date),
        "department": table.department_id,
        "source": table.source,
    }
    if standard:
        columns["standard"] = table.standard_id
    group = [columns[name] for name in by]
    statement = sa.select(*group, sa.func.sum(table.recognitions), sa.func.sum(table.unacknowledged)).where(
        period < last
    )
    if first is not None:
        statement = statement.where(period >= first)
    if filters.department_ids is not None:
        statement = statement.where(table.department_id.in_(sorted(filters.department_ids)))
    if filters.source is not None:
        statement = statement.where(table.source == filters.source.value)
    if filters.standard is not None:
        statement = statement.where(table.standard_id == filters.standard.id)
    return statement.group_by(*(column for column in group if not isinstance(column, sa.sql.elements.BindParameter)))


def _raw(filters: Filters, by: tuple[str, ...]) -> sa.Select:
    """The same numbers from the period's raw rows."""
    start, end = filters.start, filters.end
    columns = {
        "week": local_week(Recognition.created_at, clock.hospital_zone().key),
        "department": sa.func.coalesce(Recognition.department_id, NO_DEPARTMENT),
        "source": Recognition.source,
        "standard": recognition_standards.c.standard_id,
    }
    group = [columns[name] for name in by]
    unacknowledged = sa.func.sum(sa.case((Recognition.acknowledged_at.is_(None), 1), else_=0))
    statement = sa.select(*group, sa.func.count(), unacknowledged).where(
        Recognition.status == RecognitionStatus.PUBLISHED, Recognition.created_at < end
    )
    if start is not None:
        statement = statement.where(Recognition.created_at >= start)
    if "standard" in by or filters.standard is not None:
        statement = statement.join(recognition_standards, recognition_standards.c.recognition_id == Recognition.id)
    if filters.standard is not None:
        statement = statement.where(recognition_standards.c.standard_id == filters.standard.id)
    if filters.department_ids is not None:
        statement = statement.where(Recognition.department_id.in_(sorted(filters.department_ids)))
    if filters.source is not None:
        statement = statement.where(Recognition.source == filters.source)
    return statement.group_by(*group)


def _statements(filters: Filters, by: tuple[str, ...]) -> list[sa.Select]:
    if rollup.readable(db.session) is None:
        return [_raw(filters, by)]
    first, last, edges = _split(filters)
    statements = [_cells(filters, by, first, last)] if first != date.min else []
    statements.extend(_cells(filters, by, start, end, week) for start, end, week in edges)
    return statements


def _key(by: tuple[str, ...], row) -> tuple:
    return tuple(str(value) if name == "source" else value for name, value in zip(by, row[: len(by)]))


def recognition_counts(filters: Filters, by: tuple[str, ...] = ()) -> dict[tuple, tuple[int, int]]:
    """``{group key: (recognitions, unacknowledged)}`` for the published recognitions in view."""
    if filters.department_ids is not None and not filters.department_ids:
        return {}
    recognitions: Counter = Counter()
    unacknowledged: Counter = Counter()
    for statement in _statements(filters, by):
        for row in db.session.execute(statement):
            key = _key(by, row)
            recognitions[key] += int(row[-2] or 0)
            unacknowledged[key] += int(row[-1] or 0)
    return {key: (recognitions[key], unacknowledged[key]) for key in recognitions if recognitions[key]}


def _raw_delays(filters: Filters, start: datetime | None, end: datetime) -> sa.Select:
    days = whole_days_to_acknowledge(db.session.get_bind().dialect.name)
    statement = sa.select(days, sa.func.count()).where(
        Recognition.status == RecognitionStatus.PUBLISHED,
        Recognition.acknowledged_at.is_not(None),
        Recognition.created_at < end,
    )
    if start is not None:
        statement = statement.where(Recognition.created_at >= start)
    if filters.standard is not None:
        statement = statement.where(Recognition.tagged_with(filters.standard.id))
    if filters.department_ids is not None:
        statement = statement.where(Recognition.department_id.in_(sorted(filters.department_ids)))
    if filters.source is not None:
        statement = statement.where(Recognition.source == filters.source)
    return statement.group_by(days)


def _cell_delays(filters: Filters, first: date | None, last: date, daily: bool = False) -> sa.Select:
    if daily:
        table = DailyStandardDelay if filters.standard is not None else DailyDelay
        period = table.day
    else:
        table = WeeklyStandardDelay if filters.standard is not None else WeeklyDelay
        period = table.week
    statement = sa.select(table.days, sa.func.sum(table.recognitions)).where(period < last)
    if first is not None:
        statement = statement.where(period >= first)
    if filters.department_ids is not None:
        statement = statement.where(table.department_id.in_(sorted(filters.department_ids)))
    if filters.source is not None:
        statement = statement.where(table.source == filters.source.value)
    if filters.standard is not None:
        statement = statement.where(table.standard_id == filters.standard.id)
    return statement.group_by(table.days)


def acknowledgement_delays(filters: Filters) -> dict[int, int]:
    """``{whole days to acknowledge: recognitions}`` for the published recognitions in view."""
    if filters.department_ids is not None and not filters.department_ids:
        return {}
    if rollup.readable(db.session) is None:
        statements = [_raw_delays(filters, filters.start, filters.end)]
    else:
        first, last, edges = _split(filters)
        statements = [_cell_delays(filters, first, last)] if first != date.min else []
        statements.extend(_cell_delays(filters, start, end, daily=True) for start, end, _week in edges)
    histogram: Counter = Counter()
    for statement in statements:
        for days, count in db.session.execute(statement):
            histogram[int(days)] += int(count or 0)
    return {days: count for days, count in histogram.items() if count}


def median(histogram: dict[int, int]) -> float | None:
    """The median of a histogram of whole numbers (the mean of the two middle values when even)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    wanted = [(total - 1) // 2, total // 2]
    values, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        values.extend(value for position in wanted if seen <= position < seen + count)
        seen += count
    return round(sum(values) / len(values), 1)

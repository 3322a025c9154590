"""Recognition counts for any filter.

A named period without source or standard filters reads its window roll-up alone; any other
filter takes whole weeks from the weekly roll-up and the edge days from raw rows. All of them
are SQL aggregates; Python only adds up their (few) grouped rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tracker.dashboard import rollup
from tracker.dashboard.filters import Filters
from tracker.dashboard.rollup import (
    ALL_STANDARDS,
    NO_DEPARTMENT,
    WeeklyAcknowledgementDelay,
    WeeklyRecognitionCount,
    WindowAcknowledgementDelay,
    WindowRecognitionCount,
    WindowWeeklyCount,
    midnight,
    monday,
    week_start,
    whole_days_to_acknowledge,
)
from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus, recognition_standards

DIMENSIONS = ("week", "department", "source", "standard")


def _split(filters: Filters) -> tuple[date | None, date, list[tuple[datetime | None, datetime]]]:
    """Whole weeks [first, last) for the roll-up, and the raw ranges left at either edge."""
    end_day = filters.until + timedelta(days=1)
    last = monday(end_day)
    if filters.since is None:
        first = None
        raw = []
    else:
        first = monday(filters.since)
        if first < filters.since:
            first += timedelta(days=7)
        raw = []
        if first >= last:  # no whole week inside: all raw
            return date.min, date.min, [(filters.start, filters.end)]
        if filters.since < first:
            raw.append((filters.start, midnight(first)))
    if last < end_day:
        raw.append((midnight(last), filters.end))
    return first, last, raw


def _rollup_rows(filters: Filters, by: tuple[str, ...], first: date | None, last: date) -> sa.Select:
    table = WeeklyRecognitionCount
    columns = {
        "week": table.week,
        "department": table.department_id,
        "source": table.source,
        "standard": table.standard_id,
    }
    group = [columns[name] for name in by]
    statement = sa.select(*group, sa.func.sum(table.recognitions), sa.func.sum(table.unacknowledged)).where(
        table.week < last
    )
    if first is not None:
        statement = statement.where(table.week >= first)
    if filters.department_ids is not None:
        statement = statement.where(table.department_id.in_(filters.department_ids))
    if filters.source is not None:
        statement = statement.where(table.source == filters.source.value)
    if filters.standard is not None:
        statement = statement.where(table.standard_id == filters.standard.id)
    elif "standard" in by:
        statement = statement.where(table.standard_id != ALL_STANDARDS)
    else:
        statement = statement.where(table.standard_id == ALL_STANDARDS)
    return statement.group_by(*group)


def _raw_rows(filters: Filters, by: tuple[str, ...], start: datetime | None, end: datetime) -> sa.Select:
    columns = {
        "week": week_start(Recognition.created_at),
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
        statement = statement.where(Recognition.department_id.in_(filters.department_ids))
    if filters.source is not None:
        statement = statement.where(Recognition.source == filters.source)
    return statement.group_by(*group)


def current_window(filters: Filters) -> int | None:
    """The window roll-up that answers these filters, brought up to today; ``None``: use the weekly roll-up."""
    if filters.window is None:
        return None
    rollup.ensure_current()
    return filters.window


def _window_rows(filters: Filters, by: tuple[str, ...], window: int) -> sa.Select:
    if "week" in by:
        table = WindowWeeklyCount
        columns = {"week": table.week, "department": table.department_id, "source": table.source}
        conditions = []
    else:
        table = WindowRecognitionCount
        columns = {"department": table.department_id, "source": table.source, "standard": table.standard_id}
        standards = table.standard_id != ALL_STANDARDS if "standard" in by else table.standard_id == ALL_STANDARDS
        conditions = [standards]
    group = [columns[name] for name in by]
    statement = sa.select(*group, sa.func.sum(table.recognitions), sa.func.sum(table.unacknowledged)).where(
        table.window_days == window, *conditions
    )
    if filters.department_ids is not None:
        statement = statement.where(table.department_id.in_(filters.department_ids))
    return statement.group_by(*group)


def recognition_counts(filters: Filters, by: tuple[str, ...] = ()) -> dict[tuple, tuple[int, int]]:
    """``{group key: (recognitions, unacknowledged)}`` for the published recognitions in view."""
    if filters.department_ids is not None and not filters.department_ids:
        return {}
    window = current_window(filters)
    if window is not None:
        statements = [_window_rows(filters, by, window)]
    else:
        first, last, raw = _split(filters)
        statements = [_rollup_rows(filters, by, first, last)] if first != date.min else []
        statements.extend(_raw_rows(filters, by, start, end) for start, end in raw)
    recognitions: Counter = Counter()
    unacknowledged: Counter = Counter()
    for statement in statements:
        for row in db.session.execute(statement):
            key = tuple(str(value) if name == "source" else value for name, value in zip(by, row[: len(by)]))
            recognitions[key] += int(row[-2] or 0)
            unacknowledged[key] += int(row[-1] or 0)
    return {key: (recognitions[key], unacknowledged[key]) for key in recognitions}


def raw_recognition_counts(filters: Filters, by: tuple[str, ...] = ()) -> dict[tuple, tuple[int, int]]:
    """The same numbers from the raw tables only: the yardstick the roll-up is tested against."""
    if filters.department_ids is not None and not filters.department_ids:
        return {}
    result = {}
    for row in db.session.execute(_raw_rows(filters, by, filters.start, filters.end)):
        key = tuple(str(value) if name == "source" else value for name, value in zip(by, row[: len(by)]))
        result[key] = (int(row[-2] or 0), int(row[-1] or 0))
    return result


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
        chosen = sa.select(recognition_standards.c.recognition_id).where(
            recognition_standards.c.standard_id == filters.standard.id
        )
        statement = statement.where(Recognition.id.in_(chosen))
    if filters.department_ids is not None:
        statement = statement.where(Recognition.department_id.in_(filters.department_ids))
    if filters.source is not None:
        statement = statement.where(Recognition.source == filters.source)
    return statement.group_by(days)


def _rollup_delays(filters: Filters, first: date | None, last: date) -> sa.Select:
    table = WeeklyAcknowledgementDelay
    statement = sa.select(table.days, sa.func.sum(table.recognitions)).where(table.week < last)
    if first is not None:
        statement = statement.where(table.week >= first)
    if filters.department_ids is not None:
        statement = statement.where(table.department_id.in_(filters.department_ids))
    if filters.source is not None:
        statement = statement.where(table.source == filters.source.value)
    return statement.group_by(table.days)


def acknowledgement_delays(filters: Filters) -> dict[int, int]:
    """``{whole days to acknowledge: recognitions}``; the roll-up has no standard, so that filter reads raw rows."""
    if filters.department_ids is not None and not filters.department_ids:
        return {}
    window = current_window(filters)
    if window is not None:
        table = WindowAcknowledgementDelay
        statement = sa.select(table.days, sa.func.sum(table.recognitions)).where(table.window_days == window)
        if filters.department_ids is not None:
            statement = statement.where(table.department_id.in_(filters.department_ids))
        statements = [statement.group_by(table.days)]
    elif filters.standard is not None:
        statements = [_raw_delays(filters, filters.start, filters.end)]
    else:
        first, last, raw = _split(filters)
        statements = [_rollup_delays(filters, first, last)] if first != date.min else []
        statements.extend(_raw_delays(filters, start, end) for start, end in raw)
    histogram: Counter = Counter()
    for statement in statements:
        for days, count in db.session.execute(statement):
            histogram[int(days)] += int(count or 0)
    return dict(histogram)


def raw_acknowledgement_delays(filters: Filters) -> dict[int, int]:
    """The same histogram from the raw tables only, for tests."""
    if filters.department_ids is not None and not filters.department_ids:
        return {}
    return {
        int(days): int(count) for days, count in db.session.execute(_raw_delays(filters, filters.start, filters.end))
    }


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

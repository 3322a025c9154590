"""CSV exports of what the dashboard shows: its lists, streamed row by row, and each chart's table.

A chart's file holds the numbers of the table beside the chart, from the same service function the
page calls, with the page's filters and scope (small groups suppressed as on the page). Standards
are named in the reader's language; codes (sources) stay as stored, for filtering in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import get_locale

from tracker import clock
from tracker.dashboard import missed, people, services
from tracker.dashboard.filters import Filters
from tracker.dashboard.services import _in_view
from tracker.exports import batched, csv_lines
from tracker.extensions import db
from tracker.models import Department, Person, Recognition, RecognitionRecipient, Standard, recognition_standards


def _sees_nothing(filters: Filters) -> bool:
    """A manager with no department in scope: the page shows no recognition numbers, the files no rows."""
    return filters.department_ids is not None and not filters.department_ids


def _standard_names(standards: list[Standard]) -> list[str]:
    locale = str(get_locale() or "en")
    return [standard.translated("name", locale) for standard in standards]


def _aggregated(expression, separator: str):
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.string_agg(expression, separator)
    return sa.func.group_concat(expression, separator)


def recognition_rows(filters: Filters) -> Iterator[str]:
    """One line per recognition in view, newest first, with its recipients and standards (by name)."""
    recipients = (
        sa.select(_aggregated(Person.name, "; "))
        .join(RecognitionRecipient, RecognitionRecipient.person_id == Person.id)
        .where(RecognitionRecipient.recognition_id == Recognition.id)
        .scalar_subquery()
    )
    standard_ids = (
        sa.select(_aggregated(sa.cast(recognition_standards.c.standard_id, sa.String), ","))
        .where(recognition_standards.c.recognition_id == Recognition.id)
        .scalar_subquery()
    )
    every_standard = db.session.scalars(sa.select(Standard).order_by(Standard.position, Standard.id)).all()
    names = dict(zip((s.id for s in every_standard), _standard_names(every_standard), strict=True))
    position = {standard.id: index for index, standard in enumerate(every_standard)}
    giver = sa.orm.aliased(Person)
    statement = (
        sa.select(
            Recognition.created_at,
            Recognition.id,
            Recognition.source,
            Recognition.visibility,
            sa.func.coalesce(giver.name, Recognition.giver_name),
            recipients,
            Department.name,
            standard_ids,
            Recognition.acknowledged_at,
            Recognition.message,
        )
        .outerjoin(giver, giver.id == Recognition.giver_id)
        .outerjoin(Department, Department.id == Recognition.department_id)
        .where(*_in_view(filters))
    )
    if _sees_nothing(filters):
        statement = statement.where(sa.false())

    def standards_of(ids: str | None) -> str:
        picked = sorted((int(part) for part in (ids or "").split(",") if part), key=lambda i: position.get(i, 0))
        return "; ".join(names.get(standard_id, "") for standard_id in picked)

    header = [
        "id",
        "created_at",
        "source",
        "visibility",
        "giver",
        "recipients",
        "department",
        "standards",
        "acknowledged_at",
        "message",
    ]
    rows = (
        (row[1], row[0], str(row[2]), str(row[3]), row[4], row[5], row[6], standards_of(row[7]), row[8], row[9])
        for row in batched(statement, [Recognition.created_at, Recognition.id], descending=True)
    )
    return csv_lines(header, rows)


def not_recognised_rows(filters: Filters) -> Iterator[str]:
    """Active people in scope not recognised in the last 90 days, as the page lists them.

    Never recognised first (by id), then the longest waiting: the oldest last recognition first.
    """
    now = clock.now()
    statement = missed.not_recognised_statement(filters)
    if _sees_nothing(filters):
        statement = statement.where(sa.false())
    last_received = statement.selected_columns.last_received_at
    never = statement.where(last_received.is_(None))
    waiting = statement.where(last_received.is_not(None))
    # Keyset columns come first in each row: (id) for the never recognised, (last recognised, id) for the rest.
    columns = [Person.name, Person.job_title, statement.selected_columns.department, last_received]

    def lines() -> Iterator[tuple]:
        for row in batched(never.with_only_columns(Person.id, *columns), [Person.id]):
            yield row.name, row.job_title, row.department, "", ""
        keys = [last_received, Person.id]
        for row in batched(waiting.with_only_columns(last_received, Person.id, *columns[:3]), keys):
            yield row.name, row.job_title, row.department, clock.local_day(row[0]), (now - row[0]).days

    return csv_lines(["name", "job_title", "department", "last_recognised_on", "days_since"], lines())


# --- each chart's table ---------------------------------------------------------------------------


def weekly_rows(filters: Filters) -> Iterator[str]:
    """Recognitions per week (the Monday it starts) and source, oldest week first as on the page."""
    rows = [] if _sees_nothing(filters) else services.weekly(filters)
    return csv_lines(
        ["week_starting", "source", "recognitions"], ((row["week"], row["source"], row["recognitions"]) for row in rows)
    )


def standard_rows(filters: Filters) -> Iterator[str]:
    """Recognitions per active standard, in the standards' order."""
    standards = services.active_standards()
    if _sees_nothing(filters):
        return csv_lines(["standard", "recognitions"], [])
    mix = services.standard_mix(filters, standards)  # one row per standard, in the same order
    names = _standard_names(standards)
    return csv_lines(
        ["standard", "recognitions"], ((name, row["recognitions"]) for name, row in zip(names, mix, strict=True))
    )


def heat_map_rows(filters: Filters) -> Iterator[str]:
    """Departments × standards, as the heat map; no rows when the page draws none (no recognitions in view)."""
    standards = services.active_standards()
    grid = None if _sees_nothing(filters) else services.heat_map(filters, standards)
    rows = zip(grid["departments"], grid["values"], strict=True) if grid else []
    return csv_lines(["department", *_standard_names(standards)], ([name, *values] for name, values in rows))


def _coverage_rows(filters: Filters, by: str) -> Iterator[str]:
    groups = [] if _sees_nothing(filters) else people.groups(people.breakdown(filters), by)
    header = ["group", "active_people", "recognised", "coverage_percent", "recognitions", "suppressed"]
    # A group under five people keeps its name and only that, as on the page: nobody can be singled out.
    return csv_lines(
        header,
        ((g["group"], g["people"], g["recognised"], g["coverage"], g["recognitions"], g["suppressed"]) for g in groups),
    )


def unit_rows(filters: Filters) -> Iterator[str]:
    return _coverage_rows(filters, "unit")


def job_family_rows(filters: Filters) -> Iterator[str]:
    return _coverage_rows(filters, "job_family")


def equity_rows(filters: Filters) -> Iterator[str]:
    """The Lorenz curve's points (shares in percent, as the page's table) with the Gini coefficient on each line."""
    histogram = {} if _sees_nothing(filters) else people.histogram_of(people.breakdown(filters))
    gini = people.gini(histogram)
    points = people.lorenz_points(histogram) if histogram else []
    return csv_lines(
        ["share_of_people_percent", "share_of_recognitions_percent", "gini"],
        ((round(100 * x, 1), round(100 * y, 1), gini) for x, y in points),
    )

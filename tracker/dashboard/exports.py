"""CSV exports of what the dashboard shows, streamed row by row so a million rows never sit in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from tracker import clock
from tracker.dashboard import missed
from tracker.dashboard.filters import Filters
from tracker.dashboard.services import _in_view
from tracker.extensions import db
from tracker.models import Department, Person, Recognition, RecognitionRecipient, Standard, recognition_standards

BATCH = 2000


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> object:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in row])
        yield buffer.getvalue()


def _batched(statement: sa.Select, key: sa.ColumnElement[int], descending: bool = False) -> Iterator[sa.Row]:
    """Rows of ``statement`` in batches by keyset on ``key`` (the statement's first column).

    Each batch is an ordinary query, so the stream survives the request's session being
    closed between batches and never holds a server-side cursor open.
    """
    last = None
    while True:
        batch_statement = statement.order_by(key.desc() if descending else key).limit(BATCH)
        if last is not None:
            batch_statement = batch_statement.where(key < last if descending else key > last)
        rows = db.session.execute(batch_statement).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def _aggregated(expression, separator: str):
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.string_agg(expression, separator)
    return sa.func.group_concat(expression, separator)


def recognition_rows(filters: Filters) -> Iterator[str]:
    """One line per recognition in view, newest first (by id), with its recipients and standards."""
    recipients = (
        sa.select(_aggregated(Person.name, "; "))
        .join(RecognitionRecipient, RecognitionRecipient.person_id == Person.id)
        .where(RecognitionRecipient.recognition_id == Recognition.id)
        .scalar_subquery()
    )
    standards = (
        sa.select(_aggregated(Standard.key, "; "))
        .join(recognition_standards, recognition_standards.c.standard_id == Standard.id)
        .where(recognition_standards.c.recognition_id == Recognition.id)
        .scalar_subquery()
    )
    giver = sa.orm.aliased(Person)
    statement = (
        sa.select(
            Recognition.id,
            Recognition.created_at,
            Recognition.source,
            Recognition.visibility,
            sa.func.coalesce(giver.name, Recognition.giver_name),
            recipients,
            Department.name,
            standards,
            Recognition.acknowledged_at,
            Recognition.message,
        )
        .outerjoin(giver, giver.id == Recognition.giver_id)
        .outerjoin(Department, Department.id == Recognition.department_id)
        .where(*_in_view(filters))
    )
    if filters.department_ids is not None and not filters.department_ids:
        statement = statement.where(sa.false())
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
        (
            row[0],
            row[1].isoformat(),
            str(row[2]),
            str(row[3]),
            row[4],
            row[5],
            row[6],
            row[7],
            row[8].isoformat() if row[8] else "",
            row[9],
        )
        for row in _batched(statement, Recognition.id, descending=True)
    )
    return _csv_lines(header, rows)


def not_recognised_rows(filters: Filters) -> Iterator[str]:
    """Active people in scope not recognised in the last 90 days (in id order), with days since last recognised."""
    now = clock.now()
    statement = missed.not_recognised_statement(filters)
    if filters.department_ids is not None and not filters.department_ids:
        statement = statement.where(sa.false())
    rows = (
        (
            row.name,
            row.job_title,
            row.department,
            row.last_received_at.date().isoformat() if row.last_received_at else "",
            (now - row.last_received_at).days if row.last_received_at else "",
        )
        for row in _batched(statement, Person.id)
    )
    return _csv_lines(["name", "job_title", "department", "last_recognised_on", "days_since"], rows)

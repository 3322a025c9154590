"""CSV files for spreadsheets, shared by every export: the dashboard's, the cases', moderation's and the audit trail's.

A file starts with a UTF-8 byte order mark, so Excel reads accents and Chinese as written; dates
and instants are ISO 8601; text a spreadsheet would run as a formula is neutralised. Lines are
streamed one by one (a header, then one per row), which is what :func:`tracker.audit.after_streaming`
counts and audits once the whole file was sent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

import sqlalchemy as sa
from flask import Response, stream_with_context

from tracker import clock
from tracker.extensions import db

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 2000


def cell(value: object) -> object:
    """A value as the file holds it: dates in ISO 8601, nothing as empty, formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):  # datetimes too: aware UTC instants keep their offset
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # CSV injection: a spreadsheet shows the text instead of running it
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header (after the byte order mark), then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell(value) for value in values])
        return buffer.getvalue()

    yield BOM + line(header)
    for row in rows:
        yield line(row)


def batched(statement: sa.Select, keys: Sequence[sa.ColumnElement], descending: bool = False) -> Iterator[sa.Row]:
    """Rows of ``statement`` ordered by ``keys`` (unique together, the row's first columns), in keyset batches.

    Each batch is an ordinary query, so a long stream never holds a server-side cursor open and
    survives the request's session being closed between batches.
    """
    order = [key.desc() if descending else key for key in keys]
    last = None
    while True:
        batch_statement = statement.order_by(*order).limit(BATCH)
        if last is not None:
            position, boundary = (
                sa.tuple_(*keys),
                sa.tuple_(*(sa.literal(value, key.type) for key, value in zip(keys, last, strict=True))),
            )
            batch_statement = batch_statement.where(position < boundary if descending else position > boundary)
        rows = db.session.execute(batch_statement).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = tuple(rows[-1])[: len(keys)]


def response(kind: str, lines: Iterator[str]) -> Response:
    """The file ``<kind>-<the hospital's date>.csv``, streamed inside the request's context."""
    filename = f"{kind}-{clock.hospital_today().isoformat()}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        # Past nginx unbuffered, so "sent" (when the export is audited) means sent to the client.
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Accel-Buffering": "no"},
    )

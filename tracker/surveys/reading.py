"""Reading a survey vendor's export: CSV (any of the usual encodings) or XLSX, into a header and rows.

Nothing here knows what the columns mean; :mod:`tracker.surveys.importing` does. Every refusal is a
:class:`FileRefused` with a message for the person who chose the file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from flask_babel import format_number
from flask_babel import gettext as _
from openpyxl import load_workbook

from tracker.roster.parsing import decode

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
XLSX_MAGIC = b"PK\x03\x04"
# csv's own limit (128 KiB) is far above any comment; an export with a longer cell is not one we read.
csv.field_size_limit(1024 * 1024)


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    # (line in the file, cell values): CSV lines count physical lines, XLSX its rows; the header is line 1.
    rows: list[tuple[int, list[object]]]


def too_large_message() -> str:
    return _(
        "The file is larger than %(megabytes)d MB. Export a shorter period (a month at a time) and import each file.",
        megabytes=MAX_BYTES // (1024 * 1024),
    )


def read_table(content: bytes, filename: str = "") -> Table:
    """The header and rows of a CSV or XLSX file, refused as a whole when it cannot be read."""
    if len(content) > MAX_BYTES:
        raise FileRefused(too_large_message())
    if not content.strip():
        raise FileRefused(_("The file is empty."))
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(content)
    else:
        table = _read_csv(content)
    if not any(cell.strip() for cell in table.header):
        raise FileRefused(_("The first line of the file holds no column names."))
    return table


def _too_many_rows() -> FileRefused:
    return FileRefused(
        _(
            "The file has more than %(rows)s rows. Export a shorter period and import each file.",
            rows=format_number(MAX_ROWS),
        )
    )


def _read_csv(content: bytes) -> Table:
    try:
        text = decode(content)
    except ValueError as error:
        raise FileRefused(str(error)) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[object]]] = []
    try:
        header = next(reader)
        line = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                rows.append((line, list(values)))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)d could not be read: %(error)s", line=reader.line_num, error=str(error))
        ) from None
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    return Table([str(name).strip() for name in header], rows)


def _read_xlsx(content: bytes) -> Table:
    """The first worksheet; formulas are read as their text, never calculated."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        message = _("The file could not be read as an Excel workbook (.xlsx). Save it again as .xlsx or CSV.")
        raise FileRefused(message) from None
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_values = next(iterator, None)
        if header_values is None:
            raise FileRefused(_("The file is empty."))
        rows: list[tuple[int, list[object]]] = []
        for line, values in enumerate(iterator, start=2):
            if any(value is not None and str(value).strip() for value in values):
                rows.append((line, list(values)))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
    finally:
        workbook.close()
    return Table(["" if name is None else str(name).strip() for name in header_values], rows)

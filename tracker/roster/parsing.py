"""Reading a roster file: bytes in, checked rows and every problem (with its line) out.

Nothing here touches the database; :mod:`tracker.roster.planning` compares the rows with it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from tracker.i18n import LANGUAGE_NAMES
from tracker.models import Role

REQUIRED_COLUMNS = ("employee_id", "name", "email", "job_title", "department")
OPTIONAL_COLUMNS = ("role", "active", "language")

# A practical address check: fast enough for 100,000 rows (the full validator takes seconds).
EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ROLE_SEPARATORS = re.compile(r"[;|,/\s]+")
TRUE_WORDS = {"", "1", "y", "yes", "true", "active"}
FALSE_WORDS = {"0", "n", "no", "false", "inactive"}
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class RosterRow:
    line: int
    employee_id: str | None
    name: str
    email: str
    job_title: str
    department: str
    roles: frozenset[Role] | None  # None: the file does not say, so roles stay as they are
    active: bool
    language: str | None = None  # None: the file does not say, so the person's language stays


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode(content: bytes) -> str:
    """Text from the bytes of a CSV saved by Excel, LibreOffice or an HR system.

    UTF-8 with or without a byte-order mark, UTF-16 with one, else Windows-1252.
    Raises ``ValueError`` with a message for people when the file is not text at all.
    """
    if not content.strip():
        raise ValueError(_("The file is empty."))
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = content.decode("utf-16", errors="replace")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise ValueError(_("The file is not readable text. Save it as “CSV UTF-8” and try again.")) from None
    if CONTROL_CHARACTERS.search(text):
        raise ValueError(_("The file is not a CSV text file (it looks like a binary or spreadsheet file)."))
    if not text.strip():
        raise ValueError(_("The file is empty."))
    return text


def parse(content: bytes, on_progress: Callable[[int], None] | None = None) -> ParsedRoster:
    """Check every row of the file and collect every problem, rather than stopping at the first."""
    result = ParsedRoster()
    try:
        text = decode(content)
    except ValueError as error:
        result.errors.append(RowError(1, str(error)))
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        result.errors.append(RowError(1, _("The header row could not be read: %(error)s", error=str(error))))
        return result
    columns = _read_header(header, result.errors)
    if columns is None:
        return result
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    previous_end = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(
                RowError(previous_end + 1, _("This line could not be read: %(error)s", error=str(error)))
            )
            break
        line, previous_end = previous_end + 1, reader.line_num
        if not any(value.strip() for value in values):
            continue
        row = _read_row(line, values, columns, result.errors)
        if row is not None and _is_unique(row, seen_ids, seen_emails, result.errors):
            result.rows.append(row)
        if on_progress and line % PROGRESS_EVERY == 0:
            on_progress(PROGRESS_EVERY)
    return result


def _read_header(header: list[str], errors: list[RowError]) -> dict[str, int] | None:
    names = [name.strip().lower().replace(" ", "_").replace("-", "_") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        errors.append(
            RowError(
                1,
                _(
                    "The header row lacks the column(s) %(missing)s. Required: %(required)s.",
                    missing=", ".join(missing),
                    required=", ".join(REQUIRED_COLUMNS),
                ),
            )
        )
        return None
    repeated = sorted({name for name in names if name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS and names.count(name) > 1})
    if repeated:
        errors.append(RowError(1, _("The column(s) %(columns)s appear more than once.", columns=", ".join(repeated))))
        return None
    return {name: names.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in names}


def _read_row(line: int, values: list[str], columns: dict[str, int], errors: list[RowError]) -> RosterRow | None:
    width = len(values)
    cells = {name: values[index].strip() if index < width else "" for name, index in columns.items()}

    problems: list[str] = []
    employee_id, name, email = cells["employee_id"], cells["name"], cells["email"].lower()
    job_title, department = cells["job_title"], cells["department"].lower()
    if len(employee_id) > 64:
        problems.append(_("the employee id is longer than 64 characters"))
    if not name:
        problems.append(_("the name is missing"))
    elif len(name) > 200:
        problems.append(_("the name is longer than 200 characters"))
    if not email:
        problems.append(_("the e-mail address is missing"))
    elif len(email) > 254 or not EMAIL.match(email):
        problems.append(_("“%(email)s” is not a valid e-mail address", email=cells["email"]))
    if len(job_title) > 200:
        problems.append(_("the job title is longer than 200 characters"))
    if not department:
        problems.append(_("the department is missing"))
    roles = _read_roles(cells.get("role", ""), problems)
    active_word = cells.get("active", "").lower()
    if active_word not in TRUE_WORDS | FALSE_WORDS:
        problems.append(_("active must be yes or no, not “%(value)s”", value=cells.get("active", "")))
    language = _read_language(cells.get("language", ""), problems)
    if problems:
        errors.append(RowError(line, "; ".join(problems)))
        return None
    return RosterRow(
        line=line,
        employee_id=employee_id or None,
        name=name,
        email=email,
        job_title=job_title,
        department=department,
        roles=roles,
        active=active_word not in FALSE_WORDS,
        language=language,
    )


def _read_language(text: str, problems: list[str]) -> str | None:
    """A language of the app from a code such as ``es``, ``pt-BR``, ``zh-Hans`` or ``zh_CN``."""
    if not text:
        return None
    code = text.replace("-", "_").lower()
    base = code.split("_")[0]
    language = "zh_Hans" if base == "zh" else base
    if language not in LANGUAGE_NAMES:
        problems.append(
            _(
                "unknown language “%(language)s” (choose from %(languages)s)",
                language=text,
                languages=", ".join(LANGUAGE_NAMES),
            )
        )
        return None
    return language


def _read_roles(text: str, problems: list[str]) -> frozenset[Role] | None:
    words = [word.lower() for word in ROLE_SEPARATORS.split(text) if word]
    if not words:
        return None
    known = {role.value for role in Role}
    unknown = [word for word in words if word not in known]
    if unknown:
        problems.append(
            _(
                "unknown role “%(role)s” (choose from %(roles)s)",
                role=", ".join(unknown),
                roles=", ".join(sorted(known)),
            )
        )
        return None
    return frozenset(Role(word) for word in words) | {Role.STAFF}


def _is_unique(row: RosterRow, seen_ids: dict[str, int], seen_emails: dict[str, int], errors: list[RowError]) -> bool:
    unique = True
    if row.employee_id is not None:
        if row.employee_id in seen_ids:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "employee id %(id)s already appears on line %(line)d",
                        id=row.employee_id,
                        line=seen_ids[row.employee_id],
                    ),
                )
            )
            unique = False
        else:
            seen_ids[row.employee_id] = row.line
    if row.email in seen_emails:
        errors.append(
            RowError(
                row.line,
                _("e-mail %(email)s already appears on line %(line)d", email=row.email, line=seen_emails[row.email]),
            )
        )
        unique = False
    else:
        seen_emails[row.email] = row.line
    return unique

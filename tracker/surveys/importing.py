"""Importing a survey export: check every row (the dry run), then add the new comments all at once.

A comment is known by its survey id and question id: a row already imported is counted and left
alone, so importing the same file twice changes nothing. Any problem in the file (a missing column,
an unknown unit code, a date in another format, a repeated row) stops the whole import; the dry
run lists each with its line, and nothing is written until the file is clean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import audit, matching, phi
from tracker.extensions import db
from tracker.models import (
    Department,
    Person,
    SurveyComment,
    SurveyCommentStatus,
    SurveyImport,
    SurveyMapping,
    SurveyUnitCode,
    Valence,
)
from tracker.models.types import utcnow
from tracker.surveys import classify
from tracker.surveys.mentions import MentionFinder
from tracker.surveys.reading import FileRefused, read_table

FORMULA_STARTS = ("=", "+", "-", "@")
TEXT_MAX = 10_000
ID_MAX = 120
SHOWN_PROBLEMS = 200
PROGRESS_EVERY = 250
_KEY_BATCH = 500
# What vendors write in their valence column, folded, and what it means here.
VALENCE_WORDS = {
    "positive": Valence.POSITIVE, "pos": Valence.POSITIVE, "favorable": Valence.POSITIVE,
    "favourable": Valence.POSITIVE, "compliment": Valence.POSITIVE, "praise": Valence.POSITIVE,
    "negative": Valence.NEGATIVE, "neg": Valence.NEGATIVE, "unfavorable": Valence.NEGATIVE,
    "unfavourable": Valence.NEGATIVE, "complaint": Valence.NEGATIVE,
    "mixed": Valence.MIXED, "neutral": Valence.NEUTRAL,
}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    line: int  # 0: the file as a whole
    message: str


@dataclass(frozen=True)
class PlannedComment:
    line: int
    survey_id: str
    question_id: str
    unit_id: int
    visit_date: date
    text: str
    vendor_valence: Valence | None
    vendor_word: str


@dataclass
class Plan:
    mapping: SurveyMapping
    filename: str
    rows_read: int = 0
    new: list[PlannedComment] = field(default_factory=list)
    already_imported: int = 0
    empty: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Unit codes the mapping does not know yet, with the first line each appears on.
    unknown_codes: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def mapping_columns(mapping: SurveyMapping) -> dict[str, str]:
    """The fields a mapping names, by our name, with the vendor's column names."""
    columns = {
        "text": mapping.text_column,
        "unit": mapping.unit_column,
        "date": mapping.date_column,
        "survey_id": mapping.survey_id_column,
        "question_id": mapping.question_id_column,
    }
    if mapping.valence_column:
        columns["valence"] = mapping.valence_column
    return columns


def known_codes(mapping: SurveyMapping) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(SurveyUnitCode.code, SurveyUnitCode.department_id)
        .join(Department, Department.id == SurveyUnitCode.department_id)
        .where(SurveyUnitCode.mapping_id == mapping.id, Department.active.is_(True))
    )
    return {code.casefold(): department_id for code, department_id in rows}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id read from a spreadsheet as a number
    return str(value).strip()


def example_date(fmt: str) -> str:
    return date(2026, 3, 30).strftime(fmt)


def _date(value: object, fmt: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = _text(value)
    for candidate in (fmt, "%Y-%m-%d"):
        try:
            return datetime.strptime(written, candidate).date()
        except ValueError:
            continue
    return None


def plan_import(
    content: bytes, filename: str, mapping: SurveyMapping, on_progress: Callable[[int], None] | None = None
) -> Plan:
    """Read and check every row; nothing is written. ``on_progress`` hears how many rows were checked."""
    plan = Plan(mapping=mapping, filename=filename)
    try:
        table = read_table(content, filename)
    except FileRefused as refused:
        plan.errors.append(Problem(0, str(refused)))
        return plan
    positions = {name.casefold(): index for index, name in enumerate(table.header)}
    wanted = mapping_columns(mapping)
    missing = [column for column in wanted.values() if column.casefold() not in positions]
    if missing:
        plan.errors.append(
            Problem(
                1,
                _(
                    "Columns missing from the file: %(missing)s. The file has: %(found)s.",
                    missing=", ".join(missing),
                    found=", ".join(name for name in table.header if name) or "—",
                ),
            )
        )
        return plan
    index = {key: positions[column.casefold()] for key, column in wanted.items()}
    codes = known_codes(mapping)
    seen: dict[tuple[str, str], int] = {}
    for count, (line, values) in enumerate(table.rows, start=1):
        plan.rows_read += 1
        planned = _check_row(plan, line, values, index, codes, seen)
        if planned is not None:
            plan.new.append(planned)
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(PROGRESS_EVERY)
    if on_progress is not None:
        on_progress(plan.rows_read % PROGRESS_EVERY)
    _drop_already_imported(plan)
    return plan


def _cell(values: list[object], position: int) -> object:
    return values[position] if position < len(values) else None


def _check_row(plan: Plan, line: int, values, index: dict[str, int], codes, seen) -> PlannedComment | None:
    mapping = plan.mapping
    text = _text(_cell(values, index["text"]))
    if not text:
        plan.empty += 1
        return None
    errors = len(plan.errors)
    survey_id = _text(_cell(values, index["survey_id"]))
    question_id = _text(_cell(values, index["question_id"]))
    if not survey_id or not question_id:
        plan.errors.append(Problem(line, _("The survey id or question id is empty.")))
    elif len(survey_id) > ID_MAX or len(question_id) > ID_MAX:
        message = _("The survey id or question id is longer than %(limit)d characters.", limit=ID_MAX)
        plan.errors.append(Problem(line, message))
    elif (survey_id, question_id) in seen:
        plan.errors.append(
            Problem(
                line,
                _(
                    "Survey %(survey)s, question %(question)s is already on line %(first)d of this file.",
                    survey=survey_id,
                    question=question_id,
                    first=seen[(survey_id, question_id)],
                ),
            )
        )
    else:
        seen[(survey_id, question_id)] = line
    code = _text(_cell(values, index["unit"]))
    unit_id = codes.get(code.casefold())
    if not code:
        plan.errors.append(Problem(line, _("The unit code is empty.")))
    elif unit_id is None:
        plan.unknown_codes.setdefault(code, line)
        plan.errors.append(Problem(line, _("Unknown unit code “%(code)s”: say which department it is.", code=code)))
    raw_date = _cell(values, index["date"])
    visit_date = _date(raw_date, mapping.date_format)
    if visit_date is None:
        plan.errors.append(
            Problem(
                line,
                _(
                    "“%(value)s” is not a date written like %(example)s.",
                    value=_text(raw_date),
                    example=example_date(mapping.date_format),
                ),
            )
        )
    vendor_word = _text(_cell(values, index["valence"])) if "valence" in index else ""
    vendor_valence = VALENCE_WORDS.get(vendor_word.casefold()) if vendor_word else None
    if vendor_word and vendor_valence is None:
        plan.errors.append(
            Problem(line, _("The valence “%(value)s” is not positive, negative, mixed or neutral.", value=vendor_word))
        )
    if len(text) > TEXT_MAX:
        message = _("The comment is longer than %(limit)s characters.", limit=format_number(TEXT_MAX))
        plan.errors.append(Problem(line, message))
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
        message = _("The comment starts like a spreadsheet formula; it is kept as plain text.")
        plan.warnings.append(Problem(line, message))
    if len(plan.errors) > errors:
        return None
    return PlannedComment(line, survey_id, question_id, unit_id, visit_date, text, vendor_valence, vendor_word)


def _drop_already_imported(plan: Plan) -> None:
    """Rows whose survey and question ids are already stored are counted, not imported again."""
    keys = {(c.survey_id, c.question_id) for c in plan.new}
    surveys = sorted({survey for survey, _question in keys})
    stored: set[tuple[str, str]] = set()
    for start in range(0, len(surveys), _KEY_BATCH):
        batch = surveys[start : start + _KEY_BATCH]
        rows = db.session.execute(
            sa.select(SurveyComment.survey_id, SurveyComment.question_id).where(SurveyComment.survey_id.in_(batch))
        )
        stored.update((survey, question) for survey, question in rows)
    if stored:
        before = len(plan.new)
        plan.new = [c for c in plan.new if (c.survey_id, c.question_id) not in stored]
        plan.already_imported = before - len(plan.new)


def finder() -> MentionFinder:
    """The roster and the units, loaded once for a whole file."""
    units = db.session.scalars(
        sa.select(Department).options(selectinload(Department.parent).selectinload(Department.parent))
    ).all()
    return MentionFinder(matching.roster(), {unit.id: unit for unit in units})


def apply_plan(plan: Plan, by: Person | None, on_progress: Callable[[int], None] | None = None) -> SurveyImport | None:
    """Add every new comment with the guard's redaction, its parts and the staff it names; flushes only.

    A file with nothing new writes nothing at all, not even an empty import: ``None``.
    """
    if not plan.ok:
        raise ValueError("a plan with errors is never applied")
    if not plan.new:
        return None
    batch = SurveyImport(
        mapping_id=plan.mapping.id,
        filename=plan.filename[:255],
        imported_by_id=by.id if by is not None else None,
        rows_read=plan.rows_read,
        comments_added=len(plan.new),
        already_imported=plan.already_imported,
    )
    db.session.add(batch)
    db.session.flush()
    people = finder()
    now = utcnow()
    rows = []
    for count, planned in enumerate(plan.new, start=1):
        rows.append(_comment_row(planned, batch.id, people, now))
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(PROGRESS_EVERY)
    if rows:
        db.session.execute(sa.insert(SurveyComment), rows)
    if on_progress is not None:
        on_progress(len(plan.new) % PROGRESS_EVERY)
    audit.record(
        "survey.imported", "survey_import", batch.id, actor=by, filename=batch.filename,
        added=batch.comments_added, already_imported=batch.already_imported,
    )  # fmt: skip
    db.session.flush()
    return batch


def _comment_row(planned: PlannedComment, import_id: int, people: MentionFinder, now: datetime) -> dict:
    findings = phi.find_health_information(planned.text)
    redacted = phi.redact(planned.text, findings) if findings else planned.text
    parts = classify.split(redacted, planned.vendor_valence)
    mentions = people.find(planned.text, planned.unit_id)
    return {
        "import_id": import_id,
        "survey_id": planned.survey_id,
        "question_id": planned.question_id,
        "line": planned.line,
        "unit_id": planned.unit_id,
        "visit_date": planned.visit_date,
        "text": planned.text,
        "redacted_text": redacted,
        "compliment_text": parts.compliment,
        "improvement_text": parts.improvement,
        "valence": parts.valence,
        "vendor_valence": planned.vendor_word[:40],
        "health_information_found": bool(findings),
        "mentions": [mention.as_dict() for mention in mentions],
        "matched": any(mention.person_id for mention in mentions),
        "status": SurveyCommentStatus.PENDING,
        "created_at": now,
    }

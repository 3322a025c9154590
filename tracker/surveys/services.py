"""Survey mappings, remembered unit codes, uploads waiting for their import, and the bulk review.

A compliment approved here becomes a recognition with the source ``survey``, for the people the
comment names (or the unit's team when it names nobody), in the guard's redacted words. It stays
private (its people, their managers, patient experience) unless the hospital's setting and the
vendor's consent terms both let it reach public walls, and walls show it only while the setting
stays on. An improvement comment goes to the unit's managers as what patients said, with one
e-mail to each of them per action: it never opens a case on its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import audit, clock, settings
from tracker.extensions import db
from tracker.integrations import events as integration_events
from tracker.models import (
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Source,
    Standard,
    SurveyComment,
    SurveyCommentStatus,
    SurveyImport,
    SurveyMapping,
    SurveyUnitCode,
    SurveyUpload,
    Valence,
    Visibility,
)
from tracker.models.types import utcnow
from tracker.notifications.services import queue_recognition_notifications, queue_survey_said_notifications
from tracker.validation import InvalidInput

UPLOAD_KEPT_FOR = timedelta(days=1)
NAME_MAX = 80
COLUMN_MAX = 120
BULK_MAX = 500
COLUMN_FIELDS = (
    "text_column", "unit_column", "date_column", "survey_id_column", "question_id_column", "valence_column",
)  # fmt: skip
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%m/%d/%y", "%d.%m.%Y", "%Y%m%d")


# --- mappings and unit codes ------------------------------------------------------------------


def mappings() -> list[SurveyMapping]:
    return list(db.session.scalars(sa.select(SurveyMapping).order_by(SurveyMapping.name)))


def mapping_named(name: str) -> SurveyMapping | None:
    return db.session.scalar(sa.select(SurveyMapping).where(SurveyMapping.name == (name or "").strip()))


def save_mapping(values: dict, *, by: Person | None, mapping: SurveyMapping | None = None) -> SurveyMapping:
    """Create or change a vendor's column mapping; every name is checked before anything is written."""
    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = [_("Give the mapping a name of up to %(limit)d characters.", limit=NAME_MAX)]
    else:
        other = mapping_named(name)
        if other is not None and other is not mapping:
            errors["name"] = [_("Another mapping already has this name.")]
    columns = {}
    for key in COLUMN_FIELDS:
        value = (values.get(key) or "").strip()
        if len(value) > COLUMN_MAX or (not value and key != "valence_column"):
            errors[key] = [_("Write the column's name as it is in the file's first line.")]
        columns[key] = value
    if values.get("date_format") not in DATE_FORMATS:
        errors["date_format"] = [_("Choose one of the listed date formats.")]
    if errors:
        raise InvalidInput(errors)
    if mapping is None:
        mapping = SurveyMapping(name=name)
        db.session.add(mapping)
    mapping.name = name
    for key, value in columns.items():
        setattr(mapping, key, value)
    mapping.date_format = values["date_format"]
    mapping.wall_allowed = bool(values.get("wall_allowed"))
    db.session.flush()
    audit.record("survey.mapping_saved", "survey_mapping", mapping.id, actor=by, name=name)
    return mapping


def remember_unit_codes(mapping: SurveyMapping, chosen: dict[str, int], *, by: Person | None) -> int:
    """Remember which department each vendor code means, for this file and the next ones."""
    if not chosen:
        return 0
    departments = {
        d.id: d for d in db.session.scalars(sa.select(Department).where(Department.id.in_(set(chosen.values()))))
    }
    bad = [code for code, department_id in chosen.items() if department_id not in departments or len(code) > 120]
    if bad:
        raise InvalidInput.single("codes", _("Choose a department for %(codes)s.", codes=", ".join(bad)))
    stored = {row.code.casefold(): row for row in mapping.unit_codes}
    for code, department_id in chosen.items():
        row = stored.get(code.casefold())
        if row is None:
            mapping.unit_codes.append(SurveyUnitCode(code=code, department_id=department_id))
        else:
            row.department_id = department_id
    db.session.flush()
    audit.record("survey.unit_codes_saved", "survey_mapping", mapping.id, actor=by, codes=sorted(chosen))
    return len(chosen)


# --- files between their dry run and their import ---------------------------------------------


def store_upload(content: bytes, filename: str, mapping: SurveyMapping, by: Person) -> SurveyUpload:
    db.session.execute(sa.delete(SurveyUpload).where(SurveyUpload.created_at < utcnow() - UPLOAD_KEPT_FOR))
    upload = SurveyUpload(
        token=secrets.token_urlsafe(24),
        mapping_id=mapping.id,
        uploaded_by_id=by.id,
        filename=(filename or "")[:255],
        content=content,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def find_upload(token: str, by: Person, *, for_apply: bool = False) -> SurveyUpload | None:
    """Only the person who uploaded a file reviews and imports it, while it is fresh; the apply locks it."""
    statement = sa.select(SurveyUpload).where(
        SurveyUpload.token == token,
        SurveyUpload.uploaded_by_id == by.id,
        SurveyUpload.created_at >= utcnow() - UPLOAD_KEPT_FOR,
    )
    return db.session.scalar(statement.with_for_update() if for_apply else statement)


# --- the batch review -------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchFilters:
    """What the reviewer narrowed a batch to; ``None`` means any."""

    unit_id: int | None = None
    valence: Valence | None = None
    matched: bool | None = None
    flagged: bool | None = None
    status: SurveyCommentStatus | None = SurveyCommentStatus.PENDING


def imports() -> sa.Select:
    return sa.select(SurveyImport).options(selectinload(SurveyImport.mapping)).order_by(SurveyImport.id.desc())


def batch_statement(batch: SurveyImport, filters: BatchFilters) -> sa.Select:
    """The batch's comments the filters keep, in file order; every filter runs in SQL."""
    query = (
        sa.select(SurveyComment)
        .where(SurveyComment.import_id == batch.id)
        .options(selectinload(SurveyComment.unit))
        .order_by(SurveyComment.line, SurveyComment.id)
    )
    if filters.status is not None:
        query = query.where(SurveyComment.status == filters.status)
    if filters.unit_id is not None:
        query = query.where(SurveyComment.unit_id == filters.unit_id)
    if filters.valence is not None:
        query = query.where(SurveyComment.valence == filters.valence)
    if filters.matched is not None:
        query = query.where(SurveyComment.matched.is_(filters.matched))
    if filters.flagged is not None:
        query = query.where(SurveyComment.health_information_found.is_(filters.flagged))
    return query


def batch_units(batch: SurveyImport) -> list[Department]:
    ids = sa.select(SurveyComment.unit_id).where(SurveyComment.import_id == batch.id).distinct()
    return list(db.session.scalars(sa.select(Department).where(Department.id.in_(ids)).order_by(Department.name)))


def status_counts(batch: SurveyImport) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(SurveyComment.status, sa.func.count())
        .where(SurveyComment.import_id == batch.id)
        .group_by(SurveyComment.status)
    ).all()
    return {status.value: count for status, count in rows}


def _selected(batch: SurveyImport, comment_ids: list[int]) -> list[SurveyComment]:
    ids = set(comment_ids)
    if not ids:
        raise InvalidInput.single("comment_ids", _("Select at least one comment."))
    if len(ids) > BULK_MAX:
        raise InvalidInput.single("comment_ids", _("Select at most %(limit)d comments at a time.", limit=BULK_MAX))
    comments = list(
        db.session.scalars(
            sa.select(SurveyComment)
            .where(SurveyComment.import_id == batch.id, SurveyComment.id.in_(ids))
            .order_by(SurveyComment.line, SurveyComment.id)
            .with_for_update()
        )
    )
    if len(comments) != len(ids):
        raise InvalidInput.single("comment_ids", _("Some selected comments are not in this import."))
    decided = [c for c in comments if c.status != SurveyCommentStatus.PENDING]
    if decided:
        raise InvalidInput.single(
            "comment_ids",
            _("Lines %(lines)s have already been dealt with.", lines=", ".join(str(c.line) for c in decided)),
        )
    return comments


def _decided(comment: SurveyComment, status: SurveyCommentStatus, by: Person, now) -> None:
    comment.status = status
    comment.decided_by = by
    comment.decided_at = now


def approve(batch: SurveyImport, comment_ids: list[int], standard_keys: list[str], by: Person) -> list[Recognition]:
    """Each selected compliment becomes a recognition, all of them or none."""
    comments = _selected(batch, comment_ids)
    errors: dict[str, list[str]] = {}
    standards = list(db.session.scalars(sa.select(Standard).where(Standard.key.in_(set(standard_keys)))))
    if not standards or len(standards) != len(set(standard_keys)):
        errors["standard_keys"] = [_("Please choose at least one standard.")]
    without = [str(c.line) for c in comments if not c.compliment_text.strip()]
    if without:
        errors["comment_ids"] = [_("Lines %(lines)s hold no compliment to approve.", lines=", ".join(without))]
    if errors:
        raise InvalidInput(errors)
    people = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Person).where(
                Person.id.in_({pid for c in comments for pid in c.matched_person_ids}), Person.active.is_(True)
            )
        )
    }
    public = bool(settings.get("survey_comments_on_walls")) and batch.mapping.wall_allowed
    now = utcnow()
    recognitions = []
    for comment in comments:
        recipients = [people[pid] for pid in dict.fromkeys(comment.matched_person_ids) if pid in people]
        recognition = Recognition(
            source=Source.SURVEY,
            status=RecognitionStatus.PUBLISHED,
            published_at=now,
            visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
            giver_name="",
            department_id=comment.unit_id,
            unit_id=None if recipients else comment.unit_id,
            message=comment.compliment_text,
            reviewed_by=by,
            reviewed_at=now,
            standards=standards,
            recipient_rows=[RecognitionRecipient(person=p, department_id=p.department_id) for p in recipients],
        )
        db.session.add(recognition)
        comment.recognition = recognition
        _decided(comment, SurveyCommentStatus.APPROVED, by, now)
        recognitions.append(recognition)
    db.session.flush()
    for recognition in recognitions:
        queue_recognition_notifications(recognition)
        integration_events.recognition_published(recognition)
    _tell_managers([c for c in comments if c.improvement_text])
    audit.record(
        "survey.approved", "survey_import", batch.id, actor=by,
        comments=[c.id for c in comments], recognitions=[r.id for r in recognitions],
    )  # fmt: skip
    return recognitions


def send_to_managers(batch: SurveyImport, comment_ids: list[int], by: Person) -> int:
    """The selected comments reach their units' managers as what patients said; no case is opened."""
    comments = _selected(batch, comment_ids)
    now = utcnow()
    for comment in comments:
        _decided(comment, SurveyCommentStatus.SENT, by, now)
    _tell_managers(comments)
    audit.record("survey.sent_to_managers", "survey_import", batch.id, actor=by, comments=[c.id for c in comments])
    db.session.flush()
    return len(comments)


def _tell_managers(comments: list[SurveyComment]) -> None:
    """One e-mail per manager concerned for the whole action, in the action's transaction."""
    counts: dict[int, int] = {}
    for comment in comments:
        counts[comment.unit_id] = counts.get(comment.unit_id, 0) + 1
    if counts:
        queue_survey_said_notifications(counts)


def discard(batch: SurveyImport, comment_ids: list[int], by: Person) -> int:
    comments = _selected(batch, comment_ids)
    now = utcnow()
    for comment in comments:
        _decided(comment, SurveyCommentStatus.DISCARDED, by, now)
    audit.record("survey.discarded", "survey_import", batch.id, actor=by, comments=[c.id for c in comments])
    db.session.flush()
    return len(comments)


# --- what patients said, for the unit's managers ----------------------------------------------


def said_text(comment: SurveyComment) -> str:
    """What managers read: the improvement part, or the whole redacted comment when it has none."""
    return comment.improvement_text or comment.redacted_text


def _said(unit_ids: set[int] | None) -> sa.ColumnElement[bool]:
    """Comments sent to managers, and improvement parts of approved mixed ones, of these units (``None``: all)."""
    said = sa.or_(
        SurveyComment.status == SurveyCommentStatus.SENT,
        sa.and_(SurveyComment.status == SurveyCommentStatus.APPROVED, SurveyComment.improvement_text != ""),
    )
    return said if unit_ids is None else sa.and_(said, SurveyComment.unit_id.in_(unit_ids))


def said_statement(unit_ids: set[int] | None) -> sa.Select:
    """What the managers' page lists, newest decision first."""
    return (
        sa.select(SurveyComment)
        .where(_said(unit_ids))
        .options(selectinload(SurveyComment.unit))
        .order_by(SurveyComment.decided_at.desc(), SurveyComment.id.desc())
    )


def said_count(unit_ids: set[int] | None, since: datetime) -> int:
    """How many of the page's comments arrived since ``since``: the weekly digest's line."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(SurveyComment).where(_said(unit_ids), SurveyComment.decided_at >= since)
    )


# --- the huddle pack ---------------------------------------------------------------------------


@dataclass
class StandardVerbatims:
    standard: Standard
    verbatims: list[str]


def week_verbatims(unit_ids: set[int], week: date) -> list[StandardVerbatims]:
    """The week's approved survey compliments of these units (redacted), under each of their standards."""
    start, end = clock.local_midnight(week), clock.local_midnight(week + timedelta(days=7))
    recognitions = db.session.scalars(
        sa.select(Recognition)
        .join(SurveyComment, SurveyComment.recognition_id == Recognition.id)
        .where(
            SurveyComment.unit_id.in_(unit_ids),
            SurveyComment.status == SurveyCommentStatus.APPROVED,
            SurveyComment.decided_at >= start,
            SurveyComment.decided_at < end,
        )
        .options(selectinload(Recognition.standards))
        .order_by(SurveyComment.decided_at.desc(), SurveyComment.id.desc())
    ).all()
    grouped: dict[int, StandardVerbatims] = {}
    for recognition in recognitions:
        for standard in recognition.standards:
            grouped.setdefault(standard.id, StandardVerbatims(standard, [])).verbatims.append(recognition.message)
    return sorted(grouped.values(), key=lambda group: (group.standard.position, group.standard.id))

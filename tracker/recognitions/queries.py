"""Reading recognitions: scoped lists with filters, the wall, a person's own, the approval queue.

Counting and filtering happen in SQL; the lists eager-load what their pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker import policy
from tracker.extensions import db
from tracker.models import (
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Role,
    Source,
    Standard,
    recognition_standards,
)

PER_PAGE = 20


@dataclass
class RecognitionFilters:
    """Filters shared by the pages and the API; ``None`` means "any"."""

    department: Department | None = None
    standard: Standard | None = None
    source: Source | None = None
    recipient_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1
    per_page: int = PER_PAGE


def with_details(statement: sa.Select) -> sa.Select:
    return statement.options(
        selectinload(Recognition.giver),
        selectinload(Recognition.unit),
        selectinload(Recognition.standards),
        selectinload(Recognition.behaviors),
        selectinload(Recognition.recipient_rows).selectinload(RecognitionRecipient.person),
    )


def in_departments(department: Department) -> sa.ColumnElement[bool]:
    """Recognitions of people in the department's subtree, or of a unit within it."""
    subtree = sa.select(Department.id).where(Department.path.startswith(department.path, autoescape=True))
    recipients = sa.select(RecognitionRecipient.recognition_id).where(RecognitionRecipient.department_id.in_(subtree))
    return sa.or_(Recognition.id.in_(recipients), Recognition.unit_id.in_(subtree))


def apply_filters(statement: sa.Select, filters: RecognitionFilters) -> sa.Select:
    if filters.department is not None:
        statement = statement.where(in_departments(filters.department))
    if filters.standard is not None:
        statement = statement.where(Recognition.tagged_with(filters.standard.id))
    if filters.source is not None:
        statement = statement.where(Recognition.source == filters.source)
    if filters.recipient_id is not None:
        named = sa.select(RecognitionRecipient.recognition_id).where(
            RecognitionRecipient.person_id == filters.recipient_id
        )
        statement = statement.where(Recognition.id.in_(named))
    if filters.since is not None:
        statement = statement.where(Recognition.created_at >= filters.since)
    if filters.until is not None:
        statement = statement.where(Recognition.created_at < filters.until)
    return statement


def paginate(statement: sa.Select, page: int, per_page: int) -> tuple[list[Recognition], int]:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(
        with_details(statement)
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(items), total


def list_recognitions(viewer: Person, filters: RecognitionFilters) -> tuple[list[Recognition], int]:
    """The recognitions ``viewer`` may read, filtered, newest first: ``(items, total)``."""
    statement = sa.select(Recognition).where(policy.recognition_scope(viewer))
    return paginate(apply_filters(statement, filters), filters.page, filters.per_page)


def hidden_from_walls() -> sa.ColumnElement[bool]:
    """A recognition naming anybody who opted out of walls stays off walls entirely.

    Stories usually name the person in their words, so dropping only the name would not honour the choice.
    """
    opted_out = (
        sa.select(RecognitionRecipient.recognition_id)
        .join(Person, Person.id == RecognitionRecipient.person_id)
        .where(Person.show_on_walls.is_(False))
    )
    return Recognition.id.in_(opted_out)


def wall_condition() -> sa.ColumnElement[bool]:
    """What walls, unit TVs and channels show: what everybody reads, minus anyone who opted out."""
    return sa.and_(policy.public_now(), sa.not_(hidden_from_walls()))


def wall(filters: RecognitionFilters) -> tuple[list[Recognition], int]:
    """Published public recognitions for the wall, honouring every recipient's preference."""
    return paginate(
        apply_filters(sa.select(Recognition).where(wall_condition()), filters), filters.page, filters.per_page
    )


def display_stories(unit: Department, limit: int = 30) -> list[Recognition]:
    """The newest public stories of one unit (and the teams within it), for its TV screen."""
    statement = sa.select(Recognition).where(wall_condition(), in_departments(unit))
    newest = (Recognition.created_at.desc(), Recognition.id.desc())
    return list(db.session.scalars(with_details(statement).order_by(*newest).limit(limit)))


def received_condition(person: Person) -> sa.ColumnElement[bool]:
    named = sa.select(RecognitionRecipient.recognition_id).where(RecognitionRecipient.person_id == person.id)
    return sa.and_(Recognition.status == RecognitionStatus.PUBLISHED, Recognition.id.in_(named))


def received(person: Person, page: int) -> tuple[list[Recognition], int]:
    return paginate(sa.select(Recognition).where(received_condition(person)), page, PER_PAGE)


def given(person: Person, page: int) -> tuple[list[Recognition], int]:
    return paginate(sa.select(Recognition).where(Recognition.giver_id == person.id), page, PER_PAGE)


def received_by_standard(person: Person) -> list[tuple[Standard, int]]:
    """Every active standard with how often the person was recognised for it (zeros included)."""
    counts = (
        sa.select(recognition_standards.c.standard_id, sa.func.count().label("n"))
        .join(Recognition, Recognition.id == recognition_standards.c.recognition_id)
        .where(received_condition(person))
        .group_by(recognition_standards.c.standard_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Standard, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.standard_id == Standard.id)
        .where(Standard.active.is_(True))
        .order_by(Standard.position)
    ).all()
    return [(standard, count) for standard, count in rows]


def approval_statement(reviewer: Person) -> sa.Select | None:
    """Pending recognitions the reviewer may approve: their subtree's, or all for admins; never their own.

    ``None`` when the reviewer answers for no department.
    """
    statement = sa.select(Recognition).where(
        Recognition.status == RecognitionStatus.PENDING,
        Recognition.source == Source.PEER,
        Recognition.giver_id != reviewer.id,
    )
    if reviewer.has_role(Role.ADMIN):
        return statement
    managed = policy.managed_department_ids(reviewer)
    if not managed:
        return None
    recipients = sa.select(RecognitionRecipient.recognition_id).where(RecognitionRecipient.department_id.in_(managed))
    return statement.where(sa.or_(Recognition.id.in_(recipients), Recognition.unit_id.in_(managed)))


def approval_queue(reviewer: Person, page: int) -> tuple[list[Recognition], int]:
    statement = approval_statement(reviewer)
    return paginate(statement, page, PER_PAGE) if statement is not None else ([], 0)


def active_units() -> list[Department]:
    return list(db.session.scalars(sa.select(Department).where(Department.active.is_(True)).order_by(Department.path)))


def active_standards() -> list[Standard]:
    return list(
        db.session.scalars(
            sa.select(Standard)
            .where(Standard.active.is_(True))
            .options(selectinload(Standard.behaviors))
            .order_by(Standard.position)
        )
    )

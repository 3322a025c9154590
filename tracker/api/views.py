"""Reference data and the staff directory: standards, departments, people."""

from __future__ import annotations

import sqlalchemy as sa

from tracker import policy
from tracker.api import bp
from tracker.api.openapi import VALIDATION_MESSAGE, operation
from tracker.api.schemas import (
    DepartmentList,
    DepartmentOut,
    PageQuery,
    PeopleQuery,
    PersonList,
    PersonOut,
    StandardList,
    StandardOut,
)
from tracker.directory import search_people
from tracker.errors import json_error
from tracker.extensions import db
from tracker.models import Department, Standard


def paginate(statement: sa.Select, query: PageQuery) -> tuple[list, int]:
    """One page of ``statement``'s rows and the total count, both counted in SQL."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    offset = (query.page - 1) * query.per_page
    rows = db.session.execute(statement.limit(query.per_page).offset(offset)).all()
    return rows, total or 0


@bp.get("/standards")
@policy.public
@operation(ok={"HTTP_200": StandardList}, query=PageQuery, tags=["reference"])
def standards(query: PageQuery):
    """The icare standards and their example behaviours, in display order."""
    statement = (
        sa.select(Standard)
        .where(Standard.active.is_(True))
        .options(sa.orm.selectinload(Standard.behaviors))
        .order_by(Standard.position, Standard.id)
    )
    rows, total = paginate(statement, query)
    items = [
        StandardOut(
            key=s.key,
            name=s.name,
            description=s.description,
            color=s.color,
            behaviors=[{"key": b.key, "name": b.name} for b in s.behaviors if b.active],
        )
        for (s,) in rows
    ]
    return StandardList(items=items, page=query.page, per_page=query.per_page, total=total)


@bp.get("/departments")
@policy.public
@operation(ok={"HTTP_200": DepartmentList}, query=PageQuery, tags=["reference"])
def departments(query: PageQuery):
    """Active departments and units, as a tree in path order; `parent` is the parent's slug.

    `patient_facing` marks the places patients and visitors come to, which feedback may name.
    """
    parent = sa.orm.aliased(Department)
    statement = (
        sa.select(Department.slug, Department.name, parent.slug, Department.patient_facing)
        .outerjoin(parent, Department.parent_id == parent.id)
        .where(Department.active.is_(True))
        .order_by(Department.path, Department.id)
    )
    rows, total = paginate(statement, query)
    items = [
        DepartmentOut(slug=slug, name=name, parent=parent_slug, patient_facing=place)
        for slug, name, parent_slug, place in rows
    ]
    return DepartmentList(items=items, page=query.page, per_page=query.per_page, total=total)


@bp.get("/people")
@policy.signed_in
@operation(ok={"HTTP_200": PersonList}, errors=["HTTP_422"], query=PeopleQuery, signed_in=True, tags=["directory"])
def people(query: PeopleQuery):
    """The staff directory: active people whose name, e-mail or job title holds every word of `q`."""
    department = None
    if query.department:
        department = db.session.scalar(sa.select(Department).where(Department.slug == query.department))
        if department is None:
            return json_error(422, VALIDATION_MESSAGE, {"department": ["Unknown department."]})
    found, total = search_people(query.q, department, query.per_page, (query.page - 1) * query.per_page)
    items = [
        PersonOut(
            id=p.id,
            name=p.name,
            job_title=p.job_title,
            department=p.department.slug if p.department else None,
            unit=p.department.name if p.department else None,
        )
        for p in found
    ]
    return PersonList(items=items, page=query.page, per_page=query.per_page, total=total)

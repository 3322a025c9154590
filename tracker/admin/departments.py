"""Keeping the department tree: create, rename, move (with the whole subtree), deactivate, and mark places.

Departments are never deleted: recognitions, feedback and people keep pointing at them.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import audit
from tracker.extensions import db
from tracker.models import Department, Person
from tracker.organisation import create_department
from tracker.validation import InvalidInput


def tree() -> list[Department]:
    """Every department in tree order (parents before their units, siblings by name)."""
    departments = db.session.scalars(sa.select(Department)).all()
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[Department] = []

    def walk(parent_id: int | None) -> None:
        for department in sorted(children.get(parent_id, []), key=lambda d: d.name.lower()):
            ordered.append(department)
            walk(department.id)

    walk(None)
    return ordered


def people_counts() -> dict[int, int]:
    """Active people per department, in one grouped query."""
    statement = (
        sa.select(Person.department_id, sa.func.count())
        .where(Person.active.is_(True), Person.department_id.is_not(None))
        .group_by(Person.department_id)
    )
    return dict(db.session.execute(statement).all())


def add_department(slug: str, name: str, parent: Department | None, *, patient_facing: bool = True) -> Department:
    try:
        department = create_department(slug, name, parent)
    except ValueError as error:
        field = "name" if "name" in str(error) else "slug"
        raise InvalidInput.single(field, str(error)) from None
    department.patient_facing = patient_facing
    audit.record(
        "department_created",
        "department",
        department.id,
        slug=department.slug,
        name=department.name,
        patient_facing=patient_facing,
    )
    return department


def update_department(
    department: Department, *, name: str, parent: Department | None, active: bool, patient_facing: bool
) -> list[str]:
    """Rename, move and (de)activate in one step; returns the names of what changed."""
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name or len(name) > 200:
        errors["name"] = [_("Give the department a name of at most 200 characters.")]
    if parent is not None and parent.is_within(department):
        errors["parent"] = [_("A department cannot move under itself or one of its own units.")]
    if department.active and not active:
        blockers = _deactivation_blockers(department)
        if blockers:
            errors["active"] = blockers
    if errors:
        raise InvalidInput(errors)

    changes = []
    if name != department.name:
        changes.append("name")
        department.name = name
    if (parent.id if parent else None) != department.parent_id:
        changes.append("parent")
        move_subtree(department, parent)
    if active != department.active:
        changes.append("active")
        department.active = active
    if patient_facing != department.patient_facing:
        changes.append("patient_facing")
        department.patient_facing = patient_facing
    if changes:
        audit.record(
            "department_updated",
            "department",
            department.id,
            changes=changes,
            parent=parent.slug if parent else None,
            active=department.active,
            patient_facing=department.patient_facing,
        )
    return changes


def _deactivation_blockers(department: Department) -> list[str]:
    blockers = []
    children = db.session.scalar(
        sa.select(sa.func.count()).where(Department.parent_id == department.id, Department.active.is_(True))
    )
    if children:
        blockers.append(_("Deactivate or move its %(count)d active unit(s) first.", count=children))
    people = db.session.scalar(
        sa.select(sa.func.count()).where(Person.department_id == department.id, Person.active.is_(True))
    )
    if people:
        blockers.append(_("Move its %(count)d active people to another department first.", count=people))
    return blockers


def move_subtree(department: Department, parent: Department | None) -> None:
    """Put ``department`` under ``parent`` and rewrite ``path``/``depth`` of everything below it in one UPDATE."""
    old_path, old_depth = department.path, department.depth
    department.parent = parent
    department.refresh_path()
    db.session.flush()
    descendants = sa.and_(Department.path.startswith(old_path, autoescape=True), Department.id != department.id)
    db.session.execute(
        sa.update(Department)
        .where(descendants)
        .values(
            path=sa.literal(department.path) + sa.func.substr(Department.path, len(old_path) + 1),
            depth=Department.depth + (department.depth - old_depth),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()

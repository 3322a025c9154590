"""Comparing checked roster rows with the database: what an import would create, change and deactivate.

The whole directory is read once into dictionaries (no query per row), so a plan for 100,000
rows takes seconds. A plan with errors is shown but never applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.models import Department, Person, PersonRole, Role
from tracker.roster.job_families import job_family
from tracker.roster.parsing import ParsedRoster, RosterRow, RowError

COMPARED_FIELDS = (
    "name",
    "email",
    "job_title",
    "job_family",
    "department_id",
    "employee_id",
    "active",
    "language",
)


@dataclass(slots=True)
class Existing:
    """A person as the database holds them now."""

    id: int
    name: str
    email: str
    job_title: str
    job_family: str
    department_id: int | None
    employee_id: str | None
    active: bool
    language: str | None
    roles: frozenset[Role]


@dataclass(slots=True)
class Target:
    """A person as the import would leave them."""

    line: int
    person_id: int | None  # None: a new person
    values: dict
    roles: frozenset[Role]
    changes: list[str] = field(default_factory=list)
    roles_changed: bool = False


@dataclass
class RosterPlan:
    creates: list[Target] = field(default_factory=list)
    updates: list[Target] = field(default_factory=list)
    deactivations: list[Existing] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    department_names: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return bool(self.creates or self.updates or self.deactivations)

    def summary(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "deactivated": len(self.deactivations),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }


def load_people(where: sa.ColumnElement[bool] | None = None) -> list[Existing]:
    """Everybody (or those ``where`` picks), read with Core (no ORM objects) so 100,000 people load in a moment."""
    connection = db.session.connection()
    roles: dict[int, set[Role]] = {}
    role_table = PersonRole.__table__
    table = Person.__table__
    role_select = sa.select(role_table.c.person_id, role_table.c.role)
    people_select = sa.select(*(table.c[name] for name in ("id", *COMPARED_FIELDS)))
    if where is not None:
        role_select = role_select.where(role_table.c.person_id.in_(sa.select(table.c.id).where(where)))
        people_select = people_select.where(where)
    for person_id, role in connection.execute(role_select).all():
        roles.setdefault(person_id, set()).add(role)
    frozen: dict[frozenset, frozenset] = {}  # people share a handful of role sets: keep one copy of each
    people = []
    for row in connection.execute(people_select).all():
        role_set = frozenset(roles.get(row[0], {Role.STAFF}))
        people.append(Existing(*row, roles=frozen.setdefault(role_set, role_set)))
    return people


def plan_import(parsed: ParsedRoster, *, deactivate_missing: bool = False) -> RosterPlan:
    plan = RosterPlan(errors=list(parsed.errors))
    departments = {
        row.slug: row
        for row in db.session.execute(sa.select(Department.id, Department.slug, Department.name, Department.active))
    }
    plan.department_names = {row.id: row.name for row in departments.values()}
    people = load_people()
    by_employee_id = {person.employee_id: person for person in people if person.employee_id}
    by_email = {person.email: person for person in people}
    matched_lines: dict[int, int] = {}

    for row in parsed.rows:
        department = departments.get(row.department)
        if department is None:
            plan.errors.append(RowError(row.line, _("unknown department “%(slug)s”", slug=row.department)))
            continue
        if not department.active:
            plan.errors.append(RowError(row.line, _("the department “%(slug)s” is deactivated", slug=row.department)))
            continue
        person = match(row, by_employee_id, by_email, plan.errors)
        if person is False:
            continue
        if person is not None:
            if person.id in matched_lines:
                plan.errors.append(
                    RowError(row.line, _("this is the same person as line %(line)d", line=matched_lines[person.id]))
                )
                continue
            matched_lines[person.id] = row.line
        _add_target(plan, row, person, department.id)

    if deactivate_missing:
        plan.deactivations = [person for person in people if person.active and person.id not in matched_lines]
    check_admins_remain(plan, people)
    if plan.errors:
        plan.errors.sort(key=lambda error: error.line)
    return plan


def plan_line(plan: RosterPlan) -> int:
    """The line an error about the whole plan is reported on: the first line of the file, or the record's own."""
    targets = plan.creates + plan.updates
    return targets[0].line if len(targets) == 1 else 1


def match(row: RosterRow, by_employee_id: dict, by_email: dict, errors: list[RowError]) -> Existing | None | bool:
    """The existing person a record describes (by employee id, else by e-mail); ``False`` after an error.

    Roster rows and provisioned records (SCIM) are matched by this one rule.
    """
    owner_of_email = by_email.get(row.email)
    person = by_employee_id.get(row.employee_id) if row.employee_id else None
    if person is not None:
        if owner_of_email is not None and owner_of_email.id != person.id:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "the e-mail %(email)s belongs to another person (%(name)s)",
                        email=row.email,
                        name=owner_of_email.name,
                    ),
                )
            )
            return False
        return person
    if owner_of_email is not None and row.employee_id and owner_of_email.employee_id:
        errors.append(
            RowError(
                row.line,
                _(
                    "the e-mail %(email)s belongs to %(name)s, whose employee id is %(id)s",
                    email=row.email,
                    name=owner_of_email.name,
                    id=owner_of_email.employee_id,
                ),
            )
        )
        return False
    return owner_of_email


def _add_target(plan: RosterPlan, row: RosterRow, person: Existing | None, department_id: int) -> None:
    values = {
        "name": row.name,
        "email": row.email,
        "job_title": row.job_title,
        "job_family": job_family(row.job_title),
        "department_id": department_id,
        "employee_id": row.employee_id or (person.employee_id if person else None),
        "active": row.active,
        "language": row.language if row.language is not None else (person.language if person else None),
    }
    add_target(plan, row.line, values, row.roles, person)


def add_target(
    plan: RosterPlan, line: int, values: dict, roles: frozenset[Role] | None, person: Existing | None
) -> None:
    """Plan one person as a record describes them: a create, an update, or nothing to do.

    ``roles`` of ``None`` leaves an existing person's roles as they are (new people get ``staff``).
    """
    if person is None:
        plan.creates.append(Target(line, None, values, roles or frozenset({Role.STAFF})))
        return
    roles = roles if roles is not None else person.roles
    target = Target(line, person.id, values, roles)
    target.changes = [name for name in COMPARED_FIELDS if getattr(person, name) != values[name]]
    target.roles_changed = roles != person.roles
    if target.changes or target.roles_changed:
        plan.updates.append(target)
    else:
        plan.unchanged += 1


def check_admins_remain(plan: RosterPlan, people: list[Existing]) -> None:
    """A change may not leave the hospital without an active administrator (``people``: at least every admin)."""
    admins = {person.id for person in people if person.active and Role.ADMIN in person.roles}
    if not admins:
        return
    for target in plan.updates:
        if Role.ADMIN in target.roles and target.values["active"]:
            admins.add(target.person_id)
        else:
            admins.discard(target.person_id)
    admins -= {person.id for person in plan.deactivations}
    new_admins = [target for target in plan.creates if Role.ADMIN in target.roles and target.values["active"]]
    if not admins and not new_admins:
        plan.errors.append(
            RowError(plan_line(plan), _("This import would leave no active administrator, so it was refused."))
        )

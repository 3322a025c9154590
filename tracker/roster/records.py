"""One person at a time, by the roster's rules: what SCIM provisioning and sign-in creation plan.

A provisioned record is checked, matched and planned exactly like a roster row, then written
by :func:`tracker.roster.apply_plan`, so the two ways in cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Person, PersonRole, Role
from tracker.roster.job_families import job_family
from tracker.roster.parsing import RosterRow, RowError
from tracker.roster.planning import Existing, RosterPlan, add_target, check_admins_remain, load_people, match


@dataclass(frozen=True)
class PersonRecord:
    """A person as another system (the hospital's directory, an identity provider) describes them."""

    name: str
    email: str
    job_title: str = ""
    department_id: int | None = None
    employee_id: str | None = None
    active: bool = True
    roles: frozenset[Role] | None = None  # None: leave roles as they are
    language: str | None = None  # None: leave the person's language as it is


def _existing(person_id: int) -> Existing | None:
    people = load_people(Person.id == person_id)
    return people[0] if people else None


def _admins_and(person: Existing | None) -> list[Existing]:
    admins = load_people(Person.id.in_(sa.select(PersonRole.person_id).where(PersonRole.role == Role.ADMIN)))
    return admins + ([person] if person is not None else [])


def find_match(record: PersonRecord) -> tuple[Existing | None, list[RowError]]:
    """The existing person the record describes, by the roster's rule (employee id, else e-mail)."""
    email = Person.normalize_email(record.email)
    conditions = [Person.email == email]
    if record.employee_id:
        conditions.append(Person.employee_id == record.employee_id)
    people = load_people(sa.or_(*conditions))
    by_employee_id = {person.employee_id: person for person in people if person.employee_id}
    by_email = {person.email: person for person in people}
    errors: list[RowError] = []
    found = match(_row(record), by_employee_id, by_email, errors)
    return (found or None), errors


def plan_record(record: PersonRecord, person_id: int | None = None) -> RosterPlan:
    """Plan creating the record (``person_id`` ``None``) or bringing that person in line with it."""
    plan = RosterPlan()
    person = _existing(person_id) if person_id is not None else None
    email = Person.normalize_email(record.email)
    clash = sa.select(Person.id).where(
        sa.or_(Person.email == email, Person.employee_id == record.employee_id)
        if record.employee_id
        else Person.email == email
    )
    if person_id is not None:
        clash = clash.where(Person.id != person_id)
    if db.session.scalar(clash.limit(1)) is not None:
        plan.errors.append(RowError(1, "another person already has this e-mail address or employee id"))
        return plan
    values = {
        "name": record.name.strip(),
        "email": email,
        "job_title": record.job_title.strip(),
        "job_family": job_family(record.job_title),
        "department_id": record.department_id,
        "employee_id": record.employee_id or (person.employee_id if person else None),
        "active": record.active,
        "language": record.language or (person.language if person else None),
    }
    roles = None if record.roles is None else frozenset(record.roles | {Role.STAFF})
    add_target(plan, 1, values, roles, person)
    check_admins_remain(plan, _admins_and(person))
    return plan


def plan_deactivation(person_id: int) -> RosterPlan:
    """Plan deactivating one person (refused for the last active administrator)."""
    plan = RosterPlan()
    person = _existing(person_id)
    if person is not None and person.active:
        plan.deactivations.append(person)
        check_admins_remain(plan, _admins_and(person))
    return plan


def _row(record: PersonRecord) -> RosterRow:
    return RosterRow(
        line=1,
        employee_id=record.employee_id,
        name=record.name,
        email=Person.normalize_email(record.email),
        job_title=record.job_title,
        department="",
        roles=record.roles,
        active=record.active,
    )

"""Keeping people: search, edit, roles, managed departments, deactivation and set-password links.

People are never deleted: recognitions, feedback and the audit trail point at them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker import audit
from tracker.auth.password_links import LINK_LIFETIME_HOURS, make_token
from tracker.extensions import db
from tracker.i18n import person_locale
from tracker.integrations import events as integration_events
from tracker.models import Department, Person, PersonRole, Role, utcnow
from tracker.notifications.services import absolute_url, queue_email
from tracker.roster import job_family
from tracker.roster.applying import end_access
from tracker.validation import InvalidInput


@dataclass
class PersonChanges:
    """What an admin submitted for a person, already parsed by the form."""

    name: str
    email: str
    job_title: str
    employee_id: str
    department: Department | None
    roles: set[Role]
    managed_departments: list[Department]
    active: bool


def search(query: str = "", department: Department | None = None, status: str = "active", role: str = ""):
    """A statement for the admin people list: every word of ``query`` in name, e-mail or employee id."""
    statement = sa.select(Person).options(sa.orm.selectinload(Person.department))
    for word in query.lower().split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            sa.or_(
                sa.func.lower(Person.name).like(pattern, escape="\\"),
                Person.email.like(pattern, escape="\\"),
                sa.func.lower(sa.func.coalesce(Person.employee_id, "")).like(pattern, escape="\\"),
            )
        )
    if department is not None:
        statement = statement.join(Department, Person.department_id == Department.id).where(
            Department.path.startswith(department.path, autoescape=True)
        )
    if status in ("active", "inactive"):
        statement = statement.where(Person.active.is_(status == "active"))
    if role in {r.value for r in Role}:
        statement = statement.where(Person.id.in_(sa.select(PersonRole.person_id).where(PersonRole.role == Role(role))))
    return statement.order_by(Person.name, Person.id)


def active_admin_ids() -> set[int]:
    statement = (
        sa.select(Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.ADMIN, Person.active.is_(True))
    )
    return set(db.session.scalars(statement))


def update_person(person: Person, changes: PersonChanges) -> list[str]:
    """Check everything first, then write; returns the names of the fields that changed."""
    errors = _check(person, changes)
    if errors:
        raise InvalidInput(errors)
    old_roles = sorted(person.roles)
    values = {
        "name": changes.name.strip(),
        "email": Person.normalize_email(changes.email),
        "job_title": changes.job_title.strip(),
        "employee_id": changes.employee_id.strip() or None,
        "department_id": changes.department.id if changes.department else None,
        "active": changes.active,
    }
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, values[name])
    if "job_title" in changed:
        person.job_family = job_family(person.job_title)
    new_managed = sorted(changes.managed_departments, key=lambda d: d.id) if Role.MANAGER in changes.roles else []
    if [d.id for d in new_managed] != sorted(d.id for d in person.managed_departments):
        changed.append("managed_departments")
        person.managed_departments = new_managed
    person.set_roles(changes.roles)
    if sorted(person.roles) != old_roles:
        changed.append("roles")
        audit.record(
            "roles_changed",
            "person",
            person.id,
            old=[str(r) for r in old_roles],
            new=sorted(str(r) for r in person.roles),
        )
    if changed:
        audit.record("person_updated", "person", person.id, changes=changed)
    if "active" in changed and not person.active:
        db.session.flush()
        end_access([person.id], utcnow())
        db.session.expire(person, ["session_version", "updated_at"])
        integration_events.people_deactivated([person.id])
    return changed


def _check(person: Person, changes: PersonChanges) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not changes.name.strip() or len(changes.name.strip()) > 200:
        errors["name"] = [_("Give a name of at most 200 characters.")]
    try:
        email = validate_email(changes.email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors["email"] = [_("Enter a valid e-mail address, like name@hospital.org.")]
    else:
        owner = db.session.scalar(sa.select(Person.id).where(Person.email == email, Person.id != person.id))
        if owner:
            errors["email"] = [_("Another person already uses this e-mail address.")]
    employee_id = changes.employee_id.strip()
    if employee_id and db.session.scalar(
        sa.select(Person.id).where(Person.employee_id == employee_id, Person.id != person.id)
    ):
        errors["employee_id"] = [_("Another person already has this employee id.")]
    if changes.managed_departments and Role.MANAGER not in changes.roles:
        errors["managed_departments"] = [_("Only people with the manager role manage departments.")]
    loses_admin = Role.ADMIN not in changes.roles or not changes.active
    if loses_admin and person.active and person.has_role(Role.ADMIN) and active_admin_ids() <= {person.id}:
        errors["roles" if changes.active else "active"] = [
            _("This is the last active administrator. Make someone else an administrator first.")
        ]
    return errors


def send_set_password_link(person: Person) -> None:
    """Queue an e-mail with a single-use link; the outbox delivers it even if the mail server is down now."""
    if not person.active:
        raise InvalidInput.single("person", _("Reactivate the person before sending a link."))
    link = absolute_url(url_for("auth.set_password", token=make_token(person)))
    with force_locale(person_locale(person)):
        subject = _("Set your icare tracker password")
    queue_email(
        person.email,
        subject,
        "email/set_password.txt",
        "email/set_password.html",
        "set_password",
        person=person,
        link=link,
        hours=LINK_LIFETIME_HOURS,
    )
    audit.record("password_link_sent", "person", person.id)

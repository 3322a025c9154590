"""Signing a person in from the provider's verified claims: match, refuse, create, keep roles current."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from tracker import audit, roster
from tracker.extensions import db
from tracker.identity import claims as read
from tracker.models import Person
from tracker.validation import InvalidInput


@dataclass(frozen=True)
class Refusal:
    """Why a verified sign-in was still refused: ``inactive``, ``unknown`` or ``conflict``."""

    reason: str


def person_for(claims: dict) -> Person | Refusal:
    """The person the claims describe, matched by stored ``sub``, else employee id, else verified e-mail.

    A person already linked to another ``sub`` is never taken over by a matching e-mail or employee
    id. Unknown people are created only when ``OIDC_CREATE_PEOPLE`` is on.
    """
    subject = read.text(claims, "sub")
    if not subject:
        return Refusal("unknown")
    person = db.session.scalar(sa.select(Person).where(Person.oidc_subject == subject))
    if person is None:
        person = _by_employee_id_or_email(claims)
        if isinstance(person, Refusal):
            return person
        if person is None and current_app.config["OIDC_CREATE_PEOPLE"]:
            person = _create(claims)
        if person is None:
            _refuse(None, "unknown", claims)
            return Refusal("unknown")
        person.oidc_subject = subject
    if not person.active:
        _refuse(person, "inactive", claims)
        return Refusal("inactive")
    return person


def _by_employee_id_or_email(claims: dict) -> Person | Refusal | None:
    employee_id = read.text(claims, current_app.config["OIDC_EMPLOYEE_ID_CLAIM"])
    person = None
    if employee_id:
        person = db.session.scalar(sa.select(Person).where(Person.employee_id == employee_id))
    if person is None:
        email = read.verified_email(claims)
        if email is None and read.text(claims, "email"):
            audit.record("login_refused", "person", "", reason="email_not_verified", email=read.text(claims, "email"))
        if email:
            person = db.session.scalar(sa.select(Person).where(Person.email == email))
    if person is not None and person.oidc_subject is not None:
        _refuse(person, "conflict", claims)
        return Refusal("conflict")
    return person


def _create(claims: dict) -> Person | None:
    """Just-in-time creation, through the same plan and writer as the roster and SCIM."""
    email = read.verified_email(claims)
    name = read.display_name(claims)
    if not email or not name:
        return None
    department = read.department(claims)
    record = roster.PersonRecord(
        name=name,
        email=email,
        job_title=read.text(claims, "job_title")[:200],
        department_id=department.id if department else None,
        employee_id=read.text(claims, current_app.config["OIDC_EMPLOYEE_ID_CLAIM"])[:64] or None,
    )
    plan = roster.plan_record(record)
    if not plan.ok:
        return None
    roster.apply_plan(plan, source="sign_in")
    return db.session.get(Person, plan.creates[0].person_id)


def _refuse(person: Person | None, reason: str, claims: dict) -> None:
    audit.record(
        "login_refused",
        "person",
        person.id if person else "",
        actor=person,
        reason=reason,
        via="oidc",
        subject=read.text(claims, "sub")[:255] or None,
    )


def follow_claims(person: Person, claims: dict) -> None:
    """Roles, managed departments, department and language follow the claims at every sign-in.

    Changes go through the admin pages' own rule (audited, and never removing the last active
    administrator; such a change is refused and audited, and the person keeps their roles).
    """
    from tracker.admin.people import PersonChanges, update_person  # the admin pages import sign-in in turn

    grants = read.grants(claims)
    department = read.department(claims)
    language = read.language(claims)
    if language and language != person.language:
        person.language = language
    if grants is None and department is None:
        return
    changes = PersonChanges(
        name=person.name,
        email=person.email,
        job_title=person.job_title,
        employee_id=person.employee_id or "",
        department=department or person.department,
        roles=set(grants.roles) if grants else person.roles,
        managed_departments=list(grants.manages) if grants else list(person.managed_departments),
        active=True,
    )
    try:
        update_person(person, changes)
    except InvalidInput as error:
        audit.record("claims_refused", "person", person.id, actor=person, fields=sorted(error.fields))


def record_sign_in(person: Person) -> None:
    from tracker.auth.services import record_login

    record_login(person)

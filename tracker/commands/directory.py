"""Commands that keep people, departments and API tokens."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from tracker import passwords
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import Department, Person, Role
from tracker.organisation import create_department


def fail(message: str) -> None:
    """A one-line error and exit status 1. Callers check before they write, so nothing is pending."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def department_by_slug(slug: str) -> Department | None:
    return db.session.scalar(sa.select(Department).where(Department.slug == slug))


@click.group(help="Manage people and their roles.")
def users():
    pass


@users.command("create", help="Create a person who can sign in.")
@click.argument("email")
@click.option("--name", required=True, help="Full name as colleagues know it.")
@click.option("--role", "role", required=True, help="staff, manager, advocate, admin, award_coordinator or pfac.")
@click.option("--department", "department_slug", help="Slug of the person's own department.")
@click.option("--manages", "manages", multiple=True, help="Slug of a department they manage (repeatable).")
@click.option("--job-title", default="", help="Job title.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email, name, role, department_slug, manages, job_title, password_stdin):
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        fail(f"'{email}' is not a valid e-mail address: {error}")
    try:
        chosen_role = Role(role)
    except ValueError:
        fail(f"unknown role '{role}'; choose one of: {', '.join(r.value for r in Role)}")
    if not name.strip():
        fail("--name must not be empty")
    if db.session.scalar(sa.select(Person.id).where(Person.email == Person.normalize_email(email))):
        fail(f"a person with the e-mail {email} already exists")
    department = None
    if department_slug:
        department = department_by_slug(department_slug)
        if department is None:
            fail(f"unknown department '{department_slug}'")
    managed = []
    for slug in manages:
        managed_department = department_by_slug(slug)
        if managed_department is None:
            fail(f"unknown department '{slug}'")
        managed.append(managed_department)
    if managed and chosen_role not in (Role.MANAGER, Role.ADMIN):
        fail("--manages is for people with the manager role")
    person = Person(
        name=name.strip(),
        email=Person.normalize_email(email),
        job_title=job_title,
        department=department,
        managed_departments=managed,
    )
    person.set_roles({chosen_role})
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        refusal = passwords.problem(password, email=email, name=name)
        if refusal:
            fail(f"the password is refused: {refusal}")
        person.set_password(password)
    db.session.add(person)
    db.session.commit()
    click.echo(f"Created {person.email} ({chosen_role.value}).")


@click.group(help="Manage the department tree.")
def departments():
    pass


@departments.command("create", help="Create a department, optionally under a parent.")
@click.argument("slug")
@click.option("--name", required=True, help="Name shown to people.")
@click.option("--parent", "parent_slug", help="Slug of the parent department.")
@with_appcontext
def create_department_command(slug, name, parent_slug):
    parent = None
    if parent_slug:
        parent = department_by_slug(parent_slug)
        if parent is None:
            fail(f"unknown parent department '{parent_slug}'")
    try:
        department = create_department(slug, name, parent)
    except ValueError as error:
        fail(str(error))
    db.session.commit()
    click.echo(f"Created department {department.slug}.")


@click.group(help="Manage API tokens.")
def tokens():
    pass


@tokens.command("create", help="Create an API token for a person; the token is printed once, on the last line.")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@with_appcontext
def create_token_command(email, name):
    person = db.session.scalar(sa.select(Person).where(Person.email == Person.normalize_email(email)))
    if person is None or not person.active:
        fail(f"no active person with the e-mail {email}")
    token = create_token(person, name)
    db.session.commit()
    click.echo(f"Token for {person.email} (store it now; it cannot be shown again):")
    click.echo(token)

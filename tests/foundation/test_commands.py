"""The set-up commands, including their refusals: one line, exit status 1, nothing written."""

import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests import databases
from tests.conftest import make_test_config
from tracker import create_app
from tracker.extensions import db
from tracker.models import ApiToken, Department, Feedback, Person, Recognition, RecognitionRecipient, Role

STRONG = "a long enough password\n"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_users_create_with_password_and_managed_departments(runner, hospital):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Dana@Example.org",
            "--name",
            "Dana Whitfield",
            "--role",
            "manager",
            "--department",
            "ellison-12",
            "--manages",
            "medicine",
            "--manages",
            "surgery",
            "--password-stdin",
        ],
        input=STRONG,
    )
    assert result.exit_code == 0, result.output
    person = db.session.scalar(sa.select(Person).where(Person.email == "dana@example.org"))
    assert person.roles == {Role.MANAGER, Role.STAFF}
    assert person.department.slug == "ellison-12"
    assert {d.slug for d in person.managed_departments} == {"medicine", "surgery"}
    assert person.check_password("a long enough password")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "create", "x@example.org", "--name", "X", "--role", "wizard"], "unknown role"),
        (
            ["users", "create", "x@example.org", "--name", "X", "--role", "staff", "--department", "nowhere"],
            "unknown department",
        ),
        (
            ["users", "create", "x@example.org", "--name", "X", "--role", "manager", "--manages", "nowhere"],
            "unknown department",
        ),
        (["users", "create", "not-an-email", "--name", "X", "--role", "staff"], "not a valid e-mail"),
        (["users", "create", "nurse@example.org", "--name", "X", "--role", "staff"], "already exists"),
        (
            ["users", "create", "x@example.org", "--name", "X", "--role", "staff", "--manages", "medicine"],
            "manager role",
        ),
    ],
)
def test_users_create_refusals(runner, staff, args, message):
    people_before = count(Person)
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    assert count(Person) == people_before


def test_users_create_refuses_a_short_password(runner, hospital):
    result = runner.invoke(
        args=["users", "create", "x@example.org", "--name", "X", "--role", "staff", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert count(Person) == 0


def test_departments_create_under_a_parent(runner, hospital):
    result = runner.invoke(args=["departments", "create", "ellison-16", "--name", "Ellison 16", "--parent", "medicine"])
    assert result.exit_code == 0, result.output
    unit = db.session.scalar(sa.select(Department).where(Department.slug == "ellison-16"))
    assert unit.parent.slug == "medicine"
    assert unit.path == f"{hospital['medicine'].path}{unit.id}/"
    assert unit.depth == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["departments", "create", "x-unit", "--name", "X", "--parent", "nowhere"], "unknown parent"),
        (["departments", "create", "Bad Slug!", "--name", "X"], "not a valid slug"),
        (["departments", "create", "medicine", "--name", "Again"], "already exists"),
    ],
)
def test_departments_create_refusals(runner, hospital, args, message):
    before = count(Department)
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output
    assert count(Department) == before


def test_tokens_create_prints_the_token_on_its_last_line(runner, client, staff):
    result = runner.invoke(args=["tokens", "create", "NURSE@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"icare_[\w-]{40,}", token)
    stored = db.session.scalar(sa.select(ApiToken))
    assert stored.token_hash == ApiToken.hash(token) and token not in stored.token_hash
    response = client.get("/api/v1/people?q=sam", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [p["name"] for p in response.get_json()["items"]] == ["Sam Okafor"]


def test_tokens_create_refuses_unknown_people(runner, hospital):
    result = runner.invoke(args=["tokens", "create", "nobody@example.org"])
    assert result.exit_code == 1
    assert count(ApiToken) == 0


def test_api_without_credentials_answers_401_json(client):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert "message" in response.get_json()["error"]


def test_revoked_token_stops_at_once(runner, client, staff):
    token = runner.invoke(args=["tokens", "create", staff.email]).output.strip().splitlines()[-1]
    stored = db.session.scalar(sa.select(ApiToken))
    stored.revoked_at = sa.func.now()
    db.session.flush()
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def seeded_hospital(instance_path, seed: int):
    """Seed a fresh database and return what identifies the hospital it made."""
    with databases.fresh_database("seed") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        with app.app_context():
            upgrade()
            result = app.test_cli_runner().invoke(
                args=["seed-demo", "--staff", "120", "--recognitions", "400", "--seed", str(seed)]
            )
            assert result.exit_code == 0, result.output
            people = db.session.execute(sa.select(Person.name, Person.job_title).order_by(Person.id)).all()
            stories = db.session.scalars(sa.select(Recognition.message).order_by(Recognition.id)).all()
            self_recognitions = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Recognition)
                .join(RecognitionRecipient)
                .where(RecognitionRecipient.person_id == Recognition.giver_id)
            )
            departments = db.session.scalar(sa.select(sa.func.count()).select_from(Department))
            # Patients write only about the places they come to (never security or transport).
            elsewhere = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Feedback)
                .join(Department, Department.id == Feedback.unit_id)
                .where(Department.patient_facing.is_(False))
            )
            assert elsewhere == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) > 0
            db.session.remove()
            db.engine.dispose()
        return result.output, people, stories, self_recognitions, departments


@pytest.mark.no_db_transaction
def test_seed_demo_builds_a_deterministic_hospital(instance_path):
    output, people, stories, self_recognitions, departments = seeded_hospital(instance_path, seed=7)
    assert "admin@example.org" in output and "icare-demo-password" in output
    assert (
        len(people) == 120 + 2
    )  # and the award coordinator and the patient and family advisor of the demo DAISY Award
    assert "advisor@example.org" in output and "awards@example.org" in output
    assert departments > 40
    assert 350 <= len(stories) <= 400
    assert self_recognitions == 0  # nobody recognises themself
    again = seeded_hospital(instance_path, seed=7)
    assert (again[1], again[2]) == (people, stories)
    other = seeded_hospital(instance_path, seed=8)
    assert other[1] != people


def test_seed_demo_refuses_a_database_with_people(runner, staff):
    result = runner.invoke(args=["seed-demo", "--staff", "10", "--recognitions", "10"])
    assert result.exit_code == 1
    assert "only fills an empty database" in result.output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    assert count(Person) == 1

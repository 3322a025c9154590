"""A person's life in the directory, through SCIM: provisioned, updated, moved, deactivated.

After each step the test reads what a manager and a colleague see (the summary API's dashboard
numbers, the staff directory) and what an auditor sees (the audit trail), and checks that the
dashboard's roll-ups, kept by deltas, still equal a recount from the raw tables. The roll-ups count
a recognition under the department where it happened, and a person's own numbers (recognised,
in scope, gave) under the department they are in now, so a move carries the person's numbers
along and leaves the unit's recognitions where they were given.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tests.scim.conftest import ENTERPRISE, PATCH_SCHEMA, user_body
from tracker import clock
from tracker.auth.services import create_token
from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.models import AuditEvent, Person


def assert_rollups_equal_a_recount() -> None:
    assert rollup.readable(db.session) is not None and rollup.windows_current(db.session)
    _compared, differences = rollup.verify(limit=0)
    assert differences == [], differences[:10]


def person_windows(person_id: int) -> set[tuple[int, int | None, str | None, bool]]:
    """``(window, department, job family, active)`` of the person's rows in the per-person roll-up."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(
            rollup.PersonWindow.window_days,
            rollup.PersonWindow.department_id,
            rollup.PersonWindow.job_family,
            rollup.PersonWindow.active,
        ).where(rollup.PersonWindow.person_id == person_id)
    ).all()
    return {tuple(row) for row in rows}


def trail(person_id: int) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """The audit trail of one person: ``(action, source, changed fields)`` in the order it happened."""
    db.session.expire_all()
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "person", AuditEvent.object_id == str(person_id))
        .order_by(AuditEvent.id)
    ).all()
    return [
        (event.action, event.details.get("source"), tuple(sorted(event.details.get("changes", [])))) for event in events
    ]


@pytest.fixture
def reader(client, admin):
    """``reader.tiles(department, last_30_days)`` and ``reader.directory(...)`` as the hospital's BI tool sees them."""
    token = create_token(admin, "BI tool")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    class Reader:
        @staticmethod
        def tiles(department: str, last_30_days: bool = False) -> dict:
            query = {"department": department}
            if last_30_days:
                query["since"] = (clock.hospital_today() - timedelta(days=29)).isoformat()
            response = client.get("/api/v1/dashboard/summary", query_string=query, headers=headers)
            assert response.status_code == 200, response.get_json()
            return response.get_json()["tiles"]

        @staticmethod
        def directory(**query) -> set[int]:
            response = client.get("/api/v1/people", query_string=query, headers=headers)
            assert response.status_code == 200, response.get_json()
            return {item["id"] for item in response.get_json()["items"]}

    return Reader


def numbers(tiles: dict) -> tuple:
    return (
        tiles["recognitions"],
        tiles["unacknowledged"],
        tiles["people_in_scope"],
        tiles["people_recognised"],
        tiles["participation"],
    )


def test_provision_update_move_and_deactivate_keep_dashboard_directory_and_audit_right(scim, reader, runner, hospital):
    rollup.rebuild()
    e12, w6 = hospital["ellison-12"], hospital["white-6"]

    # Provisioned: two nurses on Ellison 12.
    rosa = scim("POST", "/Users", user_body("rosa.diaz@example.org"))
    assert rosa.status_code == 201, rosa.json
    rosa_id = int(rosa.json["id"])
    ben = scim(
        "POST",
        "/Users",
        user_body(
            "ben.ode@example.org",
            externalId="ext-ben",
            displayName="Ben Ode",
            **{ENTERPRISE: {"employeeNumber": "E-101", "department": "Ellison 12"}},
        ),
    )
    assert ben.status_code == 201, ben.json
    ben_id = int(ben.json["id"])
    assert db.session.get(Person, rosa_id).department_id == e12.id
    assert reader.directory(department="ellison-12") == {rosa_id, ben_id}
    assert reader.directory(q="Rosa") == {rosa_id}
    assert_rollups_equal_a_recount()

    # Ben thanks Rosa on Ellison 12; nobody has acknowledged it yet.
    RecognitionFactory(
        giver=db.session.get(Person, ben_id),
        recipients=[db.session.get(Person, rosa_id)],
        created_at=clock.now() - timedelta(days=3),
    )
    db.session.commit()
    for last_30_days in (False, True):
        assert numbers(reader.tiles("ellison-12", last_30_days)) == (1, 1, 2, 1, 50.0)
        assert numbers(reader.tiles("white-6", last_30_days)) == (0, 0, 0, 0, None)
    assert {(w, d) for w, d, _f, _a in person_windows(rosa_id)} == {(w, e12.id) for w in rollup.WINDOWS}
    assert_rollups_equal_a_recount()

    # Updated: a new title puts her in another job family, where her numbers follow her.
    retitled = scim("PUT", f"/Users/{rosa_id}", user_body("rosa.diaz@example.org", title="Nurse Manager"))
    assert retitled.status_code == 200, retitled.json
    assert {family for _w, _d, family, _a in person_windows(rosa_id)} == {"Management"}
    assert numbers(reader.tiles("ellison-12")) == (1, 1, 2, 1, 50.0)
    assert_rollups_equal_a_recount()

    # Moved to White 6, as Entra ID sends it: the recognition stays where it was given, her own
    # numbers (in scope, recognised) go with her.
    move = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "White 6"}],
    }
    moved = scim("PATCH", f"/Users/{rosa_id}", move)
    assert moved.status_code == 200, moved.json
    assert db.session.get(Person, rosa_id).department_id == w6.id
    for last_30_days in (False, True):
        assert numbers(reader.tiles("ellison-12", last_30_days)) == (1, 1, 1, 0, 100.0)
        assert numbers(reader.tiles("white-6", last_30_days)) == (0, 0, 1, 1, 0.0)
    assert {(w, d) for w, d, _f, _a in person_windows(rosa_id)} == {(w, w6.id) for w in rollup.WINDOWS}
    assert reader.directory(department="ellison-12") == {ben_id}
    assert reader.directory(department="white-6") == {rosa_id}
    assert_rollups_equal_a_recount()

    # Moved again with a full replacement (as Okta sends it), to Ellison 14.
    replaced = scim(
        "PUT",
        f"/Users/{rosa_id}",
        user_body(
            "rosa.diaz@example.org",
            title="Nurse Manager",
            **{ENTERPRISE: {"employeeNumber": "E-100", "department": "ellison-14"}},
        ),
    )
    assert replaced.status_code == 200, replaced.json
    assert numbers(reader.tiles("white-6")) == (0, 0, 0, 0, None)
    assert numbers(reader.tiles("ellison-14")) == (0, 0, 1, 1, 0.0)
    assert numbers(reader.tiles("medicine")) == (1, 1, 2, 1, 50.0)  # both still in Medicine's subtree
    assert_rollups_equal_a_recount()

    # Deactivated (Okta's PATCH): out of every number that counts people, and out of the directory;
    # the recognition she received is still counted where it happened.
    deactivate = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": False}}]}
    assert scim("PATCH", f"/Users/{rosa_id}", deactivate).status_code == 200
    for last_30_days in (False, True):
        assert numbers(reader.tiles("ellison-14", last_30_days)) == (0, 0, 0, 0, None)
        assert numbers(reader.tiles("ellison-12", last_30_days)) == (1, 1, 1, 0, 100.0)
    assert {active for _w, _d, _f, active in person_windows(rosa_id)} == {False}
    assert reader.directory(q="Rosa") == set()
    assert reader.directory(department="ellison-14") == set()
    assert_rollups_equal_a_recount()

    # Ben is deleted by the directory: deactivated, and Ellison 12 has nobody left in scope.
    assert scim("DELETE", f"/Users/{ben_id}").status_code == 204
    assert numbers(reader.tiles("ellison-12")) == (1, 1, 0, 0, None)
    assert reader.directory(department="medicine") == set()
    assert_rollups_equal_a_recount()
    result = runner.invoke(args=["dashboard", "verify"])
    assert result.exit_code == 0 and "equal a recount" in result.output, result.output

    # The audit trail tells the whole story, each step as the directory sent it.
    assert trail(rosa_id) == [
        ("person_created", "scim", ()),
        ("person_updated", "scim", ("job_family", "job_title")),
        ("person_updated", "scim", ("department_id",)),
        ("person_updated", "scim", ("department_id",)),
        ("person_deactivated", "scim", ()),
        ("person_updated", "scim", ("active",)),
    ]
    assert [action for action, _source, _changes in trail(ben_id)] == [
        "person_created",
        "person_deactivated",
        "person_deleted_by_directory",
    ]

"""SCIM Users and Groups as Entra ID and Okta send them, and every refusal."""

from __future__ import annotations

import sqlalchemy as sa

from tests.scim.conftest import ENTERPRISE, PATCH_SCHEMA, user_body
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import AuditEvent, Person, Role


def person(email: str) -> Person:
    db.session.expire_all()
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def test_discovery_endpoints(scim):
    config = scim("GET", "/ServiceProviderConfig")
    assert config.status_code == 200 and config.mimetype == "application/scim+json"
    assert config.json["patch"]["supported"] is True
    types = scim("GET", "/ResourceTypes").json
    assert {r["name"] for r in types["Resources"]} == {"User", "Group"}
    schemas = scim("GET", "/Schemas").json
    user = next(s for s in schemas["Resources"] if s["id"].endswith(":User") and "core" in s["id"])
    assert {a["name"] for a in user["attributes"]} >= {"userName", "active", "emails"}
    assert scim("GET", "/Nothing").status_code == 404


def test_create_read_filter_and_page(scim, hospital):
    created = scim("POST", "/Users", user_body("rosa.diaz@example.org"))
    assert created.status_code == 201, created.json
    user_id = created.json["id"]
    assert created.json["userName"] == "rosa.diaz@example.org"
    assert created.json[ENTERPRISE]["employeeNumber"] == "E-100"
    rosa = person("rosa.diaz@example.org")
    assert rosa.department_id == hospital["ellison-12"].id and rosa.employee_id == "E-100"
    assert rosa.name == "Rosa Diaz" and rosa.job_title == "Registered Nurse"
    assert scim("GET", f"/Users/{user_id}").json["externalId"] == "ext-rosa.diaz@example.org"
    found = scim("GET", '/Users?filter=userName eq "ROSA.DIAZ@example.org"').json
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == user_id
    assert scim("GET", '/Users?filter=externalId eq "ext-rosa.diaz@example.org"').json["totalResults"] == 1
    assert scim("GET", '/Users?filter=userName eq "nobody@example.org"').json["totalResults"] == 0
    for n in range(3):
        scim("POST", "/Users", user_body(f"p{n}@example.org", externalId=f"x{n}", **{ENTERPRISE: {}}))
    page = scim("GET", "/Users?startIndex=2&count=2").json
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 2 and page["totalResults"] == 4
    assert created.json["id"] != page["Resources"][0]["id"]
    assert scim("POST", "/Users", user_body("rosa.diaz@example.org")).json["scimType"] == "uniqueness"


def test_existing_roster_person_is_adopted_not_duplicated(scim, staff):
    response = scim("POST", "/Users", user_body(staff.email, **{ENTERPRISE: {}}))
    assert response.status_code == 201 and response.json["id"] == str(staff.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_replace_and_patch_as_entra_and_okta_send_them(scim, hospital):
    user_id = scim("POST", "/Users", user_body("rosa.diaz@example.org")).json["id"]
    replaced = scim("PUT", f"/Users/{user_id}", user_body("rosa.diaz@example.org", title="Charge Nurse"))
    assert replaced.status_code == 200 and person("rosa.diaz@example.org").job_title == "Charge Nurse"
    entra = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {"op": "Replace", "path": "title", "value": "Nurse Manager"},
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "White 6"},
        ],
    }
    patched = scim("PATCH", f"/Users/{user_id}", entra)
    assert patched.status_code == 200, patched.json
    rosa = person("rosa.diaz@example.org")
    assert rosa.job_title == "Nurse Manager" and rosa.department_id == hospital["white-6"].id
    assert rosa.job_family == "Management"
    okta = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": False}}]}
    assert scim("PATCH", f"/Users/{user_id}", okta).status_code == 200
    assert person("rosa.diaz@example.org").active is False
    entra_on = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
    assert scim("PATCH", f"/Users/{user_id}", entra_on).json["active"] is True


def test_delete_deactivates_and_hides(scim, hospital):
    user_id = scim("POST", "/Users", user_body("rosa.diaz@example.org")).json["id"]
    assert scim("DELETE", f"/Users/{user_id}").status_code == 204
    rosa = person("rosa.diaz@example.org")
    assert rosa is not None and rosa.active is False
    assert scim("GET", f"/Users/{user_id}").status_code == 404
    actions = {e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == user_id))}
    assert {"person_created", "person_deactivated", "person_deleted_by_directory"} <= actions


def test_unknown_or_invalid_attributes_are_scim_errors(scim, hospital):
    unknown = scim("POST", "/Users", user_body("a@example.org", favouriteColour="teal"))
    assert unknown.status_code == 400 and unknown.json["scimType"]
    assert unknown.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    invalid = scim("POST", "/Users", user_body("b@example.org", active="sometimes"))
    assert invalid.status_code == 400 and invalid.json["scimType"]
    broken = scim("PATCH", "/Users/1", {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "explode"}]})
    assert broken.status_code in (400, 404)
    not_json = scim("POST", "/Users", "[1, 2]")
    assert not_json.status_code == 400 and not_json.json["scimType"] == "invalidSyntax"
    assert scim("GET", '/Users?filter=title co "x"').json["scimType"] == "invalidFilter"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_scim_token_only_opens_scim(client, scim, scim_token, staff):
    bearer = {"Authorization": f"Bearer {scim_token}"}
    assert client.get("/api/v1/people", headers=bearer).status_code == 401
    assert client.get("/dashboard", headers=bearer).status_code == 401
    assert client.get("/", headers=bearer).status_code == 401
    api_token = create_token(staff, "integration")
    db.session.flush()
    assert scim("GET", "/Users", token=api_token).status_code == 401
    assert client.get("/scim/v2/Users").status_code == 401
    assert scim("GET", "/Users", token=scim_token + "x").status_code == 401


def test_signed_in_session_does_not_open_scim(client, sign_in, admin):
    sign_in(admin)
    assert client.get("/scim/v2/Users").status_code == 401


def test_patch_removing_the_last_admin_is_refused(scim, admin):
    deactivate = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "active", "value": False}]}
    refused = scim("PATCH", f"/Users/{admin.id}", deactivate)
    assert refused.status_code == 400 and refused.json["scimType"] == "mutability"
    assert scim("DELETE", f"/Users/{admin.id}").status_code == 400
    assert person(admin.email).active is True


def test_groups_grant_roles_and_managed_departments(app, scim, staff, admin, hospital):
    app.config["SCIM_GROUP_MAP"] = {
        "Tracker Managers - Medicine": {"roles": ["manager"], "manages": ["medicine"]},
        "Tracker Admins": "admin",
    }
    try:
        created = scim(
            "POST",
            "/Groups",
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Tracker Managers - Medicine",
                "members": [{"value": str(staff.id)}],
            },
        )
        assert created.status_code == 201, created.json
        nurse = person(staff.email)
        assert nurse.roles == {Role.STAFF, Role.MANAGER}
        assert [d.slug for d in nurse.managed_departments] == ["medicine"]
        group_id = created.json["id"]
        remove = {
            "schemas": [PATCH_SCHEMA],
            "Operations": [{"op": "Remove", "path": f'members[value eq "{staff.id}"]'}],
        }
        assert scim("PATCH", f"/Groups/{group_id}", remove).status_code == 200
        assert person(staff.email).roles == {Role.STAFF}
        admins = scim(
            "POST",
            "/Groups",
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Tracker Admins",
                "members": [{"value": str(admin.id)}],
            },
        ).json["id"]
        emptied = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "members", "value": []}]}
        refused = scim("PATCH", f"/Groups/{admins}", emptied)
        assert refused.status_code == 400 and refused.json["scimType"] == "mutability"
        assert Role.ADMIN in person(admin.email).roles
        assert scim("GET", '/Groups?filter=displayName eq "Tracker Admins"').json["totalResults"] == 1
    finally:
        app.config["SCIM_GROUP_MAP"] = {}


def test_token_command_prints_the_token_last_and_stores_its_hash(runner, db_session):
    from tracker.models import ScimToken

    result = runner.invoke(args=["scim", "token", "create", "Okta"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("icare_scim_")
    row = db.session.scalar(sa.select(ScimToken).where(ScimToken.name == "Okta"))
    assert row.token_hash == ScimToken.hash(token) and token not in row.token_hash
    assert runner.invoke(args=["scim", "token", "revoke", str(row.id)]).exit_code == 0
    assert "revoked" in runner.invoke(args=["scim", "token", "list"]).output
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "scim_token_revoked"))

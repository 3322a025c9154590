"""What SCIM refuses, and where a SCIM token is refused: everywhere but ``/scim/v2/``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.scim.conftest import ENTERPRISE, PATCH_SCHEMA, user_body
from tracker.extensions import db
from tracker.models import Person, Role

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _every_other_route(app) -> list[tuple[str, str]]:
    """``(method, path)`` for every route outside SCIM, with 1 for each variable part."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/scim/"):
            continue
        built = rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)
        if built is None:
            continue
        path = built[1]
        found.extend((method, path) for method in sorted(rule.methods - IGNORED_METHODS))
    return found


def test_a_scim_token_is_refused_with_401_on_every_other_route(app, client, scim_token, admin):
    routes = _every_other_route(app)
    assert len(routes) > 50 and ("POST", "/logout") in routes and ("GET", "/api/v1/people") in routes
    bearer = {"Authorization": f"Bearer {scim_token}"}
    answers = {(method, path): client.open(path, method=method, headers=bearer, json={}) for method, path in routes}
    wrong = {route: response.status_code for route, response in answers.items() if response.status_code != 401}
    assert wrong == {}
    assert db.session.get(Person, admin.id).active is True  # nothing was changed on the way


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "replace", "path": "favouriteColour", "value": "teal"}, "invalidPath"),
        ({"op": "replace", "value": {"favouriteColour": "teal"}}, "invalidValue"),
        ({"op": "replace", "path": "active", "value": "sometimes"}, "invalidValue"),
        ({"op": "replace", "path": "emails", "value": [{"value": "not-an-address"}]}, "invalidValue"),
    ],
)
def test_a_patch_with_unknown_or_invalid_attributes_is_a_scim_error(scim, hospital, operation, scim_type):
    user_id = scim("POST", "/Users", user_body("rosa.diaz@example.org")).json["id"]
    refused = scim("PATCH", f"/Users/{user_id}", {"schemas": [PATCH_SCHEMA], "Operations": [operation]})
    assert refused.status_code == 400, refused.json
    assert refused.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert refused.json["scimType"] == scim_type
    rosa = scim("GET", f"/Users/{user_id}").json
    assert rosa["active"] is True and rosa["emails"][0]["value"] == "rosa.diaz@example.org"


def test_a_body_for_another_schema_is_a_scim_error(scim, hospital):
    refused = scim("POST", "/Users", {"schemas": ["urn:example:not-scim"], "userName": "a@example.org"})
    assert refused.status_code == 400 and refused.json["scimType"] == "invalidSyntax"
    unknown_extension = scim("POST", "/Users", user_body("b@example.org", **{f"{ENTERPRISE}x": {}}))
    assert unknown_extension.status_code == 400 and unknown_extension.json["scimType"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_no_way_of_replacing_the_last_admin_leaves_the_hospital_without_one(scim, admin):
    put = scim("PUT", f"/Users/{admin.id}", user_body(admin.email, active=False))
    assert put.status_code == 400 and put.json["scimType"] == "mutability"
    okta = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": False}}]}
    patched = scim("PATCH", f"/Users/{admin.id}", okta)
    assert patched.status_code == 400 and patched.json["scimType"] == "mutability"
    db.session.expire_all()
    kept = db.session.get(Person, admin.id)
    assert kept.active is True and Role.ADMIN in kept.roles

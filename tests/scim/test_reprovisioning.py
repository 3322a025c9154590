"""Provisioning again after DELETE, clashing identifiers, and the protocol details RFC 7644 asks for."""

from __future__ import annotations

from tests.scim.conftest import ENTERPRISE, user_body


def test_a_deleted_user_can_be_provisioned_again(scim, hospital):
    first = scim("POST", "/Users", user_body("rosa.diaz@example.org", externalId="entra-1"))
    assert scim("DELETE", f"/Users/{first.json['id']}").status_code == 204
    again = scim("POST", "/Users", user_body("rosa.diaz@example.org", externalId="entra-1"))
    assert again.status_code == 201, again.json
    assert again.json["id"] == first.json["id"] and again.json["active"] is True
    assert scim("GET", f"/Users/{again.json['id']}").status_code == 200


def test_a_deleted_users_identifiers_pass_to_a_new_user(scim, hospital):
    first = scim("POST", "/Users", user_body("a@example.org", externalId="same", **{ENTERPRISE: {}}))
    assert scim("DELETE", f"/Users/{first.json['id']}").status_code == 204
    body = user_body("b@example.org", externalId="same", **{ENTERPRISE: {}})
    body["userName"] = "a@example.org"
    created = scim("POST", "/Users", body)
    assert created.status_code == 201, created.json
    assert created.json["id"] != first.json["id"]
    assert created.json["externalId"] == "same" and created.json["userName"] == "a@example.org"


def test_a_clashing_external_id_is_a_uniqueness_error(scim, hospital):
    assert scim("POST", "/Users", user_body("a@example.org", externalId="same", **{ENTERPRISE: {}})).status_code == 201
    clash = scim("POST", "/Users", user_body("b@example.org", externalId="same", **{ENTERPRISE: {}}))
    assert clash.status_code == 409 and clash.json["scimType"] == "uniqueness"


def test_methods_attributes_and_search(scim, hospital):
    refused = scim("POST", "/ServiceProviderConfig", {})
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET"
    assert scim("PUT", "/Users", {}).headers["Allow"] == "GET, POST"
    assert scim("GET", "/Nothing/here").status_code == 404
    assert scim("POST", "/.search", {}).status_code == 501
    assert scim("POST", "/Users/.search", {}).status_code == 501
    user_id = scim("POST", "/Users", user_body("a@example.org")).json["id"]
    only = scim("GET", f"/Users/{user_id}?attributes=displayName").json
    assert only["displayName"] == "Rosa Diaz" and "title" not in only and "emails" not in only
    without = scim("GET", f"/Users?excludedAttributes=title,{ENTERPRISE}").json["Resources"][0]
    assert "title" not in without and ENTERPRISE not in without and without["displayName"] == "Rosa Diaz"

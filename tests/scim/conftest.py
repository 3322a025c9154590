"""A SCIM token and a client that speaks ``application/scim+json``."""

from __future__ import annotations

import json

import pytest

from tracker.extensions import db
from tracker.scim import auth


@pytest.fixture
def scim_token(db_session):
    token = auth.create_token("Entra ID")
    db.session.flush()
    return token


@pytest.fixture
def scim(client, scim_token):
    """``scim(method, path, body=None)``: a SCIM request under /scim/v2 with the token."""

    def _call(method: str, path: str, body=None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token or scim_token}"}
        data = None if body is None else json.dumps(body)
        return client.open(
            f"/scim/v2{path}", method=method, data=data, headers=headers, content_type="application/scim+json"
        )

    return _call


USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def user_body(user_name: str, **extra) -> dict:
    body = {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": user_name,
        "externalId": f"ext-{user_name}",
        "active": True,
        "displayName": "Rosa Diaz",
        "name": {"givenName": "Rosa", "familyName": "Diaz"},
        "title": "Registered Nurse",
        "emails": [{"value": user_name, "type": "work", "primary": True}],
        ENTERPRISE: {"employeeNumber": "E-100", "department": "ellison-12"},
    }
    body.update(extra)
    return body

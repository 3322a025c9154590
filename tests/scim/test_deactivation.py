"""Deactivation through SCIM takes effect at once: sessions, remember-me cookies and API tokens end.

Each way a directory deactivates someone (PATCH ``active: false`` as Entra ID and Okta send it, PUT
with ``active: false``, DELETE) is followed by the person's very next browser request and API call,
which must both be refused, and stay refused when the directory reactivates them later.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD
from tests.scim.conftest import PATCH_SCHEMA, user_body
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Person


def _patch_entra(scim, user_id: str, email: str):
    body = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
    return scim("PATCH", f"/Users/{user_id}", body)


def _patch_okta(scim, user_id: str, email: str):
    body = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": False}}]}
    return scim("PATCH", f"/Users/{user_id}", body)


def _put_inactive(scim, user_id: str, email: str):
    return scim("PUT", f"/Users/{user_id}", user_body(email, active=False))


def _delete(scim, user_id: str, email: str):
    return scim("DELETE", f"/Users/{user_id}")


DEACTIVATIONS = {
    "patch-entra": (_patch_entra, 200),
    "patch-okta": (_patch_okta, 200),
    "put": (_put_inactive, 200),
    "delete": (_delete, 204),
}


def _browser(app, person: Person, *, remember: bool = False):
    """A browser of its own, signed in through the real login form."""
    browser = app.test_client()
    browser._csrf_token = None
    response = browser.post_form(
        "/login", {"email": person.email, "password": PASSWORD, "remember": "y" if remember else ""}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    browser._csrf_token = None
    if remember:
        assert browser.get_cookie("remember_token") is not None
        browser.delete_cookie("session")  # a browser restarted: only the remember-me cookie is left
    return browser


def _signed_in(browser) -> bool:
    """The person's own profile answers a signed-in person; anybody else is sent to the sign-in page."""
    response = browser.get("/me/profile")
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return False
    assert response.status_code == 200, response.status_code
    return True


def _api_status(client, token: str) -> int:
    return client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"}).status_code


def _directory_ids(client, token: str, words: str) -> set[int]:
    response = client.get(f"/api/v1/people?q={words}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


@pytest.fixture
def provisioned(scim, staff):
    """The nurse, adopted by the directory (POST /Users for a person the roster already had)."""
    created = scim("POST", "/Users", user_body(staff.email))
    assert created.status_code == 201, created.json
    assert created.json["id"] == str(staff.id)
    return created.json["id"]


@pytest.mark.parametrize("way", sorted(DEACTIVATIONS))
def test_deactivation_ends_sessions_and_tokens_on_the_next_request(
    app, client, scim, staff, colleague, provisioned, way
):
    browser = _browser(app, staff)
    returning = _browser(app, staff, remember=True)
    token = create_token(staff, "ward tablet")
    watcher = create_token(colleague, "directory")
    db.session.commit()

    # Before: everything works, and an ordinary update through SCIM ends nothing.
    assert _signed_in(browser) and _signed_in(returning)
    assert _api_status(client, token) == 200
    assert browser.get("/api/v1/people").status_code == 200  # the API with the browser's session
    retitled = scim("PUT", f"/Users/{provisioned}", user_body(staff.email, title="Charge Nurse"))
    assert retitled.status_code == 200, retitled.json
    assert _signed_in(browser) and _signed_in(returning)
    assert _api_status(client, token) == 200
    assert staff.id in _directory_ids(client, watcher, "Rosa")
    versions = db.session.scalar(sa.select(Person.session_version).where(Person.id == staff.id))

    deactivate, status = DEACTIVATIONS[way]
    response = deactivate(scim, provisioned, staff.email)
    assert response.status_code == status, response.get_data(as_text=True)

    # The very next request of each is refused.
    assert _api_status(client, token) == 401
    assert browser.get("/api/v1/people").status_code == 401
    assert not _signed_in(browser)
    assert not _signed_in(returning)
    # Gone from the directory the colleague searches.
    assert staff.id not in _directory_ids(client, watcher, "Rosa")
    db.session.expire_all()
    nurse = db.session.get(Person, staff.id)
    assert nurse.active is False and nurse.session_version == versions + 1
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.person_id == staff.id))
    assert row.revoked_at is not None
    assert db.session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.person_id == colleague.id)) is None
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "person_deactivated", AuditEvent.object_id == str(staff.id))
    ).all()
    assert [event.details.get("source") for event in events] == ["scim"]
    # Nor can the person sign in again with their password while deactivated.
    refused = app.test_client().sign_in(staff.email, PASSWORD)
    assert refused.status_code == 401


@pytest.mark.parametrize("way", ["patch-entra", "put"])
def test_reactivation_does_not_bring_old_sessions_or_tokens_back(app, client, scim, staff, provisioned, way):
    browser = _browser(app, staff)
    token = create_token(staff, "ward tablet")
    db.session.commit()
    deactivate, _status = DEACTIVATIONS[way]
    assert deactivate(scim, provisioned, staff.email).status_code == 200

    back = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
    reactivated = scim("PATCH", f"/Users/{provisioned}", back)
    assert reactivated.status_code == 200 and reactivated.json["active"] is True

    assert not _signed_in(browser)
    assert _api_status(client, token) == 401
    # A fresh sign-in works again, and a fresh token too.
    assert _signed_in(_browser(app, staff))
    fresh = create_token(db.session.get(Person, staff.id), "new tablet")
    db.session.commit()
    assert _api_status(client, fresh) == 200


def test_a_deactivated_person_stays_deactivated_when_active_is_left_out(app, scim, staff, provisioned):
    """Neither a PATCH that removes ``active`` nor a PUT without it brings someone back."""
    browser = _browser(app, staff)
    assert _patch_okta(scim, provisioned, staff.email).status_code == 200
    removed = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "remove", "path": "active"}]}
    refused = scim("PATCH", f"/Users/{provisioned}", removed)
    assert refused.status_code == 400 and refused.json["scimType"] == "mutability"
    body = user_body(staff.email)
    del body["active"]
    replaced = scim("PUT", f"/Users/{provisioned}", body)
    assert replaced.status_code == 200 and replaced.json["active"] is False
    db.session.expire_all()
    assert db.session.get(Person, staff.id).active is False
    assert not _signed_in(browser)

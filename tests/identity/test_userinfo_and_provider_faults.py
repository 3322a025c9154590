"""UserInfo answers, a provider that fails half-way through a sign-in, and SCIM deactivation of an SSO session."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

from tests.identity.conftest import audit_actions, refused_with_message, signed_in_as, sso_sign_in, start_sign_in
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import ApiToken, Person
from tracker.scim import auth as scim_auth

UNAVAILABLE = "not answering right now"


def test_userinfo_completes_the_claims_of_the_same_subject(sso_client, provider, staff):
    provider.claims = {"sub": "sub-staff"}  # an ID token with little more than the subject
    provider.userinfo = {"sub": "sub-staff", "email": staff.email.upper(), "email_verified": True}
    response = sso_sign_in(sso_client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert provider.userinfo_asked == 1
    assert signed_in_as(sso_client) is not None
    db.session.expire_all()
    assert db.session.get(Person, staff.id).oidc_subject == "sub-staff"


def test_userinfo_for_another_subject_is_refused(sso_client, provider, staff, colleague):
    """The UserInfo answer must be about the person the ID token names; otherwise nobody is signed in."""
    provider.claims = {"sub": "sub-staff"}
    provider.userinfo = {"sub": "sub-colleague", "email": colleague.email, "email_verified": True}
    refused_with_message(sso_client, sso_sign_in(sso_client))
    assert provider.userinfo_asked == 1
    assert [event.details["reason"] for event in audit_actions("login_failed")] == ["ValueError"]
    assert audit_actions("login") == []
    db.session.expire_all()
    assert db.session.scalar(sa.select(Person).where(Person.oidc_subject.is_not(None))) is None


def test_userinfo_without_a_subject_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "sub-staff"}
    provider.userinfo = {"email": staff.email, "email_verified": True}
    refused_with_message(sso_client, sso_sign_in(sso_client))
    assert audit_actions("login") == []


def test_userinfo_never_replaces_what_the_signed_id_token_says(sso_client, provider, staff, colleague):
    provider.claims = {"sub": "sub-staff", "email": staff.email, "email_verified": True}
    provider.userinfo = {"sub": "sub-staff", "email": colleague.email, "email_verified": True}
    assert sso_sign_in(sso_client).headers["Location"] == "/"
    assert [event.actor_id for event in audit_actions("login")] == [staff.id]
    db.session.expire_all()
    assert db.session.get(Person, colleague.id).oidc_subject is None


def test_userinfo_that_refuses_the_access_token_is_a_failed_sign_in(sso_client, provider, staff):
    provider.claims = {"sub": "sub-staff"}
    provider.userinfo = {"sub": "sub-staff", "email": staff.email, "email_verified": True}
    provider.userinfo_refuses = True
    refused_with_message(sso_client, sso_sign_in(sso_client))
    assert [event.details["reason"] for event in audit_actions("login_failed")] == ["HTTPError"]


def test_a_provider_that_goes_slow_during_the_exchange_is_given_up_on(make_client, provider, staff):
    client = make_client(OIDC_TIMEOUT_SECONDS=1)
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    callback = start_sign_in(client)
    provider.delay = 3
    started = time.monotonic()
    response = client.get(callback)
    assert time.monotonic() - started < 2.5
    assert response.status_code == 503 and UNAVAILABLE in response.get_data(as_text=True)
    assert signed_in_as(client) is None and audit_actions("login") == []


def test_a_provider_that_stops_answering_during_the_exchange_shows_a_calm_page(make_client, provider, staff):
    client = make_client(OIDC_TIMEOUT_SECONDS=1)
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    callback = start_sign_in(client)
    provider.__exit__(None, None, None)
    started = time.monotonic()
    response = client.get(callback)
    assert time.monotonic() - started < 2.5
    assert response.status_code == 503 and UNAVAILABLE in response.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_scim_deactivation_ends_a_single_sign_on_session_and_api_token(client, sso_client, provider, staff):
    """Someone signed in through the hospital's provider, with an API token, is deactivated by the directory."""
    provider.claims = {"sub": "sub-staff", "email": staff.email, "email_verified": True}
    assert sso_sign_in(sso_client).headers["Location"] == "/"
    token = create_token(db.session.get(Person, staff.id), "ward tablet")
    scim_token = scim_auth.create_token("Entra ID")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert signed_in_as(sso_client) is not None
    assert client.get("/api/v1/people", headers=bearer).status_code == 200

    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    deactivated = client.patch(
        f"/scim/v2/Users/{staff.id}",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {scim_token}"},
        content_type="application/scim+json",
    )
    assert deactivated.status_code == 200, deactivated.get_data(as_text=True)

    # The very next request of each is refused.
    assert signed_in_as(sso_client) is None
    assert client.get("/api/v1/people", headers=bearer).status_code == 401
    db.session.expire_all()
    assert db.session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.person_id == staff.id)) is not None
    # Signing in again through the provider is refused calmly, and audited.
    refused_with_message(sso_client, sso_sign_in(sso_client), "Your account is not active")
    assert [event.details["reason"] for event in audit_actions("login_refused")] == ["inactive"]

"""OpenID Connect sign-in against a loopback provider: matching, claims, refusals and every attack."""

from __future__ import annotations

import time

import sqlalchemy as sa
from joserfc.jwk import RSAKey

from tests.factories import PersonFactory
from tests.identity.conftest import audit_actions, refused_with_message, signed_in_as, sso_sign_in, start_sign_in
from tracker.extensions import db
from tracker.models import Person, Role


def test_login_page_offers_the_hospital_first(sso_client, make_client):
    html = sso_client.get("/login").get_data(as_text=True)
    assert "Sign in with Mass General" in html
    assert html.index("Sign in with Mass General") < html.index('name="password"')
    labelled = make_client(OIDC_BUTTON_LABEL="Sign in with MGB Okta").get("/login").get_data(as_text=True)
    assert "Sign in with MGB Okta" in labelled


def test_sign_in_uses_pkce_state_and_nonce_and_matches_by_verified_email(sso_client, provider, staff):
    provider.claims = {"sub": "entra-oid-1", "email": "NURSE@example.org", "email_verified": True}
    response = sso_sign_in(sso_client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    asked = provider.requests[-1]
    assert asked["code_challenge_method"] == "S256" and asked["code_challenge"]
    assert asked["state"] and asked["nonce"] and "openid" in asked["scope"]
    assert signed_in_as(sso_client) is not None
    db.session.refresh(staff)
    assert staff.oidc_subject == "entra-oid-1"
    assert audit_actions("login")[-1].actor_id == staff.id


def test_stored_subject_wins_then_employee_id(sso_client, provider, staff, colleague):
    staff.oidc_subject = "sub-staff"
    colleague.employee_id = "E-77"
    db.session.flush()
    provider.claims = {"sub": "sub-staff", "email": colleague.email, "email_verified": True}
    sso_sign_in(sso_client)
    assert audit_actions("login")[-1].actor_id == staff.id
    sso_client.sign_out()
    provider.claims = {"sub": "sub-new", "employee_id": "E-77"}
    sso_sign_in(sso_client)
    assert audit_actions("login")[-1].actor_id == colleague.id
    db.session.expire_all()
    assert db.session.get(Person, colleague.id).oidc_subject == "sub-new"


def test_unverified_email_does_not_match(sso_client, provider, staff):
    provider.claims = {"sub": "attacker", "email": staff.email, "email_verified": False}
    response = sso_sign_in(sso_client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert signed_in_as(sso_client) is None
    db.session.expire_all()
    assert db.session.get(Person, staff.id).oidc_subject is None
    reasons = [event.details.get("reason") for event in audit_actions("login_refused")]
    assert "email_not_verified" in reasons


def test_an_email_cannot_take_over_a_person_linked_to_another_subject(sso_client, provider, staff):
    staff.oidc_subject = "the-real-one"
    db.session.flush()
    provider.claims = {"sub": "someone-else", "email": staff.email, "email_verified": True}
    sso_sign_in(sso_client)
    assert signed_in_as(sso_client) is None
    assert db.session.get(Person, staff.id).oidc_subject == "the-real-one"


def test_deactivated_person_is_refused_calmly_and_audited(sso_client, provider, staff):
    staff.active = False
    db.session.flush()
    provider.claims = {"sub": "s1", "email": staff.email, "email_verified": True}
    response = sso_sign_in(sso_client)
    assert response.status_code == 302
    page = sso_client.get("/login").get_data(as_text=True)
    assert "not active" in page
    assert signed_in_as(sso_client) is None
    assert [e.details["reason"] for e in audit_actions("login_refused")] == ["inactive"]


def test_unknown_person_is_refused_unless_creation_is_on(make_client, provider, hospital):
    provider.claims = {
        "sub": "new-sub",
        "email": "new.nurse@example.org",
        "email_verified": True,
        "name": "Ana Nova",
        "department": "Ellison 12",
    }
    refused = make_client()
    sso_sign_in(refused)
    assert signed_in_as(refused) is None
    assert db.session.scalar(sa.select(Person).where(Person.email == "new.nurse@example.org")) is None
    creating = make_client(OIDC_CREATE_PEOPLE=True)
    sso_sign_in(creating)
    assert signed_in_as(creating) is not None
    person = db.session.scalar(sa.select(Person).where(Person.email == "new.nurse@example.org"))
    assert person.name == "Ana Nova" and person.department_id == hospital["ellison-12"].id
    assert person.oidc_subject == "new-sub" and person.roles == {Role.STAFF}
    assert audit_actions("person_created")[-1].details["source"] == "sign_in"


def test_roles_managed_departments_department_and_language_follow_the_claims(make_client, provider, staff, hospital):
    mapping = {
        "Tracker.Manager": {"roles": ["manager"], "manages": ["medicine"]},
        "icare-advocates": "advocate",
    }
    client = make_client(OIDC_ROLE_MAP=mapping)
    provider.claims = {
        "sub": "s-roles",
        "email": staff.email,
        "email_verified": True,
        "roles": ["Tracker.Manager", "Unrelated"],
        "groups": ["icare-advocates"],
        "department": "white-6",
        "language": "es-ES",
    }
    sso_sign_in(client)
    person = db.session.get(Person, staff.id)
    db.session.refresh(person)
    assert person.roles == {Role.STAFF, Role.MANAGER, Role.ADVOCATE}
    assert [d.slug for d in person.managed_departments] == ["medicine"]
    assert person.department_id == hospital["white-6"].id and person.language == "es"
    with client.session_transaction() as session:
        assert session["lang"] == "es"
    assert audit_actions("roles_changed")
    client.sign_out()
    provider.claims = {**provider.claims, "roles": [], "groups": []}
    sso_sign_in(client)
    db.session.refresh(person)
    assert person.roles == {Role.STAFF} and person.managed_departments == []
    assert len(audit_actions("roles_changed")) == 2


def test_claims_never_remove_the_last_admin(make_client, provider, admin):
    client = make_client(OIDC_ROLE_MAP={"Tracker.Admin": "admin"})
    provider.claims = {"sub": "adm", "email": admin.email, "email_verified": True, "roles": []}
    sso_sign_in(client)
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles
    assert audit_actions("claims_refused")


def test_wrong_state_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    callback = start_sign_in(sso_client)
    forged = callback.replace("state=", "state=x")
    refused_with_message(sso_client, sso_client.get(forged))
    assert [e.details["reason"] for e in audit_actions("login_failed")] == ["MismatchingStateError"]
    assert audit_actions("login") == []
    db.session.expire_all()
    assert db.session.get(Person, staff.id).oidc_subject is None


def test_missing_state_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    callback = start_sign_in(sso_client)
    code = callback.split("code=")[1].split("&")[0]
    refused_with_message(sso_client, sso_client.get(f"/login/sso/callback?code={code}"))
    assert audit_actions("login") == []


def test_replayed_answer_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    callback = start_sign_in(sso_client)
    assert sso_client.get(callback).headers["Location"] == "/"
    sso_client.sign_out()
    refused_with_message(sso_client, sso_client.get(callback))
    assert len(audit_actions("login")) == 1 and len(audit_actions("login_failed")) == 1


def test_an_answer_replayed_into_a_new_sign_in_is_refused(sso_client, provider, staff):
    """An old answer delivered while a new sign-in is under way: its state is not the one waiting."""
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    old = start_sign_in(sso_client)
    assert sso_client.get(old).headers["Location"] == "/"
    sso_client.sign_out()
    assert sso_client.get("/login/sso").status_code == 302  # a new state waits in the session
    refused_with_message(sso_client, sso_client.get(old))


def test_missing_or_reused_nonce_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    provider.drop_nonce = True
    refused_with_message(sso_client, sso_sign_in(sso_client))
    provider.drop_nonce = False
    assert sso_sign_in(sso_client).headers["Location"] == "/"  # a good sign-in, whose nonce is then reused
    sso_client.sign_out()
    provider.fixed_nonce = provider.requests[-1]["nonce"]
    refused_with_message(sso_client, sso_sign_in(sso_client))
    assert provider.requests[-1]["nonce"] != provider.fixed_nonce  # the app asked for a fresh one
    assert [e.details["reason"] for e in audit_actions("login_failed")] == ["MissingClaimError", "InvalidClaimError"]
    assert len(audit_actions("login")) == 1


def test_token_signed_by_another_key_or_with_alg_none_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": provider.key.kid})
    refused_with_message(sso_client, sso_sign_in(sso_client))
    provider.sign_with = None
    provider.alg_none = True
    refused_with_message(sso_client, sso_sign_in(sso_client))
    assert len(audit_actions("login_failed")) == 2 and audit_actions("login") == []


def test_token_for_another_audience_or_expired_is_refused(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    provider.audience = "another-application"
    refused_with_message(sso_client, sso_sign_in(sso_client))
    provider.audience = None
    provider.expires_in = -3600
    refused_with_message(sso_client, sso_sign_in(sso_client))
    assert len(audit_actions("login_failed")) == 2 and audit_actions("login") == []


def test_rotated_signing_key_is_fetched_again(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    assert sso_sign_in(sso_client).headers["Location"] == "/"
    sso_client.sign_out()
    provider.rotate_key()
    assert sso_sign_in(sso_client).headers["Location"] == "/"


def test_provider_down_shows_a_calm_page(make_client, provider, app, instance_path):
    from tests.reliability.harness import free_port

    down = make_client(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}")
    response = down.get("/login/sso")
    assert response.status_code == 503
    assert "not answering" in response.get_data(as_text=True)


def test_slow_provider_is_given_up_on_within_the_timeout(make_client, provider):
    client = make_client(OIDC_TIMEOUT_SECONDS=1)
    provider.delay = 3
    started = time.monotonic()
    response = client.get("/login/sso")
    assert response.status_code == 503
    assert time.monotonic() - started < 2.5


def test_password_sign_in_off_except_for_break_glass_admins(make_client, staff, admin):
    client = make_client(PASSWORD_LOGIN=False, PASSWORD_LOGIN_BREAK_GLASS=[admin.email])
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page and "Emergency administrator sign-in" in page
    assert client.sign_in(staff.email, "correct horse battery staple").status_code == 401
    assert client.sign_in(admin.email, "correct horse battery staple").status_code == 302
    refused = [e for e in audit_actions("login_refused") if e.details.get("reason") == "password_login_off"]
    assert [e.actor_id for e in refused] == [staff.id]


def test_logout_ends_the_provider_session_when_it_offers_logout(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    sso_sign_in(sso_client)
    response = sso_client.sign_out()
    location = response.headers["Location"]
    assert location.startswith(f"{provider.issuer}/logout?") and "id_token_hint=" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Flocalhost%2Flogin" in location
    assert signed_in_as(sso_client) is None


def test_password_sessions_log_out_locally(sso_client, staff):
    sso_client.sign_in(staff.email, "correct horse battery staple")
    assert sso_client.sign_out().headers["Location"] == "/login"


def test_a_person_signed_in_elsewhere_stays_signed_in_with_unchanged_claims(sso_client, provider, staff):
    provider.claims = {"sub": "s", "email": staff.email, "email_verified": True}
    sso_sign_in(sso_client)
    PersonFactory(email="other@example.org")
    assert signed_in_as(sso_client) is not None

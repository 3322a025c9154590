"""Sign-in and sign-out through the real form, with CSRF on."""

import pytest

from tests.factories import PASSWORD, PersonFactory
from tracker.auth.services import is_safe_next
from tracker.extensions import db
from tracker.models import AuditEvent

CALM_MESSAGE = "did not match an active account"


def test_home_welcomes_visitors(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Staff sign in" in page.get_data(as_text=True)


def test_sign_in_and_out(client, staff):
    response = client.sign_in("NURSE@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert "Hello, Sam" in home.get_data(as_text=True)
    assert home.headers["Cache-Control"] == "no-store"
    assert client.sign_out().status_code == 302
    assert "Staff sign in" in client.get("/").get_data(as_text=True)


def test_sign_in_is_audited(client, staff):
    client.sign_in(staff.email, PASSWORD)
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.actor_id == staff.id)).all()
    assert "login" in actions


@pytest.mark.parametrize(
    ("email", "password"),
    [("nurse@example.org", "wrong password"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_credentials_get_the_same_calm_answer(client, staff, email, password):
    response = client.sign_in(email, password)
    assert response.status_code == 401
    assert CALM_MESSAGE in response.get_data(as_text=True)


def test_missing_csrf_token_gets_the_same_calm_answer(client, staff):
    response = client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 400
    assert CALM_MESSAGE in response.get_data(as_text=True)
    assert "Hello" not in client.get("/").get_data(as_text=True)


def test_inactive_person_cannot_sign_in(client, hospital):
    PersonFactory(email="gone@example.org", active=False)
    assert client.sign_in("gone@example.org", PASSWORD).status_code == 401


def test_person_without_password_cannot_sign_in(client, staff):
    staff.password_hash = None
    db.session.flush()
    assert client.sign_in(staff.email, "").status_code == 400


def test_logout_needs_post(client, staff):
    client.sign_in(staff.email, PASSWORD)
    assert client.get("/logout").status_code == 405
    assert "Hello" in client.get("/").get_data(as_text=True)


def test_next_leads_only_to_this_site(client, staff):
    token = client.csrf_token()
    response = client.post(
        "/login?next=https://evil.example/steal", data={"email": staff.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_next_to_a_local_page_is_followed(client, staff):
    token = client.csrf_token()
    response = client.post(
        "/login?next=/healthz", data={"email": staff.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/healthz"


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/wall", True),
        ("/recognitions/3?x=1", True),
        ("//evil.example", False),
        ("https://evil.example", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
    ],
)
def test_is_safe_next(target, safe):
    assert is_safe_next(target) is safe


def test_session_is_renewed_at_sign_in(client, staff):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.sign_in(staff.email, PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"

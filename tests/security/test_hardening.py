"""Hardening: password policy, sign-in throttling with self-ending lockouts, cookie flags."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD
from tracker import create_app, passwords
from tracker.auth.password_links import make_token
from tracker.extensions import db
from tracker.models import AuditEvent, Person

LOCKOUT_MESSAGE = "Too many sign-in attempts"


# --- password policy ---------------------------------------------------------------------------


def test_the_shipped_list_is_large_and_lower_cased():
    common = passwords.common_passwords()
    assert len(common) > 15_000
    assert {"123456", "password", "qwerty"} <= common
    assert all(entry == entry.lower() for entry in common)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 12"),
        ("x" * 201, "at most 200"),
        ("password1234", "too common"),  # on the list, 12 characters
        ("PASSWORD1234", "too common"),  # case does not help
        ("qwerty123456", "too common"),
        ("QwertyQwerty", "too common"),
        ("aaaaaaaaaaaaaaa", "too common"),  # one character repeated is not a password
        ("ababababababab", "too common"),
        ("sam.okafor@example.org", "e-mail address or name"),
        ("sam.okafor12", None),
        ("Sam Okafor Sam", None),
        (PASSWORD, None),
        ("ein langes Passwort, ŝlosilo 🌻", None),
    ],
)
def test_password_policy(app, password, why):
    with app.test_request_context():
        problem = passwords.problem(password, email="sam.okafor@example.org", name="Sam Okafor")
    if why is None:
        assert problem is None
    else:
        assert why in problem


def test_password_policy_refuses_the_persons_name(app):
    with app.test_request_context():
        assert passwords.problem("samuelokafor", email="s@example.org", name="Samuel Okafor")
        assert passwords.problem("Samuel Okafor", email="s@example.org", name="Samuel Okafor")


@pytest.mark.parametrize("password", ["password1234", "short", "sam.okafor@example.org"])
def test_users_create_refuses_weak_passwords(runner, hospital, password):
    result = runner.invoke(
        args=["users", "create", "sam.okafor@example.org", "--name", "Sam", "--role", "staff", "--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code == 1
    assert "the password is refused" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_users_create_accepts_a_good_password(runner, hospital):
    result = runner.invoke(
        args=["users", "create", "sam@example.org", "--name", "Sam", "--role", "staff", "--password-stdin"],
        input="a kettle on the windowsill\n",
    )
    assert result.exit_code == 0, result.output
    person = db.session.scalar(sa.select(Person).where(Person.email == "sam@example.org"))
    assert person.check_password("a kettle on the windowsill")


# --- sign-in throttling ------------------------------------------------------------------------


def attempt(client, email, password, address="192.0.2.10"):
    token = client.csrf_token()
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def throttled_events():
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_throttled")).all()


def test_failed_sign_ins_lock_the_account_from_every_address(limited_app, staff, colleague):
    client = limited_app(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="3 per 15 minutes").test_client()
    statuses = [attempt(client, staff.email, "wrong guess", f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 401]
    locked = attempt(client, staff.email.upper(), PASSWORD, "203.0.113.99")  # right password, new address
    assert locked.status_code == 429
    assert LOCKOUT_MESSAGE in locked.get_data(as_text=True)
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert "Hello" not in client.get("/").get_data(as_text=True)
    # Other accounts are not affected.
    assert attempt(client, colleague.email, PASSWORD, "203.0.113.99").status_code == 302
    [event] = throttled_events()
    assert event.details["per"] == "account"
    assert event.details["email"] == staff.email.upper()
    assert event.ip_address == "203.0.113.99"


def test_successful_sign_ins_do_not_count_against_the_account(limited_app, staff):
    client = limited_app(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="2 per 15 minutes").test_client()
    for _ in range(4):
        assert attempt(client, staff.email, PASSWORD).status_code == 302
        client.sign_out()


def test_many_attempts_from_one_address_are_refused(limited_app, staff):
    client = limited_app(RATELIMIT_LOGIN="3 per minute", RATELIMIT_LOGIN_ACCOUNT="100 per minute").test_client()
    statuses = [attempt(client, f"guess{n}@example.org", "wrong guess").status_code for n in range(3)]
    assert statuses == [401, 401, 401]
    refused = attempt(client, staff.email, PASSWORD)
    assert refused.status_code == 429
    assert LOCKOUT_MESSAGE in refused.get_data(as_text=True)
    assert attempt(client, staff.email, PASSWORD, address="192.0.2.77").status_code == 302
    assert throttled_events()[0].details["per"] == "address"


def test_a_lockout_ends_by_itself(limited_app, staff):
    client = limited_app(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="2 per 1 second").test_client()
    for _ in range(2):
        attempt(client, staff.email, "wrong guess")
    locked = attempt(client, staff.email, PASSWORD)
    assert locked.status_code == 429
    time.sleep(1.1)  # the window is one second long
    assert attempt(client, staff.email, PASSWORD).status_code == 302


# --- cookies -----------------------------------------------------------------------------------


def session_cookie_header(client, staff) -> str:
    response = client.sign_in(staff.email, PASSWORD)
    [header] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    return header


def test_session_cookie_is_httponly_and_samesite(client, staff):
    header = session_cookie_header(client, staff)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_production_session_cookie_is_secure(app, instance_path, monkeypatch, staff):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-value-for-this-test")
    production = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PRODUCTION": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    production.test_client_class = app.test_client_class
    client = production.test_client()
    header = session_cookie_header(client, staff)
    assert "Secure" in header
    assert "HttpOnly" in header
    strict = client.get("/", base_url="https://localhost")
    assert strict.headers["Strict-Transport-Security"].startswith("max-age=")


# --- the set-password page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [("password1234", "too common"), ("nurse@example.org", "e-mail address or name"), ("short", "at least 12")],
)
def test_set_password_page_applies_the_policy(client, staff, password, why):
    token = make_token(staff)
    old_hash = staff.password_hash
    refused = client.post_form(f"/set-password/{token}", {"password": password, "confirm": password})
    assert refused.status_code == 422
    assert why in refused.get_data(as_text=True)
    db.session.expire_all()
    assert staff.password_hash == old_hash


# --- client addresses behind proxies -----------------------------------------------------------


def failed_sign_in_address(app, proxy_count: int) -> str:
    behind = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "RATELIMIT_ENABLED": False,  # the limiter is shared by every app in the process
            "PROXY_COUNT": proxy_count,
        }
    )
    behind.test_client_class = app.test_client_class
    client = behind.test_client()
    token = client.csrf_token()
    client.post(
        "/login",
        data={"email": "nobody@example.org", "password": "wrong guess", "csrf_token": token},
        headers={"X-Forwarded-For": "203.0.113.5"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_failed")).one()
    return event.ip_address


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(app, hospital):
    assert failed_sign_in_address(app, proxy_count=0) == "10.0.0.2"


def test_the_address_a_trusted_proxy_forwards_is_used(app, hospital):
    assert failed_sign_in_address(app, proxy_count=1) == "203.0.113.5"

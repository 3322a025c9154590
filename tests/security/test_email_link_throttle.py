"""Requests for e-mail sign-in links have the sign-in limits: per address, and per account on every request."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import PersonFactory
from tracker.extensions import db
from tracker.models import AuditEvent, OutboxMessage, Role

PAUSED = "Too many requests for a sign-in link"


def ask(client, email, address="192.0.2.10"):
    return client.post(
        "/login/email",
        data={"email": email, "csrf_token": client.csrf_token()},
        environ_base={"REMOTE_ADDR": address},
    )


def advisor():
    return PersonFactory(email="advisor@example.org", department=None, roles={Role.PFAC})


def sent() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def throttled_events():
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_throttled")).all()


def test_many_requests_from_one_address_are_paused(limited_app, db_session):
    client = limited_app(RATELIMIT_LOGIN="3 per minute", RATELIMIT_LOGIN_ACCOUNT="100 per minute").test_client()
    person = advisor()
    assert [ask(client, f"guess{n}@example.org").status_code for n in range(3)] == [302, 302, 302]
    paused = ask(client, person.email)
    assert paused.status_code == 429
    assert PAUSED in paused.get_data(as_text=True)
    assert int(paused.headers["Retry-After"]) > 0
    assert sent() == 0
    assert ask(client, person.email, address="192.0.2.77").status_code == 302
    assert sent() == 1
    [event] = throttled_events()
    assert event.details["per"] == "address" and event.details["via"] == "email_link"


def test_one_account_gets_a_few_links_at_most_from_any_address(limited_app, db_session):
    client = limited_app(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="2 per 15 minutes").test_client()
    person = advisor()
    statuses = [ask(client, person.email.upper(), f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert sent() == 2
    assert throttled_events()[0].details["per"] == "account"


def test_unknown_addresses_are_paused_the_same_way(limited_app, db_session):
    client = limited_app(RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="2 per 15 minutes").test_client()
    statuses = [ask(client, "nobody@example.org", f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_pressing_sign_in_is_limited_per_address(limited_app, db_session):
    client = limited_app(RATELIMIT_LOGIN="2 per minute", RATELIMIT_LOGIN_ACCOUNT="100 per minute").test_client()
    token = client.csrf_token()
    statuses = [client.post(f"/login/email/guess{n}", data={"csrf_token": token}).status_code for n in range(3)]
    assert statuses == [404, 404, 429]
    paused = client.post("/login/email/guess9", data={"csrf_token": token})
    assert paused.status_code == 429 and PAUSED in paused.get_data(as_text=True)
    assert int(paused.headers["Retry-After"]) > 0
    assert {(event.details["per"], event.details["via"]) for event in throttled_events()} == {("address", "email_link")}

"""Signing in by e-mail link: who may ask, the e-mail through the outbox, and a link that works once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory
from tests.helpers import extract_csrf_token
from tests.notifications.smtp import SmtpServer
from tracker import clock
from tracker.auth import email_links
from tracker.auth.password_links import make_token as make_password_token
from tracker.extensions import db
from tracker.models import AuditEvent, OutboxMessage, Role
from tracker.notifications import worker

CALM_ANSWER = "If that address belongs to an account that may sign in by link, we have sent a link."
SPENT = "This sign-in link has expired or has already been used."
LINK_PATH = re.compile(r"/login/email/[\w.-]+")


@pytest.fixture
def advisor(db_session):
    return PersonFactory(
        name="Pat Fenwick", email="advisor@example.org", department=None, job_title="", roles={Role.PFAC}
    )


@pytest.fixture
def smtp_server(app, monkeypatch):
    with SmtpServer() as server:
        monkeypatch.setitem(app.config, "MAIL_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
        yield server


def ask_for_link(client, email: str):
    return client.post_form("/login/email", {"email": email})


def queued() -> list[OutboxMessage]:
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def link_in(message: OutboxMessage) -> str:
    [path] = set(LINK_PATH.findall(message.body_text))
    assert path in message.body_html
    return path


def press_sign_in(client, path: str):
    """Open the link's page and press its button, as a person does."""
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": extract_csrf_token(page.get_data(as_text=True))})
    client._csrf_token = None  # a sign-in renews the session, and its CSRF token with it
    return response


def signed_in_as(client, person) -> bool:
    with client.session_transaction() as session:
        return session.get("_user_id") == person.get_id()


def actions() -> list[str]:
    return db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def failure_reasons() -> list[str]:
    failed = sa.select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id)
    events = db.session.scalars(failed)
    return [event.details["reason"] for event in events]


def test_the_sign_in_page_offers_a_link(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/login/email"' in page and "E-mail me a sign-in link" in page


def test_unknown_staff_and_advisor_addresses_get_the_same_answer(client, staff, advisor):
    answers = [ask_for_link(client, email) for email in ("nobody@example.org", staff.email, advisor.email)]
    assert {(answer.status_code, answer.headers["Location"]) for answer in answers} == {(302, "/login/email")}
    assert CALM_ANSWER in client.get("/login/email").get_data(as_text=True)
    assert [message.to_address for message in queued()] == [advisor.email]


def test_nothing_is_queued_for_unknown_or_staff_addresses(client, staff):
    for email in ("nobody@example.org", staff.email, "  NURSE@example.org "):
        assert ask_for_link(client, email).status_code == 302
    assert queued() == []
    assert "login_link_sent" not in actions()


@pytest.mark.parametrize(
    "roles",
    [{Role.PFAC, Role.STAFF}, {Role.PFAC, Role.ADMIN}, {Role.STAFF}],
    ids=["advisor-and-staff", "advisor-and-admin", "staff"],
)
def test_only_accounts_that_are_advisors_alone_get_a_link(client, hospital, roles):
    person = PersonFactory(email="someone@example.org", roles=roles)
    assert person.roles == roles | ({Role.STAFF} if Role.PFAC not in roles else set())
    ask_for_link(client, person.email)
    assert queued() == []


def test_an_inactive_advisor_gets_no_link(client, advisor):
    advisor.active = False
    db.session.flush()
    ask_for_link(client, advisor.email)
    assert queued() == []


def test_an_empty_address_is_refused_with_a_message(client):
    response = ask_for_link(client, "")
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)


def test_an_advisor_gets_one_e_mail_through_the_outbox(app, client, smtp_server, advisor):
    assert ask_for_link(client, "Advisor@Example.org ").status_code == 302
    [message] = queued()
    assert message.kind == "sign_in_link" and message.subject == "Your icare tracker sign-in link"
    assert "expires in 15 minutes" in message.body_text
    assert worker.send_due().sent == 1
    [delivered] = smtp_server.handler.messages
    assert delivered["To"] == advisor.email
    [text] = [part for part in delivered.walk() if part.get_content_type() == "text/plain"]
    assert link_in(message) in text.get_payload(decode=True).decode()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login_link_sent"))
    assert event.object_id == str(advisor.id)


def test_the_e_mail_is_in_the_advisors_language(client, advisor):
    advisor.language = "es"
    db.session.flush()
    ask_for_link(client, advisor.email)
    [message] = queued()
    assert "icare tracker" in message.subject and message.subject != "Your icare tracker sign-in link"
    assert "Hola" in message.body_text


def test_opening_the_link_does_not_sign_in(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert advisor.email in html and 'method="post"' in html and 'name="csrf_token"' in html
    assert not signed_in_as(client, advisor)
    db.session.expire_all()
    assert advisor.last_login_at is None
    assert client.get(path).status_code == 200  # a mail scanner's visit spent nothing


def test_the_link_signs_in_once(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    response = press_sign_in(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in_as(client, advisor)
    assert client.get("/", follow_redirects=True).request.path == "/judging"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login"))
    assert event.actor_id == advisor.id and event.details == {"via": "email_link"}

    client.sign_out()
    again = client.get(path)
    assert again.status_code == 404 and SPENT in again.get_data(as_text=True)
    assert 'href="/login/email"' in again.get_data(as_text=True)
    replay = client.post_form(path)
    assert replay.status_code == 404
    assert not signed_in_as(client, advisor)
    refusal = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert refusal.action == "login_failed" and refusal.object_id == str(advisor.id)
    assert refusal.details == {"via": "email_link", "reason": "spent"}


def test_using_one_link_spends_the_links_sent_before_it(client, advisor):
    ask_for_link(client, advisor.email)
    ask_for_link(client, advisor.email)
    first, second = (link_in(message) for message in queued())
    assert press_sign_in(client, second).status_code == 302
    client.sign_out()
    assert client.get(first).status_code == 404


def test_a_link_spent_between_opening_and_pressing_is_refused(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    page = client.get(path)
    token = extract_csrf_token(page.get_data(as_text=True))
    db.session.expire_all()  # see the nonce the request stored
    assert email_links.use_token(path.rsplit("/", 1)[1]) is not None  # spent elsewhere meanwhile
    assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert not signed_in_as(client, advisor)


def test_an_expired_link_is_refused(client, advisor, monkeypatch):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    real_now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: real_now + timedelta(minutes=14))
    assert client.get(path).status_code == 200
    monkeypatch.setattr(clock, "now", lambda: real_now + timedelta(minutes=16))
    expired = client.get(path)
    assert expired.status_code == 404 and SPENT in expired.get_data(as_text=True)
    assert client.post_form(path).status_code == 404
    assert not signed_in_as(client, advisor)
    assert failure_reasons() == ["expired"]


def test_tampered_and_foreign_tokens_are_refused(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    token = path.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for bad in (tampered, "not-a-token", make_password_token(advisor), "x" * 300):
        assert client.get(f"/login/email/{bad}").status_code == 404
        assert client.post_form(f"/login/email/{bad}").status_code == 404
    assert not signed_in_as(client, advisor)
    assert failure_reasons() == ["invalid"] * 4
    assert press_sign_in(client, path).status_code == 302  # the real link still works


def test_a_link_stops_working_when_the_advisor_is_deactivated_or_becomes_staff(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    advisor.active = False
    db.session.flush()
    assert client.get(path).status_code == 404
    advisor.active = True
    advisor.set_roles({Role.PFAC, Role.STAFF})
    db.session.flush()
    assert client.get(path).status_code == 404
    assert client.post_form(path).status_code == 404
    assert failure_reasons() == ["not_allowed"]
    assert not signed_in_as(client, advisor)


def test_the_post_needs_its_csrf_token(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    assert client.post(path).status_code == 400
    assert not signed_in_as(client, advisor)
    assert client.get(path).status_code == 200  # not spent


def test_advisors_still_sign_in_by_link_when_password_sign_in_is_off(app, client, advisor, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", False)
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://login.example.org")
    assert 'href="/login/email"' in client.get("/login").get_data(as_text=True)
    ask_for_link(client, advisor.email)
    assert press_sign_in(client, link_in(queued()[0])).status_code == 302
    assert signed_in_as(client, advisor)


def test_the_session_is_renewed_and_the_language_kept(client, advisor):
    ask_for_link(client, advisor.email)
    path = link_in(queued()[0])
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "pt"
    press_sign_in(client, path)
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "pt"

"""E-mail sign-in links: signed, expiring after 15 minutes, and single-use.

The token carries the person's ``sign_in_nonce``; signing in replaces the nonce with a conditional
update, so a link (and any other link sent before it) works once, even when two requests race.
Timestamps come from :mod:`tracker.clock`, so a test that moves the clock ages the links too.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from tracker import audit, clock, policy
from tracker.extensions import db
from tracker.i18n import person_locale
from tracker.models import Person
from tracker.notifications.services import absolute_url, queue_email

LINK_LIFETIME_MINUTES = 15
SALT = "email-sign-in"


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner)


def make_token(person: Person) -> str:
    """A token for the person's current nonce (given one first if they have none yet)."""
    if person.sign_in_nonce is None:
        person.sign_in_nonce = secrets.token_urlsafe(16)
    return _serializer().dumps({"person": person.id, "nonce": person.sign_in_nonce})


def send_link(email: str) -> None:
    """Queue a sign-in link if ``email`` belongs to someone who may use one; otherwise do nothing.

    The caller answers the same either way, so the page tells nobody which addresses have accounts.
    """
    person = db.session.scalar(sa.select(Person).where(Person.email == Person.normalize_email(email)))
    if person is None or not policy.may_sign_in_by_email_link(person):
        return
    link = absolute_url(url_for("auth.email_link", token=make_token(person)))
    with force_locale(person_locale(person)):
        subject = _("Your icare tracker sign-in link")
    queue_email(
        person.email,
        subject,
        "email/sign_in_link.txt",
        "email/sign_in_link.html",
        "sign_in_link",
        person=person,
        link=link,
        minutes=LINK_LIFETIME_MINUTES,
    )
    audit.record("login_link_sent", "person", person.id)


def person_for_token(token: str) -> Person | None:
    """The person a valid, unexpired, unused token is for, while they may still sign in by link."""
    return _check(token)[0]


def _check(token: str) -> tuple[Person | None, str, object]:
    """The token's person (or ``None``), why not (``expired``, ``invalid``, ``spent``, ``not_allowed``)
    and the id of the person a genuine token names, for the audit trail."""
    try:
        payload = _serializer().loads(token, max_age=LINK_LIFETIME_MINUTES * 60)
    except SignatureExpired:
        return None, "expired", ""
    except BadSignature:
        return None, "invalid", ""
    if not isinstance(payload, dict) or not isinstance(payload.get("person"), int):
        return None, "invalid", ""
    person = db.session.get(Person, payload["person"])
    nonce = payload.get("nonce")
    if person is None or not isinstance(nonce, str):
        return None, "invalid", ""
    if person.sign_in_nonce is None or not secrets.compare_digest(nonce, person.sign_in_nonce):
        return None, "spent", person.id
    if not policy.may_sign_in_by_email_link(person):
        return None, "not_allowed", person.id
    return person, "", person.id


def use_token(token: str) -> Person | None:
    """Spend the token: the person it signs in, or ``None`` (audited, with why) if it is not valid or was just spent."""
    person, reason, subject = _check(token)
    if person is None:
        audit.record("login_failed", "person", subject, via="email_link", reason=reason)
        return None
    spent = db.session.execute(
        sa.update(Person)
        .where(Person.id == person.id, Person.sign_in_nonce == person.sign_in_nonce)
        .values(sign_in_nonce=secrets.token_urlsafe(16))
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(person)
    if spent.rowcount != 1:  # another request spent it between the check and the update
        audit.record("login_failed", "person", person.id, via="email_link", reason="spent")
        return None
    return person

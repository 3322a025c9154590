"""Signing in with a password, an e-mail link or an API bearer token, and the session a sign-in starts."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import g, request, session
from flask_login import login_user
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import audit
from tracker.database import write_after_reading
from tracker.extensions import db, login_manager
from tracker.models import ApiToken, Person, utcnow

TOKEN_PREFIX = "icare_"  # noqa: S105  (a label, not a secret)
LAST_USED_PRECISION = timedelta(minutes=1)


@login_manager.user_loader
def load_user(user_id: str) -> Person | None:
    """The person of a session or remember-me cookie, while still active and not signed out everywhere.

    The id is ``person.session_version``: deactivation bumps the version, so every session and
    cookie made before it stops working on its next request.
    """
    person_id, _, version = user_id.partition(".")
    if not person_id.isdigit() or not version.isdigit() or _bearer_call():
        return None
    person = db.session.get(Person, int(person_id))
    if person is None or not person.active or person.session_version != int(version):
        return None
    return person


def _bearer_call() -> bool:
    """A call with a bearer token is signed in by that token alone, never by a session cookie beside it."""
    return request.path.startswith(("/api/", "/scim/")) and request.headers.get("Authorization", "").startswith(
        "Bearer "
    )


@login_manager.request_loader
def load_user_from_bearer_token(req) -> Person | None:
    """``Authorization: Bearer …`` signs an API request in; revoked tokens and inactive people stop at once."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    token = header.removeprefix("Bearer ").strip()
    row = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.person.active:
        return None
    g.api_token_id = row.id
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        # Kept to the minute, so a busy integration does not write on every call.
        write_after_reading(lambda: _record_token_use(row.id, now))
    return row.person


def _record_token_use(token_id: int, when) -> None:
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when))
    db.session.commit()


def authenticate(email: str, password: str) -> Person | None:
    """The person if the e-mail and password match an active account; ``None`` otherwise, without saying why."""
    person = db.session.scalar(sa.select(Person).where(Person.email == Person.normalize_email(email)))
    if person is None:
        # Spend the same time as a real check so timing does not reveal which e-mails exist.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not person.check_password(password) or not person.active:
        return None
    return person


_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def start_session(person: Person, *, remember: bool = False, via: str | None = None) -> None:
    """Sign ``person`` in on a fresh session (no fixation), keeping only the chosen language, and audit it."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(person, remember=remember)
    record_login(person, via=via)


def record_login(person: Person, *, via: str | None = None) -> None:
    person.last_login_at = utcnow()
    audit.record("login", "person", person.id, actor=person, via=via)


def record_failed_login(email: str) -> None:
    audit.record("login_failed", "person", "", email=email[:254])


def is_safe_next(target: str | None) -> bool:
    """``next`` may only lead to a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def create_token(person: Person, name: str = "") -> str:
    """Create a token for ``person`` and return it; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(person=person, name=name, token_hash=ApiToken.hash(token), prefix=token[:12]))
    audit.record("token_created", "person", person.id, name=name)
    return token


@login_manager.unauthorized_handler
def unauthorized():
    """Pages send visitors to sign in; the API answers 401 in its own error shape."""
    from flask import flash, redirect, url_for
    from flask_babel import gettext as _

    from tracker.errors import json_error, wants_json

    if wants_json():
        return json_error(401, _("Sign in, or send an API token as 'Authorization: Bearer <token>'."))
    flash(_("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

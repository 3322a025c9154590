"""Set-password links: signed, expiring and single-use.

The token carries a fingerprint of the current password hash, so it stops working the moment
the password is set (or changed any other way). Nothing is stored server-side.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tracker.extensions import db
from tracker.models import Person

LINK_LIFETIME_HOURS = 72
SALT = "set-password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(person: Person) -> str:
    return hashlib.sha256((person.password_hash or "no password yet").encode()).hexdigest()[:20]


def make_token(person: Person) -> str:
    return _serializer().dumps({"person": person.id, "password": _fingerprint(person)})


def person_for_token(token: str) -> Person | None:
    """The active person a valid, unexpired, unused token is for; ``None`` otherwise."""
    try:
        payload = _serializer().loads(token, max_age=LINK_LIFETIME_HOURS * 3600)
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("person"), int):
        return None
    person = db.session.get(Person, payload["person"])
    if person is None or not person.active or payload.get("password") != _fingerprint(person):
        return None
    return person

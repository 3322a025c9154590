"""SCIM bearer tokens: made by the ``scim token`` command, shown once, stored as SHA-256, revocable."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, g, request

from tracker import audit
from tracker.extensions import db
from tracker.models import ScimToken, utcnow

TOKEN_PREFIX = "icare_scim_"  # noqa: S105  (a label, not a secret)
LAST_USED_PRECISION = timedelta(minutes=1)


def create_token(name: str) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ScimToken(name=name[:100], token_hash=ScimToken.hash(token), prefix=token[:12])
    db.session.add(row)
    db.session.flush()
    audit.record("scim_token_created", "scim_token", row.id, name=row.name)
    return token


def revoke_token(token_id: int) -> ScimToken | None:
    row = db.session.get(ScimToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("scim_token_revoked", "scim_token", row.id, name=row.name)
    return row


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None


def authenticate() -> ScimToken | None:
    """The live SCIM token the request carries, or ``None``."""
    token = bearer_token()
    if not token:
        return None
    row = db.session.scalar(
        sa.select(ScimToken).where(ScimToken.token_hash == ScimToken.hash(token), ScimToken.revoked_at.is_(None))
    )
    if row is None:
        return None
    g.scim_token_id = row.id
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        row.last_used_at = now
        db.session.commit()
    return row


def refuse_scim_tokens_elsewhere(app: Flask) -> None:
    """A SCIM token opens ``/scim/v2/`` and nothing else: anywhere else it is answered 401.

    The check runs before every other request hook, so a form's CSRF check or a page's own
    refusal never answers first with something other than 401.
    """

    def refuse():
        token = bearer_token()
        if token and token.startswith(TOKEN_PREFIX) and not request.path.startswith("/scim/"):
            from tracker.errors import json_error

            return json_error(401, "A SCIM token is only accepted under /scim/v2/.")

    app.before_request_funcs.setdefault(None, []).insert(0, refuse)

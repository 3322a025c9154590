"""A person's own API tokens. Only hashes are stored; the token itself is shown once, when made."""

from __future__ import annotations

import sqlalchemy as sa

from tracker import audit
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import ApiToken, Person, utcnow
from tracker.validation import InvalidInput

MAX_ACTIVE_TOKENS = 20


def tokens_of(person: Person) -> list[ApiToken]:
    """Active tokens first, newest first."""
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.person_id == person.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def issue_token(person: Person, name: str) -> str:
    """Make a named token for ``person`` and return it; it cannot be read back later."""
    name = name.strip()
    if not name:
        raise InvalidInput.single("name", "Give the token a name, so you know later where it is used.")
    active = db.session.scalar(
        sa.select(sa.func.count()).where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
    )
    if active >= MAX_ACTIVE_TOKENS:
        raise InvalidInput.single("name", f"You have {MAX_ACTIVE_TOKENS} active tokens; revoke one first.")
    token = create_token(person, name[:100])
    db.session.flush()
    return token


def revoke_token(person: Person, token_id: int) -> ApiToken | None:
    """Revoke one of the person's own tokens; ``None`` when it is not theirs (the page answers 404)."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.person_id == person.id))
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("token_revoked", "person", person.id, token_id=token.id, name=token.name)
        db.session.flush()
    return token

"""API helpers: a Bearer token per person, and JSON calls made with it."""

from __future__ import annotations

import pytest

from tracker.auth.services import create_token
from tracker.extensions import db


@pytest.fixture
def bearer(db_session):
    """``bearer(person)`` returns the Authorization header of a new token for that person."""

    def _bearer(person) -> dict:
        token = create_token(person, "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _bearer


def error_fields(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"].get("fields") or {}

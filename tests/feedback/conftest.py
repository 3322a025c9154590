"""Helpers for posting the public form like a person who took their time."""

from __future__ import annotations

import time

import pytest

from tracker.feedback import spam


@pytest.fixture
def started_long_ago(app):
    """A valid ``started`` token from a minute ago (a person, not a bot)."""
    with app.test_request_context():
        return spam.issue_started_token(now=time.time() - 60)


@pytest.fixture
def send_feedback(client, started_long_ago):
    def _send(url: str = "/feedback", headers: dict | None = None, **fields):
        data = {
            "type": "compliment",
            "message": "Maria was wonderful to my father on the night shift.",
            "staff_names": "Maria",
            "started": started_long_ago,
            "website": "",
        }
        data.update(fields)
        return client.post_form(url, {key: value for key, value in data.items() if value is not None}, headers=headers)

    return _send

"""The public form states how long the story may be, and a longer one comes back with a message, as written."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from tracker.extensions import db
from tracker.feedback.limits import MESSAGE_MAX, STAFF_NAMES_MAX
from tracker.models import Feedback


def test_the_form_states_each_long_answers_limit(client, hospital):
    html = client.get("/feedback").get_data(as_text=True)
    assert f'data-max="{MESSAGE_MAX}"' in html and "Up to 5,000 characters." in html
    assert f'data-max="{STAFF_NAMES_MAX}"' in html and "Up to 500 characters." in html
    assert 'aria-describedby="message-hint message-count"' in html
    assert "maxlength" not in html


def test_the_limit_is_stated_in_the_readers_language(client, hospital):
    html = client.get("/feedback", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Hasta 5.000 caracteres." in html
    assert 'data-counter-text="{count} de 5.000 caracteres"' in html


def test_an_over_long_story_is_refused_with_a_message_and_kept(send_feedback, hospital):
    story = "Maria held my hand all night. " * 180  # 5,400 characters
    response = send_feedback(message=story)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Please keep this under {MESSAGE_MAX:,} characters." in html
    kept = re.search(r'<textarea[^>]*name="message"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert unescape(kept).lstrip("\r\n") == story
    assert db.session.scalars(sa.select(Feedback)).all() == []

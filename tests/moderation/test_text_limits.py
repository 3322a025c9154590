"""The moderation page states each long text's limit, and an over-long rejection note comes back as written."""

from __future__ import annotations

import re
from html import unescape

from tests.factories import FeedbackFactory
from tracker.extensions import db
from tracker.feedback.limits import MESSAGE_MAX
from tracker.models import FeedbackStatus
from tracker.moderation.services import REJECT_NOTE_MAX


def test_the_item_page_states_each_limit(client, sign_in, advocate, hospital):
    feedback = FeedbackFactory()
    sign_in(advocate)
    page = client.get(f"/moderation/{feedback.id}").get_data(as_text=True)
    assert f'data-max="{MESSAGE_MAX}"' in page and 'data-counter-for="approved_message"' in page
    assert f'data-max="{REJECT_NOTE_MAX}"' in page and "Up to 1,000 characters." in page


def test_an_over_long_rejection_note_is_refused_and_kept(client, sign_in, advocate, hospital):
    feedback = FeedbackFactory()
    sign_in(advocate)
    note = "Asks about parking and the cafeteria hours. " * 25  # 1,100 characters
    response = client.post_form(f"/moderation/{feedback.id}/reject", {"reason": "other", "note": note})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Please keep this under {REJECT_NOTE_MAX:,} characters." in html
    kept = re.search(r'<input[^>]*name="note"[^>]*>', html).group(0)
    assert unescape(re.search(r'value="([^"]*)"', kept).group(1)) == note
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.PENDING

"""Award forms state each long text's limit from the service that enforces it, and keep an over-long text."""

from __future__ import annotations

import re
from html import unescape

from tests.awards.conftest import nominate
from tracker.awards.blinding import BLINDED_STORY_MAX
from tracker.awards.nominations import MAX_STORY
from tracker.extensions import db


def test_the_nomination_story_states_its_limit(client, programme, cycle):
    page = client.get("/awards/daisy/nominate").get_data(as_text=True)
    assert f'data-max="{MAX_STORY}"' in page and "Up to 5,000 characters." in page
    assert 'aria-describedby="story-hint story-count"' in page


def test_an_over_long_blinded_copy_is_refused_and_kept(client, sign_in, coordinator, programme, cycle, colleague):
    nomination = nominate(programme, colleague)
    db.session.commit()
    sign_in(coordinator)
    page = client.get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert f'data-max="{BLINDED_STORY_MAX}"' in page and 'data-counter-for="blinded_story"' in page
    copy = "The nurse stayed with my father all night. " * 120  # 5,160 characters
    refused = client.post_form(f"/awards/nominations/{nomination.id}/blind", {"blinded_story": copy})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert f"Please keep this under {BLINDED_STORY_MAX:,} characters." in html
    kept = re.search(r'<textarea[^>]*name="blinded_story"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert unescape(kept).lstrip("\r\n").strip() == copy.strip()

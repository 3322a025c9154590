"""Long texts: the limit is stated on the page, a longer text is refused with a message and shown again,
and an acknowledgement leads back to where the manager was, not to the top of the page."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tracker.extensions import db
from tracker.models import Recognition, RecognitionReply
from tracker.recognitions.services import MAX_NOTE

PASTED = "Thank you for staying with my patient. " * 56  # 2,184 characters, over the 2,000 of a reply


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name!r}"
    return unescape(match.group(1)).lstrip("\r\n")


def test_the_reply_field_states_its_limit_and_is_never_cut_by_the_browser(staff, colleague, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(colleague)
    html = client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    assert "Up to 2,000 characters." in html
    assert f'data-max="{MAX_NOTE}"' in html and 'data-counter-for="message"' in html
    assert 'aria-describedby="message-count"' in html
    assert "maxlength" not in html


def test_an_over_long_reply_is_refused_with_a_message_and_kept(staff, colleague, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    assert len(PASTED) > MAX_NOTE
    sign_in(colleague)
    response = client.post_form(f"/recognitions/{recognition.id}/reply", {"message": PASTED})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Please keep it under {MAX_NOTE:,} characters (now {len(PASTED):,})." in html
    assert textarea(html, "message") == PASTED
    assert db.session.scalars(sa.select(RecognitionReply)).all() == []


def test_an_over_long_note_on_the_recognition_page_is_refused_and_kept(staff, colleague, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(manager)
    response = client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": "n" * (MAX_NOTE + 1)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Please keep it under {MAX_NOTE:,} characters." in html
    assert textarea(html, "note") == "n" * (MAX_NOTE + 1)
    db.session.refresh(recognition)
    assert recognition.acknowledged_at is None


def test_acknowledging_on_the_recognition_page_returns_to_the_acknowledgement(
    staff, colleague, manager, sign_in, client
):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(manager)
    response = client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": "Well done."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/recognitions/{recognition.id}#acknowledged")
    assert 'id="acknowledged"' in client.get(response.headers["Location"]).get_data(as_text=True)


def _waiting_forms(html: str) -> dict[int, str]:
    """Each waiting recognition's id on the dashboard and the ``next`` its form carries."""
    found = re.findall(r'/dashboard/recognitions/(\d+)/acknowledge".*?name="next" value="([^"]*)"', html, re.S)
    return {int(recognition_id): unescape(target) for recognition_id, target in found}


def test_acknowledging_on_the_dashboard_returns_to_the_next_waiting_item(staff, colleague, manager, sign_in, client):
    first = RecognitionFactory(giver=staff, recipients=[colleague])
    second = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(manager)
    html = client.get("/dashboard?period=30").get_data(as_text=True)
    forms = _waiting_forms(html)
    assert set(forms) == {first.id, second.id}
    assert f'id="recognition-{first.id}"' in html and f'id="recognition-{second.id}"' in html
    order = [int(found) for found in re.findall(r'id="recognition-(\d+)"', html)]
    leading, last = order[0], order[-1]
    assert forms[leading].startswith("/dashboard?period=30") and forms[leading].endswith(f"#recognition-{last}")
    assert forms[last].endswith("#heading-unacknowledged")  # the last one leads to the list's heading

    response = client.post_form(f"/dashboard/recognitions/{leading}/acknowledge", {"next": forms[leading]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dashboard?period=30#recognition-{last}")
    html = client.get("/dashboard?period=30").get_data(as_text=True)
    assert f'id="recognition-{last}"' in html and f'id="recognition-{leading}"' not in html


def test_an_over_long_note_on_the_dashboard_is_refused_and_kept(staff, colleague, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(manager)
    note = "Lovely work. " * 160  # 2,080 characters
    response = client.post_form(
        f"/dashboard/recognitions/{recognition.id}/acknowledge", {"note": note, "next": "/dashboard"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Please keep it under {MAX_NOTE:,} characters." in html
    assert textarea(html, "note") == note
    assert db.session.get(Recognition, recognition.id).acknowledged_at is None

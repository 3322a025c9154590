"""The public feedback form: what is stored, what is refused, and the spam defences."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa

from tracker.extensions import db
from tracker.feedback import spam
from tracker.models import AuditEvent, Case, Feedback, FeedbackStatus, Relation, Source


def _all_feedback():
    return list(db.session.scalars(sa.select(Feedback)))


def test_form_renders_with_unit_preselected_and_plain_questions(client, hospital):
    page = client.get("/feedback/ellison-12").get_data(as_text=True)
    assert '<option selected value="ellison-12">' in page
    assert "They helped when I looked lost" in page
    assert "interpreter" in page
    assert 'name="website"' in page and 'name="started"' in page


def test_unknown_unit_in_the_address_is_not_found(client, hospital):
    assert client.get("/feedback/no-such-unit").status_code == 404


def test_a_compliment_is_stored_as_written_and_confirmed_with_a_reference(send_feedback, client, hospital):
    words = "<script>alert('hi')</script> Maria & Jon were kind"
    response = send_feedback(
        "/feedback/ellison-12",
        message=words,
        staff_names="Maria, Jon",
        unit_slug="ellison-12",
        behaviors=["guides-the-lost", "introduces-self"],
        relation="family",
        contact_name="Ana Ruiz",
        contact_email="ana@example.com",
        contact_phone="+1 617 555 0123",
        consent_to_share="y",
        occurred_on="2024-05-01",
        occurred_when="night shift",
    )
    assert response.status_code == 302
    [feedback] = _all_feedback()
    assert feedback.message == words
    assert feedback.unit.slug == "ellison-12"
    assert feedback.status == FeedbackStatus.PENDING
    assert feedback.source == Source.PATIENT
    assert feedback.relation == Relation.FAMILY
    assert feedback.consent_to_share and not feedback.consent_to_wall
    assert sorted(s.key for s in feedback.standards) == ["advocate", "communicate"]
    assert feedback.language == "en"

    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert feedback.reference in thanks


def test_a_spanish_speaker_gets_the_form_in_spanish_and_their_language_is_kept(send_feedback, client, hospital):
    page = client.get("/feedback", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Enviar" in page
    send_feedback(message="Gracias a la enfermera María", headers={"Accept-Language": "es"})
    assert _all_feedback()[0].language == "es"


def test_a_concern_opens_a_case_with_deadlines(send_feedback, hospital):
    send_feedback(type="concern", message="Nobody answered the call bell for an hour.", unit_slug="white-6")
    [feedback] = _all_feedback()
    [case] = db.session.scalars(sa.select(Case)).all()
    assert feedback.status == FeedbackStatus.CONVERTED
    assert case.feedback_id == feedback.id and case.department.slug == "white-6"
    assert (case.acknowledge_by - case.opened_at.date()).days in (6, 7, 8)
    assert (case.resolve_by - case.acknowledge_by).days == 23


def test_bad_input_gets_messages_by_field_and_stores_nothing(send_feedback, hospital):
    response = send_feedback(
        message=" ",
        type="nonsense",
        unit_slug="nowhere",
        contact_email="not-an-email",
        contact_phone="call me maybe",
        occurred_on="31/31/2024",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please write a few words." in page
    assert "We do not know that unit" in page
    assert "like name@example.com" in page
    assert "phone number with digits" in page
    assert "date like 2024-05-31" in page
    assert 'id="contact_email-error"' in page
    assert _all_feedback() == []


def test_over_long_text_is_refused(send_feedback, hospital):
    page = send_feedback(message="x" * 5001).get_data(as_text=True)
    assert "under 5,000 characters" in page
    assert _all_feedback() == []


def test_a_filled_honeypot_is_refused(send_feedback, hospital):
    page = send_feedback(website="http://spam.example").get_data(as_text=True)
    assert "Please leave this field empty." in page
    assert _all_feedback() == []


def test_a_form_sent_too_fast_or_without_its_timestamp_is_refused(app, send_feedback, hospital):
    with app.test_request_context():
        just_now = spam.issue_started_token(now=time.time())
    assert "very quick" in send_feedback(started=just_now).get_data(as_text=True)
    assert "very quick" in send_feedback(started="forged").get_data(as_text=True)
    assert _all_feedback() == []


def test_a_form_returned_for_a_missing_answer_keeps_its_first_timestamp(send_feedback, started_long_ago, hospital):
    """Ticking the forgotten box and sending again at once must not be taken for a bot."""
    page = send_feedback(type=None).get_data(as_text=True)
    assert f'value="{started_long_ago}"' in page
    assert "very quick" not in page


def test_markup_is_shown_escaped_on_the_confirmation_and_moderation(send_feedback, sign_in, client, advocate):
    send_feedback(message="<b>bold</b> thanks", staff_names="<img src=x>")
    feedback = _all_feedback()[0]
    sign_in(advocate)
    page = client.get(f"/moderation/{feedback.id}").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<img src=x>" not in page


def test_staff_enter_a_paper_card(sign_in, client, staff, hospital):
    sign_in(staff)
    response = client.post_form(
        "/feedback/enter",
        {"source": "paper_card", "type": "compliment", "message": "Card: thank you Sam!", "staff_names": "Sam"},
    )
    assert response.status_code == 302
    [feedback] = _all_feedback()
    assert feedback.source == Source.PAPER_CARD and feedback.entered_by_id == staff.id
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(feedback.id)))


def test_staff_entry_needs_a_sign_in_and_a_real_source(client, sign_in, staff, hospital):
    assert client.get("/feedback/enter").status_code == 302
    sign_in(staff)
    page = client.post_form("/feedback/enter", {"source": "peer", "type": "compliment", "message": "x"})
    assert "Please choose where this came from." in page.get_data(as_text=True)
    assert _all_feedback() == []


def test_a_resent_form_stores_the_feedback_once(send_feedback, client, hospital):
    page = client.get("/feedback").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    first = send_feedback(submission_key=key)
    again = send_feedback(submission_key=key)
    assert first.status_code == again.status_code == 302
    assert len(_all_feedback()) == 1
    other_page = client.get("/feedback").get_data(as_text=True)
    assert key not in other_page  # each form shown carries a fresh key

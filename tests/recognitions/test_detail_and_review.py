"""Reading one recognition within scope, thank-you replies, acknowledgement, and the approval queue."""

import sqlalchemy as sa

from tests.factories import FeedbackFactory, PersonFactory, RecognitionFactory
from tracker import settings
from tracker.extensions import db
from tracker.models import AuditEvent, OutboxMessage, RecognitionStatus, Source, Visibility


def fresh(record):
    """Requests run in their own session: read the row again as they left it."""
    db.session.refresh(record)
    return record


def audit_actions():
    return [event.action for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def outbox_to():
    return sorted(db.session.scalars(sa.select(OutboxMessage.to_address)))


def test_the_story_is_shown_escaped(staff, colleague, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague], message='<script>alert("x")</script>')
    sign_in(colleague)
    html = client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert '<script>alert("x")' not in html


def test_the_page_names_each_person_with_their_role_and_unit_wall(staff, colleague, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(staff)
    html = client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    unit = colleague.department
    assert f"{colleague.name}, {colleague.job_title}" in html
    assert f'href="/wall?unit={unit.slug}"' in html


def test_only_advocates_are_led_to_the_patients_original_words(staff, advocate, sign_in, client):
    feedback = FeedbackFactory()
    recognition = RecognitionFactory(giver=None, source=Source.PATIENT, recipients=[staff], feedback_id=feedback.id)
    link = f'href="/moderation/{feedback.id}"'
    sign_in(staff)
    assert link not in client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    client.sign_out()
    sign_in(advocate)
    assert link in client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)


def test_a_private_recognition_is_a_404_outside_its_scope(staff, colleague, surgeon, manager, other_manager, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague], visibility=Visibility.PRIVATE)
    url = f"/recognitions/{recognition.id}"
    for person, status in [(surgeon, 404), (other_manager, 404), (colleague, 200), (staff, 200), (manager, 200)]:
        client.sign_in(person.email, "correct horse battery staple")
        assert client.get(url).status_code == status, person.name
        client.sign_out()
    assert client.get("/recognitions/999999").status_code == 302  # anonymous: sign in first


def test_a_recipient_says_thank_you_and_the_giver_hears_of_it(staff, colleague, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(colleague)
    response = client.post_form(f"/recognitions/{recognition.id}/reply", {"message": "Thank you, <em>Sam</em>!"})
    assert response.status_code == 302
    assert [reply.message for reply in recognition.replies] == ["Thank you, <em>Sam</em>!"]
    assert outbox_to() == [staff.email]
    html = client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    assert "Thank you, &lt;em&gt;Sam&lt;/em&gt;!" in html


def test_an_empty_or_over_long_reply_is_refused_by_its_field(staff, colleague, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(colleague)
    for message in ["", "y" * 2001]:
        response = client.post_form(f"/recognitions/{recognition.id}/reply", {"message": message})
        assert response.status_code == 422
        assert 'id="message-error"' in response.get_data(as_text=True)
    assert recognition.replies == []


def test_only_recipients_reply(staff, colleague, surgeon, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(staff)
    assert client.post_form(f"/recognitions/{recognition.id}/reply", {"message": "me too"}).status_code == 403
    client.sign_out()
    sign_in(surgeon)
    private = RecognitionFactory(giver=staff, recipients=[colleague], visibility=Visibility.PRIVATE)
    assert client.post_form(f"/recognitions/{private.id}/reply", {"message": "hi"}).status_code == 404


def test_a_manager_acknowledges_with_a_note_the_recipient_reads(staff, colleague, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(manager)
    assert "Acknowledge as their manager" in client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    response = client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": "Proud of you, Maria."})
    assert response.status_code == 302
    fresh(recognition)
    assert recognition.acknowledged_by == manager and recognition.acknowledgement_note == "Proud of you, Maria."
    assert audit_actions()[-1] == "recognition_acknowledged"
    client.sign_out()
    sign_in(colleague)
    html = client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    assert "Acknowledged by Dana Whitfield" in html and "Proud of you, Maria." in html


def test_managers_of_other_departments_and_colleagues_cannot_acknowledge(staff, colleague, surgeon, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    other = PersonFactory()
    sign_in(other)
    assert client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": ""}).status_code == 403
    fresh(recognition)
    assert recognition.acknowledged_at is None


def test_an_over_long_acknowledgement_note_is_refused(staff, colleague, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    sign_in(manager)
    response = client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": "n" * 2001})
    assert response.status_code == 422 and 'id="note-error"' in response.get_data(as_text=True)
    fresh(recognition)
    assert recognition.acknowledged_at is None


def test_the_approval_queue_holds_the_managers_own_people_only(staff, colleague, surgeon, manager, sign_in, client):
    mine = RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING, message="Mine")
    RecognitionFactory(giver=staff, recipients=[surgeon], status=RecognitionStatus.PENDING, message="Not mine")
    sign_in(manager)
    html = client.get("/recognitions/approvals").get_data(as_text=True)
    assert "Mine" in html and "Not mine" not in html
    assert f"/recognitions/{mine.id}/approve" in html


def test_approving_publishes_notifies_and_is_audited(staff, colleague, manager, sign_in, client):
    settings.set_value("approval_required", True)
    recognition = RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING)
    sign_in(manager)
    assert client.post_form(f"/recognitions/{recognition.id}/approve").status_code == 302
    fresh(recognition)
    assert recognition.status == RecognitionStatus.PUBLISHED and recognition.published_at is not None
    assert recognition.reviewed_by == manager
    assert audit_actions()[-1] == "recognition_approved"
    assert outbox_to() == [colleague.email]


def test_returning_needs_a_reason_and_tells_the_giver(staff, colleague, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING)
    sign_in(manager)
    refused = client.post_form(f"/recognitions/{recognition.id}/return", {"reason": "  "})
    assert refused.status_code == 422 and 'id="reason-error"' in refused.get_data(as_text=True)
    fresh(recognition)
    assert recognition.status == RecognitionStatus.PENDING
    assert (
        client.post_form(f"/recognitions/{recognition.id}/return", {"reason": "Please add the unit"}).status_code == 302
    )
    fresh(recognition)
    assert recognition.status == RecognitionStatus.REJECTED and recognition.review_note == "Please add the unit"
    assert audit_actions()[-1] == "recognition_returned"
    [message] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert message.to_address == staff.email and "Please add the unit" in message.body_text


def test_staff_cannot_reach_approvals_and_nobody_approves_out_of_scope(staff, surgeon, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[surgeon], status=RecognitionStatus.PENDING)
    sign_in(staff)
    assert client.get("/recognitions/approvals").status_code == 403
    client.sign_out()
    sign_in(manager)
    assert client.post_form(f"/recognitions/{recognition.id}/approve").status_code == 404
    fresh(recognition)
    assert recognition.status == RecognitionStatus.PENDING


def test_approving_is_a_post_only(staff, colleague, manager, sign_in, client):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING)
    sign_in(manager)
    assert client.get(f"/recognitions/{recognition.id}/approve").status_code == 405

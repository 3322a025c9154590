import sqlalchemy as sa

from tests.factories import PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import OutboxMessage, Role
from tracker.notifications.services import nearest_managers, queue_email, queue_recognition_notifications


def outbox_rows():
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.to_address)).all()


def test_recipients_and_their_nearest_managers_hear_of_a_recognition(app, staff, colleague, surgeon, manager):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague, surgeon], message="<b>Kind</b> & calm")
    queue_recognition_notifications(recognition)
    db.session.flush()
    rows = outbox_rows()
    # Maria and John as recipients; Dana manages Medicine (Maria's unit's parent); Surgery has no manager here.
    assert [row.to_address for row in rows] == ["john@example.org", "manager@example.org", "maria@example.org"]
    by_address = {row.to_address: row for row in rows}
    assert by_address["maria@example.org"].kind == "recognition_recipient"
    assert by_address["manager@example.org"].kind == "recognition_manager"
    maria = by_address["maria@example.org"]
    assert "Sam Okafor recognised you" in maria.subject
    assert "<b>Kind</b> & calm" in maria.body_text  # text is as written
    assert "&lt;b&gt;Kind&lt;/b&gt; &amp; calm" in maria.body_html  # HTML is escaped
    assert f"/recognitions/{recognition.id}" in maria.body_text
    assert maria.message_id.startswith("<") and maria.message_id.endswith(">")
    assert len({row.message_id for row in rows}) == 3


def test_nobody_who_turned_e_mails_off_is_written_to(app, staff, colleague, manager):
    colleague.email_notifications = False
    manager.email_notifications = False
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    assert queue_recognition_notifications(recognition) == []


def test_the_nearest_manager_is_chosen_over_one_higher_up(app, hospital, manager, colleague):
    unit_manager = PersonFactory(roles={Role.MANAGER}, manages=[hospital["ellison-12"]])
    assert nearest_managers({hospital["ellison-12"].id}) == [unit_manager]
    assert nearest_managers({hospital["ellison-14"].id}) == [manager]
    assert nearest_managers({hospital["white-6"].id}) == []


def test_a_manager_who_is_recognised_gets_one_e_mail_as_a_recipient(app, staff, manager):
    recognition = RecognitionFactory(giver=staff, recipients=[manager])
    messages = queue_recognition_notifications(recognition)
    assert [(m.to_address, m.kind) for m in messages] == [("manager@example.org", "recognition_recipient")]


def test_queue_email_renders_both_bodies(app, staff):
    with app.test_request_context():
        message = queue_email(
            "someone@example.org",
            "Subject",
            "email/returned.txt",
            "email/returned.html",
            "test",
            person=staff,
            recognition=RecognitionFactory(giver=staff, review_note="Please name the unit", reviewed_by=staff),
            link="http://x/recognitions/new",
        )
    assert "Please name the unit" in message.body_text
    assert message.body_html.startswith("<!doctype html>")

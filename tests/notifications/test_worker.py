"""The outbox worker against a real SMTP server on loopback: delivery, a server that is down, retries."""

from datetime import timedelta
from email import message_from_bytes

import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tests.notifications.smtp import SmtpServer
from tracker.extensions import db
from tracker.models import OutboxMessage, OutboxStatus, utcnow
from tracker.notifications import worker
from tracker.notifications.services import queue_recognition_notifications


def queued_recognition(staff, colleague, surgeon):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague, surgeon], message="Kind & <calm>")
    queue_recognition_notifications(recognition)
    db.session.commit()
    return recognition


def rows():
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_messages_are_delivered_over_smtp_with_text_and_html(app, smtp_server, staff, colleague, surgeon):
    queued_recognition(staff, colleague, surgeon)
    expected_ids = sorted(row.message_id for row in rows())

    result = worker.send_due()

    assert (result.sent, result.retrying, result.failed) == (2, 0, 0)
    assert sorted(smtp_server.handler.message_ids()) == expected_ids
    delivered = {message["To"]: message for message in smtp_server.handler.messages}
    maria = delivered["maria@example.org"]
    assert "recognised you" in maria["Subject"]
    assert maria["From"] == app.config["MAIL_SENDER"]
    text, html = (part.get_content_type() for part in maria.walk() if not part.is_multipart())
    assert (text, html) == ("text/plain", "text/html")
    assert all(row.status == OutboxStatus.SENT and row.sent_at is not None for row in rows())
    assert worker.send_due().sent == 0  # nothing is sent twice


def test_when_the_server_is_down_messages_wait_and_go_out_later(app, dead_smtp_port, staff, colleague, surgeon):
    queued_recognition(staff, colleague, surgeon)

    result = worker.send_due()

    assert (result.sent, result.retrying) == (0, 2)
    for row in rows():
        assert row.status == OutboxStatus.QUEUED and row.attempts == 1
        assert row.next_attempt_at > utcnow() and row.last_error
    with SmtpServer(dead_smtp_port) as server:
        assert worker.send_due().sent == 0  # not due yet: back-off
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert worker.send_due().sent == 2
        assert len(server.handler.messages) == 2
    assert all(row.status == OutboxStatus.SENT and row.last_error == "" for row in rows())


def test_a_refusing_server_means_back_off_and_finally_failed(app, smtp_server, staff, colleague, surgeon):
    queued_recognition(staff, colleague, surgeon)
    smtp_server.handler.before_accept = lambda number: "451 Try again later"
    for _attempt in range(worker.MAX_ATTEMPTS):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        worker.send_due()
    assert [row.status for row in rows()] == [OutboxStatus.FAILED, OutboxStatus.FAILED]
    assert all(row.attempts == worker.MAX_ATTEMPTS and "451" in row.last_error for row in rows())
    assert smtp_server.handler.messages == []


def test_the_back_off_doubles_and_has_a_ceiling():
    assert [worker.retry_delay(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert worker.retry_delay(30) == worker.LONGEST_RETRY


def test_a_stale_claim_from_a_dead_worker_is_taken_over(app, smtp_server, staff, colleague, surgeon):
    queued_recognition(staff, colleague, surgeon)
    claimed = worker.claim_batch()  # a worker claimed them ... and died
    assert len(claimed) == 2 and worker.send_due().sent == 0  # fresh claims are left alone
    assert worker.send_due(stale_after=timedelta(0)).sent == 2
    assert len(smtp_server.handler.messages) == 2


def test_without_a_mail_server_messages_become_eml_files(app, tmp_path, monkeypatch, staff, colleague, surgeon):
    monkeypatch.setitem(app.config, "MAIL_HOST", "")
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    queued_recognition(staff, colleague, surgeon)
    assert worker.send_due().sent == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = [message_from_bytes(path.read_bytes()) for path in files]
    assert sorted(message["Message-ID"] for message in parsed) == sorted(row.message_id for row in rows())


def test_the_outbox_send_command(app, runner, tmp_path, monkeypatch, staff, colleague, surgeon):
    monkeypatch.setitem(app.config, "MAIL_HOST", "")
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    queued_recognition(staff, colleague, surgeon)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output

"""The weekly manager digest."""

import os
import subprocess
import sys
from datetime import timedelta

import sqlalchemy as sa

from tests.factories import PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import OutboxMessage, Role, utcnow
from tracker.notifications.digest import queue_digests


def digests():
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "manager_digest")).all()


def test_a_manager_hears_of_the_week_and_of_what_waits_for_acknowledgement(
    staff, colleague, surgeon, manager, other_manager
):
    now = utcnow()
    RecognitionFactory(giver=staff, recipients=[colleague], published_at=now - timedelta(days=2), message="Recent")
    RecognitionFactory(
        giver=staff,
        recipients=[colleague],
        published_at=now - timedelta(days=20),
        acknowledged_at=now - timedelta(days=19),
        acknowledged_by=manager,
    )
    RecognitionFactory(giver=staff, recipients=[colleague], published_at=now - timedelta(days=30))
    assert queue_digests(now) == 1  # Lee manages Surgery, where nothing happened
    [digest] = digests()
    assert digest.to_address == manager.email
    assert "1 new, 2 to acknowledge" in digest.subject
    assert "people you manage were recognised 1 time." in digest.body_text
    assert "Maria Lopez" in digest.body_text
    assert "/recognitions/" in digest.body_html


def test_one_digest_per_manager_per_week(staff, colleague, manager):
    RecognitionFactory(giver=staff, recipients=[colleague], published_at=utcnow())
    now = utcnow()
    assert queue_digests(now) == 1
    assert queue_digests(now) == 0
    assert len(digests()) == 1


def test_managers_who_turned_e_mails_off_get_no_digest(staff, colleague, manager):
    manager.email_notifications = False
    RecognitionFactory(giver=staff, recipients=[colleague], published_at=utcnow())
    assert queue_digests() == 0


def test_the_notifications_digest_command_queues_them(runner, staff, colleague, manager, hospital):
    PersonFactory(roles={Role.MANAGER})  # manages nothing: nothing to say
    RecognitionFactory(giver=staff, recipients=[colleague], published_at=utcnow())
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    assert "queued 1 digests" in result.output
    assert [row.to_address for row in digests()] == [manager.email]


def test_the_old_digest_send_name_still_works_and_says_it_moved(runner, staff, colleague, manager, hospital):
    RecognitionFactory(giver=staff, recipients=[colleague], published_at=utcnow())
    result = runner.invoke(args=["digest", "send", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "queued 1 digests" in result.output and "now 'notifications digest'" in result.output
    assert [row.to_address for row in digests()] == [manager.email]
    assert runner.invoke(args=["digest", "send"]).exit_code == 0  # at most one per manager per week
    assert len(digests()) == 1


def test_flask_digest_send_exists_on_the_real_command_line():
    """Flask-Static-Digest owns ``flask digest``; ``send`` must be found there before the app loads."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "tracker", "digest", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, FLASK_DEBUG="1"),
    )
    assert result.returncode == 0, result.stderr
    assert "send" in result.stdout and "compile" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "tracker", "notifications", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, FLASK_DEBUG="1"),
    )
    assert result.returncode == 0, result.stderr
    assert "digest" in result.stdout

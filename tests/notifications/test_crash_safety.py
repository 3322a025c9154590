"""Workers in separate processes and threads on their own database: killed mid-batch, or side by side.

Nothing may be lost and nothing sent twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests import databases
from tests.conftest import make_test_config
from tests.notifications.smtp import SmtpServer
from tracker import create_app
from tracker.extensions import db
from tracker.models import OutboxMessage, OutboxStatus
from tracker.notifications import worker

pytestmark = pytest.mark.no_db_transaction


@pytest.fixture
def outbox_app(instance_path):
    with databases.fresh_database("outbox") as url:
        application = create_app(make_test_config(url, str(instance_path)))
        with application.app_context():
            upgrade()
        application.config["DATABASE_URL_FOR_TESTS"] = url
        yield application
        with application.app_context():
            db.engine.dispose()


def queue_messages(app, count: int) -> None:
    with app.app_context():
        for number in range(count):
            db.session.add(
                OutboxMessage(
                    kind="test",
                    message_id=f"<test-{number}@example.org>",
                    to_address=f"person{number}@example.org",
                    subject=f"Message {number}",
                    body_text=f"Body {number}",
                )
            )
        db.session.commit()


def statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all()
        db.session.rollback()
        return {str(status): count for status, count in rows}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(outbox_app, instance_path):
    queue_messages(outbox_app, 5)
    with SmtpServer() as server:
        victim: dict[str, subprocess.Popen] = {}

        def kill_on_the_third(number: int) -> str | None:
            # Two messages are accepted and committed; the third finds the worker killed before it is accepted.
            if number == 3 and "process" in victim:
                victim["process"].send_signal(signal.SIGKILL)
                victim["process"].wait(timeout=30)
                return "451 Worker went away"
            return None

        server.handler.before_accept = kill_on_the_third
        environment = dict(
            os.environ,
            DATABASE_URL=outbox_app.config["DATABASE_URL_FOR_TESTS"],
            SECRET_KEY="test-secret-key-for-the-worker-process",
            TRACKER_INSTANCE_PATH=str(instance_path),
            TRACKER_MAIL_HOST="127.0.0.1",
            TRACKER_MAIL_PORT=str(server.port),
        )
        victim["process"] = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tracker", "outbox", "send"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert victim["process"].wait(timeout=120) == -signal.SIGKILL
        assert statuses(outbox_app) == {"sent": 2, "sending": 3}

        # Later (the claim has gone stale) another worker takes over the three left behind.
        server.handler.before_accept = None
        outbox_app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=server.port)
        with outbox_app.app_context():
            assert worker.send_due(stale_after=timedelta(0)).sent == 3
        ids = server.handler.message_ids()
    assert sorted(ids) == [f"<test-{number}@example.org>" for number in range(5)]  # each exactly once
    assert statuses(outbox_app) == {"sent": 5}


def test_two_workers_at_once_never_send_the_same_message(outbox_app):
    queue_messages(outbox_app, 30)
    with SmtpServer() as server:
        outbox_app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=server.port)
        failures: list[BaseException] = []

        def run_worker():
            try:
                with outbox_app.app_context():
                    worker.send_due(limit=4)
            except BaseException as error:  # surfaced by the assertion below
                failures.append(error)

        threads = [threading.Thread(target=run_worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        ids = server.handler.message_ids()
    assert failures == []
    assert len(ids) == 30 and len(set(ids)) == 30
    assert statuses(outbox_app) == {str(OutboxStatus.SENT): 30}

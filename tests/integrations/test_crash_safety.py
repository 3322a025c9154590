"""A worker killed with SIGKILL while posting: the post it was sending is never posted again on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug import Response

from tests import databases
from tests.conftest import make_test_config
from tests.factories import DepartmentFactory
from tracker import create_app
from tracker.extensions import db
from tracker.integrations import delivery as worker
from tracker.integrations import events, services
from tracker.models import DeliveryStatus, Department, IntegrationDelivery, PostKind

pytestmark = pytest.mark.no_db_transaction


@pytest.fixture
def crash_app(instance_path):
    with databases.fresh_database("integrations") as url:
        application = create_app(make_test_config(url, str(instance_path)) | {"WEBHOOKS_ALLOW_LOOPBACK": True})
        with application.app_context():
            upgrade()
        application.config["DATABASE_URL_FOR_TESTS"] = url
        yield application
        with application.app_context():
            db.engine.dispose()


def statuses(app) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(sa.select(IntegrationDelivery.status).order_by(IntegrationDelivery.id)).all()
        db.session.rollback()
        return [str(status) for status in rows]


def test_a_worker_killed_mid_delivery_never_posts_that_message_twice(crash_app, httpserver, instance_path):
    with crash_app.app_context():
        DepartmentFactory(slug="ward", name="Ward")
        channel = services.connect_channel(
            db.session.scalar(sa.select(Department)), "slack", httpserver.url_for("/hook")
        )
        for number in range(3):
            events.queue(PostKind.TEST, f"test:{number}", {"text": f"post {number}"}, channel=channel)
        db.session.commit()

    victim: dict[str, subprocess.Popen] = {}
    bodies: list[str] = []

    def receive(request):
        bodies.append(request.get_json()["text"])
        if len(bodies) == 2:  # the second post reached Slack; the worker dies before hearing the answer
            victim["process"].send_signal(signal.SIGKILL)
            victim["process"].wait(timeout=30)
        return Response("ok")

    httpserver.expect_request("/hook").respond_with_handler(receive)
    environment = dict(
        os.environ,
        DATABASE_URL=crash_app.config["DATABASE_URL_FOR_TESTS"],
        SECRET_KEY=crash_app.config["SECRET_KEY"],  # the addresses were encrypted with a key derived from it
        TRACKER_INSTANCE_PATH=str(instance_path),
        TRACKER_WEBHOOKS_ALLOW_LOOPBACK="true",
    )
    victim["process"] = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tracker", "outbox", "send"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert victim["process"].wait(timeout=120) == -signal.SIGKILL
    assert statuses(crash_app) == ["delivered", "sending", "queued"]

    # Later another worker runs: the one in doubt is marked interrupted, not sent; the rest go out.
    with crash_app.app_context():
        result = worker.send_due(stale_after=timedelta(0))
        assert (result.interrupted, result.delivered) == (1, 1)
        assert worker.send_due(stale_after=timedelta(0)).delivered == 0
    assert bodies == ["post 0", "post 1", "post 2"]  # each exactly once
    assert statuses(crash_app) == ["delivered", str(DeliveryStatus.INTERRUPTED), "delivered"]

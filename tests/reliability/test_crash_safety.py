"""Crash safety: ``kill -9`` the server while writes are in flight, and the outbox worker mid-delivery.

After the server is killed and started again, the database passes its integrity checks, every
submission that was acknowledged is there exactly once, and clients that heard nothing can resend
with the same Idempotency-Key without creating anything twice. The outbox worker is killed while
the mail server holds a message; after the next run every queued e-mail has arrived exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.reliability import harness, integrity
from tests.reliability.load import LoadRun, prepare_database
from tests.reliability.mail_sink import MailSink

pytestmark = [pytest.mark.no_db_transaction, pytest.mark.load]

CLIENTS = 16
PER_CLIENT = 12
ACKNOWLEDGED_BEFORE_KILL = 40
HOLD_AT = 6  # the outbox worker is killed while the mail server holds the sixth message
WORKER_TIMEOUT_SECONDS = 120


def kill_when_busy(run: LoadRun, server: harness.Gunicorn, killed: threading.Event) -> None:
    """Wait for enough acknowledged writes, then ``kill -9`` the server with requests in flight."""
    deadline = time.monotonic() + 120
    while len(run.acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    killed.set()
    run.stop.set()


def test_kill_9_server_mid_write_then_restart(tmp_path, database_url, backend, report):
    population = prepare_database(database_url, tmp_path, givers=CLIENTS)
    environment = harness.server_environment(database_url, tmp_path)
    log = tmp_path / "gunicorn.log"
    server = harness.Gunicorn(environment, log).start()
    killed = threading.Event()
    try:
        run = LoadRun(population, [server.port], label="kill -9 gunicorn mid-run", database=backend, clients=CLIENTS)
        killer = threading.Thread(target=kill_when_busy, args=(run, server, killed))
        killer.start()
        run.run(PER_CLIENT)
        killer.join(timeout=150)
        assert killed.is_set()
        cut_off = run.figures.errors
        server = harness.Gunicorn(environment, log).start()
        run.ports = [server.port]
        run.resend_unanswered()
    finally:
        server.stop()
    found = integrity.problems(database_url)
    figures = run.count_stored(database_url)
    report(figures.line())
    assert not found, found
    assert cut_off > 0, "the kill should have cut requests off"
    assert figures.lost == 0
    assert figures.duplicated == 0
    # Only form posts cut off by the kill may stay unanswered: API clients resent theirs.
    assert not run.pending_api()
    assert figures.acknowledged >= ACKNOWLEDGED_BEFORE_KILL


OUTBOX_SEND = [sys.executable, "-m", "flask", "--app", "tracker", "outbox", "send", "--batch-size", "4"]


def outbox_rows(database_url: str) -> tuple[set[str], dict[str, int]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            ids = set(connection.scalars(sa.text("SELECT message_id FROM outbox")))
            rows = connection.execute(sa.text("SELECT status, count(*) FROM outbox GROUP BY status")).all()
            statuses = {status: count for status, count in rows}
    finally:
        engine.dispose()
    return ids, statuses


def let_fifteen_minutes_pass(database_url: str) -> None:
    """A killed worker's claims are taken over after 15 minutes; move them back instead of waiting."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE outbox SET claimed_at = :then WHERE status = 'sending'"),
                {"then": datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)},
            )
    finally:
        engine.dispose()


def test_kill_9_outbox_worker_mid_delivery(tmp_path, database_url, backend, report):
    population = prepare_database(database_url, tmp_path, givers=8)
    environment = harness.server_environment(database_url, tmp_path)
    with harness.Gunicorn(environment, tmp_path / "gunicorn.log", workers=2) as server:
        run = LoadRun(population, [server.port], label="outbox", database=backend, clients=8)
        run.run(3)  # recognitions queue their e-mails in the same transaction
    expected, _ = outbox_rows(database_url)
    assert len(expected) > HOLD_AT + 4
    log_path = tmp_path / "worker.log"
    with MailSink(hold_at=HOLD_AT) as sink, log_path.open("ab") as log:
        mail = {**environment, "TRACKER_MAIL_HOST": "127.0.0.1", "TRACKER_MAIL_PORT": str(sink.port)}
        worker = subprocess.Popen(
            OUTBOX_SEND, cwd=harness.ROOT, env=mail, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            assert sink.handler.holding.wait(WORKER_TIMEOUT_SECONDS), log_path.read_text(errors="replace")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
        sink.handler.release.set()
        delivered_before_restart = sum(sink.handler.received().values())
        let_fifteen_minutes_pass(database_url)
        subprocess.run(
            OUTBOX_SEND, cwd=harness.ROOT, env=mail, stdout=log, stderr=subprocess.STDOUT, timeout=120, check=True
        )
        received = sink.handler.received()
    _, statuses = outbox_rows(database_url)
    twice = sorted(message_id for message_id, count in received.items() if count > 1)
    lost = sorted(expected - received.keys())
    report(
        f"kill -9 outbox worker mid-delivery [{backend}]: queued={len(expected)} "
        f"delivered_before_kill={delivered_before_restart} delivered={sum(received.values())} "
        f"distinct={len(received)} lost={len(lost)} sent_twice={len(twice)}"
    )
    assert delivered_before_restart == HOLD_AT - 1
    assert statuses == {"sent": len(expected)}
    assert not lost
    assert not twice
    assert received.keys() == expected

"""Redis, which holds the shared rate-limit counters, goes away under a real gunicorn.

Nothing answers 500 and no limit is dropped: each process counts in its own memory (with a
warning in the log) until Redis is back, and ``/healthz`` says the counting is degraded.
"""

from __future__ import annotations

import json

import pytest

from tests import databases
from tests.reliability import harness
from tests.reliability.load import prepare_database
from tests.reliability.servers import OwnRedis
from tracker.home.services import SHARED_COUNTING_LOST

pytestmark = [pytest.mark.no_db_transaction, pytest.mark.load]

ACCOUNT_ATTEMPTS = 3


def health(port: int) -> tuple[int, dict]:
    reply = harness.send(port, "GET", "/healthz")
    return reply.status, json.loads(reply.body)


def test_rate_limits_fall_back_to_each_process_while_redis_is_down(tmp_path, report):
    with OwnRedis() as redis_server, databases.fresh_database("redis_outage") as url:
        prepare_database(url, tmp_path, givers=1)
        environment = harness.server_environment(
            url,
            tmp_path,
            RATELIMIT_ENABLED="true",
            RATELIMIT_STORAGE_URI=redis_server.url,
            RATELIMIT_LOGIN="100 per minute",
            RATELIMIT_LOGIN_ACCOUNT=f"{ACCOUNT_ATTEMPTS} per 15 minutes",
        )
        with harness.Gunicorn(environment, tmp_path / "gunicorn.log", workers=1) as server:
            assert health(server.port) == (200, {"status": "ok", "database": "ok", "rate_limits": "shared"})

            redis_server.stop()
            statuses = harness.failed_sign_ins([server.port], "giver0@load.test", ACCOUNT_ATTEMPTS + 2)
            feedback = harness.send(
                server.port,
                "POST",
                "/api/v1/feedback",
                json.dumps({"type": "suggestion", "message": "More chairs in the waiting room."}).encode(),
                {"Content-Type": "application/json"},
            )
            during = health(server.port)
            report(f"Redis stopped under gunicorn: sign-ins {statuses}, feedback {feedback.status}, health {during}")

            assert statuses == [401] * ACCOUNT_ATTEMPTS + [429, 429], server.log_tail()
            assert feedback.status == 201, feedback.text
            assert during == (200, {"status": "degraded", "database": "ok", "rate_limits": SHARED_COUNTING_LOST})
            assert "falling back to in-memory storage" in server.log_tail(200)

            redis_server.start()
            assert health(server.port) == (200, {"status": "ok", "database": "ok", "rate_limits": "shared"})

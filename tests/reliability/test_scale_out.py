"""Scale-out: two app instances on different ports share one PostgreSQL and one Redis.

Requests alternate between the instances; nothing is lost or stored twice, and a rate limit is
counted across both (the limiter's storage is Redis, not a process's memory).
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from tests import databases
from tests.reliability import harness
from tests.reliability.load import LoadRun, prepare_database

REDIS_URL = os.environ.get("TRACKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
CLIENTS = 32
PER_CLIENT = 6
FAILED_SIGN_INS_ALLOWED = 4

pytestmark = [
    pytest.mark.no_db_transaction,
    pytest.mark.load,
    pytest.mark.skipif(
        databases.backend() != "postgresql",
        reason="several app hosts share PostgreSQL; the SQLite run covers one host (test_concurrency)",
    ),
]


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("TRACKER_REQUIRE_SERVICES"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def test_two_instances_share_postgresql_and_redis(tmp_path, database_url, backend, redis_url, report):
    population = prepare_database(database_url, tmp_path)
    environment = harness.server_environment(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED="true",
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=f"scale-out-{uuid.uuid4().hex}",  # this run's counters only
        RATELIMIT_PUBLIC_FORM="10000 per hour",
        RATELIMIT_LOGIN="100 per minute",
        RATELIMIT_LOGIN_ACCOUNT=f"{FAILED_SIGN_INS_ALLOWED} per 15 minutes",
    )
    first = harness.Gunicorn(environment, tmp_path / "first.log", workers=2)
    second = harness.Gunicorn(environment, tmp_path / "second.log", workers=2)
    with first, second:
        ports = [first.port, second.port]
        run = LoadRun(population, ports, label="two instances, PostgreSQL + Redis", database=backend, clients=CLIENTS)
        figures = run.run(PER_CLIENT)
        statuses = harness.failed_sign_ins(ports, "giver0@load.test", FAILED_SIGN_INS_ALLOWED + 2)
        logs = first.log_tail() + "\n" + second.log_tail()
    run.count_stored(database_url)
    report(figures.line())
    report(f"failed sign-ins for one account, alternating instances [{backend}]: {statuses}")
    assert not figures.problems, "\n".join(figures.problems[:20]) + "\n" + logs
    assert figures.errors == 0
    assert figures.acknowledged == CLIENTS * PER_CLIENT
    assert (figures.lost, figures.duplicated) == (0, 0)
    assert figures.stored == figures.acknowledged
    # Four failures are counted across both instances; the fifth attempt, wherever it lands, is refused.
    assert statuses == [401] * FAILED_SIGN_INS_ALLOWED + [429, 429]

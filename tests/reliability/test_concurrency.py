"""Many people submitting at once: real gunicorn workers, 32 concurrent clients, nothing lost or doubled."""

from __future__ import annotations

import pytest

from tests.reliability import harness
from tests.reliability.load import LoadRun, prepare_database, rollup_differences

pytestmark = [pytest.mark.no_db_transaction, pytest.mark.load]

CLIENTS = 32
PER_CLIENT = 6


def test_32_clients_against_4_gunicorn_workers(tmp_path, database_url, backend, report):
    population = prepare_database(database_url, tmp_path)
    environment = harness.server_environment(database_url, tmp_path)
    with harness.Gunicorn(environment, tmp_path / "gunicorn.log", workers=4) as server:
        run = LoadRun(population, [server.port], label="gunicorn -w 4, one instance", database=backend, clients=CLIENTS)
        figures = run.run(PER_CLIENT)
        log = server.log_tail()
    run.count_stored(database_url)
    report(figures.line())
    assert not figures.problems, "\n".join(figures.problems[:20]) + "\n" + log
    assert figures.errors == 0
    assert figures.acknowledged == CLIENTS * PER_CLIENT
    assert (figures.lost, figures.duplicated) == (0, 0)
    assert figures.stored == figures.acknowledged
    # Concurrent writers met on shared roll-up rows: no increment lost, none counted twice.
    assert rollup_differences(database_url) == []

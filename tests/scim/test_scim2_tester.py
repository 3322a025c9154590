"""scim2-tester, the conformance checker of the scim2-models authors, against the app served by gunicorn.

The app runs as in production (gunicorn on loopback, a fresh migrated database of the suite's backend,
a SCIM token made as the ``scim token create`` command makes it) and the tester discovers what
``ServiceProviderConfig``, ``ResourceTypes`` and ``Schemas`` publish, then creates, reads, replaces,
patches and deletes Users and Groups with random values. Every check that applies must pass;
checks of features the server does not advertise (bulk, sort, ETags, …) the tester skips itself.
"""

from __future__ import annotations

import time
from collections import Counter

import httpx2
import pytest
from flask_migrate import upgrade
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from tests import databases
from tests.reliability import harness
from tracker import create_app
from tracker.extensions import db
from tracker.models import Person, Role
from tracker.organisation import create_department
from tracker.scim import auth

pytestmark = pytest.mark.no_db_transaction

PASSED = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}
FAILED = {Status.ERROR, Status.CRITICAL, Status.DEVIATION}
TIME_LIMIT_SECONDS = 60


def _prepare(database_url: str) -> str:
    """Migrate the database, add a hospital and its administrator, and make a SCIM token."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": harness.SECRET_KEY, "RATELIMIT_ENABLED": False}
    )
    with app.app_context():
        upgrade()
        hospital = create_department("hospital", "General Hospital", None)
        admin = Person(name="Morgan Reyes", email="admin@example.org", department=hospital)
        admin.set_roles({Role.ADMIN})
        db.session.add(admin)
        token = auth.create_token("scim2-tester")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return token


@pytest.fixture
def served(tmp_path):
    """``(port, token)`` of the app under gunicorn, on a database of its own."""
    with databases.fresh_database("scim") as url:
        token = _prepare(url)
        with harness.Gunicorn(
            harness.server_environment(url, tmp_path), tmp_path / "gunicorn.log", workers=2
        ) as server:
            yield server, token


def _describe(result) -> str:
    where = f"{result.resource_type}: " if result.resource_type else ""
    return f"{result.status.name} {where}{result.title}: {result.reason}\n    data: {str(result.data)[:600]}"


def test_scim2_tester_passes_every_check_for_users_and_groups(served, capsys):
    server, token = served
    http = httpx2.Client(
        base_url=f"http://127.0.0.1:{server.port}/scim/v2/",
        headers={"Authorization": f"Bearer {token}"},
        timeout=harness.REQUEST_TIMEOUT_SECONDS,
    )
    started = time.monotonic()
    with http:
        results = check_server(SyncSCIMClient(http), resource_types=["User", "Group"])
    seconds = time.monotonic() - started

    counts = Counter(result.status for result in results)
    passed = sum(counts[status] for status in PASSED)
    failed = [result for result in results if result.status in FAILED]
    with capsys.disabled():
        print(
            f"\n[scim2-tester] {passed} checks passed, {len(failed)} failed, "
            f"{counts[Status.SKIPPED]} skipped (features the server does not offer) "
            f"[{databases.backend()}, {seconds:.1f}s]"
        )
    checked = {result.resource_type for result in results if result.status in PASSED}
    assert {"User", "Group"} <= checked, f"no check ran for some resource types: {checked}"
    assert not failed, "\n".join(_describe(result) for result in failed) + "\n" + server.log_tail()
    assert seconds < TIME_LIMIT_SECONDS

"""Schemathesis fuzzes the live API from its own OpenAPI document, once per role and once signed out.

Every check Schemathesis has (``--checks all``: server errors, status codes, content types, headers
and bodies against the document, schema-valid requests accepted and schema-violating ones refused,
missing headers, unsupported methods, ignored authentication, use after delete, resource
availability, object-level authorization) plus ``refused_only_for_data`` from
``schemathesis_hooks.py``, in both generation modes, through its coverage, fuzzing and stateful
phases (the stateful phase follows the document's links). Any failure of any kind fails the test.
The five runs go in parallel against one threaded server and are bounded by examples per operation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tests import databases
from tests.conftest import make_test_config
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory
from tracker import create_app, phi
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import Role

pytestmark = pytest.mark.no_db_transaction

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
ROLES = ["staff", "manager", "advocate", "admin"]
EXAMPLES = 5  # per operation and phase; the coverage phase adds its own boundary cases
DEADLINE = 420  # seconds for each run; normally they all finish within about three minutes


def _populate() -> dict[str, str]:
    """A small hospital with one person per role and a few recognitions; returns a token per role."""
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    ward = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine)
    people = {
        "staff": PersonFactory(department=ward),
        "manager": PersonFactory(department=ward, roles={Role.MANAGER}, manages=[medicine]),
        "advocate": PersonFactory(department=root, roles={Role.ADVOCATE}),
        "admin": PersonFactory(department=root, roles={Role.ADMIN}),
    }
    colleague = PersonFactory(department=ward)
    RecognitionFactory(giver=people["staff"], recipients=[colleague])
    RecognitionFactory(giver=colleague, recipients=[people["staff"]])
    return {role: create_token(person, "schemathesis") for role, person in people.items()}


@pytest.fixture(scope="module")
def live_api(instance_path):
    with databases.fresh_database("schema") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        with app.app_context():
            upgrade()
            tokens = _populate()
            db.session.commit()
        phi.warm()  # as each gunicorn worker does at start (deploy/gunicorn.conf.py)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"url": f"http://127.0.0.1:{server.server_port}", "tokens": tokens}
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()


def _run(url: str, caller: str, token: str | None, report: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "--no-color",
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "1",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    environment = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_api_honours_its_own_document_as_every_role(live_api, tmp_path):
    """No failure of any check, as each role and signed out; the figures are printed for docs/reliability.md."""
    callers = {role: live_api["tokens"][role] for role in ROLES} | {"signed out": None}
    runs = {
        caller: (_run(live_api["url"], caller, token, tmp_path / f"{caller}.json"), tmp_path / f"{caller}.json")
        for caller, token in callers.items()
    }
    failed = {}
    for caller, (process, report_path) in runs.items():
        try:
            output, _ = process.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            failed[caller] = "timed out\n" + output[-4000:]
            continue
        report = json.loads(report_path.read_text())
        cases = report["test_cases"]
        print(
            f"[schemathesis] {caller}: {report['operations']['tested']} operations, {cases['generated']} cases, "
            f"{cases['with_failures']} with failures, {len(report['errors'])} errors, "
            f"{report['running_time']:.0f} s"
        )
        if process.returncode != 0 or cases["with_failures"] or report["errors"]:
            failed[caller] = output[-6000:]
    assert not failed, "\n\n".join(f"=== {caller}\n{output}" for caller, output in failed.items())


def test_every_check_schemathesis_offers_is_run():
    """``--checks all`` includes the project's own check, so a renamed hook cannot silently drop out."""
    from schemathesis.checks import CHECKS, load_all_checks

    import tests.api.schemathesis_hooks  # noqa: F401  (registers the check)

    load_all_checks()
    names = set(CHECKS.get_all_names())
    assert {"positive_data_acceptance", "negative_data_rejection", "use_after_free", "ignored_auth"} <= names
    assert "refused_only_for_data" in names

"""Schemathesis fuzzes the live API from its own OpenAPI document, signed in as each role.

No request may cause a server error, and every answer must match the document (status code,
content type, body schema). Examples are bounded so the whole run stays within a few minutes.
"""

from __future__ import annotations

import threading

import pytest
import schemathesis
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from tests import databases
from tests.conftest import make_test_config
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory
from tracker import create_app
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import Role

pytestmark = pytest.mark.no_db_transaction

ROLES = ["staff", "manager", "advocate", "admin"]
NO_INPUT = ("/openapi.json", "/awards", "/judging/assignments")
EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


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
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"url": f"http://127.0.0.1:{server.server_port}", "tokens": tokens}
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(live_api):
    return schemathesis.openapi.from_url(live_api["url"] + "/api/v1/openapi.json")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_honours_its_own_document(live_api, api_schema, mode):
    """Every documented operation, with generated requests sent once per role and once signed out."""
    callers = [{"Authorization": f"Bearer {live_api['tokens'][role]}"} for role in ROLES] + [{}]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        if operation.path.endswith(NO_INPUT[0]) or (
            mode == GenerationMode.NEGATIVE and operation.path.endswith(NO_INPUT)
        ):
            continue  # these take no input: nothing to fuzz (the document is not fuzzed at all)

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case):
            for headers in callers:
                case.call_and_validate(base_url=live_api["url"], headers=headers, checks=CHECKS)

        check()

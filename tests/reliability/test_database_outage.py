"""The database goes away: every request, signed in or not, answers 503 honestly, and the app recovers.

A PostgreSQL of the test's own is stopped under a real gunicorn; SQLite is made unreachable (its
folder moved away) and full (its page count capped, which raises SQLite's own "database or disk
is full"). Signed-in answers must be 503 like anonymous ones (nothing in error handling may load
the user), and a refused write must say it was not saved.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import event

from tests.conftest import make_test_config
from tests.factories import PASSWORD, DepartmentFactory, PersonFactory
from tests.helpers import BrowserLikeClient
from tests.reliability import harness
from tests.reliability.load import prepare_database
from tests.reliability.servers import OwnPostgres, postgres_binaries
from tracker import create_app
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.feedback import spam
from tracker.models import Feedback

pytestmark = [pytest.mark.no_db_transaction]

NOT_SAVED = "We could not save this"
FALSE_PROMISE = "Nothing you sent is lost"


def _session_cookie(person_id: int) -> str:
    """The cookie a browser holds after signing in, signed with the server's secret."""
    app = create_app({"SECRET_KEY": harness.SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    serializer = app.session_interface.get_signing_serializer(app)
    return "session=" + serializer.dumps({"_user_id": f"{person_id}.1", "_fresh": True})  # Person.get_id()


@pytest.mark.load
@pytest.mark.skipif(postgres_binaries() is None, reason="PostgreSQL server binaries are not installed")
def test_signed_in_requests_answer_503_while_postgresql_is_stopped(tmp_path, report):
    with OwnPostgres() as postgres:
        population = prepare_database(postgres.url, tmp_path, givers=2)
        engine = sa.create_engine(postgres.url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as connection:
            giver_id = connection.scalar(sa.text("SELECT id FROM people WHERE email = 'giver0@load.test'"))
        engine.dispose()
        bearer = {"Authorization": f"Bearer {population.tokens[0]}"}
        browser = {"Cookie": _session_cookie(giver_id)}
        feedback = json.dumps({"type": "suggestion", "message": "More chairs in the waiting room."}).encode()
        api_write = {"Content-Type": "application/json"}
        environment = harness.server_environment(postgres.url, tmp_path)
        with harness.Gunicorn(environment, tmp_path / "gunicorn.log", workers=2) as server:
            assert harness.send(server.port, "GET", "/api/v1/recognitions", headers=bearer).status == 200
            assert harness.send(server.port, "GET", "/", headers=browser).status == 200

            postgres.stop()
            answers = {
                "api read, bearer": harness.send(server.port, "GET", "/api/v1/recognitions", headers=bearer),
                "page, signed in": harness.send(server.port, "GET", "/", headers=browser),
                "page, anonymous": harness.send(server.port, "GET", "/feedback"),
                "api write, anonymous": harness.send(server.port, "POST", "/api/v1/feedback", feedback, api_write),
                "api write, bearer": harness.send(
                    server.port, "POST", "/api/v1/feedback", feedback, api_write | bearer
                ),
                "health": harness.send(server.port, "GET", "/healthz"),
            }
            statuses = {name: reply.status for name, reply in answers.items()}
            report(f"PostgreSQL stopped under gunicorn: {statuses}")
            assert set(statuses.values()) == {503}, server.log_tail()
            for name, reply in answers.items():
                assert FALSE_PROMISE not in reply.text, name
            for name in ("api write, anonymous", "api write, bearer"):
                assert NOT_SAVED in json.loads(answers[name].body)["error"]["message"]
            assert answers["page, signed in"].headers.get("cache-control") == "no-store"
            assert "briefly unavailable" in answers["page, signed in"].text
            assert "Exception on /" not in server.log_path.read_text(errors="replace")  # no unhandled error

            postgres.start()
            recovered = [
                harness.send(server.port, "GET", "/api/v1/recognitions", headers=bearer).status for _ in range(3)
            ]
            assert recovered[-1] == 200, server.log_tail()
            assert harness.send(server.port, "GET", "/", headers=browser).status == 200


@pytest.fixture
def sqlite_app(tmp_path, instance_path):
    """An app on a SQLite file in a folder of its own, migrated, with one staff member and a token."""
    folder = tmp_path / "database"
    folder.mkdir()
    app = create_app(make_test_config(f"sqlite:///{folder / 'tracker.db'}", str(instance_path)))
    app.test_client_class = BrowserLikeClient
    with app.app_context():
        upgrade()
        unit = DepartmentFactory(slug="ellison-12", name="Ellison 12")
        person = PersonFactory(email="nurse@outage.test", department=unit)
        token = create_token(person, "outage")
        db.session.commit()
    app.extensions["outage"] = {"folder": folder, "token": token}
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_signed_in_requests_answer_503_while_sqlite_is_unreachable(sqlite_app):
    folder: Path = sqlite_app.extensions["outage"]["folder"]
    bearer = {"Authorization": f"Bearer {sqlite_app.extensions['outage']['token']}"}
    client = sqlite_app.test_client()
    client.sign_in("nurse@outage.test", PASSWORD)
    assert client.get("/").status_code == 200
    moved = folder.with_name("moved-away")
    folder.rename(moved)
    with sqlite_app.app_context():
        db.engine.dispose()  # the pooled connections go; new ones cannot open the file
    try:
        page = client.get("/")
        api = client.get("/api/v1/recognitions", headers=bearer)
        write = client.post("/api/v1/feedback", json={"type": "concern", "message": "Cold food."}, headers=bearer)
    finally:
        moved.rename(folder)
    assert (page.status_code, api.status_code, write.status_code) == (503, 503, 503)
    assert page.headers["Cache-Control"] == "no-store"
    assert NOT_SAVED in write.get_json()["error"]["message"]
    assert FALSE_PROMISE not in page.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_a_full_disk_refuses_writes_honestly_and_stores_nothing(sqlite_app):
    """SQLite's page count capped at its current size: the next write fails as on a full disk."""
    client = sqlite_app.test_client()
    with sqlite_app.test_request_context():
        started = spam.issue_started_token(now=time.time() - 60)  # filled in over a minute, like a person
    with sqlite_app.app_context():
        engine = db.engine
        engine.dispose()

        def cap(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages}")
            cursor.close()

        event.listen(engine, "connect", cap)
    message = "The call bell was not answered for a long time. " * 90
    try:
        api = client.post("/api/v1/feedback", json={"type": "concern", "message": message})
        form = client.post_form("/feedback", {"type": "concern", "message": message, "started": started, "website": ""})
    finally:
        with sqlite_app.app_context():
            event.remove(engine, "connect", cap)
            engine.dispose()
    assert api.status_code == 503, api.get_data(as_text=True)
    assert NOT_SAVED in api.get_json()["error"]["message"]
    assert form.status_code == 503
    assert NOT_SAVED in form.get_data(as_text=True)
    assert FALSE_PROMISE not in form.get_data(as_text=True)
    with sqlite_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 0


def test_the_outage_message_is_translated(sqlite_app):
    folder: Path = sqlite_app.extensions["outage"]["folder"]
    client = sqlite_app.test_client()
    shutil.move(folder, folder.with_name("gone"))
    with sqlite_app.app_context():
        db.engine.dispose()
    try:
        reply = client.post(
            "/api/v1/feedback", json={"type": "concern", "message": "x"}, headers={"Accept-Language": "es"}
        )
    finally:
        shutil.move(folder.with_name("gone"), folder)
    assert reply.status_code == 503
    assert reply.get_json()["error"]["message"] == "No pudimos guardar esto; vuelva a intentarlo en unos minutos."

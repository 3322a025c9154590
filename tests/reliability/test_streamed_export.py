"""The audit trail's CSV export through a real gunicorn: the whole file arrives, and only a delivered file is audited.

The test client runs a streamed response inside the request's context, which hides a stream that
needs the application after the view has returned. Here gunicorn sends the file, and the trail is
large (about 12 MB) so that the server is still streaming, blocked on the socket, while the test
looks at the database and while a client hangs up part-way through.
"""

from __future__ import annotations

import codecs
import csv
import http.client
import io
import socket
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests import databases
from tests.factories import PASSWORD
from tests.reliability import harness
from tracker import create_app
from tracker.admin.audit_trail import CSV_COLUMNS
from tracker.extensions import db
from tracker.models import AuditEvent, Person, Role, utcnow
from tracker.organisation import create_department

pytestmark = [pytest.mark.no_db_transaction, pytest.mark.load]

ADMIN_EMAIL = "admin@export.test"
EVENTS = 4000
NOTE = "A long note that makes every row about three kilobytes. " * 54  # so the file outgrows socket buffers
EXPORT = "/admin/audit.csv?" + urlencode({"action": "record_viewed"})
FIRST_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A migrated database with an admin and a long trail, and gunicorn serving it."""
    instance = tmp_path_factory.mktemp("export-instance")
    with databases.fresh_database("export") as url:
        admin_id = _prepare(url, str(instance))
        engine = sa.create_engine(url)
        environment = harness.server_environment(url, instance)
        try:
            with harness.Gunicorn(environment, instance / "gunicorn.log", workers=2) as server:
                yield server, engine, admin_id
        finally:
            engine.dispose()


def _prepare(url: str, instance: str) -> int:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": harness.SECRET_KEY,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "MAIL_DIR": f"{instance}/mail",
        }
    )
    with app.app_context():
        upgrade()
        admin = Person(name="Morgan Reyes", email=ADMIN_EMAIL, department=create_department("hospital", "Hospital"))
        admin.set_roles({Role.ADMIN})
        admin.set_password(PASSWORD)
        db.session.add(admin)
        db.session.flush()
        start = utcnow() - timedelta(days=1)
        rows = [
            {
                "created_at": start + timedelta(seconds=n),
                "actor_id": admin.id,
                "action": "record_viewed",
                "object_type": "case",
                "object_id": str(n),
                "ip_address": "127.0.0.1",
                "details": {"note": NOTE},
            }
            for n in range(EVENTS)
        ]
        db.session.execute(sa.insert(AuditEvent), rows)
        db.session.commit()
        admin_id = admin.id
        db.session.remove()
        db.engine.dispose()
    return admin_id


def _request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """An HTTP/1.1 exchange on a socket with a small receive buffer, so the server's writes block early."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
    sock.settimeout(harness.REQUEST_TIMEOUT_SECONDS)
    sock.connect(("127.0.0.1", port))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=harness.REQUEST_TIMEOUT_SECONDS)
    connection.sock = sock
    connection.request(method, path, body=body, headers=headers or {})
    return connection, connection.getresponse()


def _session_cookie(response: http.client.HTTPResponse, previous: str = "") -> str:
    for cookie in response.msg.get_all("Set-Cookie") or []:
        if cookie.startswith("session="):
            return cookie.split(";", 1)[0]
    return previous


def _sign_in(port: int) -> str:
    connection, page = _request(port, "GET", "/login")
    html = page.read().decode()
    connection.close()
    cookie = _session_cookie(page)
    body = urlencode(
        {"csrf_token": harness.first_group(harness.CSRF_FIELD, html), "email": ADMIN_EMAIL, "password": PASSWORD}
    ).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    connection, reply = _request(port, "POST", "/login", body, headers)
    reply.read()
    connection.close()
    assert reply.status == 302, reply.status
    return _session_cookie(reply, cookie)


def _export_events(engine) -> list[tuple[str, int | None, dict]]:
    with engine.connect() as connection:
        statement = (
            sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.details)
            .where(AuditEvent.action.in_(["audit_exported", "audit_export_interrupted"]))
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in connection.execute(statement)]


def _wait_for_events(engine, count: int, server) -> list[tuple[str, int | None, dict]]:
    deadline = time.monotonic() + 30
    while len(found := _export_events(engine)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{count} export events expected, found {found}:\n{server.log_tail()}")
        time.sleep(0.1)
    return found


def test_a_client_that_hangs_up_mid_stream_is_not_recorded_as_an_export(served):
    server, engine, admin_id = served
    cookie = _sign_in(server.port)
    before = _export_events(engine)

    connection, response = _request(server.port, "GET", EXPORT, headers={"Cookie": cookie})
    assert response.status == 200, server.log_tail()
    assert len(response.read(FIRST_BYTES)) == FIRST_BYTES
    response.close()  # with data still unread, the kernel answers the server's next write with a reset
    connection.close()

    events = _wait_for_events(engine, len(before) + 1, server)[len(before) :]
    assert [(action, actor) for action, actor, _details in events] == [("audit_export_interrupted", admin_id)]
    details = events[0][2]
    assert details["filters"] == {"action": "record_viewed"}
    assert 0 < details["rows_sent"] < EVENTS
    time.sleep(0.5)  # nothing else follows the interruption
    assert _export_events(engine)[len(before) :] == events
    assert "Working outside of" not in server.log_path.read_text(errors="replace")


def test_the_whole_trail_arrives_and_is_audited_only_once_it_has(served):
    server, engine, admin_id = served
    cookie = _sign_in(server.port)
    before = _export_events(engine)

    connection, response = _request(server.port, "GET", EXPORT, headers={"Cookie": cookie})
    assert response.status == 200, server.log_tail()
    assert response.getheader("Content-Type", "").startswith("text/csv")
    assert response.getheader("X-Accel-Buffering") == "no"  # nginx passes it on as it is read
    first = response.read(FIRST_BYTES)
    assert first.startswith(codecs.BOM_UTF8 + ",".join(CSV_COLUMNS).encode())  # a byte order mark for Excel
    # The server is blocked on the socket with most of the file still to send: nothing is recorded yet.
    assert _export_events(engine) == before
    body = first + response.read()
    connection.close()

    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["object_id"] for row in rows] == [str(n) for n in reversed(range(EVENTS))]
    assert {(row["action"], row["actor_email"]) for row in rows} == {("record_viewed", ADMIN_EMAIL)}
    assert all(NOTE in row["details"] for row in rows)
    # The end of the chunked body is sent after the event is committed.
    events = _export_events(engine)[len(before) :]
    assert events == [("audit_exported", admin_id, {"filters": {"action": "record_viewed"}, "rows": EVENTS})]
    assert "Working outside of" not in server.log_path.read_text(errors="replace")


def test_a_dashboard_export_is_audited_once_it_has_been_sent(served):
    server, engine, admin_id = served
    cookie = _sign_in(server.port)

    connection, response = _request(
        server.port, "GET", "/dashboard/export/not-recognised.csv", headers={"Cookie": cookie}
    )
    assert response.status == 200, server.log_tail()
    assert response.getheader("X-Accel-Buffering") == "no"
    body = response.read().decode("utf-8-sig")
    connection.close()

    rows = list(csv.DictReader(io.StringIO(body)))
    with engine.connect() as reading:
        events = reading.execute(
            sa.select(AuditEvent.actor_id, AuditEvent.object_id, AuditEvent.details).where(
                AuditEvent.action.in_(["dashboard.export", "dashboard.export_interrupted"])
            )
        ).all()
    assert [(actor, kind, details["rows"]) for actor, kind, details in events] == [
        (admin_id, "not-recognised", len(rows))
    ]
    assert "Working outside of" not in server.log_path.read_text(errors="replace")


def test_the_cases_export_is_audited_once_it_has_been_sent(served):
    server, engine, admin_id = served
    cookie = _sign_in(server.port)

    connection, response = _request(server.port, "GET", "/cases/export.csv?show=all", headers={"Cookie": cookie})
    assert response.status == 200, server.log_tail()
    assert response.getheader("X-Accel-Buffering") == "no"
    body = response.read()
    connection.close()

    assert body.startswith(codecs.BOM_UTF8 + b"reference,opened_at,")
    with engine.connect() as reading:
        events = reading.execute(
            sa.select(AuditEvent.actor_id, AuditEvent.details).where(
                AuditEvent.action.in_(["case.exported", "case.export_interrupted"])
            )
        ).all()
    assert [(actor, details) for actor, details in events] == [(admin_id, {"show": "all", "rows": 0})]
    assert "Working outside of" not in server.log_path.read_text(errors="replace")

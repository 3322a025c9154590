"""Slow clients against the documented serving set-up: a real nginx with the repository's own file, then gunicorn.

gunicorn gives a connection a thread until its request has arrived, so clients that send headers or
a body one byte at a time hold threads, and a few of them stall every other visitor. nginx reads each
request whole before it passes it on. Here nginx runs deploy/nginx/icare-tracker-proxy.conf (the
snippet the site file includes; only the listening address and the upstream's address are the
test's) and gunicorn runs deploy/gunicorn.conf.py, with 2 workers instead of 4 (8 threads for 16
slow connections, and a quicker start). While the slow connections hang, ordinary
requests must keep answering quickly, and nginx must close the slow connections by its timeouts.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pwd
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.reliability import harness
from tests.reliability.load import prepare_database

pytestmark = [pytest.mark.no_db_transaction, pytest.mark.load]

DEPLOY = harness.ROOT / "deploy"
SITE = DEPLOY / "nginx" / "icare-tracker.conf"
PROXY_SNIPPET = DEPLOY / "nginx" / "icare-tracker-proxy.conf"
GUNICORN_CONFIG = DEPLOY / "gunicorn.conf.py"

SLOW_HEADER_CLIENTS = 8  # send the request line and headers one byte a second, never finishing
SLOW_BODY_CLIENTS = 8  # send complete headers, then a declared body one byte a second, then go quiet
BODY_TRICKLE_SECONDS = 3.0  # then silent, like a phone that lost its signal, but still connected
SETTLE_SECONDS = 1.5  # slow connections open and sending before the ordinary requests start
MEASURE_SECONDS = 6.0  # ordinary requests while every slow connection hangs (< client_header_timeout)
GUNICORN_WORKERS = 2  # the file's 4 threads each, but fewer workers: 8 threads for 16 slow connections
ORDINARY_CLIENTS = 3
ORDINARY_TIMEOUT_SECONDS = 5.0
P95_BOUND_SECONDS = 1.0
CLOSE_MARGIN_SECONDS = 4.0  # nginx's timers run on its event loop: allow for a busy machine
HOLD_DEADLINE_SECONDS = 25.0  # a slow client gives up on its own after this (the test then fails)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def nginx_seconds(directive: str) -> float:
    """A ``<directive> <n>s;`` value from the repository's snippet, so the test follows the file."""
    match = re.search(rf"^\s*{directive}\s+(\d+)s;", PROXY_SNIPPET.read_text(), re.MULTILINE)
    assert match, f"{directive} not set in {PROXY_SNIPPET}"
    return float(match.group(1))


class Nginx:
    """nginx in the foreground on a free loopback port, proxying to ``upstream_port`` with the repository's snippet."""

    def __init__(self, folder: Path, upstream_port: int):
        self.folder = folder
        self.port = harness.free_port()
        self.upstream_port = upstream_port
        self.process: subprocess.Popen | None = None

    def configuration(self) -> str:
        temp = {name: self.folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir(exist_ok=True)
        # As root, nginx's workers would switch to "nobody", which cannot enter the test's folders.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        return f"""
{user}
daemon off;
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log info;
events {{ worker_connections 512; }}
http {{
    access_log {self.folder}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    upstream icare_tracker {{ server 127.0.0.1:{self.upstream_port}; }}
    server {{
        listen 127.0.0.1:{self.port};
        include {PROXY_SNIPPET};
    }}
}}
"""

    def start(self, binary: str) -> Nginx:
        config = self.folder / "nginx.conf"
        config.write_text(self.configuration())
        command = [binary, "-p", str(self.folder), "-c", str(config)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        with (self.folder / "nginx.out").open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: {self.error_log()}")
            with contextlib.suppress(OSError):
                if harness.send(self.port, "GET", "/healthz").status == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer in 30s: {self.error_log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class SlowClient:
    """A connection that sends ``head`` at once, then ``trickle`` a byte a second for at most ``trickle_for`` s."""

    port: int
    head: bytes
    trickle: bytes
    trickle_for: float
    opened: float = 0.0
    last_sent: float = 0.0
    closed: float | None = None  # when the server closed (or reset) the connection
    answer: bytes = b""

    def run(self, stop: threading.Event) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
            self.opened = self.last_sent = time.monotonic()
            try:
                if self.head:
                    connection.sendall(self.head)
                for byte in self.trickle:
                    if stop.is_set() or time.monotonic() - self.opened >= self.trickle_for:
                        break
                    if self._closed_within(connection, 1.0):
                        return
                    connection.sendall(bytes([byte]))
                    self.last_sent = time.monotonic()
                deadline = self.opened + HOLD_DEADLINE_SECONDS
                while not stop.is_set() and time.monotonic() < deadline:  # silent now: wait for the server
                    if self._closed_within(connection, 0.5):
                        return
            except OSError:  # reset by the server
                self.closed = time.monotonic()

    def _closed_within(self, connection: socket.socket, seconds: float) -> bool:
        readable, _, _ = select.select([connection], [], [], seconds)
        if not readable:
            return False
        try:
            data = connection.recv(65536)
        except OSError:
            data = b""
        if data:
            self.answer += data
            return False  # an answer (a 408, say); the close follows
        self.closed = time.monotonic()
        return True


def slow_clients(port: int, trickle_bodies_for: float) -> list[SlowClient]:
    host = f"Host: 127.0.0.1:{port}\r\n".encode()
    headers = b"GET /feedback HTTP/1.1\r\n" + host + b"User-Agent: slow-headers\r\nAccept: text/html\r\n"
    headers += b"X-Padding: " + b"p" * 200 + b"\r\n\r\n"
    body = json.dumps({"type": "compliment", "message": "slow " * 400, "unit": "white-6"}).encode()
    post = (
        b"POST /api/v1/feedback HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    return [SlowClient(port, b"", headers, HOLD_DEADLINE_SECONDS) for _ in range(SLOW_HEADER_CLIENTS)] + [
        SlowClient(port, post, body, trickle_bodies_for) for _ in range(SLOW_BODY_CLIENTS)
    ]


@dataclass
class Ordinary:
    """Ordinary visitors while the slow connections hang: the health check, a page and an API submission."""

    port: int
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    REQUESTS = (
        ("GET", "/healthz", None, 200),
        ("GET", "/feedback", None, 200),
        ("POST", "/api/v1/feedback", "api", 201),
    )

    def run(self, client: int, until: float) -> None:
        number = 0
        while time.monotonic() < until:
            method, path, kind, expected = self.REQUESTS[(client + number) % len(self.REQUESTS)]
            body, headers = None, {}
            if kind == "api":
                message = f"The porter was so patient with my father. ordinary-{client}-{number}"
                body = json.dumps({"type": "compliment", "message": message, "unit": "white-6"}).encode()
                headers = {"Content-Type": "application/json"}
            started = time.monotonic()
            try:
                status = self._send(method, path, body, headers)
            except OSError as error:
                status = f"no answer within {ORDINARY_TIMEOUT_SECONDS:.0f}s ({error.__class__.__name__})"
            elapsed = time.monotonic() - started
            with self.lock:
                self.latencies.append(elapsed)
                if status != expected:
                    self.problems.append(f"{method} {path}: {status}")
            number += 1

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=ORDINARY_TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[-1]


def under_slow_clients(port: int, trickle_bodies_for: float) -> tuple[Ordinary, list[SlowClient], float]:
    """Open the slow connections, measure ordinary requests while they hang; the end of the measurement."""
    stop = threading.Event()
    slow = slow_clients(port, trickle_bodies_for)
    slow_threads = [threading.Thread(target=client.run, args=(stop,), daemon=True) for client in slow]
    for thread in slow_threads:
        thread.start()
    time.sleep(SETTLE_SECONDS)
    ordinary = Ordinary(port)
    measured_until = time.monotonic() + MEASURE_SECONDS
    threads = [
        threading.Thread(target=ordinary.run, args=(client, measured_until), daemon=True)
        for client in range(ORDINARY_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(MEASURE_SECONDS + ORDINARY_TIMEOUT_SECONDS + 5)
    for thread in slow_threads:  # each ends when the server closes it, or at its own deadline
        thread.join(HOLD_DEADLINE_SECONDS + 5)
    stop.set()
    return ordinary, slow, measured_until


# --- the tests ------------------------------------------------------------------------------------


@pytest.fixture
def nginx():
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("TRACKER_REQUIRE_SERVICES"):
            pytest.fail("nginx is not installed (Debian package nginx; .ci/run installs it)")
        pytest.skip("nginx is not installed (Debian package nginx)")
    return binary


def test_slow_clients_wait_on_nginx_while_everyone_else_is_served(nginx, tmp_path, database_url, backend, report):
    header_timeout = nginx_seconds("client_header_timeout")
    body_timeout = nginx_seconds("client_body_timeout")
    assert min(header_timeout, BODY_TRICKLE_SECONDS + body_timeout) > SETTLE_SECONDS + MEASURE_SECONDS + 1
    prepare_database(database_url, tmp_path, givers=1)
    environment = harness.server_environment(database_url, tmp_path, PROXY_COUNT="1")
    server = harness.Gunicorn(environment, tmp_path / "gunicorn.log", workers=GUNICORN_WORKERS, config=GUNICORN_CONFIG)
    with server as gunicorn:
        front = Nginx(tmp_path, gunicorn.port).start(nginx)
        try:
            ordinary, slow, measured_until = under_slow_clients(front.port, BODY_TRICKLE_SECONDS)
        finally:
            front.stop()
            log = gunicorn.log_tail()
    p95 = ordinary.p95()
    held = [client.closed - client.opened for client in slow if client.closed is not None]
    report(
        f"slow clients via nginx [{backend}]: {SLOW_HEADER_CLIENTS}+{SLOW_BODY_CLIENTS} slow connections, "
        f"{len(ordinary.latencies)} ordinary requests, p95={p95:.3f}s max={max(ordinary.latencies):.3f}s, "
        f"failed={len(ordinary.problems)}, {len(held)} slow connections closed by nginx after "
        f"{min(held, default=0):.1f}-{max(held, default=0):.1f}s"
    )
    assert not ordinary.problems, "\n".join(ordinary.problems[:20]) + "\n" + log
    assert len(ordinary.latencies) >= 3 * ORDINARY_CLIENTS
    assert p95 < P95_BOUND_SECONDS, sorted(ordinary.latencies)[-10:]
    for client in slow:
        # Every slow connection was still open, mid-request, for the whole measurement ...
        assert client.closed is not None, f"nginx never closed a slow connection ({client.head[:30]!r})"
        assert client.closed > measured_until, "a slow connection ended before the measurement did"
        # ... and nginx closed it by its own timeout: the whole header in time, or a body that stopped arriving.
        bound = client.opened + header_timeout if not client.head else client.last_sent + body_timeout
        assert client.closed < bound + CLOSE_MARGIN_SECONDS, (client.head[:30], client.closed - client.opened)


def test_the_site_file_serves_through_the_tested_snippet_and_gunicorns_address():
    site = SITE.read_text()
    assert re.search(rf"^\s*include\s+snippets/{PROXY_SNIPPET.name};", site, re.MULTILINE), site
    bind = re.search(r'^bind = "([^"]+)"', GUNICORN_CONFIG.read_text(), re.MULTILINE).group(1)
    assert bind.startswith("127.0.0.1:"), "gunicorn must listen on loopback only, behind nginx"
    assert re.search(rf"upstream icare_tracker \{{\s*server {re.escape(bind)};", site), site

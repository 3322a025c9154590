"""Real servers for the load and fault tests: gunicorn on loopback, bounded in time, always cleaned up.

Each server runs in its own process group, so a test can ``kill -9`` the master and its workers at
once, and a fixture's ``finally`` can never leave a stray worker behind.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "load-test-secret-key-0123456789abcdef"
START_TIMEOUT_SECONDS = 90
REQUEST_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def send(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
    """One HTTP request to 127.0.0.1:``port``; connection problems raise ``OSError``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    except http.client.HTTPException as error:  # a server killed mid-answer
        raise ConnectionError(str(error)) from error
    finally:
        connection.close()


def server_environment(database_url: str, instance_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a production-like server: a real secret, no debug, ``TRACKER_*`` settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRACKER_", "FLASK_")) and key not in ("DATABASE_URL", "SECRET_KEY")
    }
    environment.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        TRACKER_INSTANCE_PATH=str(instance_path),
        TRACKER_RATELIMIT_ENABLED="false",
        TRACKER_FEEDBACK_MINIMUM_SECONDS="1",
        TRACKER_MAIL_HOST="",
        TRACKER_MAIL_DIR=str(instance_path / "mail"),
    )
    environment.update({f"TRACKER_{key}": value for key, value in settings.items()})
    return environment


class Gunicorn:
    """``gunicorn -w N`` serving the app on a free loopback port, in its own process group.

    With ``config`` (a gunicorn configuration file such as deploy/gunicorn.conf.py) the server runs
    with that file's settings; only its address, and the number of workers if given, are changed.
    """

    def __init__(
        self, environment: dict[str, str], log_path: Path, *, workers: int | None = None, config: Path | None = None
    ):
        self.environment = environment
        self.log_path = log_path
        self.workers = workers
        self.config = config
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        if self.config is None:
            settings = ["--workers", str(self.workers or 4), "--timeout", "60", "--graceful-timeout", "5"]
        else:
            settings = ["--config", str(self.config), *(["--workers", str(self.workers)] if self.workers else [])]
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            *settings,
            # Each test server alone: gunicorn's control socket is one path per user by default.
            "--no-control-socket",
            "--bind",
            f"127.0.0.1:{self.port}",
            "tracker:create_app()",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if send(self.port, "GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not become healthy in {START_TIMEOUT_SECONDS}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """``kill -9`` the master and every worker at once, as a power cut would."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._signal_group(signal.SIGKILL)  # workers orphaned by an earlier kill, if any
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=15)
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, number: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


# --- browser-like use of the public feedback form ---------------------------------------------

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
STARTED_FIELD = re.compile(
    r'id="started" name="started" type="hidden" value="([^"]+)"|name="started"[^>]*value="([^"]+)"'
)


def first_group(pattern: re.Pattern, html: str) -> str:
    match = pattern.search(html)
    if match is None:
        raise AssertionError(f"{pattern.pattern} not found in the page")
    return next(group for group in match.groups() if group)


def session_cookie(reply: Reply, previous: str = "") -> str:
    cookie = reply.headers.get("set-cookie", "")
    return cookie.split(";", 1)[0] if cookie.startswith("session=") else previous


def failed_sign_ins(ports: list[int], email: str, attempts: int) -> list[int]:
    """Wrong passwords for one account, alternating between the instances; the answers' statuses."""
    page = send(ports[0], "GET", "/login")
    cookie = session_cookie(page)
    token = first_group(CSRF_FIELD, page.text)
    statuses = []
    for attempt in range(attempts):
        body = urlencode({"csrf_token": token, "email": email, "password": f"wrong guess {attempt}"}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        reply = send(ports[attempt % len(ports)], "POST", "/login", body, headers)
        cookie = session_cookie(reply, cookie)
        statuses.append(reply.status)
    return statuses

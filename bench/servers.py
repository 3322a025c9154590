"""gunicorn on loopback for the benchmarks: started in its own process group, always stopped by PID.

Every server started here is registered; ``stop_all`` (run at exit and on SIGINT/SIGTERM) stops
the ones still running, so a failed or interrupted benchmark never leaves workers behind.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 120
# What docs/operations.md runs in production: 4 workers with 4 threads each (gthread).
WORKERS = 4
THREADS = 4

_running: list[Gunicorn] = []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``gunicorn --workers 4 --threads 4 APP`` on a free loopback port."""

    def __init__(self, app: str, environment: dict[str, str], log_path: Path, *, health: str = "/healthz"):
        self.app = app
        self.environment = environment
        self.log_path = log_path
        self.health = health
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--no-control-socket",  # the product and the floor run side by side
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            self.app,
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        _running.append(self)
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited with {self.process.returncode}:\n{self.log_tail()}")
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", self.health)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app} was not healthy in {START_TIMEOUT_SECONDS} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM to the master's process group, SIGKILL if it lingers; safe to call twice."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=15)
        self._signal_group(signal.SIGKILL)  # any worker that outlived its master
        with contextlib.suppress(ValueError):
            _running.remove(self)

    def _signal_group(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, number)

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_all() -> None:
    for server in list(_running):
        server.stop()


def _on_signal(number, frame) -> None:
    stop_all()
    raise SystemExit(128 + number)


atexit.register(stop_all)
for _number in (signal.SIGINT, signal.SIGTERM):
    signal.signal(_number, _on_signal)

"""A small closed-loop HTTP load client: N threads, one keep-alive connection each, for a fixed time.

Each thread sends its next request as soon as the previous answer is read. Bodies are kept as
bytes and parsed only after the burst, so the client does as little as possible while it runs;
its own CPU time is measured so a report can show it was not the bottleneck.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

TIMEOUT_SECONDS = 60

# (path, body, headers) for the worker's n-th request
Maker = Callable[[int], tuple[str, bytes, dict[str, str]]]


@dataclass
class Sample:
    started: float
    seconds: float
    status: int  # 0: no answer (connection error or time-out)
    body: bytes
    sent: bytes = b""

    def json(self) -> dict:
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass
class Burst:
    label: str
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    client_cpu_seconds: float = 0.0

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if 200 <= s.status < 300]

    @property
    def non_2xx(self) -> int:
        return len(self.samples) - len(self.ok)

    @property
    def rate(self) -> float:
        return len(self.ok) / self.seconds if self.seconds else 0.0

    def percentiles(self) -> tuple[float, float]:
        return percentiles([s.seconds for s in self.ok])

    def failures(self) -> Counter:
        """Non-2xx answers by kind: 5xx, conflict (409, deadlock, serialization, locked), other 4xx, no answer."""
        kinds: Counter = Counter()
        for sample in self.samples:
            if 200 <= sample.status < 300:
                continue
            text = sample.body.decode("utf-8", "replace").lower()
            if sample.status == 409 or any(w in text for w in ("deadlock", "serializ", "database is locked")):
                kinds["conflict"] += 1
            if sample.status >= 500:
                kinds["5xx"] += 1
            elif sample.status == 0:
                kinds["no answer"] += 1
            elif sample.status != 409:
                kinds[f"{sample.status}"] += 1
        return kinds

    def client_cpu_per_request_ms(self) -> float:
        return self.client_cpu_seconds / len(self.samples) * 1000 if self.samples else 0.0


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds (nearest rank); zeros when there is nothing to measure."""
    if not seconds:
        return 0.0, 0.0
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


class Connection:
    """One keep-alive connection that reconnects after an error."""

    def __init__(self, port: int):
        self.port = port
        self.http: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.http is None:
            self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_SECONDS)
        try:
            self.http.request(method, path, body=body, headers=headers)
            response = self.http.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, data
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return 0, str(error).encode()

    def close(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None


def run_burst(label: str, port: int, makers: list[Maker], seconds: float) -> Burst:
    """Every maker drives one thread of POSTs for ``seconds``; answers after the deadline still count."""
    burst = Burst(label, seconds)
    results: list[list[Sample]] = [[] for _ in makers]
    start = threading.Barrier(len(makers) + 1)
    deadline = [0.0]

    def worker(index: int) -> None:
        connection = Connection(port)
        make = makers[index]
        start.wait()
        n = 0
        while time.perf_counter() < deadline[0]:
            path, body, headers = make(n)
            n += 1
            began = time.perf_counter()
            status, data = connection.send("POST", path, body, headers)
            results[index].append(Sample(began, time.perf_counter() - began, status, data, body))
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(makers))]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + TIMEOUT_SECONDS + 10)
    burst.seconds = time.perf_counter() - began  # includes the answers still in flight at the deadline
    burst.client_cpu_seconds = time.process_time() - cpu
    burst.samples = [sample for samples in results for sample in samples]
    return burst


class Poller(threading.Thread):
    """One more client: GETs the given (path, headers) in turn until stopped, recording latencies."""

    def __init__(self, port: int, requests: list[tuple[str, dict[str, str]]]):
        super().__init__(daemon=True)
        self.port = port
        self.requests = requests
        self.samples: list[Sample] = []
        self.halt = threading.Event()

    def run(self) -> None:
        connection = Connection(self.port)
        n = 0
        while not self.halt.is_set():
            path, headers = self.requests[n % len(self.requests)]
            n += 1
            began = time.perf_counter()
            status, data = connection.send("GET", path, None, headers)
            self.samples.append(Sample(began, time.perf_counter() - began, status, data if status != 200 else b""))
        connection.close()

    def stop(self) -> list[Sample]:
        self.halt.set()
        self.join(TIMEOUT_SECONDS + 5)
        return self.samples

    def for_seconds(self, seconds: float) -> list[Sample]:
        self.start()
        time.sleep(seconds)
        return self.stop()

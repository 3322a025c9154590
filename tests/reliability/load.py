"""Load for the reliability tests: people and tokens to submit with, concurrent clients, and the count.

Every submission carries a unique marker in its text, so afterwards the database says exactly which
acknowledged submissions were stored, which were lost, and which were stored more than once.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from flask_migrate import upgrade

from tests.reliability import harness
from tracker import create_app, settings
from tracker.auth.services import create_token
from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.models import Person, Role, Standard
from tracker.organisation import create_department

KINDS = ("feedback_form", "feedback_api", "recognition_api")
RETRY_EVERY = 4  # every fourth API submission is sent again with the same Idempotency-Key
RUN_DEADLINE_SECONDS = 240


@dataclass
class Population:
    """What the clients submit with: one API token per giver, colleagues to recognise, units, a standard."""

    tokens: list[str]
    recipient_ids: list[int]
    unit_slugs: list[str]
    standard_key: str


def prepare_database(database_url: str, instance_path: Path, givers: int = 32) -> Population:
    """Migrate an empty database and add a small hospital, as ``flask db upgrade`` and an admin would."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": harness.SECRET_KEY, "RATELIMIT_ENABLED": False}
    )
    with app.app_context():
        upgrade()
        hospital = create_department("hospital", "General Hospital", None)
        medicine = create_department("medicine", "Medicine", hospital)
        units = [
            create_department("ellison-12", "Ellison 12", medicine),
            create_department("white-6", "White 6", hospital),
        ]
        manager = Person(
            name="Dana Manager", email="manager@load.test", department=units[0], managed_departments=[medicine]
        )
        manager.set_roles({Role.MANAGER})
        recipients = [
            Person(name=f"Colleague {n}", email=f"colleague{n}@load.test", department=units[n % 2]) for n in range(8)
        ]
        people = [
            Person(name=f"Giver {n}", email=f"giver{n}@load.test", department=units[n % 2]) for n in range(givers)
        ]
        for person in [*recipients, *people]:
            person.set_roles({Role.STAFF})
        db.session.add_all([manager, *recipients, *people])
        db.session.flush()
        tokens = [create_token(person, "load test") for person in people]
        settings.set_value("daily_recognition_limit", 1000)
        standard_key = db.session.scalars(sa.select(Standard.key).order_by(Standard.position)).first()
        population = Population(tokens, [person.id for person in recipients], [u.slug for u in units], standard_key)
        rollup.rebuild()  # built, so every write under load keeps them by deltas
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return population


@dataclass
class Figures:
    """What a run did, in the words of docs/reliability.md."""

    label: str
    database: str
    concurrency: int
    requests: int = 0
    retries: int = 0
    acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    errors: int = 0
    unacknowledged: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.label} [{self.database}]: requests={self.requests} (retries {self.retries}) "
            f"concurrency={self.concurrency} acknowledged={self.acknowledged} stored={self.stored} "
            f"lost={self.lost} duplicated={self.duplicated} errors={self.errors} "
            f"unacknowledged={self.unacknowledged} seconds={self.seconds:.1f}"
        )


class LoadRun:
    """``clients`` threads, each sending ``per_client`` submissions, alternating over ``ports``."""

    def __init__(self, population: Population, ports: list[int], *, label: str, database: str, clients: int = 32):
        self.population = population
        self.ports = ports
        self.clients = clients
        self.run_id = uuid.uuid4().hex[:10]
        self.figures = Figures(label=label, database=database, concurrency=clients)
        self.acknowledged: set[str] = set()
        self.attempted: dict[str, tuple] = {}  # marker → (kind, client, number) of requests without an answer
        self.stop = threading.Event()
        self._lock = threading.Lock()

    def marker(self, client: int, number: int) -> str:
        return f"load-{self.run_id}-c{client:02d}-n{number:03d}"

    def run(self, per_client: int) -> Figures:
        """Send everything (or until ``stop`` is set), within :data:`RUN_DEADLINE_SECONDS`."""
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=self.clients) as pool:
            futures = [pool.submit(self._client, client, per_client) for client in range(self.clients)]
            done, pending = wait(futures, timeout=RUN_DEADLINE_SECONDS)
            self.stop.set()
            for future in done:
                future.result()
        assert not pending, f"load run passed its {RUN_DEADLINE_SECONDS}s deadline"
        self.figures.seconds = time.monotonic() - started
        return self.figures

    # --- one client ---------------------------------------------------------------------------

    def _client(self, client: int, per_client: int) -> None:
        form_state = None
        for number in range(per_client):
            if self.stop.is_set():
                return
            kind = KINDS[(client + number) % len(KINDS)]
            port = self.ports[(client + number) % len(self.ports)]
            marker = self.marker(client, number)
            try:
                if kind == "feedback_form":
                    form_state = form_state or self._open_form(port)
                    form_state = self._submit_form(port, form_state, marker)
                else:
                    self._submit_api(port, kind, client, number, marker)
            except OSError as error:  # refused or cut connection: the server is down or was killed
                self._connection_error(f"{kind} {marker}: {error!r}")
                form_state = None

    def _open_form(self, port: int) -> dict:
        page = harness.send(port, "GET", "/feedback")
        self._count(page.status)
        html = page.text
        state = {
            "cookie": harness.session_cookie(page),
            "csrf": harness.first_group(harness.CSRF_FIELD, html),
            "started": harness.first_group(harness.STARTED_FIELD, html),
        }
        time.sleep(1.05)  # TRACKER_FEEDBACK_MINIMUM_SECONDS: people take a moment to write
        return state

    def _submit_form(self, port: int, state: dict, marker: str) -> dict:
        fields = {
            "csrf_token": state["csrf"],
            "started": state["started"],
            "website": "",
            "type": "compliment",
            "message": f"Thank you to the night nurse. {marker}",
            "staff_names": "Maria",
            "unit_slug": self.population.unit_slugs[0],
            "relation": "family",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": state["cookie"]}
        self._mark_attempt(marker, ("feedback_form",))
        reply = harness.send(port, "POST", "/feedback", urlencode(fields).encode(), headers)
        self._count(reply.status)
        if reply.status == 302 and reply.headers.get("location", "").endswith("/feedback/thanks"):
            self._acknowledge(marker)
        else:
            self._refused(f"form {marker}: {reply.status} {reply.text[:200]}")
        return {**state, "cookie": harness.session_cookie(reply, state["cookie"])}

    def _api_request(self, kind: str, client: int, marker: str) -> tuple[str, dict, dict]:
        headers = {"Content-Type": "application/json", "Idempotency-Key": marker}
        if kind == "feedback_api":
            body = {
                "type": "compliment",
                "message": f"The porter was so patient with my father. {marker}",
                "staff_names": "the porter",
                "unit": self.population.unit_slugs[1],
                "consent_to_share": True,
            }
            return "/api/v1/feedback", body, headers
        recipients = self.population.recipient_ids
        body = {
            "recipients": [recipients[client % len(recipients)]],
            "standards": [self.population.standard_key],
            "message": f"Stayed late to help with the admissions. {marker}",
            "visibility": "public",
        }
        headers["Authorization"] = f"Bearer {self.population.tokens[client % len(self.population.tokens)]}"
        return "/api/v1/recognitions", body, headers

    def _submit_api(self, port: int, kind: str, client: int, number: int, marker: str) -> None:
        path, body, headers = self._api_request(kind, client, marker)
        payload = json.dumps(body).encode()
        self._mark_attempt(marker, (kind, client, number))
        reply = harness.send(port, "POST", path, payload, headers)
        self._count(reply.status)
        if reply.status != 201:
            self._refused(f"{kind} {marker}: {reply.status} {reply.text[:200]}")
            return
        self._acknowledge(marker)
        if number % RETRY_EVERY == 0:  # a client that did not trust the first answer sends it again
            other_port = self.ports[(client + number + 1) % len(self.ports)]
            again = harness.send(other_port, "POST", path, payload, headers)
            with self._lock:
                self.figures.requests += 1
                self.figures.retries += 1
            if again.status != 201 or again.body != reply.body or again.headers.get("idempotent-replayed") != "true":
                self._refused(f"retry of {marker} answered {again.status} {again.text[:200]}")

    def resend_unanswered(self) -> None:
        """After a restart, send once more what got no answer, with the same Idempotency-Key."""
        for marker, (kind, client, number) in sorted(self.pending_api().items()):
            self._submit_api(self.ports[0], kind, client, number, marker)

    def pending_api(self) -> dict[str, tuple]:
        with self._lock:
            return {m: a for m, a in self.attempted.items() if m not in self.acknowledged and len(a) == 3}

    # --- book-keeping -------------------------------------------------------------------------

    def _mark_attempt(self, marker: str, attempt: tuple) -> None:
        with self._lock:
            self.attempted[marker] = attempt

    def _count(self, status: int) -> None:
        with self._lock:
            self.figures.requests += 1
            if status >= 500:
                self.figures.errors += 1

    def _acknowledge(self, marker: str) -> None:
        with self._lock:
            self.acknowledged.add(marker)
            self.figures.acknowledged = len(self.acknowledged)

    def _refused(self, problem: str) -> None:
        """An answer, but not the expected one (its 5xx, if it was one, is counted by ``_count``)."""
        with self._lock:
            self.figures.problems.append(problem)

    def _connection_error(self, problem: str) -> None:
        with self._lock:
            self.figures.problems.append(problem)
            self.figures.requests += 1
            self.figures.errors += 1

    # --- what the database holds --------------------------------------------------------------

    def count_stored(self, database_url: str) -> Figures:
        """Fill stored / lost / duplicated / unacknowledged from the database itself."""
        engine = sa.create_engine(database_url)
        like = f"%load-{self.run_id}-%"
        try:
            with engine.connect() as connection:
                messages = [
                    *connection.scalars(sa.text("SELECT message FROM feedback WHERE message LIKE :m"), {"m": like}),
                    *connection.scalars(sa.text("SELECT message FROM recognitions WHERE message LIKE :m"), {"m": like}),
                ]
        finally:
            engine.dispose()
        stored = Counter(message.rsplit(" ", 1)[-1] for message in messages)
        self.figures.stored = sum(stored.values())
        self.figures.lost = len(self.acknowledged - stored.keys())
        self.figures.duplicated = sum(count - 1 for count in stored.values() if count > 1)
        self.figures.unacknowledged = len(set(self.attempted) - self.acknowledged)
        return self.figures


def rollup_differences(database_url: str) -> list:
    """What ``dashboard verify`` finds after a run: the roll-ups kept by concurrent deltas against a recount."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": harness.SECRET_KEY})
    with app.app_context():
        try:
            return rollup.verify(limit=0)[1]
        finally:
            db.session.remove()
            db.engine.dispose()

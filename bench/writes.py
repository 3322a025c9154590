"""Write benchmark: recognitions through the real server against a bare insert app (the floor).

On the seeded benchmark database (the one ``bench/dashboard.py`` fills, seeded here if empty),
starts gunicorn as docs/operations.md runs it (4 workers, 4 threads) twice on loopback: the
product (``wsgi:app``, rate limits off) and the floor (``bench/floor_app.py``: parse, insert one
JSON body, commit). Then:

1. a burst against the floor's ``POST /null`` (no database): the ceiling of this client and server;
2. the summary API polled alone, as an admin and a manager: latency at rest;
3. 16 staff of one unit post recognitions (``POST /api/v1/recognitions``, one token each) for
   ``BENCH_WRITE_SECONDS`` while one more client polls the summary API;
4. the same 16 client threads post similar bodies to the floor for as long;
5. every acknowledged write is looked up in the database: present once, with its message, and
   the tables grew by exactly the number of 201s.

Prints markdown tables for docs/benchmarks.md, each row with its target and pass or fail.

    DATABASE_URL=sqlite:////tmp/bench.db python bench/writes.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tracker_bench python bench/writes.py
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import dashboard
import floor_app
import sqlalchemy as sa
from load import Burst, Connection, percentiles, run_burst
from load import Poller as SummaryPoller
from servers import THREADS, WORKERS, Gunicorn

from tracker import create_app
from tracker.extensions import db
from tracker.models import Department, Person

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_WRITE_SECONDS", "20"))
REST_SECONDS = float(os.environ.get("BENCH_REST_SECONDS", "10"))
NULL_SECONDS = float(os.environ.get("BENCH_NULL_SECONDS", "5"))
DAILY_LIMIT = 1000  # the largest the settings page accepts; the default (20) would refuse the burst
DEMO_ACCOUNTS = ("admin@example.org", "manager@example.org", "advocate@example.org", "nurse@example.org")
VIEWERS = {"admin": "admin@example.org", "manager": "manager@example.org"}
RATIO_TARGET = 0.3
DURING_TARGET = 2.0


class FormValues(HTMLParser):
    """The values a browser would submit from a page's form (inputs, ticked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[a["name"]] = a.get("value") or ("y" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def raise_daily_limit(app) -> None:
    """Through the admin settings page, as an administrator would: the burst gives far more than 20 a day."""
    client = app.test_client()
    with app.app_context():
        admin = db.session.scalar(sa.select(Person).where(Person.email == VIEWERS["admin"]))
        user_id = admin.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    form = FormValues()
    form.feed(client.get("/admin/settings").get_data(as_text=True))
    values = {**form.values, "daily_recognition_limit": str(DAILY_LIMIT)}
    values.pop("approval_required", None)  # published at once, as by default
    answer = client.post("/admin/settings", data=values)
    if answer.status_code != 302:
        raise RuntimeError(f"could not raise the daily limit: HTTP {answer.status_code}")


def pick_staff(app, rng: random.Random) -> tuple[list[str], dict[str, int], list[int]]:
    """16 givers of the largest unit (not the demo's named accounts) and their colleagues as recipients."""
    with app.app_context():
        unit_id = db.session.execute(
            sa.select(Person.department_id)
            .where(Person.active)
            .group_by(Person.department_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar_one()
        people = db.session.execute(
            sa.select(Person.id, Person.email)
            .where(Person.department_id == unit_id, Person.active, Person.email.not_in(DEMO_ACCOUNTS))
            .order_by(Person.id)
        ).all()
        unit = db.session.get(Department, unit_id).slug
        db.session.rollback()
    if len(people) < CLIENTS + 2:
        raise SystemExit(f"the largest unit ({unit}) has {len(people)} people; {CLIENTS + 2} are needed")
    givers = rng.sample(people, CLIENTS)
    print(f"givers: {CLIENTS} staff of {unit}, recipients among its {len(people)} people")
    return [g.email for g in givers], {g.email: g.id for g in givers}, [p.id for p in people]


def create_tokens(emails: list[str]) -> dict[str, str]:
    """``flask tokens create EMAIL`` for each, four at a time; the token is on the last line."""

    def one(email: str) -> str:
        command = [sys.executable, "-m", "flask", "--app", "tracker", "tokens", "create", email, "--name", "bench"]
        out = subprocess.run(
            command, check=True, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "FLASK_DEBUG": "1"}
        )
        return out.stdout.strip().splitlines()[-1].strip()

    with ThreadPoolExecutor(4) as pool:
        return dict(zip(emails, pool.map(one, emails), strict=True))


def server_environment(instance: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "FLASK_"))}
    environment.update(
        SECRET_KEY=secrets.token_hex(32),
        TRACKER_INSTANCE_PATH=str(instance),
        TRACKER_RATELIMIT_ENABLED="false",
        TRACKER_MAIL_HOST="",
        TRACKER_MAIL_DIR=str(instance / "mail"),
    )
    return environment


def get_json(port: int, path: str, headers: dict[str, str] | None = None) -> dict:
    connection = Connection(port)
    status, data = connection.send("GET", path, None, headers or {})
    connection.close()
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status} {data[:200]!r}")
    return json.loads(data)


def makers(run: str, tokens: list[str], ids: list[int], colleagues: list[int], standards: list[str], floor: bool):
    """One request factory per client: recognitions with its giver's token, or the same bodies to the floor."""

    def maker(worker: int):
        rng = random.Random(f"{run}-{worker}")
        others = [c for c in colleagues if c != ids[worker]]
        headers = {"Content-Type": "application/json"}
        if not floor:
            headers["Authorization"] = f"Bearer {tokens[worker]}"

        def make(n: int):
            body = {
                "recipients": rng.sample(others, rng.choice((1, 1, 2))),
                "standards": rng.sample(standards, rng.choice((1, 2))),
                "message": f"Thank you for covering the evening handover so calmly. [{run} w{worker} n{n}]",
                "visibility": "public",
            }
            if floor:
                return "/floor", json.dumps(body).encode(), headers
            return (
                "/api/v1/recognitions",
                json.dumps(body).encode(),
                {**headers, "Idempotency-Key": f"{run}-{worker}-{n}"},
            )

        return make

    return [maker(worker) for worker in range(CLIENTS)]


def integrity(burst: Burst, rows: list[tuple[int, str]], grown: int) -> dict[str, int]:
    """Acknowledged writes against what the database holds (rows: id, message of this run's writes)."""
    acknowledged = {}
    for sample in burst.samples:
        if sample.status == 201:
            answer = sample.json()
            acknowledged[answer.get("id")] = answer.get("message")
    stored = Counter(message for _, message in rows)
    by_id = dict(rows)
    return {
        "acknowledged (201)": sum(1 for s in burst.samples if s.status == 201),
        "lost (201, not stored)": sum(1 for i, m in acknowledged.items() if by_id.get(i) != m),
        "duplicated (stored twice)": sum(n - 1 for n in stored.values() if n > 1),
        "stored without a 201": sum(1 for i in by_id if i not in acknowledged),
        "rows added − 201s": grown - len(acknowledged),
    }


def count(app, table: str) -> int:
    with app.app_context():
        value = db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
        db.session.rollback()
        return value


def this_run(app, run: str, table: str, column: str) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.text(f"SELECT id, {column} FROM {table} WHERE {column} LIKE :pattern"), {"pattern": f"%[{run} %"}
        ).all()
        db.session.rollback()
    if column == "body":
        return [(i, json.loads(body).get("message")) for i, body in rows]
    return [(i, message) for i, message in rows]


def verdict(ok: bool) -> str:
    return "pass" if ok else "**fail**"


def report(dialect: str, bursts: dict[str, Burst], rest, during, checks) -> None:
    null, recognitions, floor = bursts["null"], bursts["recognitions"], bursts["floor"]
    ratio = recognitions.rate / floor.rate if floor.rate else 0.0
    print(f"gunicorn {WORKERS} workers × {THREADS} threads (gthread), {CLIENTS} clients, {SECONDS:.0f} s each\n")
    print("| database | writes | per second | p50 | p95 | 2xx | non-2xx | 5xx | conflicts | target | result |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for label, burst, target, ok in (
        ("client ceiling (`POST /null`, no database)", null, "—", None),
        ("floor (bare Flask, one insert)", floor, "—", None),
        (
            "recognitions (`POST /api/v1/recognitions`)",
            recognitions,
            f"≥ {RATIO_TARGET} × floor",
            ratio >= RATIO_TARGET,
        ),
    ):
        p50, p95 = burst.percentiles()
        fails = burst.failures()
        result = "—" if ok is None else f"{ratio:.2f} × floor: {verdict(ok)}"
        print(
            f"| {dialect} | {label} | {burst.rate:.1f} | {p50:.0f} ms | {p95:.0f} ms | {len(burst.ok)} "
            f"| {burst.non_2xx} | {fails['5xx']} | {fails['conflict']} | {target} | {result} |"
        )
    for name, burst in bursts.items():
        other = {k: v for k, v in burst.failures().items() if k not in ("5xx", "conflict")}
        if other:
            print(f"\n{name}: other non-2xx answers: {dict(other)}")
    print(
        "\nClient overhead: "
        + "; ".join(
            f"{name} {b.client_cpu_per_request_ms():.2f} ms CPU per request "
            f"({b.client_cpu_seconds / b.seconds * 100:.0f} % of one core)"
            for name, b in bursts.items()
        )
        + f". The same client reaches {null.rate:.0f} requests per second against `/null`."
    )
    (rest50, rest95), (dur50, dur95) = percentiles(rest), percentiles(during)
    print("\n| database | summary API (admin and manager in turn) | requests | p50 | p95 | target | result |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- |")
    print(f"| {dialect} | at rest | {len(rest)} | {rest50:.0f} ms | {rest95:.0f} ms | — | — |")
    ok = bool(during) and dur95 <= DURING_TARGET * rest95
    factor = dur95 / rest95 if rest95 else 0.0
    print(
        f"| {dialect} | during the recognition burst | {len(during)} | {dur50:.0f} ms | {dur95:.0f} ms "
        f"| p95 ≤ {DURING_TARGET:.0f} × at rest | {factor:.1f} ×: {verdict(ok)} |"
    )
    print("\n| database | check | recognitions | floor | target | result |")
    print("| --- | --- | ---: | ---: | --- | --- |")
    for key in checks["recognitions"]:
        a, b = checks["recognitions"][key], checks["floor"][key]
        if key.startswith("acknowledged"):
            print(f"| {dialect} | {key} | {a} | {b} | — | — |")
        else:
            print(f"| {dialect} | {key} | {a} | {b} | 0 | {verdict(a == 0 and b == 0)} |")
    conflicts = recognitions.failures()["conflict"]
    print(
        f"| {dialect} | deadlock or serialization errors answered | {conflicts} | — | 0 | {verdict(conflicts == 0)} |"
    )


def measure(app, run: str, tokens: dict[str, str], emails: list[str], ids: list[int], colleagues: list[int]):
    """Both servers up, the four phases in turn, both servers stopped (also on failure or Ctrl-C)."""
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as instance_dir:
        instance = Path(instance_dir)
        environment = server_environment(instance)
        with (
            Gunicorn("wsgi:app", environment, instance / "tracker.log") as tracker,
            Gunicorn("bench.floor_app:app", environment, instance / "floor.log") as floor,
        ):
            standards = [s["key"] for s in get_json(tracker.port, "/api/v1/standards")["items"]]
            summary = [
                ("/api/v1/dashboard/summary", {"Authorization": f"Bearer {tokens[e]}"}) for e in VIEWERS.values()
            ]
            for path, headers in summary:  # warm each worker's caches a little, as a day's use would
                for _ in range(WORKERS):
                    get_json(tracker.port, path, headers)
            giver_tokens = [tokens[e] for e in emails]
            null_makers = [lambda n: ("/null", b'{"message": "-"}', {"Content-Type": "application/json"})] * CLIENTS
            bursts = {"null": run_burst("null", floor.port, null_makers, NULL_SECONDS)}
            rest = SummaryPoller(tracker.port, summary).for_seconds(REST_SECONDS)
            before = count(app, "recognitions")
            poller = SummaryPoller(tracker.port, summary)
            poller.start()
            writes = makers(run, giver_tokens, ids, colleagues, standards, floor=False)
            bursts["recognitions"] = run_burst("recognitions", tracker.port, writes, SECONDS)
            during = poller.stop()
            grown = {"recognitions": count(app, "recognitions") - before}
            before = count(app, "bench_floor")
            writes = makers(run, giver_tokens, ids, colleagues, standards, floor=True)
            bursts["floor"] = run_burst("floor", floor.port, writes, SECONDS)
            grown["floor"] = count(app, "bench_floor") - before
            logs = tracker.log_tail() + "\n" + floor.log_tail()
    return bursts, rest, during, grown, logs


def main() -> None:
    load = os.getloadavg()
    dashboard.flask("db", "upgrade")
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "SECRET_KEY": secrets.token_hex(32)})
    dashboard.ensure_seeded(app)
    with app.app_context():
        dialect = db.engine.dialect.name
        people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
        db.session.rollback()
    run = f"bench-{secrets.token_hex(4)}"
    raise_daily_limit(app)
    emails, ids_by_email, colleagues = pick_staff(app, random.Random(run))
    tokens = create_tokens(emails + list(VIEWERS.values()))
    floor_app.create_table()
    try:
        bursts, rest, during, grown, logs = measure(
            app, run, tokens, emails, [ids_by_email[e] for e in emails], colleagues
        )
        checks = {
            "recognitions": integrity(
                bursts["recognitions"], this_run(app, run, "recognitions", "message"), grown["recognitions"]
            ),
            "floor": integrity(bursts["floor"], this_run(app, run, "bench_floor", "body"), grown["floor"]),
        }
    finally:
        floor_app.drop_table()
    print(
        f"\n{dialect}: {people:,} people, {count(app, 'recognitions'):,} recognitions after the run; "
        f"load average before it {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores"
    )
    report(
        dialect,
        bursts,
        [s.seconds for s in rest if s.status == 200],
        [s.seconds for s in during if s.status == 200],
        checks,
    )
    for name, polled in (("at rest", rest), ("during the burst", during)):
        if errors := Counter(s.status for s in polled if s.status != 200):
            print(f"\nSummary API answers other than 200 {name}: {dict(errors)}")
    if any(b.failures()["5xx"] or b.failures()["no answer"] for b in bursts.values()):
        print("\nLast lines of the server logs:\n" + logs)


if __name__ == "__main__":
    main()

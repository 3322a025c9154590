"""Dashboard benchmark at hospital-system scale: ``make bench`` (never part of ``make test``).

Seeds 80,000 people and 1,000,000 recognitions (``BENCH_STAFF`` / ``BENCH_RECOGNITIONS``;
a database that already holds people is reused), then prints, for an admin and for one
manager, the dashboard page and the summary API p50/p95 for every filter: the default period,
all time, each source, each standard, the last calendar quarter and a combination of the three,
each against its target. The named periods also get the same aggregates as hand-written SQL
over the raw tables (the yardstick). Then the bytes a first and a repeat load of the page
transfer, and what writing one recognition through the service costs.

Each row is timed up to ``BENCH_RUNS`` times after one warm-up, for about ``BENCH_ROW_SECONDS``.

    DATABASE_URL=sqlite:////tmp/bench.db python bench/dashboard.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tracker_bench python bench/dashboard.py
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import sqlalchemy as sa

from tracker import create_app, policy
from tracker.extensions import db
from tracker.models import Person, Source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
STAFF = int(os.environ.get("BENCH_STAFF", "80000"))
RECOGNITIONS = int(os.environ.get("BENCH_RECOGNITIONS", "1000000"))
VIEWERS = {"admin": "admin@example.org", "manager": "manager@example.org"}
PERIODS = ("default (30 days)", "all time")
# Each row is timed RUNS times, or for about BUDGET seconds if that comes first.
BUDGET = float(os.environ.get("BENCH_ROW_SECONDS", "5"))
PAGE_TARGET, API_TARGET, WRITE_TARGET = 250, 100, 20
ASSET = re.compile(r'(?:src|href)="(/[^"]*static/[^"]+)"')


def flask(*arguments: str) -> None:
    command = [sys.executable, "-m", "flask", "--app", "tracker", *arguments]
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, "FLASK_DEBUG": "1"})


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call) -> tuple[float, float]:
    started = time.perf_counter()
    call()  # warm the caches once, as a dashboard visited all day would be
    # A row slower than the budget is timed fewer times (at least three, or once if even warming
    # took half the budget), so a slow build cannot stretch the run for long.
    fewest = 1 if time.perf_counter() - started > BUDGET / 2 else 3
    deadline = time.perf_counter() + BUDGET
    samples = []
    for _ in range(RUNS):
        if len(samples) >= fewest and time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def raw_sql(scope: str, since: datetime | None, dialect: str) -> list[str]:
    """The summary's aggregates written by hand over the raw tables, grouped in SQL (the yardstick)."""
    period = "r.status = 'published'" + (" AND r.created_at >= :since" if since else "")
    in_scope = f"r.department_id IN ({scope})" if scope else "1 = 1"
    people = f"p.department_id IN ({scope}) AND p.active" if scope else "p.active"
    if dialect == "postgresql":
        week = "date_trunc('week', r.created_at)"
        days = "floor(extract(epoch FROM r.acknowledged_at - r.created_at) / 86400)"
    else:
        week = "date(r.created_at, '-6 days', 'weekday 1')"
        days = "floor(julianday(r.acknowledged_at) - julianday(r.created_at))"
    return [
        # tiles: recognitions, patient compliments, unacknowledged
        f"SELECT r.source, count(*), sum(CASE WHEN r.acknowledged_at IS NULL THEN 1 ELSE 0 END) "
        f"FROM recognitions r WHERE {period} AND {in_scope} GROUP BY r.source",
        # weekly trend by source
        f"SELECT {week}, r.source, count(*) FROM recognitions r WHERE {period} AND {in_scope} GROUP BY 1, 2",
        # standard mix
        f"SELECT rs.standard_id, count(*) FROM recognitions r JOIN recognition_standards rs "
        f"ON rs.recognition_id = r.id WHERE {period} AND {in_scope} GROUP BY rs.standard_id",
        # recognitions per person in scope (coverage, Gini), zeros included
        f"SELECT n, count(*) FROM (SELECT p.id, count(rr.person_id) AS n FROM people p LEFT JOIN "
        f"(SELECT rr.person_id FROM recognition_recipients rr JOIN recognitions r ON r.id = rr.recognition_id "
        f"WHERE {period}) rr ON rr.person_id = p.id WHERE {people} GROUP BY p.id) c GROUP BY n",
        # participation
        f"SELECT count(DISTINCT r.giver_id) FROM recognitions r JOIN people p ON p.id = r.giver_id "
        f"WHERE {period} AND {people}",
        # whole days to acknowledge (median)
        f"SELECT {days}, count(*) FROM recognitions r WHERE {period} AND {in_scope} "
        f"AND r.acknowledged_at IS NOT NULL GROUP BY 1",
    ]


def write_cost(app) -> tuple[float, float]:
    """p50/p95 of creating one peer recognition (roll-ups included), each rolled back afterwards."""
    from tracker.recognitions import services as recognitions

    with app.test_request_context():
        giver = db.session.scalar(sa.select(Person).where(Person.email == "nurse@example.org"))
        recipients = db.session.scalars(
            sa.select(Person.id).where(Person.department_id == giver.department_id, Person.id != giver.id).limit(2)
        ).all()

        def create() -> None:
            recognitions.create_peer_recognition(
                giver,
                recipient_ids=list(recipients),
                unit_slug=None,
                standard_keys=["communicate", "respect"],
                behavior_keys=[],
                message="Thank you for staying late to settle the new admission.",
                visibility="public",
            )
            db.session.flush()
            db.session.rollback()

        return timed(create)


def transfer_sizes(client, url: str) -> tuple[int, int]:
    """Bytes on the wire (gzip) for a first load (page + assets) and a repeat load (page; assets cached)."""
    headers = {"Accept-Encoding": "gzip"}
    page = client.get(url, headers=headers)
    first = repeat = len(page.data)
    for asset in sorted(set(ASSET.findall(client.get(url).get_data(as_text=True)))):
        response = client.get(asset, headers=headers)
        first += len(response.data)
        if not response.cache_control.max_age or response.cache_control.max_age < 86400:
            etag = response.headers.get("ETag")
            again = client.get(asset, headers={**headers, "If-None-Match": etag or ""})
            repeat += len(again.data)
    return first, repeat


def ensure_seeded(app) -> None:
    """Seed the benchmark hospital unless the database already holds people (then reuse it)."""
    with app.app_context():
        empty = not db.session.scalar(sa.select(sa.func.count()).select_from(Person))
        db.session.rollback()  # end the read: on SQLite an open transaction would lock the seed out
        if empty:
            started = time.perf_counter()
            flask("seed-demo", "--staff", str(STAFF), "--recognitions", str(RECOGNITIONS))
            print(f"seed-demo: {time.perf_counter() - started:.0f} s")
            if db.engine.dialect.name == "postgresql":
                # What autovacuum does soon after a bulk load in a running system: the visibility map
                # lets PostgreSQL answer from the indexes alone.
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(sa.text("VACUUM ANALYZE"))


def last_quarter(today: date) -> tuple[date, date]:
    """The last whole calendar quarter that ended before ``today``."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    this_quarter = date(today.year, first_month, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def filters(standards: list[str], today: date) -> list[tuple[str, dict, dict]]:
    """(label, page query, API query) for every filter the dashboard offers.

    The page's default is the last 30 days; the API's is all time, so the default row asks the API
    for the same 30 days. Source and standard filters are timed over all time (the heaviest).
    """
    since, until = last_quarter(today)
    custom = {"since": since.isoformat(), "until": until.isoformat()}
    rows = [
        ("default (30 days)", {}, {"since": (today - timedelta(days=29)).isoformat()}),
        ("all time", {"period": "all"}, {}),
    ]
    rows += [(f"all time, source {s.value}", {"period": "all", "source": s.value}, {"source": s.value}) for s in Source]
    rows += [(f"all time, standard {k}", {"period": "all", "standard": k}, {"standard": k}) for k in standards]
    rows.append((f"custom {since} – {until}", {"period": "custom", **custom}, custom))
    combined = {"source": Source.PATIENT.value, "standard": standards[0], **custom}
    rows.append((f"patient + {standards[0]} + custom", {"period": "custom", **combined}, combined))
    return rows


def verdict(p50: float, target: float) -> str:
    return "pass" if p50 <= target else "**fail**"


def main() -> None:
    flask("db", "upgrade")
    app = create_app({"RATELIMIT_ENABLED": False, "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex()})
    ensure_seeded(app)
    with app.app_context():
        recognitions = db.session.scalar(sa.text("SELECT count(*) FROM recognitions"))
        dialect = db.engine.dialect.name
    standards = [s["key"] for s in app.test_client().get("/api/v1/standards").get_json()["items"]]
    today = datetime.now(UTC).date()
    print(f"\n{dialect}: {recognitions:,} recognitions, up to {RUNS} timed runs each (about {BUDGET:.0f} s a row)\n")
    print(
        "| database | viewer | filter | page p50 | page p95 | API p50 | API p95 | raw SQL p50 | raw ÷ API "
        f"| target: page p50 ≤ {PAGE_TARGET} ms, API p50 ≤ {API_TARGET} ms |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for role, email in VIEWERS.items():
        with app.app_context():
            viewer = db.session.scalar(sa.select(Person).where(Person.email == email))
            scope_ids = policy.dashboard_department_ids(viewer)
            user_id = viewer.get_id()
        scope = ",".join(str(i) for i in sorted(scope_ids)) if scope_ids is not None else ""
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        for label, page_args, api_args in filters(standards, today):
            page_url = "/dashboard?" + urlencode(page_args)
            api_url = "/api/v1/dashboard/summary?" + urlencode(api_args)
            page = timed(lambda u=page_url, c=client: c.get(u).data)
            api = timed(lambda u=api_url, c=client: c.get(u).data)
            status = client.get(api_url).status_code, client.get(page_url).status_code
            raw_cell = ratio_cell = "—"
            if label in PERIODS:  # the hand-written SQL yardstick, for the named periods
                since = api_args.get("since")
                with app.app_context():
                    bound = {"since": datetime.fromisoformat(since).replace(tzinfo=UTC)} if since else {}
                    statements = raw_sql(scope, bound.get("since"), dialect)

                    def run_raw(statements=statements, bound=bound):
                        for statement in statements:
                            db.session.execute(sa.text(statement), bound).all()

                    raw = timed(run_raw)
                raw_cell = f"{raw[0]:.0f} ms"
                ratio_cell = f"{raw[0] / api[0]:.0f}×" if api[0] else "—"
            note = "" if status == (200, 200) else f" (HTTP API {status[0]}, page {status[1]})"
            result = (
                f"page {verdict(page[0], PAGE_TARGET)}, API {verdict(api[0], API_TARGET)}"
                if status == (200, 200)
                else "**fail**"
            )
            print(
                f"| {dialect} | {role} | {label}{note} | {page[0]:.0f} ms | {page[1]:.0f} ms | {api[0]:.0f} ms "
                f"| {api[1]:.0f} ms | {raw_cell} | {ratio_cell} | {result} |"
            )
        if role == "manager":
            first, repeat = transfer_sizes(client, "/dashboard")
            print(
                f"\nTransfer (gzip), manager dashboard: first load {first / 1024:.0f} KB, repeat {repeat / 1024:.0f} KB"
            )
    write = write_cost(app)
    print("\n| database | one peer recognition written through the service | p50 | p95 | target | result |")
    print("| --- | --- | ---: | ---: | --- | --- |")
    print(
        f"| {dialect} | roll-ups included, rolled back | {write[0]:.0f} ms | {write[1]:.0f} ms "
        f"| p50 ≤ {WRITE_TARGET} ms | {verdict(write[0], WRITE_TARGET)} |"
    )


if __name__ == "__main__":
    main()

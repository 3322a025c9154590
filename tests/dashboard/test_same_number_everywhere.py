"""One question, one answer: the home page, the dashboard, the summary API, the huddle pack and the digest agree.

Each surface is read as its reader sees it (the pages and the API over HTTP, the digest as the
e-mail queued), on the known dataset, counted from the raw tables and from the roll-ups (the
dashboard conftest runs every test both ways).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tracker import clock
from tracker.dashboard import huddle
from tracker.extensions import db
from tracker.models import OutboxMessage, Source, Visibility, utcnow
from tracker.notifications.digest import queue_digests


def home_waiting(html: str) -> int:
    match = re.search(r'fs-6">(\d+)</span>\s*<a [^>]*>recognitions of your people not yet acknowledged', html)
    assert match, "the home page shows no count of recognitions waiting for acknowledgement"
    return int(match.group(1))


def dashboard_tile(html: str, label: str) -> int:
    match = re.search(rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*>([^<]*)</dd>", html)
    assert match, f"no tile {label!r}"
    return int(match.group(1).strip())


def digest_waiting(manager) -> int:
    queue_digests(utcnow())
    subject = db.session.scalar(
        sa.select(OutboxMessage.subject).where(
            OutboxMessage.kind == "manager_digest", OutboxMessage.to_address == manager.email
        )
    )
    match = re.search(r"(\d+) to acknowledge", subject or "")
    assert match, f"no count in the digest's subject {subject!r}"
    return int(match.group(1))


def test_waiting_for_acknowledgement_reads_the_same_on_every_surface(known, manager, sign_in):
    client = sign_in(manager)
    home = home_waiting(client.get("/").get_data(as_text=True))
    page = dashboard_tile(client.get("/dashboard").get_data(as_text=True), "Unacknowledged")
    api = client.get("/api/v1/dashboard/summary", query_string={"since": str(clock.hospital_today() - timedelta(29))})
    assert api.status_code == 200
    digest = digest_waiting(manager)
    assert home == page == api.get_json()["tiles"]["unacknowledged"] == digest == 2


def test_a_unit_s_week_reads_the_same_in_the_huddle_pack_and_the_dashboard(
    hospital, staff, colleague, manager, sign_in, standards
):
    a, b = standards[:2]
    unit = hospital["ellison-12"]
    monday = clock.monday(clock.hospital_today()) - timedelta(days=14)
    at = datetime.combine(monday + timedelta(days=2), datetime.min.time(), tzinfo=clock.hospital_zone()).astimezone(UTC)
    at += timedelta(hours=10)
    RecognitionFactory(giver=staff, recipients=[colleague], standards=[a, b], created_at=at, department=unit)
    RecognitionFactory(giver=colleague, recipients=[staff], standards=[a], created_at=at, department=unit)
    RecognitionFactory(
        giver=None,
        giver_name="A patient",
        source=Source.PATIENT,
        recipients=[colleague],
        standards=[b],
        created_at=at,
        department=unit,
        visibility=Visibility.PUBLIC,
    )
    db.session.flush()
    client = sign_in(manager)
    assert client.get(f"/units/{unit.slug}/huddle?week={monday.isoformat()}").status_code == 200
    pack = huddle.pack(unit, monday)
    week = {"department": unit.slug, "since": monday.isoformat(), "until": (monday + timedelta(days=6)).isoformat()}
    numbers = client.get("/api/v1/dashboard/summary", query_string=week).get_json()
    assert pack.total == numbers["tiles"]["recognitions"] == 3
    assert pack.patient_compliments == numbers["tiles"]["patient_compliments"] == 1
    assert pack.people_recognised == numbers["tiles"]["people_recognised"] == 2
    mix = {row["key"]: row["recognitions"] for row in numbers["standards"] if row["recognitions"]}
    assert {count.standard.key: count.count for count in pack.standards} == mix == {a.key: 2, b.key: 2}

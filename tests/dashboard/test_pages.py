"""The dashboard page, its exports, the acknowledge button and the huddle pack, through HTTP."""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.factories import PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import AuditEvent, Recognition


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def tile(html: str, label: str) -> str:
    match = re.search(rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*>([^<]*)</dd>", html)
    assert match, f"no tile {label!r}"
    return match.group(1).strip()


def test_manager_sees_the_numbers_charts_and_tables(known, manager, sign_in):
    client = sign_in(manager)
    response = client.get("/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert tile(html, "Recognitions") == "5"
    assert tile(html, "Coverage") == "50.0 %"
    assert tile(html, "Participation") == "25.0 %"
    assert tile(html, "Median days to acknowledge") == "2.0"
    for chart in ("weekly", "standards", "lorenz", "job_families", "units", "heat_map"):
        assert f'<script type="application/json" id="figure-{chart}">' in html
    assert "<script>" not in html and "style=" not in html  # strict CSP: nothing inline
    assert "Fewer than 5 people: not shown" in html
    assert "Open concerns" not in html  # concerns are for advocates and admins


def test_page_and_summary_service_agree(known, manager, sign_in):
    from tracker.clock import hospital_today as today
    from tracker.dashboard import services

    html = sign_in(manager).get("/dashboard?period=90").get_data(as_text=True)
    tiles = services.summary(manager, since=today() - timedelta(days=89))["tiles"]
    assert tile(html, "Recognitions") == str(tiles["recognitions"])
    assert tile(html, "Unacknowledged") == str(tiles["unacknowledged"])


def test_the_page_makes_the_same_number_of_queries_whatever_the_data_size(known, manager, sign_in, standards):
    client = sign_in(manager)
    client.get("/dashboard")  # warm up: the session's user, settings
    with counted_queries() as small:
        assert client.get("/dashboard").status_code == 200
    e12 = known["people"]["p3"].department
    for index in range(12):
        person = PersonFactory(department=e12, job_family=f"Family {index % 4}")
        RecognitionFactory(giver=known["people"]["p6"], recipients=[person], standards=standards[: 1 + index % 3])
    with counted_queries() as large:
        assert client.get("/dashboard").status_code == 200
    assert len(large) == len(small), set(large) ^ set(small)


def test_other_roles_and_scopes(known, staff, manager, advocate, sign_in):
    assert sign_in(staff).get("/dashboard").status_code == 403


def test_department_outside_the_subtree_is_403(known, manager, sign_in):
    response = sign_in(manager).get("/dashboard?department=surgery")
    assert response.status_code == 403
    assert "White 6" not in response.get_data(as_text=True)


def test_bad_filters_show_messages_by_field(manager, sign_in):
    response = sign_in(manager).get("/dashboard?period=custom&since=2026-02-30&source=pigeon")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="since-error"' in html and 'id="source-error"' in html
    assert sign_in(manager).get("/dashboard?period=week").status_code == 422


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01&until=2026-01-31"])
def test_days_outside_the_calendar_range_are_refused_by_field(manager, sign_in, query):
    response = sign_in(manager).get(f"/dashboard?period=custom&{query}")
    assert response.status_code == 422
    assert "Choose a date between 1900-01-01 and 2999-12-31." in response.get_data(as_text=True)


def test_advocates_see_case_tiles_only(known, advocate, sign_in):
    html = sign_in(advocate).get("/dashboard").get_data(as_text=True)
    assert "Open concerns" in html
    assert "Coverage" not in html


def test_export_streams_the_recognitions_in_view_and_is_audited(known, manager, sign_in):
    response = sign_in(manager).get("/dashboard/export/recognitions.csv?period=30", buffered=True)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 5
    assert {row["source"] for row in rows} == {"peer", "patient"}
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "dashboard.export")).one()
    assert event.object_id == "recognitions" and event.actor_id == manager.id


def test_not_recognised_export(known, manager, sign_in):
    response = sign_in(manager).get("/dashboard/export/not-recognised.csv", buffered=True)
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert {row["name"] for row in rows} == {"Dana Whitfield", "Cy Lam", "Eli Koh", "Ben Ode"}
    assert next(row for row in rows if row["name"] == "Ben Ode")["days_since"] == "200"


def test_export_neutralises_spreadsheet_formulas(known, manager, sign_in, colleague, staff):
    RecognitionFactory(giver=staff, recipients=[colleague], message='=HYPERLINK("http://x")')
    text = sign_in(manager).get("/dashboard/export/recognitions.csv", buffered=True).get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_acknowledge_button(known, manager, other_manager, sign_in, client):
    waiting = known["recognitions"]["r3"]
    assert client.post_form(f"/dashboard/recognitions/{waiting.id}/acknowledge").status_code == 302  # to sign-in
    sign_in(other_manager)
    assert client.post_form(f"/dashboard/recognitions/{waiting.id}/acknowledge").status_code == 404
    client.post_form("/logout")
    sign_in(manager)
    response = client.post_form(f"/dashboard/recognitions/{waiting.id}/acknowledge", {"note": "Well done!"})
    assert response.status_code == 302
    db.session.expire_all()
    acknowledged = db.session.get(Recognition, waiting.id)
    assert acknowledged.acknowledged_by_id == manager.id and acknowledged.acknowledgement_note == "Well done!"
    html = client.get("/dashboard").get_data(as_text=True)
    assert tile(html, "Unacknowledged") == "1"


def test_huddle_pack_groups_public_recognitions_by_standard(known, manager, other_manager, sign_in, client):
    a, b, c = known["standards"]
    week = known["recognitions"]["r3"].created_at.date().isoformat()
    sign_in(manager)
    response = client.get(f"/units/ellison-12/huddle?week={week}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert b.name in html
    assert client.get("/units/ellison-12/huddle?week=not-a-date").status_code == 422
    assert client.get("/units/white-6/huddle").status_code == 404
    assert client.get("/units/no-such-unit/huddle").status_code == 404
    assert client.get("/units/ellison%0012/huddle").status_code in (400, 404)
    assert client.get("/dashboard?department=ellison%0012").status_code in (400, 422)

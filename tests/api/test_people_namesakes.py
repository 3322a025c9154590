"""The directory tells namesakes apart: each person comes with job title and unit, in one query."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import PersonFactory
from tracker.directory import search_people
from tracker.extensions import db


def namesakes(hospital):
    resident = PersonFactory(name="James Anderson", job_title="Resident Physician", department=hospital["ellison-12"])
    physician = PersonFactory(name="James Anderson", job_title="Physician", department=hospital["white-6"])
    return resident, physician


def test_namesakes_come_with_job_title_and_unit(client, bearer, staff, hospital):
    resident, physician = namesakes(hospital)
    body = client.get("/api/v1/people?q=james+anderson", headers=bearer(staff)).get_json()
    assert body["total"] == 2
    assert [(p["id"], p["job_title"], p["department"], p["unit"]) for p in body["items"]] == [
        (resident.id, "Resident Physician", "ellison-12", "Ellison 12"),
        (physician.id, "Physician", "white-6", "White 6"),
    ]


def test_one_query_finds_the_people_their_units_and_the_total(db_session, hospital):
    namesakes(hospital)
    for number in range(12):
        PersonFactory(name=f"James Anderson {number}", department=hospital["white-6"])
    db.session.expire_all()
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        people, total = search_people("anderson", limit=10)
        units = [person.department.name for person in people]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert total == 14 and len(people) == 10 and all(units)


def test_a_page_past_the_end_is_empty_with_the_true_total(client, bearer, staff, hospital):
    namesakes(hospital)
    body = client.get("/api/v1/people?q=anderson&per_page=1&page=5", headers=bearer(staff)).get_json()
    assert body["items"] == [] and body["total"] == 2
    assert client.get("/api/v1/people?q=nobody+at+all", headers=bearer(staff)).get_json()["total"] == 0


def test_hostile_words_match_literally(client, bearer, staff, hospital):
    namesakes(hospital)
    for query in ("%", "_", "\\", "' OR 1=1 --", "<script>", "x" * 200):
        response = client.get("/api/v1/people", query_string={"q": query}, headers=bearer(staff))
        assert response.status_code == 200, query
        assert response.get_json()["items"] == [], query
    assert client.get("/api/v1/people", query_string={"q": "x" * 201}, headers=bearer(staff)).status_code == 422

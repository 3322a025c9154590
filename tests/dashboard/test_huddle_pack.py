"""The huddle pack: each story once with its standards, counts in words, and the links that lead to it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from tests.factories import PersonFactory, RecognitionFactory
from tracker.dashboard import huddle
from tracker.extensions import db
from tracker.models import RecognitionStatus, Source, Visibility

WEEK = date(2026, 3, 30)  # a Monday


def at(day: int, hour: int = 15) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def week(hospital, staff, colleague, surgeon, standards):
    """Ellison 12's week: one story of three standards, a patient's thanks, one more story; and what stays out."""
    a, b, c = standards[0], standards[1], standards[2]
    stories = {
        "three": RecognitionFactory(
            giver=colleague, recipients=[staff], standards=[a, b, c], created_at=at(31), message="Three standards."
        ),
        "patient": RecognitionFactory(
            giver=None,
            giver_name="Rosa Delgado",
            source=Source.PATIENT,
            recipients=[colleague],
            standards=[b],
            created_at=at(31, 9),
            message="A patient's thanks.",
        ),
        "newest": RecognitionFactory(
            giver=staff,
            recipients=[colleague],
            standards=[a],
            created_at=datetime(2026, 4, 2, 10, tzinfo=UTC),
            message="The newest colleague story.",
        ),
    }
    for message, extra in {
        "Private story.": {"visibility": Visibility.PRIVATE},
        "Pending story.": {"status": RecognitionStatus.PENDING},
        "Last week's story.": {"created_at": at(25)},
    }.items():
        RecognitionFactory(
            giver=colleague, recipients=[staff], created_at=extra.pop("created_at", at(31)), message=message, **extra
        )
    RecognitionFactory(giver=staff, recipients=[surgeon], created_at=at(31), message="Surgery's story.")
    db.session.flush()
    return {"stories": stories, "standards": (a, b, c)}


def stories_in(html: str) -> list[str]:
    return re.findall(r'<p class="mb-1 recognition-story">([^<]*)</p>', html)


def badges_of(html: str, message: str) -> list[str]:
    block = html.split(f'<p class="mb-1 recognition-story">{message}</p>', 1)[1].split("</blockquote>", 1)[0]
    return [name.strip() for name in re.findall(r'standard-badge">([^<]*)</li>', block)]


def test_each_story_appears_once_with_all_its_standards(week, manager, sign_in, client):
    a, b, c = week["standards"]
    sign_in(manager)
    html = client.get(f"/units/ellison-12/huddle?week={WEEK.isoformat()}").get_data(as_text=True)
    assert stories_in(html) == ["A patient&#39;s thanks.", "The newest colleague story.", "Three standards."]
    assert badges_of(html, "Three standards.") == [a.name, b.name, c.name]
    assert "(Rosa)" in html and "Delgado" not in html  # patients appear by first name only
    for left_out in ("Private story.", "Pending story.", "Last week", "Surgery"):
        assert left_out not in html


def test_counts_are_words_with_the_right_plural(week, manager, sign_in, client):
    sign_in(manager)
    html = client.get(f"/units/ellison-12/huddle?week={WEEK.isoformat()}").get_data(as_text=True)
    assert "1 compliment from patients and families" in html
    assert "2 recognitions from colleagues" in html
    assert "2 people recognised" in html
    a, b, c = week["standards"]
    standards = re.findall(r'>(\d+ stor(?:y|ies))</span>\s*<span[^>]*standard-badge">([^<]*)</span>', html)
    assert standards == [("2 stories", a.name), ("2 stories", b.name), ("1 story", c.name)]
    empty = client.get("/units/ellison-12/huddle?week=2020-01-06").get_data(as_text=True)
    assert "0 compliments from patients and families" in empty
    assert "No published compliments or recognitions that week." in empty


def test_the_pack_counts_in_sql_and_agrees_with_its_stories(week, hospital):
    pack = huddle.pack(hospital["ellison-12"], WEEK)
    assert [story.id for story in pack.from_patients] == [week["stories"]["patient"].id]
    assert pack.total == 3 and pack.people_recognised == 2
    assert sum(item.count for item in pack.standards) == sum(
        len(story.standards) for story in pack.from_patients + pack.from_colleagues
    )


def test_standards_are_named_in_the_readers_language(week, manager, sign_in, client):
    a, _b, _c = week["standards"]
    a.translations = {"es": {"name": "Me comunico con calidez"}}
    db.session.flush()
    sign_in(manager)
    client.post_form("/language", {"lang": "es", "next": "/"})
    html = client.get(f"/units/ellison-12/huddle?week={WEEK.isoformat()}").get_data(as_text=True)
    assert badges_of(html, "Three standards.")[0] == "Me comunico con calidez"


def count_queries(client, path: str) -> int:
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_more_stories_cost_no_more_queries(week, manager, staff, sign_in, client, standards):
    sign_in(manager)
    path = f"/units/ellison-12/huddle?week={WEEK.isoformat()}"
    few = count_queries(client, path)
    for n in range(6):
        giver = PersonFactory(department=staff.department)
        RecognitionFactory(giver=giver, recipients=[staff, giver], standards=standards[:2], created_at=at(31, 8 + n))
    db.session.flush()
    assert count_queries(client, path) == few


@pytest.mark.parametrize("value", ["not-a-date", "2026-13-01", "9" * 5000, "<script>", "2026-03-30'--"])
def test_a_bad_week_is_a_clear_422(week, manager, sign_in, client, value):
    sign_in(manager)
    response = client.get("/units/ellison-12/huddle", query_string={"week": value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a day of the week as YYYY-MM-DD" in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_pack_links_to_other_weeks_and_the_poster(week, manager, sign_in, client):
    sign_in(manager)
    html = client.get(f"/units/ellison-12/huddle?week={WEEK.isoformat()}").get_data(as_text=True)
    assert 'href="/units/ellison-12/huddle?week=2026-03-23"' in html
    assert 'href="/units/ellison-12/poster"' in html
    assert "data-print-page" in html


def huddle_links(html: str) -> set[str]:
    return set(re.findall(r'href="(/units/[^/"]+/huddle)"', html))


def test_the_dashboard_links_to_the_huddle_pack_of_the_units_in_view(
    hospital, manager, advocate, admin, sign_in, client
):
    sign_in(manager)
    assert huddle_links(client.get("/dashboard").get_data(as_text=True)) == {"/units/medicine/huddle"}
    filtered = client.get("/dashboard?department=ellison-14").get_data(as_text=True)
    assert huddle_links(filtered) == {"/units/ellison-14/huddle"}
    client.post_form("/logout")
    sign_in(advocate)
    assert huddle_links(client.get("/dashboard?department=ellison-14").get_data(as_text=True)) == set()
    client.post_form("/logout")
    sign_in(admin)
    assert huddle_links(client.get("/dashboard?department=white-6").get_data(as_text=True)) == {"/units/white-6/huddle"}


def test_a_units_wall_links_to_its_poster_and_to_its_pack_for_who_may_read_it(
    hospital, manager, other_manager, staff, sign_in, client
):
    sign_in(manager)
    wall = client.get("/wall?unit=ellison-12").get_data(as_text=True)
    assert huddle_links(wall) == {"/units/ellison-12/huddle"}
    assert 'href="/units/ellison-12/poster"' in wall
    assert huddle_links(client.get("/wall").get_data(as_text=True)) == set()
    client.post_form("/logout")
    sign_in(other_manager)
    assert huddle_links(client.get("/wall?unit=ellison-12").get_data(as_text=True)) == set()
    assert client.get("/units/ellison-12/huddle").status_code == 404
    client.post_form("/logout")
    sign_in(staff)
    wall = client.get("/wall?unit=ellison-12").get_data(as_text=True)
    assert huddle_links(wall) == set()
    assert 'href="/units/ellison-12/poster"' in wall
    assert client.get("/units/ellison-12/huddle").status_code == 403
    unknown = client.get("/wall?unit=no-such-unit")
    assert unknown.status_code == 200 and "/poster" not in unknown.get_data(as_text=True)


def test_an_inactive_units_wall_offers_no_poster(hospital, staff, sign_in, client):
    hospital["ellison-14"].active = False
    db.session.flush()
    sign_in(staff)
    assert "/units/ellison-14/poster" not in client.get("/wall?unit=ellison-14").get_data(as_text=True)


def test_a_wall_offers_no_poster_where_patients_do_not_come(hospital, staff, sign_in, client):
    hospital["ellison-14"].patient_facing = False
    db.session.flush()
    sign_in(staff)
    assert "/units/ellison-14/poster" not in client.get("/wall?unit=ellison-14").get_data(as_text=True)
    assert client.get("/units/ellison-14/poster").status_code == 404

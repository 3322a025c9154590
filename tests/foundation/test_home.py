"""The signed-in home page: the latest recognitions of me and what waits for me."""

from datetime import timedelta

from tests.factories import PASSWORD, FeedbackFactory, RecognitionFactory
from tracker.models import RecognitionStatus, utcnow


def test_staff_see_what_was_said_about_them(client, staff, colleague):
    RecognitionFactory(giver=colleague, recipients=[staff], message="Sam calmed a frightened patient <b>fast</b>.")
    client.sign_in(staff.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Recently said about you" in page
    assert "Sam calmed a frightened patient &lt;b&gt;fast&lt;/b&gt;." in page
    assert "Waiting for you" not in page


def test_nothing_yet_is_said_kindly(client, staff):
    client.sign_in(staff.email, PASSWORD)
    assert "No recognitions of you yet" in client.get("/").get_data(as_text=True)


def test_managers_see_approvals_and_unacknowledged_recognitions(client, manager, staff, colleague):
    RecognitionFactory(giver=colleague, recipients=[staff])
    RecognitionFactory(giver=colleague, recipients=[staff], acknowledged_at=utcnow())
    RecognitionFactory(giver=colleague, recipients=[staff], created_at=utcnow() - timedelta(days=45))
    RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING)
    client.sign_in(manager.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Your team" in page
    assert "recognitions waiting for your approval" in page
    assert "recognitions of your people not yet acknowledged" in page


def test_advocates_see_moderation_and_overdue_concerns(client, advocate, hospital):
    FeedbackFactory(unit=hospital["ellison-12"])
    client.sign_in(advocate.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "patient comments waiting for moderation" in page


def count_queries(client, path: str) -> int:
    from sqlalchemy import event

    from tracker.extensions import db

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_home_page_queries_do_not_grow_with_history(client, staff, colleague, surgeon):
    RecognitionFactory(giver=colleague, recipients=[staff])
    client.sign_in(staff.email, PASSWORD)
    few = count_queries(client, "/")
    for giver in [colleague, surgeon] * 4:
        RecognitionFactory(giver=giver, recipients=[staff])
    many = count_queries(client, "/")
    assert 0 < few == many
    assert "See all 9 recognitions of you" in client.get("/").get_data(as_text=True)

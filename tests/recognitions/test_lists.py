"""My recognitions, the wall with its filters and opt-outs, the TV display, and profile preferences."""

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import PersonFactory, RecognitionFactory
from tracker.extensions import db
from tracker.models import AuditEvent, RecognitionStatus, Source, Standard, Visibility, utcnow
from tracker.recognitions import queries


def standards(n=2):
    return db.session.scalars(sa.select(Standard).order_by(Standard.position).limit(n)).all()


def test_my_recognitions_lists_received_and_given_with_counts_by_standard(staff, colleague, sign_in, client):
    first, second = standards()
    RecognitionFactory(giver=colleague, recipients=[staff], standards=[first, second], message="Received one")
    RecognitionFactory(giver=colleague, recipients=[staff], standards=[first], message="Received two")
    RecognitionFactory(giver=colleague, recipients=[staff], status=RecognitionStatus.PENDING, message="Not yet")
    RecognitionFactory(giver=staff, recipients=[colleague], message="Given by me")
    counts = dict((standard.key, n) for standard, n in queries.received_by_standard(staff))
    assert counts[first.key] == 2 and counts[second.key] == 1 and sum(counts.values()) == 3
    sign_in(staff)
    received = client.get("/me/recognitions").get_data(as_text=True)
    assert "Received one" in received and "Received two" in received
    assert "Not yet" not in received and "Given by me" not in received
    assert received.index("Received two") < received.index("Received one")  # newest first
    given = client.get("/me/recognitions?tab=given").get_data(as_text=True)
    assert "Given by me" in given and "Received one" not in given


def test_my_recognitions_are_paginated(staff, colleague, sign_in, client):
    now = utcnow()
    for n in range(queries.PER_PAGE + 3):
        RecognitionFactory(
            giver=colleague, recipients=[staff], message=f"Story {n:02d}", created_at=now - timedelta(minutes=n)
        )
    sign_in(staff)
    first = client.get("/me/recognitions").get_data(as_text=True)
    second = client.get("/me/recognitions?page=2").get_data(as_text=True)
    assert "Story 00" in first and "Story 22" not in first and "Page 1 of 2" in first
    assert "Story 22" in second and "Story 00" not in second
    assert client.get("/me/recognitions?page=abc").status_code == 200


def test_the_wall_shows_published_public_stories_filtered_by_unit_and_standard(
    staff, colleague, surgeon, hospital, sign_in, client
):
    first, second = standards()
    RecognitionFactory(giver=staff, recipients=[colleague], standards=[first], message="Medicine first")
    RecognitionFactory(giver=staff, recipients=[surgeon], standards=[second], message="Surgery second")
    RecognitionFactory(giver=staff, recipients=[colleague], visibility=Visibility.PRIVATE, message="Private one")
    RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING, message="Pending one")
    sign_in(staff)
    everything = client.get("/wall").get_data(as_text=True)
    assert "Medicine first" in everything and "Surgery second" in everything
    assert "Private one" not in everything and "Pending one" not in everything
    medicine = client.get("/wall?unit=medicine").get_data(as_text=True)
    assert "Medicine first" in medicine and "Surgery second" not in medicine
    by_standard = client.get(f"/wall?standard={second.key}").get_data(as_text=True)
    assert "Surgery second" in by_standard and "Medicine first" not in by_standard
    unknown = client.get("/wall?unit=nowhere&standard=nothing")
    assert unknown.status_code == 200 and "There is no such unit" in unknown.get_data(as_text=True)


def test_a_person_who_opted_out_is_never_on_the_wall_or_the_display(staff, colleague, surgeon, sign_in, client):
    colleague.show_on_walls = False
    RecognitionFactory(giver=staff, recipients=[colleague, surgeon], message="Names Maria")
    RecognitionFactory(giver=staff, recipients=[surgeon], message="Only John")
    sign_in(staff)
    wall = client.get("/wall").get_data(as_text=True)
    assert "Only John" in wall and "Names Maria" not in wall
    display = client.get("/wall/display/ellison-12").get_data(as_text=True)
    assert "Names Maria" not in display
    # She still sees it herself.
    client.sign_out()
    sign_in(colleague)
    assert "Names Maria" in client.get("/me/recognitions").get_data(as_text=True)


def test_the_display_shows_only_public_stories_of_its_unit_without_navigation(
    staff, colleague, surgeon, sign_in, client
):
    RecognitionFactory(giver=staff, recipients=[colleague], message="On Ellison 12")
    RecognitionFactory(giver=staff, recipients=[surgeon], message="On White 6")
    RecognitionFactory(giver=staff, recipients=[colleague], visibility=Visibility.PRIVATE, message="Private")
    RecognitionFactory(
        giver=None, giver_name="Rosa Diaz", source=Source.PATIENT, recipients=[colleague], message="<i>Patient</i>"
    )
    sign_in(staff)
    response = client.get("/wall/display/ellison-12")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "On Ellison 12" in html and "On White 6" not in html and "Private" not in html
    assert "&lt;i&gt;Patient&lt;/i&gt;" in html and "From Rosa" in html and "Diaz" not in html
    assert "<nav" not in html
    assert 'aria-pressed="false">Pause</button>' in html and "recognitions-display.js" in html
    assert client.get("/wall/display/no-such-unit").status_code == 404


def test_the_wall_preference_is_saved_and_audited(staff, sign_in, client):
    sign_in(staff)
    assert client.post_form("/me/profile/walls", {}).status_code == 302  # unticked box: off
    db.session.refresh(staff)
    assert staff.show_on_walls is False
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "preferences_changed")).all()
    assert event.actor_id == staff.id and event.details == {"show_on_walls": False}


def test_the_profile_page_turns_e_mails_off(staff, sign_in, client):
    sign_in(staff)
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'name="email_notifications"' in page and 'name="show_on_walls"' in page
    client.post_form("/me/profile", {"show_on_walls": "y"})
    db.session.refresh(staff)
    assert staff.email_notifications is False and staff.show_on_walls is True
    details = db.session.scalars(sa.select(AuditEvent.details).where(AuditEvent.action == "preferences_changed")).all()
    assert details == [{"email_notifications": False}]


def test_list_recognitions_applies_the_scope_and_filters(staff, colleague, surgeon, manager, hospital):
    first, second = standards()
    public = RecognitionFactory(giver=colleague, recipients=[surgeon], standards=[first])
    private_mine = RecognitionFactory(giver=colleague, recipients=[staff], visibility=Visibility.PRIVATE)
    private_other = RecognitionFactory(
        giver=surgeon, recipients=[colleague], visibility=Visibility.PRIVATE, standards=[second]
    )
    stranger = PersonFactory()
    items, total = queries.list_recognitions(stranger, queries.RecognitionFilters())
    assert total == 1 and items == [public]
    _items, total = queries.list_recognitions(staff, queries.RecognitionFilters())
    assert total == 2
    items, total = queries.list_recognitions(manager, queries.RecognitionFilters(department=hospital["medicine"]))
    assert {r.id for r in items} == {private_mine.id, private_other.id}
    items, _total = queries.list_recognitions(manager, queries.RecognitionFilters(standard=second))
    assert items == [private_other]
    items, _total = queries.list_recognitions(manager, queries.RecognitionFilters(recipient_id=staff.id))
    assert items == [private_mine]
    later = queries.RecognitionFilters(since=utcnow() + timedelta(minutes=1))
    assert queries.list_recognitions(manager, later) == ([], 0)


def test_a_patient_giver_appears_by_first_name_only_on_the_wall(staff, colleague, sign_in, client):
    RecognitionFactory(giver=None, giver_name="Rosa Diaz", source=Source.PATIENT, recipients=[colleague])
    sign_in(staff)
    html = client.get("/wall").get_data(as_text=True)
    assert "From Rosa" in html and "Diaz" not in html

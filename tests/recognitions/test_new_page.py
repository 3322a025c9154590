"""/recognitions/new through the real form, CSRF on, as a browser without JavaScript."""

import re

import sqlalchemy as sa

from tracker import settings
from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus, Standard, Visibility


def first_standard():
    return db.session.scalars(sa.select(Standard).order_by(Standard.position)).first()


def form_key(html: str) -> str:
    return re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)


def recognitions():
    return db.session.scalars(sa.select(Recognition)).all()


def test_the_form_offers_every_active_standard_and_a_one_time_key(staff, sign_in, client):
    sign_in(staff)
    page = client.get("/recognitions/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for standard in db.session.scalars(sa.select(Standard).where(Standard.active.is_(True))):
        assert f'value="{standard.key}"' in html
    assert len(form_key(html)) >= 16
    assert "<script>" not in html.replace('<script src="', "")


def test_find_lists_matching_people_and_keeps_what_was_typed(staff, colleague, sign_in, client):
    sign_in(staff)
    response = client.post_form(
        "/recognitions/new",
        {"people_query": "maria", "find": "Find", "message": "She stayed late <b>again</b>", "submission_key": "k1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="recipients" value="{colleague.id}" id="found-{colleague.id}"' in html
    assert "She stayed late &lt;b&gt;again&lt;/b&gt;" in html
    assert 'value="k1"' in html
    assert recognitions() == []


def test_find_never_offers_the_giver_themself(staff, sign_in, client):
    sign_in(staff)
    html = client.post_form("/recognitions/new", {"people_query": "okafor", "find": "Find"}).get_data(as_text=True)
    assert f'id="found-{staff.id}"' not in html
    assert "Nobody in the directory matches" in html


def test_sending_publishes_and_a_resubmitted_form_creates_nothing_new(staff, colleague, surgeon, sign_in, client):
    sign_in(staff)
    data = {
        "recipients": [str(colleague.id), str(surgeon.id)],
        "standards": [first_standard().key],
        "message": "Calmed a frightened patient before surgery.",
        "visibility": "public",
        "submission_key": "one-time-key-123",
    }
    first = client.post_form("/recognitions/new", data)
    second = client.post_form("/recognitions/new", data)
    [recognition] = recognitions()
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"] == f"/recognitions/{recognition.id}"
    assert {person.id for person in recognition.recipients} == {colleague.id, surgeon.id}


def test_mistakes_are_shown_by_their_fields_and_nothing_is_lost(staff, colleague, sign_in, client):
    sign_in(staff)
    response = client.post_form(
        "/recognitions/new",
        {"recipients": [str(colleague.id)], "message": "x" * 5001, "visibility": "public", "submission_key": "k"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="standards-error"' in html and "Tick at least one icare standard" in html
    assert 'id="message-error"' in html and "5000" in html
    assert 'aria-invalid="true"' in html
    assert f'id="recipient-{colleague.id}" checked' in html  # the chosen colleague is still chosen
    assert "x" * 5001 in html
    assert recognitions() == []


def test_choosing_oneself_is_refused_next_to_the_people(staff, sign_in, client):
    sign_in(staff)
    html = client.post_form(
        "/recognitions/new",
        {"recipients": [str(staff.id)], "standards": [first_standard().key], "message": "me", "visibility": "public"},
    ).get_data(as_text=True)
    assert 'id="recipients-error"' in html and "cannot recognise yourself" in html
    assert recognitions() == []


def test_the_form_needs_sign_in_and_a_csrf_token(staff, colleague, client, sign_in):
    assert client.get("/recognitions/new").status_code == 302
    sign_in(staff)
    refused = client.post(
        "/recognitions/new",
        data={"recipients": [str(colleague.id)], "standards": [first_standard().key], "message": "hi"},
    )
    assert refused.status_code == 400
    assert recognitions() == []


def test_a_private_team_recognition_waits_for_approval_when_required(staff, hospital, manager, sign_in, client):
    settings.set_value("approval_required", True)
    sign_in(staff)
    response = client.post_form(
        "/recognitions/new",
        {
            "unit": "ellison-14",
            "standards": [first_standard().key],
            "message": "The whole night team pulled together.",
            "visibility": "private",
            "submission_key": "team-key",
        },
        follow_redirects=True,
    )
    assert "will appear once a manager has approved it" in response.get_data(as_text=True)
    [recognition] = recognitions()
    assert recognition.unit == hospital["ellison-14"] and recognition.recipient_rows == []
    assert recognition.status == RecognitionStatus.PENDING and recognition.visibility == Visibility.PRIVATE


def test_the_daily_limit_is_explained_at_the_top_of_the_form(staff, colleague, sign_in, client):
    settings.set_value("daily_recognition_limit", 0)
    sign_in(staff)
    html = client.post_form(
        "/recognitions/new",
        {
            "recipients": [str(colleague.id)],
            "standards": [first_standard().key],
            "message": "hi",
            "visibility": "public",
        },
    ).get_data(as_text=True)
    assert 'id="error-summary"' in html and "daily limit" in html
    assert recognitions() == []

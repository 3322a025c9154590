"""Survey recognitions on walls: the hospital's setting is read whenever a wall is, not only at approval.

One approved while the setting was on is shown on the wall, the unit's TV (signed in or by its
link), everybody's lists and the API, and posted to channels; once the setting is off it is gone
from all of them, and only its people, their managers and patient experience read it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tracker import settings
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.integrations import events
from tracker.integrations import services as integration_services
from tracker.models import IntegrationDelivery, Source

WORDS = "Kind words from a survey"


@pytest.fixture
def survey_recognition(colleague):
    """A public survey recognition of Maria, approved while the setting and the vendor's terms allowed it."""
    settings.set_value("survey_comments_on_walls", True)
    recognition = RecognitionFactory(
        source=Source.SURVEY, giver=None, giver_name="", recipients=[colleague], message=WORDS
    )
    db.session.commit()
    return recognition


@pytest.fixture
def tv_token(hospital, manager):
    from tracker.displays import services  # once the app has loaded every feature package

    _link, token = services.create_link(hospital["ellison-12"], "Nurses’ station TV", manager)
    db.session.commit()
    return token


def _turn_off() -> None:
    settings.set_value("survey_comments_on_walls", False)
    db.session.commit()


def _api_messages(client, person) -> list[str]:
    token = create_token(person, "tests")
    db.session.commit()
    response = client.get("/api/v1/recognitions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return [item["message"] for item in response.get_json()["items"]]


def _surfaces(app, client, token) -> dict[str, bool]:
    """Whether the words are on each surface staff (Sam) and a unit TV read."""
    tv = app.test_client()
    return {
        "wall": WORDS in client.get("/wall").get_data(as_text=True),
        "unit wall": WORDS in client.get("/wall?unit=ellison-12").get_data(as_text=True),
        "display": WORDS in client.get("/wall/display/ellison-12").get_data(as_text=True),
        "kiosk": WORDS in tv.get(f"/display/{token}").get_data(as_text=True),
    }


def test_shown_while_the_setting_is_on_gone_once_it_is_off(app, client, sign_in, staff, survey_recognition, tv_token):
    sign_in(staff)
    assert _surfaces(app, client, tv_token) == dict.fromkeys(["wall", "unit wall", "display", "kiosk"], True)
    assert WORDS in _api_messages(client, staff)
    assert client.get(f"/recognitions/{survey_recognition.id}").status_code == 200

    _turn_off()
    assert _surfaces(app, client, tv_token) == dict.fromkeys(["wall", "unit wall", "display", "kiosk"], False)
    assert WORDS not in _api_messages(client, staff)
    assert client.get(f"/recognitions/{survey_recognition.id}").status_code == 404

    settings.set_value("survey_comments_on_walls", True)
    db.session.commit()
    assert _surfaces(app, client, tv_token)["wall"] and WORDS in _api_messages(client, staff)


def test_once_off_only_its_people_their_managers_and_patient_experience_read_it(
    client, colleague, manager, advocate, survey_recognition
):
    _turn_off()
    for person in (colleague, manager, advocate):
        assert WORDS in _api_messages(client, person), person.name


def test_other_recognitions_stay_on_the_wall_when_the_setting_is_off(client, sign_in, staff, colleague):
    RecognitionFactory(giver=staff, recipients=[colleague], message="A colleague's thanks")
    RecognitionFactory(source=Source.PATIENT, giver=None, giver_name="Rosa Diaz", recipients=[colleague])
    sign_in(staff)
    assert len(_api_messages(client, staff)) == 2
    assert "A colleague&#39;s thanks" in client.get("/wall").get_data(as_text=True)


def test_channels_get_a_survey_recognition_only_while_the_setting_is_on(
    app, monkeypatch, hospital, manager, colleague, survey_recognition
):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", True)
    channel = integration_services.connect_channel(
        hospital["medicine"], "teams", "http://127.0.0.1:9/teams/hook", by=manager
    )
    events.recognition_published(survey_recognition)
    assert _posts(channel) == 1
    _turn_off()
    later = RecognitionFactory(source=Source.SURVEY, giver=None, giver_name="", recipients=[colleague])
    assert not events.may_post_recognition(survey_recognition)
    events.recognition_published(later)
    assert _posts(channel) == 1


def _posts(channel) -> int:
    statement = sa.select(sa.func.count()).where(IntegrationDelivery.channel_id == channel.id)
    return db.session.scalar(statement.select_from(IntegrationDelivery))

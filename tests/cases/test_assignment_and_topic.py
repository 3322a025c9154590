"""Cases go to anyone in the patient experience office, and the list says what each concern is about."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory
from tracker.cases import services
from tracker.extensions import db
from tracker.feedback.services import submit_feedback
from tracker.models import Case, Role


def _concern(message="The call bell went unanswered for forty minutes."):
    feedback = submit_feedback(
        type="concern", message=message, staff_names="", unit_slug=None, language="en",
        consent_to_share=False, contact_email="ana@example.com",
    )  # fmt: skip
    return db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))


@pytest.fixture
def office(hospital, advocate, admin):
    """Six case workers, two of them namesakes in different units, and people who may not work cases."""
    team = [
        PersonFactory(name=name, department=hospital["hospital"], job_title="Patient Advocate", roles={Role.ADVOCATE})
        for name in ("Wei Chen", "Grace Mensah", "Tomás Herrera")
    ]
    namesake = PersonFactory(
        name="Luz Ortega", department=hospital["white-6"], job_title="Patient Liaison", roles={Role.ADVOCATE}
    )
    left = PersonFactory(name="Aaron Left", department=hospital["hospital"], roles={Role.ADVOCATE}, active=False)
    nurse = PersonFactory(name="Abby Nurse", department=hospital["white-6"], roles={Role.STAFF})
    return {"workers": [advocate, admin, *team, namesake], "namesake": namesake, "left": left, "nurse": nurse}


def _options(page: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*name="assignee_id".*?</select>', page, re.S).group(0)
    return re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select)


def test_every_active_advocate_and_admin_is_offered_by_name(client, sign_in, advocate, office):
    case = _concern()
    sign_in(advocate)
    options = _options(client.get(f"/cases/{case.id}").get_data(as_text=True))
    offered = [int(value) for value, _label in options[1:]]
    assert options[0][0] == "0"  # nobody yet
    assert sorted(offered) == sorted(person.id for person in office["workers"])
    labels = [label for _value, label in options[1:]]
    assert [label.split(" (")[0] for label in labels] == sorted(label.split(" (")[0] for label in labels)
    namesakes = [label for label in labels if label.startswith("Luz Ortega")]
    assert len(namesakes) == 2 and len(set(namesakes)) == 2  # job and unit tell them apart
    assert any(label.startswith("Luz Ortega (Patient Liaison, ") for label in namesakes)
    assert office["left"].id not in offered and office["nurse"].id not in offered


def test_a_case_can_go_to_any_worker_in_the_office(client, sign_in, advocate, office):
    case = _concern()
    sign_in(advocate)
    for person in office["workers"]:
        response = client.post_form(f"/cases/{case.id}/assign", {"assignee_id": str(person.id)})
        assert response.status_code == 302
        db.session.refresh(case)
        assert case.assignee_id == person.id


@pytest.mark.parametrize("who", ["left", "nurse", "unknown", "garbage", "huge", "negative"])
def test_assigning_to_someone_who_may_not_work_cases_is_refused(client, sign_in, advocate, office, who):
    case = _concern()
    events_before = len(case.events)
    sign_in(advocate)
    value = {
        "left": str(office["left"].id),
        "nurse": str(office["nurse"].id),
        "unknown": "987654",
        "garbage": "<script>",
        "huge": "9" * 40,
        "negative": "-3",
    }[who]
    response = client.post_form(f"/cases/{case.id}/assign", {"assignee_id": value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    if who in ("left", "nurse", "unknown", "huge", "negative"):
        assert "Only active patient advocates and administrators can be assigned cases." in page
    assert "<script>" not in page.split("</header>")[-1]
    db.session.refresh(case)
    assert case.assignee_id is None and len(case.events) == events_before


def test_someone_who_left_keeps_their_cases_but_no_new_ones(client, sign_in, advocate, office):
    case = _concern()
    worker = office["workers"][2]
    services.assign(case, advocate, worker.id)
    worker.active = False
    db.session.flush()
    assert worker not in services.case_workers()
    sign_in(advocate)
    assert client.post_form(f"/cases/{case.id}/assign", {"assignee_id": str(worker.id)}).status_code == 422


def test_the_list_shows_each_concerns_topic_in_one_short_line(client, sign_in, advocate, hospital):
    short = _concern("Nobody told us the scan was cancelled.\nWe waited all afternoon.")
    long_line = "The food arrived cold every single evening of my mother's stay on the ward " * 3
    long = _concern(long_line.strip())
    empty = _concern("Noise at night on the ward.")
    empty.summary = ""
    db.session.flush()
    sign_in(advocate)
    page = client.get("/cases").get_data(as_text=True)
    assert "Topic" in page
    assert "Nobody told us the scan was cancelled." in page and "We waited all afternoon." not in page
    assert "Noise at night on the ward." in page  # no summary: the concern as written
    topic = services.topic(long)
    assert topic.truncated and len(topic.short) <= services.TOPIC_LENGTH + 1 and topic.short.endswith("…")
    assert f'title="{topic.full.replace(chr(39), "&#39;")}"' in page
    assert f'<span class="visually-hidden">{topic.full.replace(chr(39), "&#39;")}</span>' in page
    assert services.topic(short).full == "Nobody told us the scan was cancelled."


def test_topic_of_a_case_with_nothing_written():
    case = Case(summary="   ")
    assert services.topic(case).short == ""

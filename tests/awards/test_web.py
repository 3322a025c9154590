"""The award pages and API: the public form, the coordinator's pages, judging by page and by API."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from tests.api.conftest import error_fields
from tests.awards.conftest import STORY, blind_all, nominate, to_phase
from tests.factories import PASSWORD
from tracker.extensions import db
from tracker.feedback import spam
from tracker.models import AuditEvent, AwardDecision, CyclePhase, Nomination


@pytest.fixture
def started(app):
    with app.test_request_context():
        return spam.issue_started_token(now=time.time() - 60)


def form(token, **fields):
    data = {
        "nominee_name": "Maria Lopez",
        "unit_slug": "ellison-12",
        "story": STORY,
        "relation": "family",
        "contact_email": "hija@example.org",
        "consent": "y",
        "started": token,
        "website": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_a_family_member_nominates_in_spanish(client, programme, colleague, started):
    page = client.get("/awards/daisy/nominate", headers={"Accept-Language": "es"})
    assert page.status_code == 200 and "Nominar a alguien" in page.get_data(as_text=True)
    response = client.post_form("/awards/daisy/nominate", form(started), headers={"Accept-Language": "es"})
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"], headers={"Accept-Language": "es"}).get_data(as_text=True)
    nomination = db.session.scalar(sa.select(Nomination))
    assert nomination.reference in thanks and nomination.language == "es" and nomination.nominee == colleague


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"story": ""}, "Please write a few words."),
        ({"story": "x" * 5001}, "under 5,000"),
        ({"consent": None}, "Please agree"),
        ({"nominee_name": "John Smith", "unit_slug": "white-6"}, "eligible job family"),
        ({"relation": None}, "who you are"),
        ({"website": "http://spam.example"}, "leave this field empty"),
        ({"started": "forged"}, "very quick"),
    ],
)
def test_bad_nominations_get_a_message_and_store_nothing(
    client, programme, colleague, surgeon, started, fields, message
):
    response = client.post_form("/awards/daisy/nominate", form(started, **fields))
    assert response.status_code in (200, 422)
    assert message.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 0


def test_closed_and_unknown_programmes(client, programme, cycle, judges, colleague, started):
    assert client.get("/awards/nope/nominate").status_code == 404
    nominate(programme, colleague)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    response = client.post_form("/awards/daisy/nominate", form(started))
    assert "Nominations are closed" in response.get_data(as_text=True)


def test_a_signed_in_colleague_nominates_without_contact_questions(
    client, sign_in, staff, colleague, programme, started
):
    sign_in(staff)
    page = client.get("/awards/daisy/nominate").get_data(as_text=True)
    assert 'name="relation"' not in page
    response = client.post_form("/awards/daisy/nominate", form(started, relation=None))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Nomination)).nominator == staff


def test_the_coordinator_runs_a_cycle_through_the_pages(
    client, sign_in, coordinator, programme, cycle, judges, colleague
):
    nomination = nominate(programme, colleague, story="Maria Lopez on Ellison 12 was wonderful to my father all week.")
    db.session.commit()
    sign_in(coordinator)
    page = client.get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert "Suggested for removal" in page and "[…] on […] was wonderful" in page
    refused = client.post_form(f"/awards/nominations/{nomination.id}/blind", {"blinded_story": nomination.story})
    assert refused.status_code == 422 and "still shows" in refused.get_data(as_text=True)
    approved = client.post_form(
        f"/awards/nominations/{nomination.id}/blind", {"blinded_story": "[…] was wonderful to my father all week."}
    )
    assert approved.status_code == 302
    back = client.post_form(f"/awards/cycles/{cycle.id}/advance", {"phase": "nominating"}, follow_redirects=True)
    assert "only moves forward" in back.get_data(as_text=True)
    client.post_form(f"/awards/cycles/{cycle.id}/advance", {"phase": "judging"})
    db.session.expire_all()
    assert cycle.phase == CyclePhase.JUDGING and len(nomination.assignments) == 2
    assert client.get(f"/awards/cycles/{cycle.id}/leaderboard").status_code == 200
    export = client.get(f"/awards/cycles/{cycle.id}/export.csv")
    assert export.mimetype == "text/csv" and "Maria Lopez" in export.get_data(as_text=True)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"award_blinding_approved", "award_phase_changed", "award_judge_assigned", "award_cycle_exported"} <= actions


def test_programme_pages_refuse_bad_input(client, sign_in, coordinator, programme):
    sign_in(coordinator)
    response = client.post_form("/awards/manage", {"name": "", "slug": "Not A Slug!", "honourees_per_cycle": "0"})
    assert response.status_code == 200 and "lower-case letters" in response.get_data(as_text=True)
    response = client.post_form("/awards/manage/daisy/criteria", {"name": "Kindness", "weight": "99"})
    assert response.status_code == 422 and "at most 10" in response.get_data(as_text=True)
    response = client.post_form("/awards/manage/daisy/committee", {"email": "nobody@example.org"})
    assert response.status_code == 422
    ok = client.post_form(
        "/awards/manage", {"name": "Excellence in Action", "slug": "excellence", "honourees_per_cycle": "3"}
    )
    assert ok.status_code == 302


# --- API ------------------------------------------------------------------------------------------


def test_api_lists_programmes_and_takes_anonymous_nominations(client, programme, colleague):
    listing = client.get("/api/v1/awards").get_json()
    assert listing["items"][0]["slug"] == "daisy" and listing["items"][0]["open_cycle"]["phase"] == "nominating"
    body = {"story": STORY, "nominee_name": "Maria", "unit": "ellison-12", "relation": "patient", "consent": True}
    created = client.post("/api/v1/awards/daisy/nominations", json=body)
    assert created.status_code == 201 and created.get_json()["reference"].startswith("AW-")
    assert client.post("/api/v1/awards/nope/nominations", json=body).status_code == 404
    bad = client.post("/api/v1/awards/daisy/nominations", json={**body, "story": ""})
    assert bad.status_code == 422 and "story" in error_fields(bad)
    huge = client.post("/api/v1/awards/daisy/nominations", json={**body, "story": "x" * 6000})
    assert huge.status_code == 422
    assert client.post("/api/v1/awards/daisy/nominations", json={**body, "nominee": colleague.id}).status_code == 422


def test_api_staff_nominate_by_person_id(client, programme, colleague, staff, bearer):
    body = {"story": STORY, "nominee": colleague.id, "consent": True}
    created = client.post("/api/v1/awards/daisy/nominations", json=body, headers=bearer(staff))
    assert created.status_code == 201
    assert db.session.scalar(sa.select(Nomination)).nominator == staff


def test_api_judging(app, programme, cycle, judges, colleague, staff, advisor, surgery_judge):
    nominate(programme, colleague)
    nominate(programme, staff)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    db.session.commit()
    client = app.test_client()
    client.sign_in(advisor.email, PASSWORD)
    token = client.csrf_token()
    items = client.get("/api/v1/judging/assignments").get_json()["items"]
    assert items and all(set(item) == {"id", "programme", "cycle", "phase", "number", "submitted_at"} for item in items)
    first = items[0]["id"]
    detail = client.get(f"/api/v1/judging/assignments/{first}").get_json()
    assert detail["other_judges"] == [] and detail["scores"] == [] and detail["blinded_story"]
    ids = [c["id"] for c in detail["criteria"]]
    url = f"/api/v1/judging/assignments/{first}/score"
    headers = {"X-CSRFToken": token}
    for scores in ({str(ids[0]): 6, str(ids[1]): 3}, {str(ids[0]): 3, "999999": 3}, {str(ids[0]): 3}):
        assert client.post(url, json={"scores": scores}, headers=headers).status_code == 422
    ok = client.post(url, json={"scores": {str(ids[0]): 4, str(ids[1]): 5}, "comment": "Lovely."}, headers=headers)
    assert ok.status_code == 201
    again = client.post(url, json={"scores": {str(ids[0]): 1, str(ids[1]): 1}}, headers=headers)
    assert again.status_code == 409
    others = [a.id for n in cycle.nominations for a in n.assignments if a.judge_id != advisor.id]
    assert client.get(f"/api/v1/judging/assignments/{others[0]}").status_code == 404
    assert (
        client.post(f"/api/v1/judging/assignments/{others[0]}/score", json={"scores": {}}, headers=headers).status_code
        == 404
    )
    assert client.get(f"/judging/{others[0]}").status_code == 404


def test_a_conflicted_judge_gets_404(app, programme, cycle, judges, colleague, staff, advisor):
    nomination = nominate(programme, colleague, nominator=staff, relation=None)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    # The nominator joins the committee afterwards and is given the nomination by mistake.
    from tracker.awards import committee
    from tracker.models import JudgeAssignment

    committee.add_member(programme, staff.email)
    mistaken = JudgeAssignment(nomination=nomination, judge=staff)
    db.session.add(mistaken)
    db.session.commit()
    client = app.test_client()
    client.sign_in(staff.email, PASSWORD)
    assert client.get(f"/judging/{mistaken.id}").status_code == 404
    assert client.get(f"/api/v1/judging/assignments/{mistaken.id}").status_code == 404
    assert mistaken.id not in [i["id"] for i in client.get("/api/v1/judging/assignments").get_json()["items"]]


def test_judging_pages_by_form(app, programme, cycle, judges, colleague, advisor):
    programme.judges_per_nomination = 3  # every judge, the advisor included
    nominate(programme, colleague)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    db.session.commit()
    (assignment,) = [a for a in cycle.nominations[0].assignments if a.judge_id == advisor.id]
    client = app.test_client()
    client.sign_in(advisor.email, PASSWORD)
    ids = [c.id for c in programme.criteria]
    bad = client.post_form(f"/judging/{assignment.id}", {f"score_{ids[0]}": "9"})
    assert bad.status_code == 422 and "from 1 to 5" in bad.get_data(as_text=True)
    good = client.post_form(f"/judging/{assignment.id}", {f"score_{ids[0]}": "4", f"score_{ids[1]}": "3"})
    assert good.status_code == 302
    twice = client.post_form(f"/judging/{assignment.id}", {f"score_{ids[0]}": "1", f"score_{ids[1]}": "1"})
    assert twice.status_code == 302
    db.session.expire_all()
    assert sorted(s.value for s in assignment.scores) == [3, 4]


def test_certificate_and_daisy_export_after_announcement(
    client, sign_in, coordinator, programme, cycle, judges, colleague
):
    from tracker.awards import decisions, scoring

    nomination = nominate(programme, colleague)
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    ids = [c.id for c in programme.criteria]
    for assignment in nomination.assignments:
        scoring.submit(assignment, {ids[0]: 5, ids[1]: 5})
    to_phase(cycle, CyclePhase.DECIDING)
    decisions.decide(nomination, AwardDecision.HONOUREE, "Everyone agreed.")
    to_phase(cycle, CyclePhase.ANNOUNCED)
    db.session.commit()
    sign_in(coordinator)
    export = client.get(f"/awards/nominations/{nomination.id}/daisy.csv").get_data(as_text=True)
    assert "original_story" in export and "blinded_story" in export and "honouree" in export
    assert "Maria Lopez" in client.get(f"/awards/honourees/{nomination.id}/certificate").get_data(as_text=True)
    assert "Maria Lopez" in client.get("/awards/daisy").get_data(as_text=True)
    assert "Maria Lopez" in client.get("/wall").get_data(as_text=True)
    client.post_form(f"/awards/nominations/{nomination.id}/fulfilment", {"copy_sent": "y", "pin_given": "y"})
    db.session.expire_all()
    assert nomination.copy_sent and nomination.pin_given and not nomination.celebrated

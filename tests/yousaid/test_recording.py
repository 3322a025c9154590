"""Recording an action: scope, the month, the summary's length, and the health-information guard."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.yousaid.conftest import this_month
from tracker.extensions import db
from tracker.models import ActionStatus, ActionTaken, AuditEvent
from tracker.validation import InvalidInput
from tracker.yousaid import services


def actions():
    return db.session.scalars(sa.select(ActionTaken).order_by(ActionTaken.id)).all()


def form(unit, summary="We added six chairs to the waiting room.", month=None):
    return {"unit_id": str(unit.id), "month": this_month() if month is None else month, "summary": summary}


def test_a_manager_records_an_action_on_a_suggestion_of_their_unit(client, sign_in, manager, hospital, suggestion):
    sign_in(manager)
    page = client.get(f"/you-said-we-did/suggestions/{suggestion.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Más sillas" in html and "will be told" in html
    assert f'value="{this_month()}"' in html  # the month starts at this one

    response = client.post_form(f"/you-said-we-did/suggestions/{suggestion.id}", form(hospital["ellison-12"]))

    assert response.status_code == 302
    [action] = actions()
    assert (action.status, action.feedback_id, action.case_id) == (ActionStatus.PENDING, suggestion.id, None)
    assert action.created_by_id == manager.id and action.month.strftime("%Y-%m") == this_month()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "you_said_we_did.recorded"))
    assert event.actor_id == manager.id and event.object_id == str(action.id)
    assert event.details["feedback"] == suggestion.id
    listing = client.get("/you-said-we-did").get_data(as_text=True)
    assert "We added six chairs" in listing and "Approve and publish" not in listing  # managers do not approve


def test_a_manager_of_another_subtree_cannot_see_or_record(client, sign_in, other_manager, hospital, suggestion):
    sign_in(other_manager)
    assert client.get(f"/you-said-we-did/suggestions/{suggestion.id}").status_code == 404
    assert (
        client.post_form(f"/you-said-we-did/suggestions/{suggestion.id}", form(hospital["white-6"])).status_code == 404
    )
    assert "Más sillas" not in client.get("/you-said-we-did").get_data(as_text=True)
    assert actions() == []


def test_a_manager_cannot_file_an_action_under_a_unit_outside_their_subtree(manager, hospital, suggestion):
    with pytest.raises(InvalidInput) as refused:
        services.record_action(manager, summary="Chairs.", unit_id=hospital["white-6"].id, month=this_month(),
                               feedback=suggestion)  # fmt: skip
    assert "unit_id" in refused.value.fields
    assert actions() == []


def test_managers_record_on_resolved_concerns_without_reading_them(client, sign_in, manager, hospital, resolved_case):
    sign_in(manager)
    listing = client.get("/you-said-we-did").get_data(as_text=True)
    assert resolved_case.reference in listing and "sonèt" not in listing
    page = client.get(f"/you-said-we-did/cases/{resolved_case.id}").get_data(as_text=True)
    assert resolved_case.reference in page and "Bells answered sooner" not in page
    response = client.post_form(
        f"/you-said-we-did/cases/{resolved_case.id}", form(hospital["ellison-12"], "Call bells are now checked hourly.")
    )
    assert response.status_code == 302
    assert actions()[0].case_id == resolved_case.id
    assert (
        resolved_case.reference not in client.get("/you-said-we-did").get_data(as_text=True).split("Still to answer")[1]
    )


def test_only_moderated_suggestions_and_resolved_concerns_are_answered(client, sign_in, advocate, hospital):
    from tests.factories import FeedbackFactory
    from tracker.feedback.services import open_case
    from tracker.models import FeedbackType

    pending = FeedbackFactory(type=FeedbackType.SUGGESTION, unit=hospital["ellison-12"])
    compliment = FeedbackFactory(unit=hospital["ellison-12"])
    open_concern = open_case(FeedbackFactory(type=FeedbackType.CONCERN), summary="Still open")
    sign_in(advocate)
    for url in (f"/you-said-we-did/suggestions/{pending.id}", f"/you-said-we-did/suggestions/{compliment.id}",
                f"/you-said-we-did/cases/{open_concern.id}", "/you-said-we-did/suggestions/999999"):  # fmt: skip
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("March 2026", "like "),
        ("2026-13", "like "),
        ("2026-3", "like "),
        ("", "like "),
        ("<script>alert(1)</script>", "like "),
        ("1999-12", "from 2000 on"),
        ("2999-01", "has not come yet"),
    ],
)
def test_a_month_that_is_not_a_past_year_and_month_is_refused_clearly(
    client, sign_in, advocate, hospital, suggestion, month, message
):
    sign_in(advocate)
    response = client.post_form(
        f"/you-said-we-did/suggestions/{suggestion.id}", form(hospital["ellison-12"], month=month)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="month-error"' in html and message in html
    assert "<script>alert(1)</script>" not in html
    assert actions() == []


@pytest.mark.parametrize(
    ("summary", "message"),
    [("", "Please say in a few words"), ("   \n ", "Please say in a few words"), ("x" * 501, "under 500 characters")],
)
def test_empty_and_huge_summaries_are_refused(client, sign_in, advocate, hospital, suggestion, summary, message):
    sign_in(advocate)
    response = client.post_form(f"/you-said-we-did/suggestions/{suggestion.id}", form(hospital["ellison-12"], summary))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert actions() == []


def test_an_unknown_unit_is_refused(client, sign_in, advocate, suggestion):
    sign_in(advocate)
    for unit_id in ("", "999999", "abc"):
        response = client.post_form(
            f"/you-said-we-did/suggestions/{suggestion.id}",
            {"unit_id": unit_id, "month": this_month(), "summary": "Chairs."},
        )
        assert response.status_code == 422
        assert "Please choose one of the units" in response.get_data(as_text=True)
    assert actions() == []


def test_hostile_text_is_stored_as_written_and_shown_escaped(client, sign_in, advocate, hospital, suggestion):
    hostile = '<img src=x onerror="alert(1)"> We fixed the "door" & the sign.'
    sign_in(advocate)
    assert (
        client.post_form(
            f"/you-said-we-did/suggestions/{suggestion.id}", form(hospital["ellison-12"], hostile)
        ).status_code
        == 302
    )
    assert actions()[0].summary == hostile
    html = client.get("/you-said-we-did").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_health_information_in_the_summary_is_refused_with_the_findings_shown(
    client, sign_in, advocate, hospital, suggestion
):
    summary = "Mrs Jones in room 12 with diabetes asked for chairs, MRN 4481234, so we added six."
    sign_in(advocate)
    response = client.post_form(f"/you-said-we-did/suggestions/{suggestion.id}", form(hospital["ellison-12"], summary))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="phi-findings"' in html and "looks like patient details" in html
    assert '<mark class="phi" title="diagnosis or condition">diabetes' in html
    assert '<mark class="phi" title="record number">' in html
    suggested = html.split('id="phi-suggested">')[1].split("</p>")[0]
    assert "diabetes" not in suggested and "4481234" not in suggested and "we added six" in suggested
    assert actions() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "you_said_we_did.recorded")) == 0  # fmt: skip


def test_the_service_refuses_health_information_with_its_findings(advocate, hospital, suggestion):
    with pytest.raises(services.HealthInformationFound) as refused:
        services.record_action(advocate, summary="Her metformin is now on time.", unit_id=hospital["ellison-12"].id,
                               month=this_month(), feedback=suggestion)  # fmt: skip
    assert [finding.kind for finding in refused.value.findings] == ["medication"]

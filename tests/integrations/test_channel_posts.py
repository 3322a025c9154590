"""What reaches a Teams or Slack channel, exactly, and what never does."""

from __future__ import annotations

import jsonschema
import pytest
import sqlalchemy as sa

from tests.factories import FeedbackFactory
from tests.integrations.conftest import received, run_worker
from tracker.extensions import db
from tracker.integrations import events, services
from tracker.models import DeliveryStatus, FeedbackType, IntegrationDelivery, Standard
from tracker.moderation import services as moderation
from tracker.recognitions.services import create_peer_recognition


def recognise(giver, recipient, visibility="public", message="Stayed late to calm a frightened patient."):
    standard = db.session.scalars(sa.select(Standard).order_by(Standard.position)).first()
    recognition = create_peer_recognition(
        giver,
        recipient_ids=[recipient.id],
        unit_slug=None,
        standard_keys=[standard.key],
        behavior_keys=[],
        message=message,
        visibility=visibility,
    )
    db.session.commit()
    return recognition, standard


def deliveries() -> list[IntegrationDelivery]:
    return list(db.session.scalars(sa.select(IntegrationDelivery).order_by(IntegrationDelivery.id)))


def test_a_public_recognition_reaches_teams_as_this_exact_adaptive_card(
    teams_channel, httpserver, staff, colleague, adaptive_card_schema
):
    httpserver.expect_request("/teams/hook", method="POST").respond_with_data("", status=202)
    recognition, standard = recognise(staff, colleague)

    assert run_worker().delivered == 1
    [(path, body, headers)] = received(httpserver)
    assert headers["Content-Type"] == "application/json"
    assert body == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "lang": "en",
                    "fallbackText": "Maria Lopez recognised for the icare standards",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": "Maria Lopez recognised for the icare standards",
                            "size": "Medium",
                            "weight": "Bolder",
                            "wrap": True,
                        },
                        {
                            "type": "FactSet",
                            "facts": [
                                {"title": "From", "value": "Sam Okafor"},
                                {"title": "Standards", "value": standard.name},
                            ],
                        },
                        {
                            "type": "RichTextBlock",
                            "inlines": [{"type": "TextRun", "text": "Stayed late to calm a frightened patient."}],
                        },
                    ],
                    "actions": [
                        {
                            "type": "Action.OpenUrl",
                            "title": "Open the recognition",
                            "url": f"https://tracker.example.org/recognitions/{recognition.id}",
                        }
                    ],
                },
            }
        ],
    }
    jsonschema.Draft6Validator(adaptive_card_schema).validate(body["attachments"][0]["content"])
    assert deliveries()[0].status == DeliveryStatus.DELIVERED


def test_the_adaptive_card_schema_does_catch_a_broken_card(adaptive_card_schema):
    broken = {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "TextBlock", "size": "Enormous"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft6Validator(adaptive_card_schema).validate(broken)


def test_a_public_recognition_reaches_slack_as_block_kit_with_a_plain_text_fallback(
    slack_channel, httpserver, staff, colleague
):
    httpserver.expect_request("/slack/hook", method="POST").respond_with_data("ok")
    recognition, standard = recognise(staff, colleague, message="<!channel> *bold* & kind")

    assert run_worker().delivered == 1
    [(path, body, _headers)] = received(httpserver)
    link = f"https://tracker.example.org/recognitions/{recognition.id}"
    assert body == {
        "text": f"Maria Lopez recognised for the icare standards\nFrom: Sam Okafor\nStandards: {standard.name}\n"
        f"<!channel> *bold* & kind\n{link}",
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "Maria Lopez recognised for the icare standards", "emoji": True},
            },
            {
                "type": "section",
                "fields": [
                    {"type": "plain_text", "text": "From: Sam Okafor", "emoji": False},
                    {"type": "plain_text", "text": f"Standards: {standard.name}", "emoji": False},
                ],
            },
            # Plain text: Slack shows the words and interprets no mention or markup in them.
            {"type": "section", "text": {"type": "plain_text", "text": "<!channel> *bold* & kind", "emoji": False}},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Open the recognition"}, "url": link}
                ],
            },
        ],
    }


def test_a_private_recognition_is_never_posted(teams_channel, httpserver, staff, colleague):
    recognise(staff, colleague, visibility="private")
    assert deliveries() == []
    run_worker()
    assert received(httpserver) == []


def test_a_person_who_opted_out_of_walls_is_never_posted(teams_channel, httpserver, staff, colleague):
    colleague.show_on_walls = False
    db.session.commit()
    recognise(staff, colleague)
    assert deliveries() == []
    run_worker()
    assert received(httpserver) == []


def test_only_channels_above_the_recognised_people_get_the_post(loopback, httpserver, hospital, staff, colleague):
    services.connect_channel(hospital["surgery"], "slack", httpserver.url_for("/surgery"))
    services.connect_channel(hospital["ellison-14"], "slack", httpserver.url_for("/ellison-14"))
    services.connect_channel(hospital["hospital"], "slack", httpserver.url_for("/everyone"))
    db.session.commit()
    recognise(staff, colleague)  # Ellison 12, under Medicine, under the hospital
    assert [d.channel.department.slug for d in deliveries()] == ["hospital"]


def test_one_event_is_queued_once_per_channel_however_often_it_is_announced(teams_channel, staff, colleague):
    recognition, _standard = recognise(staff, colleague)
    events.recognition_published(recognition)
    events.recognition_published(recognition)
    db.session.commit()
    assert len(deliveries()) == 1


def patient_compliment(unit, *, consent_to_wall):
    return FeedbackFactory(
        type=FeedbackType.COMPLIMENT,
        message="Maria held my hand before surgery.",
        unit=unit,
        consent_to_share=True,
        consent_to_wall=consent_to_wall,
        contact_name="Rosa María Delgado",
        contact_email="rosa@example.org",
    )


def test_patient_words_without_wall_consent_are_never_posted(teams_channel, httpserver, hospital, advocate, colleague):
    feedback = patient_compliment(hospital["ellison-12"], consent_to_wall=False)
    standard = db.session.scalars(sa.select(Standard)).first()
    moderation.approve(
        feedback,
        advocate,
        recipient_ids=[colleague.id],
        approved_message=feedback.message,
        standard_keys=[standard.key],
    )
    db.session.commit()
    assert deliveries() == []


def test_patients_appear_by_first_name_only(slack_channel, httpserver, hospital, advocate, colleague):
    httpserver.expect_request("/slack/hook").respond_with_data("ok")
    feedback = patient_compliment(hospital["ellison-12"], consent_to_wall=True)
    standard = db.session.scalars(sa.select(Standard)).first()
    moderation.approve(
        feedback,
        advocate,
        recipient_ids=[colleague.id],
        approved_message=feedback.message,
        standard_keys=[standard.key],
    )
    db.session.commit()
    run_worker()
    [(_path, body, _headers)] = received(httpserver)
    assert "From: Rosa" in body["text"]
    assert "Delgado" not in str(body) and "rosa@example.org" not in str(body)
    assert body["blocks"][0]["text"]["text"] == "A patient thanked Maria Lopez"


def test_award_honourees_are_posted_to_their_channels_leaving_out_who_opted_out(
    slack_channel, httpserver, hospital, colleague, staff, surgeon
):
    httpserver.expect_request("/slack/hook").respond_with_data("ok")
    staff.show_on_walls = False
    events.award_announced(
        programme_slug="daisy",
        programme_name="DAISY Award",
        cycle_id=7,
        cycle_label="Spring 2026",
        honourees=[colleague, staff, surgeon],
        link="/awards/daisy",
    )
    db.session.commit()
    run_worker()
    [(_path, body, _headers)] = received(httpserver)  # Medicine's channel only: the surgeon is elsewhere
    assert body["blocks"][0]["text"]["text"] == "DAISY Award: honourees announced"
    assert body["blocks"][1]["fields"] == [{"type": "plain_text", "text": "Maria Lopez: Ellison 12", "emoji": False}]
    assert "Sam Okafor" not in str(body)


def test_the_weekly_summary_counts_the_huddle_pack_and_links_to_it(loopback, httpserver, hospital, staff, colleague):
    from datetime import date

    from tracker.integrations import summaries

    httpserver.expect_request("/weekly").respond_with_data("ok")
    channel = services.connect_channel(
        hospital["ellison-12"],
        "slack",
        httpserver.url_for("/weekly"),
        post_recognitions=False,
        post_weekly_summary=True,
    )
    db.session.commit()
    recognition, standard = recognise(staff, colleague)
    day = recognition.created_at.date()
    assert summaries.queue_weekly_summaries(day) == 1
    assert summaries.queue_weekly_summaries(day) == 0  # once a week per channel
    db.session.commit()
    run_worker()
    [(_path, body, _headers)] = received(httpserver)
    fields = [field["text"] for field in body["blocks"][1]["fields"]]
    assert fields == [
        "Recognitions: 1",
        "Patient compliments: 0",
        "People recognised: 1",
        f"Standard of the week: {standard.name}",
    ]
    monday = date.fromordinal(day.toordinal() - day.weekday()).isoformat()
    assert (
        body["blocks"][-1]["elements"][0]["url"] == f"https://tracker.example.org/units/ellison-12/huddle?week={monday}"
    )
    assert channel.id

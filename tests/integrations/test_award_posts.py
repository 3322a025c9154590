"""Announcing an award cycle posts its honourees to their channels and sends ``award.announced``, once."""

from __future__ import annotations

import jsonschema
import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from tests.awards import conftest as award_fixtures
from tests.awards.conftest import blind_all, nominate, to_phase
from tests.factories import PersonFactory
from tests.integrations.conftest import received, run_worker
from tests.integrations.test_webhooks import documented_schemas
from tracker.awards import decisions, scoring
from tracker.extensions import db
from tracker.integrations import services
from tracker.models import AwardDecision, CyclePhase, IntegrationDelivery, PostKind, WebhookEvent

LINK = "https://tracker.example.org/awards/daisy"

# The award tests' programme (DAISY, for nurses), its first cycle and its committee.
coordinator = award_fixtures.coordinator
advisor = award_fixtures.advisor
programme = award_fixtures.programme
cycle = award_fixtures.cycle
surgery_judge = award_fixtures.surgery_judge
root_judge = award_fixtures.root_judge
judges = award_fixtures.judges


@pytest.fixture
def nurses(hospital, colleague, staff):
    """Maria (named), Sam (keeps off walls), Ines in Surgery, Ada (left before the announcement), Tomás (not chosen)."""
    staff.show_on_walls = False
    return {
        "maria": colleague,
        "sam": staff,
        "ines": PersonFactory(name="Ines Duarte", email="ines@example.org", department=hospital["white-6"]),
        "ada": PersonFactory(name="Ada Brennan", email="ada@example.org", department=hospital["ellison-12"]),
        "tomas": PersonFactory(name="Tomás Ruiz", email="tomas@example.org", department=hospital["ellison-14"]),
    }


@pytest.fixture
def channels(teams_channel, loopback, httpserver, hospital):
    """Medicine on Teams (English), Surgery on Slack (Spanish), Ellison 14 and the whole hospital on Slack."""
    surgery = services.connect_channel(hospital["surgery"], "slack", httpserver.url_for("/surgery"), language="es")
    ellison_14 = services.connect_channel(hospital["ellison-14"], "slack", httpserver.url_for("/ellison-14"))
    everyone = services.connect_channel(
        hospital["hospital"], "slack", httpserver.url_for("/everyone"), post_awards=False
    )
    db.session.commit()
    return {"medicine": teams_channel, "surgery": surgery, "ellison-14": ellison_14, "hospital": everyone}


@pytest.fixture
def endpoint(loopback, httpserver):
    endpoint, secret = services.add_endpoint(httpserver.url_for("/events"), "award.announced", by=None)
    db.session.commit()
    return endpoint, secret


@pytest.fixture
def deciding(programme, cycle, judges, nurses):
    """A cycle in its deciding phase: four honourees chosen, Tomás not this time."""
    programme.honourees_per_cycle = 4
    for key in ("maria", "sam", "ines", "ada", "tomas"):
        nominate(programme, nurses[key], contact_email=f"family.{key}@example.org")
    blind_all(cycle)
    to_phase(cycle, CyclePhase.JUDGING)
    for nomination in cycle.nominations:
        for assignment in nomination.assignments:
            scoring.submit(assignment, {criterion.id: 4 for criterion in programme.criteria})
    to_phase(cycle, CyclePhase.DECIDING)
    for nomination in cycle.nominations:
        chosen = nomination.nominee.id != nurses["tomas"].id
        decisions.decide(
            nomination, AwardDecision.HONOUREE if chosen else AwardDecision.NOT_THIS_TIME, "The committee agreed."
        )
    db.session.commit()
    return cycle


def announce(cycle, nurses):
    nurses["ada"].active = False  # left the hospital between the decision and the announcement
    to_phase(cycle, CyclePhase.ANNOUNCED)
    db.session.commit()


def deliveries() -> list[IntegrationDelivery]:
    return list(db.session.scalars(sa.select(IntegrationDelivery).order_by(IntegrationDelivery.id)))


def respond(httpserver):
    for path in ("/teams/hook", "/surgery", "/ellison-14", "/everyone"):
        httpserver.expect_request(path, method="POST").respond_with_data("ok")
    httpserver.expect_request("/events", method="POST").respond_with_data("", status=204)


def test_held_decisions_post_nothing(channels, endpoint, deciding):
    assert deliveries() == []


def test_announcing_posts_each_channel_above_the_honourees_exactly_once(
    channels, endpoint, deciding, nurses, httpserver, adaptive_card_schema
):
    respond(httpserver)
    announce(deciding, nurses)

    posts = [d for d in deliveries() if d.kind == PostKind.AWARD_HONOUREES]
    assert sorted(d.channel.department.slug for d in posts) == ["medicine", "surgery"]
    assert run_worker().delivered == 3  # two posts and the webhook
    arrived = {path: body for path, body, _headers in received(httpserver)}
    assert set(arrived) == {"/teams/hook", "/surgery", "/events"}  # Ellison 14 and the hospital get nothing

    card = arrived["/teams/hook"]
    assert card == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "lang": "en",
                    "fallbackText": "DAISY Award: honourees announced",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": "DAISY Award: honourees announced",
                            "size": "Medium",
                            "weight": "Bolder",
                            "wrap": True,
                        },
                        # Sam keeps off walls and Ada has left: only Maria is named.
                        {"type": "FactSet", "facts": [{"title": "Maria Lopez", "value": "Ellison 12"}]},
                        {
                            "type": "RichTextBlock",
                            "inlines": [
                                {"type": "TextRun", "text": "Congratulations to this cycle's honourees (2026 Q4)."}
                            ],
                        },
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": "See the award", "url": LINK}],
                },
            }
        ],
    }
    jsonschema.Draft6Validator(adaptive_card_schema).validate(card["attachments"][0]["content"])

    assert arrived["/surgery"] == {
        "text": "DAISY Award: se anunciaron los galardonados\nInes Duarte: White 6\n"
        f"Felicitaciones a los galardonados de este ciclo (2026 Q4).\n{LINK}",
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "DAISY Award: se anunciaron los galardonados", "emoji": True},
            },
            {"type": "section", "fields": [{"type": "plain_text", "text": "Ines Duarte: White 6", "emoji": False}]},
            {
                "type": "section",
                "text": {
                    "type": "plain_text",
                    "text": "Felicitaciones a los galardonados de este ciclo (2026 Q4).",
                    "emoji": False,
                },
            },
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Ver el premio"}, "url": LINK}],
            },
        ],
    }
    everything = str(arrived)
    for hidden in ("Sam Okafor", "Ada Brennan", "Tomás Ruiz", "family.", "sat with my father"):
        assert hidden not in everything


def test_a_second_announcement_or_worker_run_posts_nothing_twice(channels, endpoint, deciding, nurses, httpserver):
    respond(httpserver)
    announce(deciding, nurses)
    run_worker()
    first = len(httpserver.log)
    queued = len(deliveries())

    decisions.announce(deciding)  # the same cycle announced again
    db.session.commit()
    assert len(deliveries()) == queued
    assert run_worker().delivered == 0
    assert len(httpserver.log) == first == 3


def test_the_webhook_arrives_signed_with_ids_and_safe_fields_only(channels, endpoint, deciding, nurses, httpserver):
    respond(httpserver)
    _endpoint, secret = endpoint
    announce(deciding, nurses)
    run_worker()

    [(request, _response)] = [entry for entry in httpserver.log if entry[0].path == "/events"]
    body = Webhook(secret).verify(request.get_data(), dict(request.headers.items()))  # the library's own check
    assert body["type"] == WebhookEvent.AWARD_ANNOUNCED
    jsonschema.Draft202012Validator(documented_schemas()["award.announced"]).validate(body["data"])
    honoured = [nurses[key] for key in ("maria", "sam", "ines", "ada")]
    assert body["data"] == {
        "programme": "daisy",
        "programme_name": "DAISY Award",
        "cycle_id": deciding.id,
        "cycle": "2026 Q4",
        # Every honoured person by id, in nomination order; names stay in the tracker.
        "honourees": [{"id": person.id, "department": person.department.slug} for person in honoured],
        "url": LINK,
    }
    text = request.get_data(as_text=True)
    for private in ("Maria Lopez", "Ines Duarte", "Tomás", "family.", "sat with my father"):
        assert private not in text


def test_no_channel_and_no_endpoint_means_nothing_is_queued(deciding, nurses):
    announce(deciding, nurses)
    assert deliveries() == []
    assert all(n.outcome is not None for n in deciding.nominations)

"""The channel and webhook pages: who may use them, what they show, and refusals shown on the page."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.extensions import db
from tracker.integrations import services
from tracker.models import AuditEvent, Channel, IntegrationDelivery, PostKind, TargetStatus, WebhookEndpoint


def test_staff_may_not_open_the_channel_pages(client, sign_in, staff):
    sign_in(staff)
    assert client.get("/integrations/channels").status_code == 403
    assert client.get("/integrations/webhooks").status_code == 403


def test_a_manager_connects_a_channel_for_their_subtree_only(client, sign_in, manager, hospital, loopback, httpserver):
    sign_in(manager)
    page = client.get("/integrations/channels").get_data(as_text=True)
    assert "Ellison 12" in page and "White 6" not in page
    url = httpserver.url_for("/teams/abc?sig=Zz9Y8x")
    refused = client.post_form(
        "/integrations/channels", {"department": hospital["white-6"].id, "kind": "teams", "url": url, "language": "en"}
    )
    assert refused.status_code == 422
    answer = client.post_form(
        "/integrations/channels",
        {
            "department": hospital["ellison-12"].id,
            "kind": "teams",
            "url": url,
            "language": "es",
            "post_recognitions": "y",
        },
    )
    assert answer.status_code == 302
    channel = db.session.scalars(sa.select(Channel)).one()
    assert channel.language == "es" and channel.created_by_id == manager.id
    detail = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "localhost …9Y8x" in detail
    assert "sig=Zz9Y8x" not in detail and "/teams/abc" not in detail
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "channel_connected")).one()
    assert "Zz9Y8x" not in str(audit.details)


def test_an_unsafe_address_is_refused_with_a_clear_message_on_the_page(client, sign_in, admin, hospital):
    sign_in(admin)
    answer = client.post_form(
        "/integrations/channels",
        {
            "department": hospital["medicine"].id,
            "kind": "slack",
            "url": "http://169.254.169.254/latest",
            "language": "en",
        },
    )
    assert answer.status_code == 422
    assert "private network" in answer.get_data(as_text=True)
    assert db.session.scalars(sa.select(Channel)).all() == []


def test_another_managers_channel_answers_404(client, sign_in, other_manager, hospital, loopback, httpserver):
    channel = services.connect_channel(hospital["ellison-12"], "slack", httpserver.url_for("/s"))
    db.session.commit()
    sign_in(other_manager)
    assert client.get(f"/integrations/channels/{channel.id}").status_code == 404
    assert client.post_form(f"/integrations/channels/{channel.id}/test").status_code == 404


def test_the_test_button_queues_a_test_message_and_pause_resume_work(
    client, sign_in, manager, hospital, loopback, httpserver
):
    channel = services.connect_channel(hospital["ellison-12"], "slack", httpserver.url_for("/s"), by=manager)
    db.session.commit()
    sign_in(manager)
    assert client.post_form(f"/integrations/channels/{channel.id}/test").status_code == 302
    assert [d.kind for d in db.session.scalars(sa.select(IntegrationDelivery))] == [PostKind.TEST]
    client.post_form(f"/integrations/channels/{channel.id}/pause")
    db.session.refresh(channel)
    assert channel.status == TargetStatus.PAUSED
    page = client.get(f"/integrations/channels/{channel.id}").get_data(as_text=True)
    assert "Paused." in page and "Resume" in page
    client.post_form(f"/integrations/channels/{channel.id}/resume")
    db.session.refresh(channel)
    assert channel.status == TargetStatus.ACTIVE


def test_admins_add_an_endpoint_and_see_its_secret_once(client, sign_in, admin, loopback, httpserver):
    sign_in(admin)
    answer = client.post_form(
        "/integrations/webhooks", {"url": httpserver.url_for("/hr"), "events": ["case.opened", "person.deactivated"]}
    )
    assert answer.status_code == 201
    assert "whsec_" in answer.get_data(as_text=True)
    endpoint = db.session.scalars(sa.select(WebhookEndpoint)).one()
    page = client.get(f"/integrations/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "whsec_" not in page and "case.opened" in page
    assert client.post_form(f"/integrations/webhooks/{endpoint.id}/test").status_code == 302
    assert "webhook.test" in client.get(f"/integrations/webhooks/{endpoint.id}").get_data(as_text=True)


def test_managers_may_not_keep_webhooks(client, sign_in, manager):
    sign_in(manager)
    assert client.get("/integrations/webhooks").status_code == 403
    assert "Webhooks" not in client.get("/integrations/channels").get_data(as_text=True)

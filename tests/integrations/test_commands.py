"""webhooks add/list/remove and channels add/summary from the command line."""

from __future__ import annotations

import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from tracker.extensions import db
from tracker.integrations import secrets
from tracker.models import Channel, WebhookEndpoint


def test_webhooks_add_prints_the_signing_secret_on_its_last_line(runner, loopback, httpserver):
    url = httpserver.url_for("/hr/events?token=abcd9876")
    result = runner.invoke(args=["webhooks", "add", url, "--events", "person.deactivated,recognition.published"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    Webhook(secret)  # a secret the library accepts
    endpoint = db.session.scalars(sa.select(WebhookEndpoint)).one()
    assert endpoint.event_names == ["recognition.published", "person.deactivated"]
    assert secrets.decrypt(endpoint.secret_encrypted) == secret
    assert "abcd9876" not in result.output.replace("…9876", "")  # only the hint

    listed = runner.invoke(args=["webhooks", "list"])
    assert f"{endpoint.id}\tactive\tlocalhost …9876\trecognition.published,person.deactivated" in listed.output

    removed = runner.invoke(args=["webhooks", "remove", str(endpoint.id)])
    assert removed.exit_code == 0 and db.session.scalars(sa.select(WebhookEndpoint)).all() == []
    assert runner.invoke(args=["webhooks", "remove", str(endpoint.id)]).exit_code == 1


def test_webhooks_add_refuses_unknown_events_and_unsafe_addresses(runner, app):
    result = runner.invoke(args=["webhooks", "add", "https://10.0.0.1/x", "--events", "recognition.deleted"])
    assert result.exit_code == 1
    assert "private network" in result.output and "recognition.deleted" in result.output
    assert db.session.scalars(sa.select(WebhookEndpoint)).all() == []


def test_channels_add_connects_a_department_channel(runner, loopback, httpserver, hospital):
    result = runner.invoke(args=["channels", "add", "ellison-12", "--kind", "teams", httpserver.url_for("/t")])
    assert result.exit_code == 0, result.output
    channel = db.session.scalars(sa.select(Channel)).one()
    assert (channel.department.slug, channel.kind) == ("ellison-12", "teams")
    unknown = runner.invoke(args=["channels", "add", "nowhere", "--kind", "slack", httpserver.url_for("/s")])
    assert unknown.exit_code == 1 and "department" in unknown.output


def test_channels_summary_queues_once_a_week(runner, loopback, httpserver, hospital):
    runner.invoke(
        args=["channels", "add", "ellison-12", "--kind", "slack", "--weekly-summary", httpserver.url_for("/s")]
    )
    first = runner.invoke(args=["channels", "summary", "--week", "2026-11-23"])
    again = runner.invoke(args=["channels", "summary", "--week", "2026-11-25"])
    assert "queued 1 weekly" in first.output and "queued 0 weekly" in again.output
    assert runner.invoke(args=["channels", "summary", "--week", "soon"]).exit_code == 1

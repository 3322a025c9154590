"""Retries, back-off, 429 with Retry-After, redirects, refusals, deleted channels, timeouts: nothing lost."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa
from werkzeug import Response

from tests.integrations.conftest import received, run_worker
from tests.integrations.test_channel_posts import recognise
from tracker.extensions import db
from tracker.integrations import delivery as worker
from tracker.models import DeliveryStatus, IntegrationDelivery, OutboxMessage, TargetStatus, utcnow


def only_delivery() -> IntegrationDelivery:
    [row] = db.session.scalars(sa.select(IntegrationDelivery)).all()
    return row


def make_due(row: IntegrationDelivery) -> None:
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    row.channel.hold_until = None
    db.session.commit()


def test_a_server_error_is_retried_with_exponential_back_off_until_it_goes_through(
    teams_channel, httpserver, staff, colleague
):
    for _ in range(2):
        httpserver.expect_ordered_request("/teams/hook").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/teams/hook").respond_with_data("", status=202)
    recognise(staff, colleague)

    before = utcnow()
    assert run_worker().retrying == 1
    row = only_delivery()
    assert row.status == DeliveryStatus.QUEUED and row.attempts == 1 and row.response_status == 503
    assert timedelta(seconds=29) <= row.next_attempt_at - before <= timedelta(seconds=35)
    assert "HTTP 503" in row.channel.status_message
    assert run_worker().retrying == 0  # not due yet: nothing is sent early

    make_due(row)
    before = utcnow()
    run_worker()
    assert row.attempts == 2
    assert timedelta(seconds=59) <= row.next_attempt_at - before <= timedelta(seconds=65)  # doubled

    make_due(row)
    assert run_worker().delivered == 1
    assert row.status == DeliveryStatus.DELIVERED and row.channel.consecutive_failures == 0
    assert len(received(httpserver)) == 3


def test_429_waits_as_long_as_retry_after_says_and_costs_no_attempt(teams_channel, httpserver, staff, colleague):
    httpserver.expect_ordered_request("/teams/hook").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    recognise(staff, colleague)
    recognise(staff, colleague, message="A second one for the same channel.")
    before = utcnow()
    result = run_worker()
    assert len(received(httpserver)) == 1  # the second waits with the first, it is not fired at a throttled channel
    first, second = db.session.scalars(sa.select(IntegrationDelivery).order_by(IntegrationDelivery.id)).all()
    assert first.status == DeliveryStatus.QUEUED and first.attempts == 0
    assert timedelta(seconds=119) <= first.next_attempt_at - before <= timedelta(seconds=125)
    assert timedelta(seconds=119) <= first.channel.hold_until - before <= timedelta(seconds=125)
    assert second.status == DeliveryStatus.QUEUED
    assert result.delivered == 0
    assert run_worker().delivered == 0  # still held


def test_retry_after_as_an_http_date_is_understood():
    now = utcnow()
    from email.utils import format_datetime

    wait = worker.retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now)
    assert timedelta(seconds=88) <= wait <= timedelta(seconds=91)
    assert worker.retry_after("soon", now) is None


def test_a_channel_deleted_on_the_other_side_is_paused_its_owner_told_and_the_post_kept(
    teams_channel, httpserver, staff, colleague, manager
):
    httpserver.expect_request("/teams/hook").respond_with_data("channel_not_found", status=404)
    recognise(staff, colleague)
    run_worker()
    row = only_delivery()
    assert row.status == DeliveryStatus.QUEUED  # kept for when the channel is fixed
    assert teams_channel.status == TargetStatus.PAUSED
    assert "no longer exists" in teams_channel.status_message
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "integration_paused")).all()
    assert [m.to_address for m in mail] == [manager.email]
    assert run_worker().delivered == 0 and len(received(httpserver)) == 1  # paused: nothing more is tried


def test_a_payload_the_other_side_refuses_fails_with_its_answer_and_can_be_replayed(
    teams_channel, httpserver, staff, colleague
):
    from tracker.integrations import services

    httpserver.expect_ordered_request("/teams/hook").respond_with_data(
        '{"error":{"code":"InvalidRequestContent","message":"The card is not valid"}}', status=400
    )
    httpserver.expect_ordered_request("/teams/hook").respond_with_data("", status=202)
    recognise(staff, colleague)
    run_worker()
    row = only_delivery()
    assert row.status == DeliveryStatus.FAILED
    assert "HTTP 400" in row.last_error and "The card is not valid" in row.last_error
    assert teams_channel.status == TargetStatus.ACTIVE and "The card is not valid" in teams_channel.status_message
    services.replay(row, by=None)
    db.session.commit()
    assert run_worker().delivered == 1
    assert row.replays == 1


def test_a_redirect_is_not_followed_and_pauses_the_channel(teams_channel, httpserver, staff, colleague):
    httpserver.expect_request("/teams/hook").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    recognise(staff, colleague)
    run_worker()
    assert [path for path, _body, _headers in received(httpserver)] == ["/teams/hook"]
    assert teams_channel.status == TargetStatus.PAUSED and "redirect" in teams_channel.status_message
    assert only_delivery().status == DeliveryStatus.QUEUED


def test_a_receiver_that_does_not_answer_in_time_is_retried(teams_channel, httpserver, app, staff, colleague):
    app.config["WEBHOOKS_TIMEOUT_SECONDS"] = 0.5

    def slow(_request):
        time.sleep(1.5)
        return Response("", status=202)

    httpserver.expect_request("/teams/hook").respond_with_handler(slow)
    recognise(staff, colleague)
    assert run_worker().retrying == 1
    row = only_delivery()
    assert row.status == DeliveryStatus.QUEUED and "No answer" in row.last_error


def test_a_channel_that_keeps_failing_is_paused_after_five_in_a_row(teams_channel, httpserver, staff, colleague):
    httpserver.expect_request("/teams/hook").respond_with_data("down", status=500)
    recognise(staff, colleague)
    row = only_delivery()
    for _ in range(worker.PAUSE_AFTER_FAILURES):
        make_due(row)
        run_worker()
    assert teams_channel.status == TargetStatus.PAUSED
    assert "5 failed deliveries in a row" in teams_channel.status_message
    assert row.status == DeliveryStatus.QUEUED  # still waiting, not lost


def test_a_resumed_channel_sends_what_waited(teams_channel, httpserver, staff, colleague):
    from tracker.integrations import services

    services.set_paused(teams_channel, True, by=None)
    db.session.commit()
    recognise(staff, colleague)
    assert run_worker().delivered == 0
    httpserver.expect_request("/teams/hook").respond_with_data("", status=202)
    services.set_paused(teams_channel, False, by=None)
    db.session.commit()
    assert run_worker().delivered == 1

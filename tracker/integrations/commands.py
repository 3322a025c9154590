"""``flask --app tracker webhooks …`` and ``flask --app tracker channels …`` for scripted set-up."""

from __future__ import annotations

from datetime import UTC, datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.integrations import services, summaries
from tracker.models import Department, WebhookEndpoint
from tracker.validation import InvalidInput


def _refuse(error: InvalidInput) -> None:
    db.session.rollback()
    for field, messages in error.fields.items():
        for message in messages:
            click.echo(f"{field}: {message}", err=True)
    raise SystemExit(1)


@click.group(help="Signed webhooks that tell other systems what happens here.")
def webhooks():
    pass


@webhooks.command("add", help="Add an endpoint; prints its signing secret (whsec_…) on the last line, once.")
@click.argument("url")
@click.option(
    "--events", "events_wanted", required=True, help="Comma-separated, e.g. recognition.published,case.opened"
)
@click.option("--description", default="", help="What the endpoint is for.")
@with_appcontext
def add_webhook(url, events_wanted, description):
    try:
        endpoint, secret = services.add_endpoint(url, events_wanted, by=None, description=description)
    except InvalidInput as error:
        _refuse(error)
    db.session.commit()
    click.echo(f"endpoint {endpoint.id}: {endpoint.url_hint} for {', '.join(endpoint.event_names)}")
    click.echo("the signing secret, shown only now:")
    click.echo(secret)


@webhooks.command("list", help="Every endpoint: id, status, address hint, events.")
@with_appcontext
def list_webhooks():
    endpoints = db.session.scalars(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    if not endpoints:
        click.echo("no webhook endpoints")
    for endpoint in endpoints:
        click.echo(f"{endpoint.id}\t{endpoint.status}\t{endpoint.url_hint}\t{','.join(endpoint.event_names)}")


@webhooks.command("remove", help="Remove an endpoint and its delivery log.")
@click.argument("endpoint_id", type=int)
@with_appcontext
def remove_webhook(endpoint_id):
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        click.echo(f"no webhook endpoint {endpoint_id}", err=True)
        raise SystemExit(1)
    services.remove(endpoint, by=None)
    db.session.commit()
    click.echo(f"removed endpoint {endpoint_id}")


@click.group(help="Microsoft Teams and Slack channels that show a department's recognition.")
def channels():
    pass


@channels.command("add", help="Connect a Teams (Workflows webhook) or Slack (incoming webhook) channel.")
@click.argument("department_slug")
@click.option("--kind", type=click.Choice(["teams", "slack"]), required=True)
@click.argument("url")
@click.option("--language", default=None, help="Language of the posts (en, es, pt, ht, zh_Hans).")
@click.option("--weekly-summary/--no-weekly-summary", default=False, help="Also post a weekly unit summary.")
@with_appcontext
def add_channel(department_slug, kind, url, language, weekly_summary):
    department = db.session.scalar(sa.select(Department).where(Department.slug == department_slug))
    try:
        channel = services.connect_channel(department, kind, url, language=language, post_weekly_summary=weekly_summary)
    except InvalidInput as error:
        _refuse(error)
    db.session.commit()
    click.echo(f"channel {channel.id}: {kind} for {department.slug} at {channel.url_hint}")


@channels.command("summary", help="Queue this week's summary for every channel that wants one (cron, weekly).")
@click.option("--week", default=None, help="Any day of the week to sum up (YYYY-MM-DD); default: last week.")
@with_appcontext
def queue_summaries(week):
    try:
        day = datetime.strptime(week, "%Y-%m-%d").date() if week else None
    except ValueError:
        click.echo("week: give a day as YYYY-MM-DD", err=True)
        raise SystemExit(1) from None
    queued = summaries.queue_weekly_summaries(day or datetime.now(UTC).date(), previous=day is None)
    db.session.commit()
    click.echo(f"queued {queued} weekly summaries; 'flask --app tracker outbox send' delivers them")

"""``flask --app tracker outbox send`` and ``flask --app tracker notifications digest``."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_static_digest.cli import digest as static_digest

from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.integrations import delivery as integration_delivery
from tracker.notifications import digest as digests
from tracker.notifications import worker


@click.group(help="Deliver the e-mails, channel posts and webhooks waiting in the outbox.")
def outbox():
    pass


@outbox.command(
    "send",
    help="Send every due e-mail over SMTP (or to MAIL_DIR as .eml files), channel post and webhook, then stop.",
)
@click.option("--batch-size", default=worker.BATCH_SIZE, show_default=True, help="Messages claimed at a time.")
@click.option("--loop", is_flag=True, help="Keep running, looking for new messages every --interval seconds.")
@click.option("--interval", default=30, show_default=True, help="Seconds between runs with --loop.")
@with_appcontext
def send_outbox(batch_size, loop, interval):
    while True:
        result = worker.send_due(batch_size)
        click.echo(f"sent {result.sent}, retrying later {result.retrying}, failed for good {result.failed}")
        posted = integration_delivery.send_due()
        click.echo(
            f"channels and webhooks: delivered {posted.delivered}, retrying later {posted.retrying},"
            f" failed {posted.failed}, held {posted.held}, interrupted {posted.interrupted}"
        )
        if not loop:
            break
        _move_dashboard_windows()
        db.session.remove()
        time.sleep(interval)


def _move_dashboard_windows() -> None:
    """A long-running worker also moves the dashboard's windows at the hospital's midnight."""
    try:
        if rollup.move_windows() != "current":
            click.echo("dashboard windows moved to today")
        db.session.commit()
    except Exception:  # the mail must go on; 'flask dashboard refresh' reports the cause
        db.session.rollback()
        current_app.logger.exception("Could not move the dashboard windows")


@click.group(help="E-mails the application writes on a schedule.")
def notifications():
    pass


def _queue_digests(days: int) -> None:
    queued = digests.queue_digests(days=days)
    db.session.commit()
    click.echo(f"queued {queued} digests; 'flask --app tracker outbox send' delivers them")


DAYS_OPTION = click.option("--days", default=7, show_default=True, help="How many days the digest looks back.")


@notifications.command("digest", help="Queue this week's manager digest e-mails (at most one per manager per week).")
@DAYS_OPTION
@with_appcontext
def send_digest(days):
    _queue_digests(days)


# The earlier name, kept for one release so existing cron lines go on working. Flask-Static-Digest
# owns the ``digest`` group (compile, clean), and plugin commands win over the app's own, so the old
# ``send`` joins that group; setup.cfg registers ``outbox`` as a plugin, and importing this module
# for it adds ``send``.
@static_digest.command("send", help="Deprecated: use 'notifications digest'. Queues the weekly manager digests.")
@DAYS_OPTION
@with_appcontext
def send_digest_by_old_name(days):
    click.echo("'digest send' is now 'notifications digest'; the old name goes in the next release.", err=True)
    _queue_digests(days)

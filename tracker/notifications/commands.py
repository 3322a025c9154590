"""``flask --app tracker outbox send`` and ``flask --app tracker digest send``."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from flask_static_digest.cli import digest

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
        db.session.remove()
        time.sleep(interval)


# Flask-Static-Digest installs ``flask digest`` (compile, clean) as a plugin command, and plugin
# commands win over the app's own, before the app is even loaded. So ``send`` joins that group,
# and setup.cfg registers ``outbox`` as a plugin too: importing this module for it adds ``send``.
@digest.command("send", help="Queue this week's weekly manager digest e-mails (at most one per manager per week).")
@click.option("--days", default=7, show_default=True, help="How many days the digest looks back.")
@with_appcontext
def send_digest(days):
    queued = digests.queue_digests(days=days)
    db.session.commit()
    click.echo(f"queued {queued} digests; 'flask --app tracker outbox send' delivers them")

"""``flask --app tracker dashboard …``: keep the dashboard's roll-ups current, or rebuild them."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from tracker import bulk
from tracker.dashboard import rollup
from tracker.extensions import db


@click.group(help="The dashboard's roll-ups.")
def dashboard() -> None:
    pass


@dashboard.command(
    "rebuild",
    help="Recompute every roll-up from the raw tables: after an upgrade, a restore or SQL written by hand.",
)
@with_appcontext
def rebuild() -> None:
    started = time.perf_counter()
    rollup.rebuild()
    bulk.analyze(db.session.connection())
    db.session.commit()
    click.echo(f"Dashboard roll-ups rebuilt in {time.perf_counter() - started:.1f} s.")


@dashboard.command(
    "refresh",
    help="Move the 30/90/365-day windows to today (run just after midnight UTC, so no viewer waits for it).",
)
@with_appcontext
def refresh() -> None:
    started = time.perf_counter()
    rollup.ensure_current()
    click.echo(f"Dashboard windows are current as of {rollup.windows_as_of()} ({time.perf_counter() - started:.1f} s).")

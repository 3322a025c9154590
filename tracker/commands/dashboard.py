"""``flask --app tracker dashboard …``: move the windows to today, rebuild the roll-ups, or check them."""

from __future__ import annotations

import sys
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
    help="Count every roll-up afresh from the raw tables: after an upgrade, a restore, or a change of time zone.",
)
@with_appcontext
def rebuild() -> None:
    started = time.perf_counter()
    rollup.rebuild()
    db.session.commit()
    bulk.analyze(db.session.connection(), [model.__tablename__ for model in rollup.ROLLUP_TABLES])
    db.session.commit()
    click.echo(f"Dashboard roll-ups rebuilt in {time.perf_counter() - started:.1f} s.")


@dashboard.command(
    "refresh",
    help="Move the 30/90/365-day windows to the hospital's today (cron, just after midnight).",
)
@with_appcontext
def refresh() -> None:
    started = time.perf_counter()
    done = rollup.move_windows()
    db.session.commit()
    as_of = rollup.readable(db.session)
    words = {"current": "were already current", "moved": "moved", "rebuilt": "were rebuilt"}[done]
    click.echo(
        f"Dashboard windows {words}; they end on {as_of.windows_as_of if as_of else '?'} "
        f"({time.perf_counter() - started:.1f} s)."
    )


@dashboard.command("verify", help="Compare every roll-up with a recount from the raw tables; exit 1 on any difference.")
@click.option("--show", default=50, show_default=True, help="How many differences to list.")
@with_appcontext
def verify(show: int) -> None:
    started = time.perf_counter()
    compared, differences = rollup.verify(limit=0)
    elapsed = time.perf_counter() - started
    if not differences:
        click.echo(f"All {compared:,} roll-up rows equal a recount from the raw tables ({elapsed:.1f} s).")
        return
    click.echo(f"{len(differences):,} of {compared:,} roll-up rows differ from a recount ({elapsed:.1f} s):")
    for difference in differences[:show]:
        click.echo(f"  {difference.table} {difference.key}: recount {difference.expected}, stored {difference.found}")
    click.echo("Run 'flask --app tracker dashboard rebuild' to count them afresh.")
    sys.exit(1)

"""``flask --app tracker seed-demo``: a believable hospital with two years of history."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from tracker import bulk
from tracker.dashboard import rollup
from tracker.demo import words
from tracker.demo.awards import DEMO_AWARD_ACCOUNTS, build_awards
from tracker.demo.hospital import DEMO_ACCOUNTS, DemoHospital
from tracker.extensions import db
from tracker.models import Person, Standard


def print_demo_logins() -> None:
    click.echo(f"\nDemo sign-ins (password for each: {words.DEMO_PASSWORD}):")
    for email, name, title, role, _unit, _managed in DEMO_ACCOUNTS:
        click.echo(f"  {role.value:<17} {email:<24} {name}, {title}")
    for email, name, title, role in DEMO_AWARD_ACCOUNTS:
        click.echo(f"  {role.value:<17} {email:<24} {name}, {title}")


@click.command("seed-demo", help="Fill an empty database with a demo hospital.")
@click.option("--staff", default=600, show_default=True, type=click.IntRange(min=4), help="People to create.")
@click.option(
    "--recognitions",
    default=6000,
    show_default=True,
    type=click.IntRange(min=0),
    help="Recognitions over the last two years.",
)
@click.option("--seed", default=42, show_default=True, type=int, help="Random seed: the same seed, the same hospital.")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the sign-ins) when people already exist.")
@with_appcontext
def seed_demo(staff: int, recognitions: int, seed: int, if_empty: bool) -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Person)):
        if if_empty:
            click.echo("The database already holds data; demo data not added.")
            print_demo_logins()
            return
        click.echo("Error: the database already holds people; seed-demo only fills an empty database.", err=True)
        sys.exit(1)
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Standard)):
        click.echo("Error: no standards found; run 'flask --app tracker db upgrade' first.", err=True)
        sys.exit(1)
    started = datetime.now(UTC)
    hospital = DemoHospital(seed=seed, staff=staff, recognitions=recognitions)
    hospital.build()
    build_awards(hospital.rng, hospital.now.astimezone(hospital.zone).date())
    db.session.commit()
    # The roll-ups read the committed rows (on SQLite, no longer from a gigabyte of write-ahead
    # log), with the planner's statistics of the loaded tables.
    bulk.analyze(db.session.connection())
    rollup.rebuild()
    db.session.commit()
    bulk.analyze(db.session.connection(), [model.__tablename__ for model in rollup.ROLLUP_TABLES])
    db.session.commit()
    elapsed = (datetime.now(UTC) - started).total_seconds()
    click.echo(f"Demo hospital ready: {staff} people, {recognitions} recognitions in {elapsed:.1f} s.")
    print_demo_logins()

"""``flask --app tracker roster import FILE [--dry-run] [--deactivate-missing]``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.roster import apply_plan, parse, plan_import

SHOWN_ERRORS = 200


@click.group(help="Import the staff roster from HR.")
def roster():
    pass


@roster.command("import", help="Create, update and (optionally) deactivate people from a CSV roster.")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--deactivate-missing", is_flag=True, help="Deactivate active people who are not in the file.")
@with_appcontext
def import_roster(file, dry_run, deactivate_missing):
    content = file.read()
    lines = max(content.count(b"\n"), 1)
    with click.progressbar(length=lines, label="Checking rows", file=sys.stderr) as bar:
        parsed = parse(content, on_progress=bar.update)
        bar.update(lines)
    plan = plan_import(parsed, deactivate_missing=deactivate_missing)
    summary = plan.summary()
    click.echo(
        "{created} to create, {updated} to update, {deactivated} to deactivate, {unchanged} unchanged, "
        "{errors} problem(s).".format(**summary)
    )
    if not plan.ok:
        for error in plan.errors[:SHOWN_ERRORS]:
            click.echo(f"line {error.line}: {error.message}", err=True)
        if len(plan.errors) > SHOWN_ERRORS:
            click.echo(f"… and {len(plan.errors) - SHOWN_ERRORS} more.", err=True)
        click.echo("Nothing was changed: correct the file and run the import again.", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    if not plan.changes_anything:
        click.echo("Nothing to change: the directory already matches the file.")
        return
    steps = len(plan.creates) + len(plan.updates) + len(plan.deactivations)
    try:
        with click.progressbar(length=max(steps, 1), label="Applying", file=sys.stderr) as bar:
            apply_plan(plan, filename=getattr(file, "name", ""), on_progress=bar.update)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo("Roster applied.")

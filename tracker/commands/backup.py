"""``flask --app tracker backup create FILE`` and ``backup restore FILE [--force]``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from tracker import backup as backups


@click.group(help="Back up and restore the whole database.")
def backup():
    pass


@backup.command("create", help="Write a consistent backup of the database to FILE (safe while the app runs).")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def create_backup(file):
    try:
        revision = backups.create(file)
    except backups.BackupError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Backup written to {file} (schema revision {revision}).")


@backup.command("restore", help="Replace the database with the backup in FILE.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
@with_appcontext
def restore_backup(file, force):
    try:
        revision = backups.restore(file, force=force)
    except backups.BackupError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Restored {file} (schema revision {revision}).")
    if revision != backups.head_revision():
        click.echo("The backup is from an older version: run 'flask --app tracker db upgrade' now.")

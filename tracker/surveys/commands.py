"""``flask --app tracker surveys import FILE --mapping NAME [--dry-run]``, and the mappings it needs."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.models import Department
from tracker.surveys import importing, services
from tracker.surveys.reading import MAX_BYTES
from tracker.validation import InvalidInput


@click.group(help="Import patient-survey comments from the survey vendor's exports.")
def surveys():
    pass


@surveys.command("import", help="Check a vendor's CSV or XLSX export and import its new comments, all or nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", "mapping_name", required=True, help="The saved column mapping of this vendor.")
@click.option("--dry-run", is_flag=True, help="Check every row and say what would be imported; write nothing.")
@with_appcontext
def import_file(file, mapping_name, dry_run):
    mapping = services.mapping_named(mapping_name)
    if mapping is None:
        names = ", ".join(m.name for m in services.mappings()) or "none yet"
        raise click.ClickException(f"No mapping named {mapping_name!r} (saved mappings: {names}).")
    with open(file, "rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    lines = max(content.count(b"\n"), 1)
    with click.progressbar(length=lines, label="Checking rows", file=sys.stderr) as bar:
        plan = importing.plan_import(content, file, mapping, on_progress=bar.update)
    click.echo(
        f"{plan.rows_read} rows read: {len(plan.new)} new comments, {plan.already_imported} already imported, "
        f"{plan.empty} without a comment, {len(plan.errors)} problem(s)."
    )
    for warning in plan.warnings[: importing.SHOWN_PROBLEMS]:
        click.echo(f"line {warning.line}: {warning.message}", err=True)
    if not plan.ok:
        for problem in plan.errors[: importing.SHOWN_PROBLEMS]:
            click.echo(f"line {problem.line}: {problem.message}" if problem.line else problem.message, err=True)
        if len(plan.errors) > importing.SHOWN_PROBLEMS:
            click.echo(f"… and {len(plan.errors) - importing.SHOWN_PROBLEMS} more.", err=True)
        if plan.unknown_codes:
            click.echo(
                "Map unknown unit codes with: flask --app tracker surveys unit-code "
                f"{mapping.name!r} CODE DEPARTMENT-SLUG",
                err=True,
            )
        click.echo("Nothing was imported: correct the file and run the import again.", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("Dry run: nothing was imported.")
        return
    if not plan.new:
        click.echo("Nothing new to import: the file's comments are all imported already.")
        return
    try:
        with click.progressbar(length=max(len(plan.new), 1), label="Importing", file=sys.stderr) as bar:
            batch = importing.apply_plan(plan, None, on_progress=bar.update)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Imported {batch.comments_added} comments (import {batch.id}).")


@surveys.command("mapping", help="Save a vendor's column mapping (the columns as named in the file's first line).")
@click.argument("name")
@click.option("--text", "text_column", required=True, help="Column of the comment's text.")
@click.option("--unit", "unit_column", required=True, help="Column of the unit or service code.")
@click.option("--date", "date_column", required=True, help="Column of the visit or discharge date.")
@click.option("--survey", "survey_id_column", required=True, help="Column of the survey id.")
@click.option("--question", "question_id_column", required=True, help="Column of the question id.")
@click.option("--valence", "valence_column", default="", help="Column of the vendor's valence, if any.")
@click.option("--date-format", type=click.Choice(services.DATE_FORMATS), default="%Y-%m-%d", show_default=True)
@click.option("--wall-allowed", is_flag=True, help="The vendor's consent terms let comments reach public walls.")
@with_appcontext
def save_mapping(name, date_format, wall_allowed, **columns):
    try:
        mapping = services.save_mapping(
            {"name": name, "date_format": date_format, "wall_allowed": wall_allowed, **columns},
            by=None,
            mapping=services.mapping_named(name),
        )
    except InvalidInput as refused:
        raise click.ClickException(" ".join(m for ms in refused.fields.values() for m in ms)) from None
    db.session.commit()
    click.echo(f"Mapping {mapping.name!r} saved.")


@surveys.command("unit-code", help="Remember which department a vendor's unit code means.")
@click.argument("mapping_name")
@click.argument("code")
@click.argument("department_slug")
@with_appcontext
def unit_code(mapping_name, code, department_slug):
    mapping = services.mapping_named(mapping_name)
    department = db.session.scalar(sa.select(Department).where(Department.slug == department_slug))
    if mapping is None or department is None:
        raise click.ClickException("Unknown mapping or department slug.")
    services.remember_unit_codes(mapping, {code.strip(): department.id}, by=None)
    db.session.commit()
    click.echo(f"{code} → {department.name}")

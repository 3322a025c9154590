"""Backups and restores of the whole database (``backup create`` / ``backup restore``).

SQLite: SQLite's online backup API copies a consistent snapshot while the app keeps serving.
PostgreSQL: ``pg_dump``/``pg_restore`` in custom format. A restore checks the backup's schema
revision against the migrations of this version and refuses to overwrite data unless forced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import Migrate
from sqlalchemy.engine import URL

from tracker.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _url() -> URL:
    """The engine's URL: Flask-SQLAlchemy has already resolved a relative SQLite path to the instance folder."""
    return db.engine.url


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def known_revisions() -> set[str]:
    migrate: Migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return {revision.revision for revision in script.walk_revisions()}


def head_revision() -> str:
    migrate: Migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return script.get_current_head()


# Rows the migrations themselves write (the standards are seeded): a freshly upgraded database is still empty.
SEEDED_BY_MIGRATIONS = frozenset({"alembic_version", "standards", "behaviors"})


def database_holds_data() -> bool:
    """True when a table holds rows that someone entered, not just what the migrations seeded."""
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as connection:
        for table in inspector.get_table_names():
            if table in SEEDED_BY_MIGRATIONS:
                continue
            quoted = db.engine.dialect.identifier_preparer.quote(table)
            if connection.execute(sa.text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():  # noqa: S608
                return True
    return False


# --- create ------------------------------------------------------------------------------------


def create(target: str | Path) -> str:
    """Write a backup of the configured database to ``target``; returns its schema revision."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"{target} is a directory; name the backup file.")
    url = _url()
    partial = target.with_name(target.name + ".partial")
    if _is_sqlite(url):
        source = sqlite3.connect(url.database)
        destination = sqlite3.connect(partial)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"], url)
    os.replace(partial, target)  # a half-written backup never carries the final name
    return read_revision(target)


# --- reading a backup --------------------------------------------------------------------------


def backup_kind(path: Path) -> str:
    with open(path, "rb") as file:
        start = file.read(16)
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by 'backup create' (neither SQLite nor pg_dump custom format).")


def read_revision(path: Path) -> str:
    """The Alembic revision stored inside a backup file."""
    path = Path(path)
    if backup_kind(path) == "sqlite":
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} holds no schema revision: {error}") from None
        finally:
            connection.close()
        if row is None:
            raise BackupError(f"{path} holds no schema revision.")
        return row[0]
    output = subprocess.run(  # noqa: S603
        ["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        raise BackupError(f"pg_restore could not read {path}: {output.stderr.strip()}")
    lines = output.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            return lines[index + 1].strip()
    raise BackupError(f"{path} holds no schema revision.")


# --- restore -----------------------------------------------------------------------------------


def restore(source: str | Path, *, force: bool = False) -> str:
    """Replace the configured database with the backup; returns the backup's revision.

    Refuses a backup of the other database kind, a revision this version does not know (made by a
    newer version), and overwriting a database that holds data unless ``force``.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    url = _url()
    kind = backup_kind(source)
    expected = "sqlite" if _is_sqlite(url) else "postgresql"
    if kind != expected:
        raise BackupError(f"{source} is a {kind} backup, but the configured database is {expected}.")
    revision = read_revision(source)
    if revision not in known_revisions():
        raise BackupError(
            f"The backup has schema revision {revision}, which this version of icare tracker does not know. "
            "Restore it with the version that made it (or a newer one)."
        )
    if not force and database_holds_data():
        raise BackupError("The database already holds data. Run again with --force to replace it with the backup.")
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        _restore_sqlite(source, Path(url.database))
    else:
        restore_options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run(["pg_restore", *restore_options], url, str(source))
    db.engine.dispose()
    return revision


def _restore_sqlite(source: Path, database: Path) -> None:
    """Copy page by page into the live file: other connections see the old or the new database, never half."""
    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "restore.db"
        shutil.copyfile(source, snapshot)  # the backup file itself stays untouched
        origin = sqlite3.connect(snapshot)
        destination = sqlite3.connect(database, timeout=30)
        try:
            origin.backup(destination)
        finally:
            destination.close()
            origin.close()


def _run(command: list[str], url: URL, *arguments: str) -> None:
    """Run a PostgreSQL client tool; the password travels in the environment, never on the command line."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    connection = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    full = [*command, f"--dbname={connection}", *arguments]
    result = subprocess.run(full, capture_output=True, text=True, env=environment, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")

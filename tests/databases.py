"""Throw-away databases for the test suite: SQLite files, or PostgreSQL databases it creates and drops.

``TRACKER_TEST_DATABASE_URL`` names a PostgreSQL server (any database on it); the suite creates
its own databases there and drops them afterwards. Unset, the suite runs on SQLite.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "")


def backend() -> str:
    return "postgresql" if SERVER_URL.startswith("postgres") else "sqlite"


@contextmanager
def fresh_database(label: str = "test"):
    """Yield the URL of a new, empty database and remove it afterwards."""
    if backend() == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"tracker-{label}-") as folder:
            yield f"sqlite:///{Path(folder) / 'tracker.db'}"
        return
    server = make_url(SERVER_URL).set(drivername="postgresql+psycopg")
    name = f"tracker_{label}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

"""SQLite's WAL is copied back into the database by a writer after its turn, never inside it."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import make_test_config
from tracker import create_app, database
from tracker.extensions import db

pytestmark = [pytest.mark.no_db_transaction]


@pytest.fixture
def sqlite_app(instance_path):
    with tempfile.TemporaryDirectory(prefix="tracker-checkpoints-") as folder:
        path = Path(folder) / "tracker.db"
        application = create_app(make_test_config(f"sqlite:///{path}", str(instance_path)))
        with application.app_context():
            db.session.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
            db.session.commit()
            yield application, path
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def checkpoints(monkeypatch):
    """Each checkpoint the app's connections run: whether the connection still held the writer's turn."""
    made = []
    execute = database.QueuedWriterConnection.execute

    def spy(connection, statement, *args):
        if "wal_checkpoint" in statement:
            made.append(connection._has_turn)
        return execute(connection, statement, *args)

    monkeypatch.setattr(database.QueuedWriterConnection, "execute", spy)
    monkeypatch.setattr(database, "_last_checkpoint", {})
    return made


def wal_is_copied(path: Path) -> bool:
    """Whether everything in the WAL is in the database file (this copies nothing: another process reads)."""
    outside = sqlite3.connect(path)
    try:
        outside.execute("PRAGMA wal_autocheckpoint = 0")
        _busy, logged, copied = outside.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return logged == copied
    finally:
        outside.close()


@pytest.mark.usefixtures("sqlite_app")
def test_app_connections_leave_checkpoints_to_the_writers():
    assert db.session.execute(sa.text("PRAGMA wal_autocheckpoint")).scalar() == 0
    assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_writer_checkpoints_after_giving_its_turn_back(sqlite_app, checkpoints):
    _, path = sqlite_app
    db.session.execute(sa.text("INSERT INTO notes (body) VALUES (:body)"), [{"body": "x" * 3000}] * 200)
    db.session.commit()
    assert checkpoints == [False]
    assert wal_is_copied(path)


@pytest.mark.usefixtures("sqlite_app")
def test_checkpoints_wait_a_second_and_readers_make_none(checkpoints, monkeypatch):
    db.session.execute(sa.text("INSERT INTO notes (body) VALUES ('first')"))
    db.session.commit()  # this process had not checkpointed yet
    db.session.execute(sa.text("INSERT INTO notes (body) VALUES ('second')"))
    db.session.commit()  # within the second: left in the WAL for a later writer
    assert db.session.execute(sa.text("SELECT count(*) FROM notes")).scalar() == 2
    monkeypatch.setattr(database, "CHECKPOINT_INTERVAL_SECONDS", 0.0)
    db.session.commit()  # a reader's commit copies nothing
    assert checkpoints == [False]
    db.session.execute(sa.text("INSERT INTO notes (body) VALUES ('third')"))
    db.session.commit()
    assert checkpoints == [False, False]

"""Connection set-up that makes SQLite behave for a multi-user app, and transactions that say what they are.

On SQLite every transaction starts as a plain ``BEGIN``: it reads its WAL snapshot beside any
writer. The moment it is about to write (a flush with changes, a savepoint, any statement that is
not a read, or a read ``FOR UPDATE``) it swaps that read transaction for ``BEGIN IMMEDIATE``, so
the write lock is held only from the first write to the commit, and two writers never fail with
"database is locked" when one upgrades a read lock. Writers queue for their turn on a lock file
beside the database (``<database>-writer.lock``, one ``flock`` per connection, across threads and
processes): the kernel wakes the next writer the moment a commit ends, where SQLite's own busy
handler would poll with sleeps of up to 100 ms and leave the lock idle in between. What it read
before the swap may have changed since, exactly as under PostgreSQL's READ COMMITTED, which is what
the code is written for: uniqueness is kept by constraints, and every read that must see the latest
row and keep it (claims, counted state) is a ``FOR UPDATE`` and therefore waits for the lock first.
On PostgreSQL both are READ COMMITTED, where readers never wait for writers anyway.

Copying the WAL back into the database file (a checkpoint, with its two ``fsync``) is SQLite's
own job at the commit that crosses 1,000 pages, inside that writer's turn, so every tenth writer
or so held every other writer for 20–40 ms. Here the app's connections switch that off and a
writer, after its commit has given the turn back, runs a ``PASSIVE`` checkpoint at most once a
second per process: it waits for nobody and nobody waits for it.

A view marked ``@reads_only`` promises never to write; one that tries fails loudly.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from flask import Flask, after_this_request, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from tracker.extensions import db

READS_ONLY = "reads_only"


def reads_only(view):
    """Mark a view that never writes: its transaction takes no write lock."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    setattr(wrapper, READS_ONLY, True)
    return wrapper


def in_read_only_view() -> bool:
    if not has_request_context() or request.endpoint is None or g.get("reading_over"):
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, READS_ONLY, False))


def write_after_reading(write) -> None:
    """Run ``write()`` now, or, in a read-only view, in a transaction of its own once the view has answered.

    For bookkeeping a read-only request still owes (an API token's last use), without making the
    request's own transaction a writer.
    """
    if not in_read_only_view():
        write()
        return

    @after_this_request
    def _write(response):
        db.session.rollback()  # end the read-only transaction
        g.reading_over = True
        write()
        return response


@event.listens_for(Session, "before_flush")
def _before_writing(session: Session, _context, _instances) -> None:
    if not (session.new or session.dirty or session.deleted):
        return
    if in_read_only_view():
        raise RuntimeError(f"the read-only view {request.endpoint} tried to write")
    # The flush's own reads (the roll-ups' counted state) must see what the write lock protects.
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _take_write_lock(connection)


class QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection that waits for its turn on the database's writer lock file before writing.

    The turn is taken by :func:`_take_write_lock` just before ``BEGIN IMMEDIATE`` and given back
    when the transaction commits, rolls back or the connection closes. A database in memory has no
    file and no other process: it needs no queue.
    """

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self._queue_path = _writer_lock_path(database, kwargs.get("uri", False))
        self._queue_fd: int | None = None
        self._has_turn = False

    def wait_for_writer_turn(self) -> None:
        if self._queue_path is None or self._has_turn:
            return
        if self._queue_fd is None:
            self._queue_fd = os.open(self._queue_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._has_turn = True

    def end_writer_turn(self) -> None:
        if self._has_turn:
            self._has_turn = False
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def commit(self):
        wrote = self._has_turn
        try:
            super().commit()
        finally:
            self.end_writer_turn()
        if wrote:
            self.checkpoint_when_due()

    def checkpoint_when_due(self) -> None:
        """Copy the WAL into the database now if this process has not done so in the last second."""
        if self._queue_path is None:
            return
        now = time.monotonic()
        if now - _last_checkpoint.get(self._queue_path, 0.0) < CHECKPOINT_INTERVAL_SECONDS:
            return
        if not _checkpointing.acquire(blocking=False):
            return  # another thread of this process is at it
        try:
            _last_checkpoint[self._queue_path] = now
            self.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
        finally:
            _checkpointing.release()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.end_writer_turn()

    def close(self):
        try:
            super().close()
        finally:
            self.end_writer_turn()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None


CHECKPOINT_INTERVAL_SECONDS = 1.0
_last_checkpoint: dict[str, float] = {}  # per database: when this process last checkpointed it
_checkpointing = threading.Lock()


def _writer_lock_path(database, uri: bool) -> str | None:
    name = os.fsdecode(database)
    if uri:
        name = name.removeprefix("file:").split("?", 1)[0]
        if "mode=memory" in os.fsdecode(database):
            return None
    if name in ("", ":memory:"):
        return None
    return name + "-writer.lock"


def engine_options(app: Flask) -> None:
    """Engine options that must be known before the engine exists: SQLite's queued connections."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {**options.get("connect_args", {}), "factory": QueuedWriterConnection}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure_engine(app: Flask) -> None:
    engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


@lru_cache(maxsize=2**20)
def _local_date_of_minute(minute: str, zone: str) -> date:
    return datetime.fromisoformat(minute).replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()


def local_date(moment: str | None, zone: str) -> str | None:
    """SQLite function: the calendar date of a stored UTC timestamp in ``zone``, as an ISO date.

    Every time zone's offset is a whole number of minutes, so the answer is cached per minute: a
    rebuild over a million recognitions converts each minute once.
    """
    if moment is None:
        return None
    return _local_date_of_minute(moment[:16], zone).isoformat()


def local_monday(moment: str | None, zone: str) -> str | None:
    """SQLite function: the Monday of a stored UTC timestamp's week in ``zone``, as an ISO date."""
    if moment is None:
        return None
    day = _local_date_of_minute(moment[:16], zone)
    return (day - timedelta(days=day.weekday())).isoformat()


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, room to cache, and the roll-ups' week function on every connection."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        dbapi_connection.create_function("tracker_local_monday", 2, local_monday, deterministic=True)
        dbapi_connection.create_function("tracker_local_date", 2, local_date, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            if isinstance(dbapi_connection, QueuedWriterConnection):
                cursor.execute("PRAGMA wal_autocheckpoint = 0")  # writers checkpoint after their turn
            # SQLite's default cache is 2 MB; a hospital's database is hundreds. Reads of the
            # dashboard's roll-ups and indexes then come from memory instead of system calls.
            cursor.execute("PRAGMA cache_size = -65536")  # KiB, per connection
            cursor.execute("PRAGMA mmap_size = 268435456")
            cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")
        connection.info[WRITING] = False

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection):
        # Outside a transaction SQLite commits each statement by itself: nothing to upgrade.
        connection.info[WRITING] = True

    @event.listens_for(engine, "before_execute")
    def before_locking_read(connection, statement, *_args):
        if isinstance(statement, Select) and statement._for_update_arg is not None:
            _take_write_lock(connection)

    @event.listens_for(engine, "before_cursor_execute")
    def before_write(connection, _cursor, statement, *_args):
        if not statement.lstrip()[:8].upper().startswith(NOT_WRITES):
            _take_write_lock(connection)


WRITING = "sqlite_writing"
# Statements that never need the write lock (BEGIN and the ends of transactions are ours or the pool's).
NOT_WRITES = ("SELECT", "WITH", "PRAGMA", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "RELEASE")


def _take_write_lock(connection) -> None:
    """Swap the connection's read transaction for a write transaction, once per transaction.

    The read transaction has written nothing (every write comes through here first), so ending it
    loses nothing. The writer's turn comes first; ``BEGIN IMMEDIATE`` then still waits on the busy
    timeout for a writer outside the queue (the ``sqlite3`` shell, another program).
    """
    if connection.info.get(WRITING, True):
        return
    raw = connection.connection.driver_connection
    if raw.in_transaction:
        raw.execute("COMMIT")
    queued = isinstance(raw, QueuedWriterConnection)
    if queued:
        raw.wait_for_writer_turn()
    try:
        raw.execute("BEGIN IMMEDIATE")
    except BaseException:
        if queued:
            raw.end_writer_turn()
        raise
    connection.info[WRITING] = True

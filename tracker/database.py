"""Connection set-up that makes SQLite behave for a multi-user app, and transactions that say what they are.

A view marked ``@reads_only`` runs in a read-only transaction: on SQLite a plain ``BEGIN``, so it
reads its WAL snapshot beside a writer instead of queueing for the write lock; every other unit of
work starts with ``BEGIN IMMEDIATE``, so two writers queue on the busy timeout instead of one failing
with "database is locked" when it upgrades a read lock. On PostgreSQL both are READ COMMITTED,
where readers never wait for writers anyway. A read-only view that tries to write fails loudly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from flask import Flask, after_this_request, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

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
def _refuse_writes_in_read_only_views(session: Session, _context, _instances) -> None:
    if (session.new or session.dirty or session.deleted) and in_read_only_view():
        raise RuntimeError(f"the read-only view {request.endpoint} tried to write")


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
            # SQLite's default cache is 2 MB; a hospital's database is hundreds. Reads of the
            # dashboard's roll-ups and indexes then come from memory instead of system calls.
            cursor.execute("PRAGMA cache_size = -65536")  # KiB, per connection
            cursor.execute("PRAGMA mmap_size = 268435456")
            cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN" if in_read_only_view() else "BEGIN IMMEDIATE")

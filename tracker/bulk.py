"""Fast bulk writes for seeding and imports: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of ``columns``; datetimes must be aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

PLAIN_TYPES = frozenset({int, str, float, type(None), bytes})


def _sqlite_datetime(value: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime writes (naive UTC with microseconds), made faster."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_value(value):
    if isinstance(value, datetime):
        return _sqlite_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _sqlite_batch(rows: list[tuple]) -> list[tuple]:
    """Convert, column by column, only the columns holding datetimes, dates or booleans."""
    columns = list(zip(*rows, strict=True))
    for index, column in enumerate(columns):
        kinds = set(map(type, column))
        if PLAIN_TYPES.issuperset(kinds):
            continue
        if kinds <= {datetime, type(None)}:  # the common case: a timestamp column
            columns[index] = [None if value is None else _sqlite_datetime(value) for value in column]
        else:
            columns[index] = [_sqlite_value(value) for value in column]
    return list(zip(*columns, strict=True))


def _postgres_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def insert_rows(connection: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` into ``table`` in the current transaction; returns how many."""
    count = 0
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_postgres_value(value) for value in row])
                count += 1
        return count
    placeholders = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    cursor = connection.connection.driver_connection.cursor()
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 10_000:
            cursor.executemany(statement, _sqlite_batch(batch))
            count += len(batch)
            batch.clear()
    if batch:
        cursor.executemany(statement, _sqlite_batch(batch))
        count += len(batch)
    return count


def next_id(connection: Connection, table: str) -> int:
    return (connection.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar() or 0) + 1


def reset_sequence(connection: Connection, table: str) -> None:
    """After inserting explicit ids, move PostgreSQL's sequence past them."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
        )


def analyze(connection: Connection, tables: Sequence[str] = ()) -> None:
    """Refresh the planner's statistics after a bulk load (all tables, or these), so it picks the right indexes."""
    for table in tables or [""]:
        connection.execute(sa.text(f"ANALYZE {table}"))


@contextmanager
def secondary_indexes_deferred(connection: Connection, tables: Sequence[str]):
    """Drop the plain secondary indexes of ``tables`` and build them again afterwards.

    Building an index once over sorted data is far faster than maintaining it row by row during
    a bulk load. Indexes that back a primary key or unique constraint stay in place.
    """
    names = ", ".join(f"'{table}'" for table in tables)
    if connection.dialect.name == "postgresql":
        indexes = connection.execute(
            sa.text(
                f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ({names}) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        ).all()
    else:
        indexes = connection.execute(
            sa.text(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({names}) "
                "AND sql IS NOT NULL"
            )
        ).all()
    for name, _definition in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, definition in indexes:
            connection.exec_driver_sql(definition)

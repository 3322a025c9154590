"""Fast bulk writes for seeding and imports: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of ``columns``; datetimes must be aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # the format SQLAlchemy itself writes


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime(SQLITE_DATETIME)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


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
        batch.append(tuple(_sqlite_value(value) for value in row))
        if len(batch) >= 10_000:
            cursor.executemany(statement, batch)
            count += len(batch)
            batch.clear()
    if batch:
        cursor.executemany(statement, batch)
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

"""Is the database whole? The engine's own checks, then the rules the data model promises."""

from __future__ import annotations

import sqlalchemy as sa

# Each query counts rows that break a promise of the data model; every count must be 0.
CONSISTENCY_QUERIES = {
    "recognitions without a standard": """
        SELECT count(*) FROM recognitions r
        WHERE NOT EXISTS (SELECT 1 FROM recognition_standards s WHERE s.recognition_id = r.id)""",
    "peer recognitions with neither a recipient nor a unit": """
        SELECT count(*) FROM recognitions r
        WHERE r.source = 'peer' AND r.unit_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM recognition_recipients p WHERE p.recognition_id = r.id)""",
    "recipients of a recognition that does not exist": """
        SELECT count(*) FROM recognition_recipients p
        WHERE NOT EXISTS (SELECT 1 FROM recognitions r WHERE r.id = p.recognition_id)""",
    "outbox messages sharing a Message-ID": """
        SELECT count(*) - count(DISTINCT message_id) FROM outbox""",
    "feedback sharing a reference": "SELECT count(*) - count(DISTINCT reference) FROM feedback",
}


def problems(database_url: str) -> list[str]:
    """What is wrong with the database at ``database_url``; empty when it passes every check."""
    engine = sa.create_engine(database_url)
    found: list[str] = []
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                found += _sqlite_checks(connection)
            else:
                found += _postgresql_checks(connection)
            for name, query in CONSISTENCY_QUERIES.items():
                count = connection.scalar(sa.text(query))
                if count:
                    found.append(f"{name}: {count}")
    finally:
        engine.dispose()
    return found


def _sqlite_checks(connection) -> list[str]:
    result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    found = [] if result == ["ok"] else [f"integrity_check: {result}"]
    orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if orphans:
        found.append(f"foreign_key_check: {orphans[:10]}")
    return found


def _postgresql_checks(connection) -> list[str]:
    """amcheck verifies every B-tree index against its table (heapallindexed): torn writes would show."""
    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
    indexes = connection.scalars(
        sa.text(
            """SELECT c.oid FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_am a ON a.oid = c.relam
               WHERE n.nspname = 'public' AND a.amname = 'btree'"""
        )
    ).all()
    for oid in indexes:
        connection.execute(sa.text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
    connection.commit()
    return [] if indexes else ["amcheck found no index to check"]

"""Recognitions: the source index holds the acknowledgement and the time, so one source's oldest waiting come in order

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 22:10:00

The dashboard lists the oldest recognitions still waiting for acknowledgement. With a source
filter, SQLite walked every unacknowledged recognition in time order looking for that source: for
a source with few recognitions (letters, e-mails, survey comments) it read all of them, about
0.5 s at a million recognitions. An index on (source, acknowledged_at, created_at) finds them in
order at once; it replaces the index on source alone, which it still serves.
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_recognitions_source", table_name="recognitions")
    op.create_index(
        "ix_recognitions_source_acknowledged_at_created_at", "recognitions", ["source", "acknowledged_at", "created_at"]
    )


def downgrade():
    op.drop_index("ix_recognitions_source_acknowledged_at_created_at", table_name="recognitions")
    op.create_index("ix_recognitions_source", "recognitions", ["source"])

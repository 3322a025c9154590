"""Closing the loop with patients: the resolution letter's e-mail on each case

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-04 09:00:00

``cases.letter_outbox_id`` points at the outbox row of the latest e-mail of the resolution
letter, so the case page can say when it was sent, or that it could not be delivered.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_outbox_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_letter_outbox_id_outbox"), "outbox", ["letter_outbox_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_letter_outbox_id_outbox"), type_="foreignkey")
        batch_op.drop_column("letter_outbox_id")

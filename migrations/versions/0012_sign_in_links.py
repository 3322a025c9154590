"""E-mail sign-in links for patient and family advisors: a nonce on each person

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03 09:00:00

A link carries the person's current ``sign_in_nonce``; using a link replaces it, so a link
works once. Empty until the person first asks for a link.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sign_in_nonce", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("sign_in_nonce")

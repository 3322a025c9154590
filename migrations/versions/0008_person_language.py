"""Each person's language: used for their pages and e-mails

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 09:30:00

Empty means no choice yet: pages follow the browser and e-mails the hospital's default language.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("language")

"""Display links: revocable links that open one unit's TV display with nobody signed in

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:40:00

Each link belongs to a unit and holds only the SHA-256 of its token (the token is shown once,
when the link is made); revoking keeps the row, with who revoked it and when.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "display_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_display_links_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["people.id"], name=op.f("fk_display_links_created_by_id_people")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["people.id"], name=op.f("fk_display_links_revoked_by_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_display_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_display_links_token_hash")),
    )
    with op.batch_alter_table("display_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_display_links_department_id"), ["department_id"], unique=False)


def downgrade():
    with op.batch_alter_table("display_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_display_links_department_id"))
    op.drop_table("display_links")

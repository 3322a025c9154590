"""Hospital identity: OpenID Connect subjects, SCIM ids and tokens, session versions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00

People gain the identity provider's ``sub`` and the directory's ``externalId`` (both unique), a
session version that deactivation bumps so every session and remember-me cookie ends. ``scim_tokens`` holds the hashes of the directory's bearer tokens.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("scim_data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True)
        )
        batch_op.add_column(sa.Column("user_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("scim_deleted_at", sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_people_user_name"), ["user_name"])
        batch_op.create_unique_constraint(batch_op.f("uq_people_oidc_subject"), ["oidc_subject"])
        batch_op.create_unique_constraint(batch_op.f("uq_people_external_id"), ["external_id"])
    op.create_table(
        "scim_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_scim_tokens_token_hash")),
    )
    op.create_table(
        "scim_groups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_groups")),
        sa.UniqueConstraint("display_name", name=op.f("uq_scim_groups_display_name")),
    )
    op.create_table(
        "scim_group_members",
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["scim_groups.id"], name=op.f("fk_scim_group_members_group_id_scim_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_scim_group_members_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("group_id", "person_id", name=op.f("pk_scim_group_members")),
    )
    op.create_index(op.f("ix_scim_group_members_person_id"), "scim_group_members", ["person_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_scim_group_members_person_id"), table_name="scim_group_members")
    op.drop_table("scim_group_members")
    op.drop_table("scim_groups")
    op.drop_table("scim_tokens")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_people_external_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_people_oidc_subject"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_people_user_name"), type_="unique")
        batch_op.drop_column("scim_deleted_at")
        batch_op.drop_column("user_name")
        batch_op.drop_column("scim_data")
        batch_op.drop_column("session_version")
        batch_op.drop_column("external_id")
        batch_op.drop_column("oidc_subject")

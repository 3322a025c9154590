"""You said, we did: actions a unit took on suggestions and resolved concerns

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 10:00:00

One row per action: a short public summary, its unit and month, the suggestion or the case it
answers (exactly one of the two), and whether an advocate approved it for the unit's public page.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "actions_taken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="actionstatus",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("rejection_note", sa.Text(), nullable=False),
        sa.CheckConstraint("(feedback_id IS NULL) <> (case_id IS NULL)", name=op.f("ck_actions_taken_one_source")),
        sa.ForeignKeyConstraint(["unit_id"], ["departments.id"], name=op.f("fk_actions_taken_unit_id_departments")),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"], name=op.f("fk_actions_taken_feedback_id_feedback")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_actions_taken_case_id_cases")),
        sa.ForeignKeyConstraint(["created_by_id"], ["people.id"], name=op.f("fk_actions_taken_created_by_id_people")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["people.id"], name=op.f("fk_actions_taken_decided_by_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions_taken")),
    )
    with op.batch_alter_table("actions_taken", schema=None) as batch_op:
        batch_op.create_index("ix_actions_taken_unit_id_status_month", ["unit_id", "status", "month"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_taken_feedback_id"), ["feedback_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_taken_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_taken_status"), ["status"], unique=False)


def downgrade():
    op.drop_table("actions_taken")

"""Dashboard windows: the last 30, 90 and 365 days and all time, counted ahead of time

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:30:00

Replaces each person's all-time totals with per-window totals that carry the person's department
and job family. The tables start empty and no ``dashboard_windows`` row exists, so the first
dashboard view (or ``flask dashboard rebuild``) builds every roll-up from the raw tables.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("person_recognition_totals")
    op.drop_index("ix_recognitions_acknowledged_at", table_name="recognitions")
    op.create_index("ix_recognitions_acknowledged_at_created_at", "recognitions", ["acknowledged_at", "created_at"])
    op.create_index(
        "ix_weekly_recognition_counts_department_id_week", "weekly_recognition_counts", ["department_id", "week"]
    )
    op.create_index(
        "ix_weekly_acknowledgement_delays_department_id_week",
        "weekly_acknowledgement_delays",
        ["department_id", "week"],
    )
    op.create_index("ix_people_active_department_id_job_family", "people", ["active", "department_id", "job_family"])
    op.create_index("ix_people_name_id", "people", ["name", "id"])
    op.create_table(
        "dashboard_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_windows")),
    )
    op.create_table(
        "window_recognition_counts",
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.Column("unacknowledged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "window_days", "department_id", "source", "standard_id", name=op.f("pk_window_recognition_counts")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "window_weekly_counts",
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.Column("unacknowledged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("window_days", "week", "department_id", "source", name=op.f("pk_window_weekly_counts")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "window_acknowledgement_delays",
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("window_days", "department_id", "days", name=op.f("pk_window_acknowledgement_delays")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "person_window_totals",
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("given", sa.Integer(), nullable=False),
        sa.Column("last_received_at", sa.DateTime(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("job_family", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], ondelete="CASCADE", name=op.f("fk_person_window_totals_person_id_people")
        ),
        sa.PrimaryKeyConstraint("window_days", "person_id", name=op.f("pk_person_window_totals")),
    )
    op.create_index(
        "ix_person_window_totals_scope",
        "person_window_totals",
        ["window_days", "department_id", "job_family", "received", "given"],
    )
    op.create_index("ix_person_window_totals_received", "person_window_totals", ["window_days", "received"])
    op.create_index("ix_person_window_totals_given", "person_window_totals", ["window_days", "given"])
    op.create_index(
        "ix_person_window_totals_last_received_at", "person_window_totals", ["window_days", "last_received_at"]
    )


def downgrade():
    op.create_table(
        "person_recognition_totals",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("last_received_at", sa.DateTime(), nullable=True),
        sa.Column("given", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], ondelete="CASCADE", name=op.f("fk_person_recognition_totals_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_recognition_totals")),
    )
    op.execute(
        "INSERT INTO person_recognition_totals (person_id, received, last_received_at, given) "
        "SELECT person_id, received, last_received_at, given FROM person_window_totals "
        "WHERE window_days = 0 AND (received > 0 OR given > 0)"
    )
    op.drop_table("person_window_totals")
    op.drop_table("window_acknowledgement_delays")
    op.drop_table("window_weekly_counts")
    op.drop_table("window_recognition_counts")
    op.drop_table("dashboard_windows")
    op.drop_index("ix_people_name_id", table_name="people")
    op.drop_index("ix_people_active_department_id_job_family", table_name="people")
    op.drop_index("ix_weekly_acknowledgement_delays_department_id_week", table_name="weekly_acknowledgement_delays")
    op.drop_index("ix_weekly_recognition_counts_department_id_week", table_name="weekly_recognition_counts")
    op.drop_index("ix_recognitions_acknowledged_at_created_at", table_name="recognitions")
    op.create_index("ix_recognitions_acknowledged_at", "recognitions", ["acknowledged_at"])

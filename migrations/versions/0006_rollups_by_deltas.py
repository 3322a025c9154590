"""Dashboard roll-ups kept by deltas: weekly and daily cells, per-person windows per source and standard

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00

Replaces the recounted roll-ups. The new tables start empty and no state row exists, so the
dashboard reads the raw tables until ``flask --app tracker dashboard rebuild`` (or the first
``dashboard refresh``) counts them; this migration needs no application code.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_TABLES = (
    "person_window_totals",
    "window_acknowledgement_delays",
    "window_weekly_counts",
    "window_recognition_counts",
    "dashboard_windows",
    "weekly_acknowledgement_delays",
    "weekly_recognition_counts",
)


def _cells(name, *keys, values=("recognitions", "unacknowledged"), period="week"):
    columns = [
        sa.Column(period, sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        *(sa.Column(key, sa.Integer(), nullable=False) for key in keys),
        *(sa.Column(value, sa.Integer(), nullable=False) for value in values),
    ]
    primary = [period, "department_id", "source", *keys]
    op.create_table(name, *columns, sa.PrimaryKeyConstraint(*primary, name=f"pk_{name}"), sqlite_with_rowid=False)


def _people(name, *keys, last=False):
    columns = [
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        *(sa.Column(key, sa.String(length=20) if key == "source" else sa.Integer(), nullable=False) for key in keys),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("given", sa.Integer(), nullable=False),
        *([sa.Column("last_received_at", sa.DateTime(), nullable=True)] if last else []),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("job_family", sa.String(length=60), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    ]
    primary = ["window_days", "person_id", *keys]
    op.create_table(name, *columns, sa.PrimaryKeyConstraint(*primary, name=f"pk_{name}"))


def upgrade():
    for table in OLD_TABLES:
        op.drop_table(table)
    op.create_table(
        "dashboard_rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("windows_as_of", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dashboard_rollup_state"),
    )
    _cells("rollup_weekly_counts")
    _cells("rollup_weekly_standard_counts", "standard_id")
    _cells("rollup_weekly_delays", "days", values=("recognitions",))
    _cells("rollup_weekly_standard_delays", "standard_id", "days", values=("recognitions",))
    _cells("rollup_daily_counts", period="day")
    _cells("rollup_daily_standard_counts", "standard_id", period="day")
    _cells("rollup_daily_delays", "days", values=("recognitions",), period="day")
    _cells("rollup_daily_standard_delays", "standard_id", "days", values=("recognitions",), period="day")
    _people("rollup_person_windows", last=True)
    _people("rollup_person_window_sources", "source")
    _people("rollup_person_window_standards", "standard_id")
    _people("rollup_person_window_source_standards", "source", "standard_id")
    op.create_index(
        "ix_rollup_person_windows_scope",
        "rollup_person_windows",
        ["window_days", "active", "department_id", "job_family", "received"],
    )
    op.create_index("ix_rollup_person_windows_received", "rollup_person_windows", ["window_days", "received"])
    op.create_index("ix_rollup_person_windows_given", "rollup_person_windows", ["window_days", "given"])
    op.create_index(
        "ix_rollup_person_windows_last_received_at", "rollup_person_windows", ["window_days", "last_received_at"]
    )
    op.create_index(
        "ix_rollup_person_window_sources_scope",
        "rollup_person_window_sources",
        ["window_days", "source", "active", "department_id", "job_family", "received"],
    )
    op.create_index(
        "ix_rollup_person_window_standards_scope",
        "rollup_person_window_standards",
        ["window_days", "standard_id", "active", "department_id", "job_family", "received"],
    )
    # The top recognised and top givers of a filtered window, read in order from these.
    for table, key in (("rollup_person_window_sources", "source"), ("rollup_person_window_standards", "standard_id")):
        for value in ("received", "given"):
            op.create_index(f"ix_{table}_{value}", table, ["window_days", key, value])
    op.create_index(
        "ix_rollup_person_window_source_standards_scope",
        "rollup_person_window_source_standards",
        ["window_days", "source", "standard_id", "active", "department_id", "job_family", "received"],
    )


def downgrade():
    for table in (
        "rollup_person_window_source_standards",
        "rollup_person_window_standards",
        "rollup_person_window_sources",
        "rollup_person_windows",
        "rollup_daily_standard_delays",
        "rollup_daily_delays",
        "rollup_daily_standard_counts",
        "rollup_daily_counts",
        "rollup_weekly_standard_delays",
        "rollup_weekly_delays",
        "rollup_weekly_standard_counts",
        "rollup_weekly_counts",
        "dashboard_rollup_state",
    ):
        op.drop_table(table)
    # The previous release's tables, empty: its first dashboard view builds them.
    op.create_table(
        "weekly_recognition_counts",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.Column("unacknowledged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("week", "department_id", "source", "standard_id", name="pk_weekly_recognition_counts"),
    )
    op.create_index(
        "ix_weekly_recognition_counts_department_id_week", "weekly_recognition_counts", ["department_id", "week"]
    )
    op.create_table(
        "weekly_acknowledgement_delays",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("week", "department_id", "source", "days", name="pk_weekly_acknowledgement_delays"),
    )
    op.create_index(
        "ix_weekly_acknowledgement_delays_department_id_week",
        "weekly_acknowledgement_delays",
        ["department_id", "week"],
    )
    op.create_table(
        "dashboard_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dashboard_windows"),
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
            "window_days", "department_id", "source", "standard_id", name="pk_window_recognition_counts"
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
        sa.PrimaryKeyConstraint("window_days", "week", "department_id", "source", name="pk_window_weekly_counts"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "window_acknowledgement_delays",
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("window_days", "department_id", "days", name="pk_window_acknowledgement_delays"),
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
            ["person_id"], ["people.id"], ondelete="CASCADE", name="fk_person_window_totals_person_id_people"
        ),
        sa.PrimaryKeyConstraint("window_days", "person_id", name="pk_person_window_totals"),
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

"""Departments say whether patients and visitors come there: the public form offers only those places

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 19:30:00

Existing departments: those with no units below them (wards, clinics, units) become places;
the hospital and the services that group units do not. Administrators correct the rest.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE on both databases: rebuilding the table, as batch mode does on SQLite for a
    # column with a default, cannot drop it while departments point at their parents.
    op.add_column("departments", sa.Column("patient_facing", sa.Boolean(), server_default=sa.true(), nullable=False))
    departments = sa.table(
        "departments",
        sa.column("id", sa.Integer),
        sa.column("parent_id", sa.Integer),
        sa.column("patient_facing", sa.Boolean),
    )
    units = departments.alias("units")
    has_units = sa.exists().where(units.c.parent_id == departments.c.id)
    op.execute(
        sa.update(departments).where(sa.or_(departments.c.parent_id.is_(None), has_units)).values(patient_facing=False)
    )


def downgrade():
    # Likewise a plain DROP COLUMN (SQLite 3.35 or later).
    op.drop_column("departments", "patient_facing")

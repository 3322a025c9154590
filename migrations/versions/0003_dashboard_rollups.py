"""Dashboard roll-ups: weekly recognition counts and each person's all-time totals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:35:00

Kept current in the same transaction as every write (tracker/dashboard/rollup/). They start
empty: the dashboard builds every roll-up from the raw tables on its first view (or run
``flask dashboard rebuild``), so this migration needs no application code.

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'weekly_recognition_counts',
        sa.Column('week', sa.Date(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('standard_id', sa.Integer(), nullable=False),
        sa.Column('recognitions', sa.Integer(), nullable=False),
        sa.Column('unacknowledged', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('week', 'department_id', 'source', 'standard_id',
                                name=op.f('pk_weekly_recognition_counts')),
    )
    op.create_table(
        'weekly_acknowledgement_delays',
        sa.Column('week', sa.Date(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('recognitions', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('week', 'department_id', 'source', 'days',
                                name=op.f('pk_weekly_acknowledgement_delays')),
    )
    op.create_table(
        'person_recognition_totals',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('last_received_at', sa.DateTime(), nullable=True),
        sa.Column('given', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE',
                                name=op.f('fk_person_recognition_totals_person_id_people')),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_person_recognition_totals')),
    )


def downgrade():
    op.drop_table('person_recognition_totals')
    op.drop_table('weekly_acknowledgement_delays')
    op.drop_table('weekly_recognition_counts')

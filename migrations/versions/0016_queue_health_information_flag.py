"""Moderation queue: whether each feedback holds health information

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 19:00:00

Feedback still waiting for a moderator is checked now by the application's health-information guard,
so the queue can mark and filter it; decided feedback is left NULL ("not checked"), as nobody works it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BATCH = 500

feedback = sa.table(
    "feedback",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("message", sa.Text),
    sa.column("approved_message", sa.Text),
    sa.column("health_information_found", sa.Boolean),
)


def upgrade():
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health_information_found", sa.Boolean(), nullable=True))

    from tracker.phi import find_health_information

    bind = op.get_bind()
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(feedback.c.id, sa.func.coalesce(feedback.c.approved_message, feedback.c.message))
            .where(feedback.c.status == "pending", feedback.c.id > last_id)
            .order_by(feedback.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        for row_id, text in rows:
            found = bool(find_health_information(text or ""))
            bind.execute(sa.update(feedback).where(feedback.c.id == row_id).values(health_information_found=found))
        last_id = rows[-1][0]


def downgrade():
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("health_information_found")

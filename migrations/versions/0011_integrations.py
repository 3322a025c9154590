"""Channels, webhook endpoints and their deliveries

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02 09:00:20.240032

Teams and Slack channels per department, signed webhook endpoints for other systems, and the
deliveries queued for both (the integrations' outbox). Addresses and secrets are stored encrypted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('integration_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('teams', 'slack', name='channelkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('post_recognitions', sa.Boolean(), nullable=False),
    sa.Column('post_awards', sa.Boolean(), nullable=False),
    sa.Column('post_weekly_summary', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('url_encrypted', sa.Text(), nullable=False),
    sa.Column('url_hint', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', name='targetstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status_message', sa.Text(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('hold_until', sa.DateTime(), nullable=True),
    sa.Column('last_delivered_at', sa.DateTime(), nullable=True),
    sa.Column('last_failed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_integration_channels_created_by_id_people')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_integration_channels_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_channels'))
    )
    with op.batch_alter_table('integration_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integration_channels_department_id'), ['department_id'], unique=False)

    op.create_table('webhook_endpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('secret_encrypted', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('url_encrypted', sa.Text(), nullable=False),
    sa.Column('url_hint', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', name='targetstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status_message', sa.Text(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('hold_until', sa.DateTime(), nullable=True),
    sa.Column('last_delivered_at', sa.DateTime(), nullable=True),
    sa.Column('last_failed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_webhook_endpoints_created_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints'))
    )
    op.create_table('integration_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.Enum('recognition', 'award_honourees', 'weekly_summary', 'webhook_event', 'test', name='postkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('event_key', sa.String(length=160), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('message_id', sa.String(length=80), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=True),
    sa.Column('endpoint_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sending', 'delivered', 'failed', 'interrupted', name='deliverystatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('replays', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.CheckConstraint('(channel_id IS NULL) <> (endpoint_id IS NULL)', name=op.f('ck_integration_deliveries_one_target')),
    sa.ForeignKeyConstraint(['channel_id'], ['integration_channels.id'], name=op.f('fk_integration_deliveries_channel_id_integration_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'], name=op.f('fk_integration_deliveries_endpoint_id_webhook_endpoints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_deliveries')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_integration_deliveries_idempotency_key')),
    sa.UniqueConstraint('message_id', name=op.f('uq_integration_deliveries_message_id'))
    )
    with op.batch_alter_table('integration_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integration_deliveries_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integration_deliveries_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_integration_deliveries_endpoint_id'), ['endpoint_id'], unique=False)
        batch_op.create_index('ix_integration_deliveries_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('integration_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_integration_deliveries_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_integration_deliveries_endpoint_id'))
        batch_op.drop_index(batch_op.f('ix_integration_deliveries_created_at'))
        batch_op.drop_index(batch_op.f('ix_integration_deliveries_channel_id'))

    op.drop_table('integration_deliveries')
    op.drop_table('webhook_endpoints')
    with op.batch_alter_table('integration_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integration_channels_department_id'))

    op.drop_table('integration_channels')

"""Sign-in protection: wrong passwords in a row, a lock, and an epoch that ends sessions

``users.failed_logins`` counts wrong passwords in a row; at the limit ``users.locked_until`` is
set (docs/SECURITY.md). ``users.session_epoch`` is part of every session's id: signing out,
a new password or disabling the account raises it, and every session of that user ends.

Revision ID: 0009_sign_in_protection
Revises: 0008_agencies_mappings
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_sign_in_protection'
down_revision = '0008_agencies_mappings'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_epoch')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')

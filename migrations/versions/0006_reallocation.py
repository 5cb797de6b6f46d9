"""Reallocation handovers: each item keeps what its asset was when put on the draft

A handover may now come from a unit that holds the assets (a new commune, Sở Tài chính) as well
as from a dissolved unit; its assets may be received ones. ``prior_status`` and
``prior_receiver_id`` are what a removal from the draft or a void puts back. Items from before
this revision have NULL: they go back to 'registered', as they always did.

Revision ID: 0006_reallocation
Revises: 0004_drop_prefix_indexes
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_reallocation'
down_revision = '0004_drop_prefix_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('handover_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prior_status', sa.Enum('registered', 'in_handover', 'issued', 'signed', 'received', 'missing', 'damaged', 'written_off', name='assetstatus', native_enum=False, create_constraint=True, length=24), nullable=True))
        batch_op.add_column(sa.Column('prior_receiver_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_handover_items_prior_receiver_id_units'), 'units', ['prior_receiver_id'], ['id'])


def downgrade():
    with op.batch_alter_table('handover_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_handover_items_prior_receiver_id_units'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_handover_items_assetstatus'), type_='check')
        batch_op.drop_column('prior_receiver_id')
        batch_op.drop_column('prior_status')

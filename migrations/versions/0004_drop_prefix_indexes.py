"""Drop two asset indexes that are prefixes of the covering indexes of 0003

ix_assets_holder (holder_id) is the leading column of ix_assets_held, and ix_assets_status
(province_id, status) the leading columns of ix_assets_stock: every query they served is served
by the longer index, while every asset insert and import paid for maintaining both.

Revision ID: 0004_drop_prefix_indexes
Revises: 0003_flags_indexes
"""
from alembic import op

revision = "0004_drop_prefix_indexes"
down_revision = "0003_flags_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_assets_holder", table_name="assets")
    op.drop_index("ix_assets_status", table_name="assets")


def downgrade():
    op.create_index("ix_assets_status", "assets", ["province_id", "status"])
    op.create_index("ix_assets_holder", "assets", ["holder_id"])

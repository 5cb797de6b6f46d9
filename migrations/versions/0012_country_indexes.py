"""Register indexes for the whole country: its default order, deep pages and totals

The register lists assets by code (then id) within the person's scope and sums their book values.
Without an index in that order each page sorted every asset of the province (or of the country,
for an admin), and a deep page's OFFSET read every row it skipped. Both indexes carry the two
money columns, so the totals and the ids of a page are read from the index alone
(docs/BENCHMARKS.md, "The whole country (issue 14)").

Revision ID: 0012_country_indexes
Revises: 0011_search_index
"""
from alembic import op

revision = "0012_country_indexes"
down_revision = "0011_search_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index("ix_assets_province_code",
                              ["province_id", "code", "id", "original_cost", "remaining_value"], unique=False)
        batch_op.create_index("ix_assets_code", ["code", "id", "original_cost", "remaining_value"], unique=False)


def downgrade():
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index("ix_assets_code")
        batch_op.drop_index("ix_assets_province_code")

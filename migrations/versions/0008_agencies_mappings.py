"""Agencies that hold assets, the year an asset was put into use, remembered import mappings

``agencies``: the bodies of a unit that lists name as holders ("Thành ủy Sông Công", "Phòng Tài
chính - Kế hoạch"); ``assets.agency_id`` points at one. ``assets.year_in_use`` is "Năm đưa vào
sử dụng" of equipment and vehicles. ``import_mappings`` keeps what officers told the importer
per source of lists (docs/IMPORTING.md).

The two asset columns are added in place (``ALTER TABLE … ADD COLUMN`` with the constraint on the
column) rather than by copying a table of millions of rows: SQLite allows a named REFERENCES
and CHECK on an added nullable column, PostgreSQL adds them as constraints.

Revision ID: 0008_agencies_mappings
Revises: 0007_asset_enum_checks
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_agencies_mappings'
down_revision = '0007_asset_enum_checks'
branch_labels = None
depends_on = None

YEAR_CHECK = "year_in_use IS NULL OR year_in_use BETWEEN 1900 AND 2100"


def upgrade():
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agencies_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_agencies_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('unit_id', 'key', name='uq_agencies_unit_key')
    )
    op.create_table('import_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('source_key', sa.String(length=300), nullable=False),
    sa.Column('source_label', sa.String(length=300), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_import_mappings_province_id_provinces')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_import_mappings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('province_id', 'source_key', name='uq_import_mappings_source')
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE assets ADD COLUMN agency_id INTEGER "
                   "CONSTRAINT fk_assets_agency_id_agencies REFERENCES agencies (id)")
        op.execute(f"ALTER TABLE assets ADD COLUMN year_in_use INTEGER "
                   f"CONSTRAINT ck_assets_year_in_use_range CHECK ({YEAR_CHECK})")
        return
    op.add_column('assets', sa.Column('agency_id', sa.Integer(), nullable=True))
    op.add_column('assets', sa.Column('year_in_use', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_assets_agency_id_agencies'), 'assets', 'agencies', ['agency_id'], ['id'])
    op.create_check_constraint(op.f('ck_assets_year_in_use_range'), 'assets', YEAR_CHECK)


def downgrade():
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_assets_year_in_use_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_assets_agency_id_agencies'), type_='foreignkey')
        batch_op.drop_column('year_in_use')
        batch_op.drop_column('agency_id')
    op.drop_table('import_mappings')
    op.drop_table('agencies')

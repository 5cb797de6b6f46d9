"""Enum CHECKs of assets as OR-ed equalities; drop ix_assets_unit_kind

The same six rules (kind, status, condition, ownership, arrangement, retention hold a known
value), written ``x = 'a' OR x = 'b' …`` instead of ``x IN ('a', 'b', …)``: SQLite tests an IN
list by probing a temporary index for every row written, which cost 0.3 s of CPU per 100,000
imported assets; the equalities cost nothing measurable (docs/DECISIONS.md, docs/BENCHMARKS.md).
ix_assets_unit_kind (unit_id, kind) is the prefix of the unique index on (unit_id, kind, code),
which serves the same lookups; every asset written paid for both.

On SQLite a CHECK lives only in the table's CREATE statement, not in the stored rows, so the
statement is edited in place as SQLite documents for changing constraints ("ALTER TABLE",
section 7: writable_schema, schema_version + 1, integrity check): no copy of a table that may
hold millions of rows, and no dance with the foreign keys that point at it.

Revision ID: 0007_asset_enum_checks
Revises: 0006_reallocation
"""
from alembic import op

revision = "0007_asset_enum_checks"
down_revision = "0006_reallocation"
branch_labels = None
depends_on = None

# (constraint name, column, values) as 0001 created them.
ENUMS = (
    ("ck_assets_assetkind", "kind", ("headquarters", "vehicle", "equipment", "archive_box")),
    ("ck_assets_assetstatus", "status", ("registered", "in_handover", "issued", "signed", "received", "missing",
                                         "damaged", "written_off")),
    ("ck_assets_condition", "condition", ("good", "in_use", "needs_repair", "damaged", "unusable")),
    ("ck_assets_ownership", "ownership", ("own", "surplus", "missing", "custody")),
    ("ck_assets_arrangement", "arrangement", ("sorted", "preliminary", "unsorted")),
    ("ck_assets_retention", "retention", ("permanent", "limited")),
)


def _in_list(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _equalities(column, values):
    return " OR ".join(f"{column} = '{v}'" for v in values)


def _rewrite_sqlite_table(replacements):
    """Replace each old CHECK text by the new one in the CREATE TABLE statement of assets."""
    conn = op.get_bind()
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'assets'").scalar()
    for old, new in replacements:
        if sql.count(old) != 1:
            raise RuntimeError(f"assets: expected the constraint «{old}» once in its CREATE TABLE statement")
        sql = sql.replace(old, new)
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'assets'", (sql,))
        conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")  # other connections re-read the schema
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    result = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
    if result != ["ok"]:
        raise RuntimeError(f"assets: the database check after changing the CHECK constraints failed: {result[:5]}")


def _swap(old_form, new_form):
    if op.get_bind().dialect.name == "sqlite":
        _rewrite_sqlite_table([(f"CONSTRAINT {name} CHECK ({old_form(column, values)})",
                                f"CONSTRAINT {name} CHECK ({new_form(column, values)})")
                               for name, column, values in ENUMS])
        return
    for name, column, values in ENUMS:
        op.drop_constraint(op.f(name), "assets", type_="check")
        op.create_check_constraint(op.f(name), "assets", new_form(column, values))


def upgrade():
    _swap(_in_list, _equalities)
    op.drop_index("ix_assets_unit_kind", table_name="assets")


def downgrade():
    op.create_index("ix_assets_unit_kind", "assets", ["unit_id", "kind"])
    _swap(_equalities, _in_list)

"""Register totals kept by the database: count, original cost and remaining value per province

The register shows, on every page, how many assets the filtered list holds and what they are
worth; its pager needs the count too. For a province of 100,000 assets that sum read 100,000 index
entries on every page (60-90 ms), for the whole country 2,000,000 (1.2-1.8 s). When the list is not
filtered beyond the person's scope, the figures now come from ``asset_totals``, kept by triggers
on ``assets`` in the same transaction as every write, whatever writes it (the ORM, the importer's
multi-row INSERTs and COPY, SQL by hand). docs/DECISIONS.md, "Register totals".

SQLite (one writer at a time): one row per province, updated in place by row triggers.

PostgreSQL (many writers): statement triggers with transition tables add one *delta row* per
province a statement changes, and never update a row, so two imports of one province never wait
for each other on a totals row; statements that change no count or sum (a handover's status
updates) add nothing. The register reads the sum of a province's rows; the queue's periodic task
folds them into one (``tracker.assets.totals.compact``).

Revision ID: 0013_asset_totals
Revises: 0012_country_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_asset_totals"
down_revision = "0012_country_indexes"
branch_labels = None
depends_on = None

FILL = ("INSERT INTO asset_totals (province_id, asset_count, original_cost, remaining_value) "
        "SELECT province_id, count(*), coalesce(sum(original_cost), 0), coalesce(sum(remaining_value), 0) "
        "FROM assets GROUP BY province_id")


def _sqlite_add(row: str, sign: str) -> str:
    """Statements adding one asset row (``new`` or ``old``) to its province's totals, with ``sign``."""
    return (
        f"UPDATE asset_totals SET asset_count = asset_count {sign} 1, "
        f"original_cost = original_cost {sign} {row}.original_cost, "
        f"remaining_value = remaining_value {sign} {row}.remaining_value "
        f"WHERE province_id = {row}.province_id; "
        f"INSERT INTO asset_totals (province_id, asset_count, original_cost, remaining_value) "
        f"SELECT {row}.province_id, {sign}1, {sign}{row}.original_cost, {sign}{row}.remaining_value "
        f"WHERE NOT EXISTS (SELECT 1 FROM asset_totals WHERE province_id = {row}.province_id); "
    )


SQLITE_UP = (
    "CREATE TRIGGER asset_totals_insert AFTER INSERT ON assets BEGIN " + _sqlite_add("new", "+") + "END",
    "CREATE TRIGGER asset_totals_delete AFTER DELETE ON assets BEGIN " + _sqlite_add("old", "-") + "END",
    "CREATE TRIGGER asset_totals_update AFTER UPDATE OF province_id, original_cost, remaining_value ON assets "
    "BEGIN " + _sqlite_add("old", "-") + _sqlite_add("new", "+") + "END",
)
SQLITE_DOWN = ("DROP TRIGGER IF EXISTS asset_totals_update", "DROP TRIGGER IF EXISTS asset_totals_delete",
               "DROP TRIGGER IF EXISTS asset_totals_insert")

# One function for the three statements: each passes its rows as (province, +1/-1, cost, value).
POSTGRESQL_UP = (
    """CREATE FUNCTION asset_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO asset_totals (province_id, asset_count, original_cost, remaining_value)
        SELECT province_id, count(*), sum(original_cost), sum(remaining_value) FROM new_rows GROUP BY province_id;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO asset_totals (province_id, asset_count, original_cost, remaining_value)
        SELECT province_id, -count(*), -sum(original_cost), -sum(remaining_value) FROM old_rows GROUP BY province_id;
    ELSE
        INSERT INTO asset_totals (province_id, asset_count, original_cost, remaining_value)
        SELECT province_id, sum(n), sum(cost), sum(value) FROM (
            SELECT province_id, 1 AS n, original_cost AS cost, remaining_value AS value FROM new_rows
            UNION ALL
            SELECT province_id, -1, -original_cost, -remaining_value FROM old_rows) AS change
        GROUP BY province_id HAVING sum(n) <> 0 OR sum(cost) <> 0 OR sum(value) <> 0;
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER asset_totals_insert AFTER INSERT ON assets REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION asset_totals_add()",
    "CREATE TRIGGER asset_totals_delete AFTER DELETE ON assets REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION asset_totals_add()",
    "CREATE TRIGGER asset_totals_update AFTER UPDATE ON assets REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_totals_add()",
)
POSTGRESQL_DOWN = ("DROP TRIGGER IF EXISTS asset_totals_update ON assets",
                   "DROP TRIGGER IF EXISTS asset_totals_delete ON assets",
                   "DROP TRIGGER IF EXISTS asset_totals_insert ON assets",
                   "DROP FUNCTION IF EXISTS asset_totals_add()")


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table(
        "asset_totals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("asset_count", sa.BigInteger(), nullable=False),
        sa.Column("original_cost", sa.BigInteger(), nullable=False),
        sa.Column("remaining_value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["province_id"], ["provinces.id"], name=op.f("fk_asset_totals_province_id_provinces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_totals")),
    )
    with op.batch_alter_table("asset_totals", schema=None) as batch_op:
        batch_op.create_index("ix_asset_totals_province", ["province_id"], unique=False)
    op.execute(FILL)
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRESQL_UP if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN if dialect == "postgresql" else ():
        op.execute(statement)
    with op.batch_alter_table("asset_totals", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_totals_province")
    op.drop_table("asset_totals")

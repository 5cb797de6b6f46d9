"""Search index: FTS5 over assets.search_text on SQLite, a pg_trgm GIN index on PostgreSQL

search_text is already folded by the app (tracker.text.fold: no diacritics, đ -> d, lower case),
so both indexes see exactly the words the app's fold gives; neither folds on its own (FTS5's
remove_diacritics would leave đ, which fold maps to d). tracker/assets/search.py queries them.

SQLite: an external-content FTS5 table (the text stays in assets only) of search_text and the
province (so a province's search is narrowed inside the index), filled from the existing rows here
and kept in step by triggers on INSERT, UPDATE OF search_text, province_id and DELETE, so every path
that writes assets (ORM, the importer's multi-row INSERTs, SQL by hand) keeps it right. Prefix
indexes of one and two characters keep the short words of a query ("o to") from merging every
term that starts with them.

PostgreSQL: needs the pg_trgm extension. pg_trgm is a trusted extension (PostgreSQL 13+), so the
app's role may create it if it has CREATE on the database; otherwise a superuser runs CREATE
EXTENSION pg_trgm once before the upgrade (docs/DECISIONS.md, "Search index").
The downgrade drops the index and leaves the extension, which other things may use.

Revision ID: 0011_search_index
Revises: 0010_background_jobs
"""
from alembic import op

revision = "0011_search_index"
down_revision = "0010_background_jobs"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE assets_fts USING fts5(search_text, province_id, content='assets', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    "CREATE TRIGGER assets_fts_insert AFTER INSERT ON assets BEGIN "
    "INSERT INTO assets_fts(rowid, search_text, province_id) VALUES (new.id, new.search_text, new.province_id); END",
    # External content: FTS5 removes a row's terms given the text it was indexed with, the old one.
    "CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets BEGIN "
    "INSERT INTO assets_fts(assets_fts, rowid, search_text, province_id) "
    "VALUES ('delete', old.id, old.search_text, old.province_id); END",
    "CREATE TRIGGER assets_fts_update AFTER UPDATE OF search_text, province_id ON assets BEGIN "
    "INSERT INTO assets_fts(assets_fts, rowid, search_text, province_id) "
    "VALUES ('delete', old.id, old.search_text, old.province_id); "
    "INSERT INTO assets_fts(rowid, search_text, province_id) VALUES (new.id, new.search_text, new.province_id); END",
    "INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS assets_fts_update",
    "DROP TRIGGER IF EXISTS assets_fts_delete",
    "DROP TRIGGER IF EXISTS assets_fts_insert",
    "DROP TABLE IF EXISTS assets_fts",
)
POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_assets_search_trgm ON assets USING gin (search_text gin_trgm_ops)",
)
POSTGRESQL_DOWN = ("DROP INDEX IF EXISTS ix_assets_search_trgm",)


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRESQL_UP if dialect == "postgresql" else ())


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN if dialect == "postgresql" else ())

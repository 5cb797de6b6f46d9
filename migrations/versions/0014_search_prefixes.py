"""Search index on SQLite: prefix indexes for the first 1 to 5 letters of a word, not 1 and 2

A typed word is a prefix query ("may"*). Without a prefix index of its length FTS5 merges the
doclists of every term that starts with it, for the whole country, before it can narrow to the
province: "may tinh" for Thanh Hóa (25,236 matches among 2,000,000 assets) cost 63 ms of FTS5 alone,
twice a page (the list and its totals). With the word starts of up to 5 letters indexed, the
common short words of an inventory ("may", "tinh", "ban", "dell", "phong") are one seekable term
each: 11 ms. The index grows from 266 to 403 MB for 2,000,000 assets (docs/BENCHMARKS.md, "The
whole country"). PostgreSQL's trigram index is unchanged.

Revision ID: 0014_search_prefixes
Revises: 0013_asset_totals
"""
from alembic import op

revision = "0014_search_prefixes"
down_revision = "0013_asset_totals"
branch_labels = None
depends_on = None


def _create(prefix: str) -> tuple[str, ...]:
    return (
        "DROP TRIGGER IF EXISTS assets_fts_update",
        "DROP TRIGGER IF EXISTS assets_fts_delete",
        "DROP TRIGGER IF EXISTS assets_fts_insert",
        "DROP TABLE IF EXISTS assets_fts",
        "CREATE VIRTUAL TABLE assets_fts USING fts5(search_text, province_id, content='assets', content_rowid='id', "
        f"tokenize='unicode61 remove_diacritics 0', prefix='{prefix}')",
        "CREATE TRIGGER assets_fts_insert AFTER INSERT ON assets BEGIN "
        "INSERT INTO assets_fts(rowid, search_text, province_id) VALUES (new.id, new.search_text, new.province_id); END",
        "CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets BEGIN "
        "INSERT INTO assets_fts(assets_fts, rowid, search_text, province_id) "
        "VALUES ('delete', old.id, old.search_text, old.province_id); END",
        "CREATE TRIGGER assets_fts_update AFTER UPDATE OF search_text, province_id ON assets BEGIN "
        "INSERT INTO assets_fts(assets_fts, rowid, search_text, province_id) "
        "VALUES ('delete', old.id, old.search_text, old.province_id); "
        "INSERT INTO assets_fts(rowid, search_text, province_id) VALUES (new.id, new.search_text, new.province_id); END",
        "INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')",
    )


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in _create("1 2 3 4 5"):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in _create("1 2"):
            op.execute(statement)

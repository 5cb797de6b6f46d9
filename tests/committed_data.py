"""Real commits for the tests that race two transactions: the usual fixture rolls each test back on
one connection, which cannot show two transactions racing. Rows created are deleted afterwards
(history tables too: their triggers are switched off, or dropped and recreated on SQLite, for
that cleanup only; the search index's triggers stay, so the index forgets the rows too; the
register's totals are counted again)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.assets import totals
from tracker.assets.search import is_search_index


def _tables_with_ids(db) -> list[sa.Table]:
    # The register's totals are counted again afterwards, not cut at a mark (SQLite updates its rows).
    return [t for t in db.metadata.sorted_tables if "id" in t.c and t.name != "asset_totals"]


@pytest.fixture
def committed_on_any_database(app, database_url):
    """db.session with real commits on the app's engine; every row created is removed at the end."""
    from tracker.extensions import db

    engine = db.engine
    tables = _tables_with_ids(db)
    with engine.connect() as conn:
        marks = {t.name: conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.id), 0))).scalar() for t in tables}
    rollback_session = db.session
    db.session = sa.orm.scoped_session(sa.orm.sessionmaker(bind=engine),
                                       scopefunc=rollback_session.registry.scopefunc)
    try:
        yield db
    finally:
        db.session.remove()
        db.session = rollback_session
        _delete_after(engine, tables, marks)


def _delete_after(engine: sa.Engine, tables: list[sa.Table], marks: dict[str, int]) -> None:
    with engine.begin() as conn:
        triggers = []
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))  # history triggers off
        else:  # SQLite cannot switch a trigger off: drop the history triggers, put them back after
            # (not the search index's: they must see the rows go, or the FTS5 index keeps entries for
            # rows that no longer exist and later searches and its integrity check fail)
            triggers = [(name, sql) for name, sql in conn.execute(sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")) if not is_search_index(name)]
            for name, _sql in triggers:
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for table in reversed(tables):
            conn.execute(sa.delete(table).where(table.c.id > marks[table.name]))
        for _name, sql in triggers:
            conn.execute(sa.text(sql))
        totals.rebuild(conn)  # their triggers were off for the cleanup

"""The schema comes from the migrations, agrees with the models, and keeps history append-only."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracker.assets.search import is_search_index


def test_migrations_build_exactly_the_models(db):
    """Upgrading an empty database gives the tables, columns, indexes and constraints the models declare."""
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": lambda name, *_: not is_search_index(name)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
    assert diff == []


def test_migrations_build_the_check_constraints_the_models_declare(db):
    """compare_metadata leaves CHECK constraints out: their names must agree too (and their text on SQLite)."""
    inspector = sa.inspect(db.engine)
    for table in db.metadata.sorted_tables:
        declared = {c.name: c for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        built = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
        assert set(built) == set(declared), table.name
        if db.engine.dialect.name == "sqlite":
            compiler = db.engine.dialect.ddl_compiler(db.engine.dialect, None).sql_compiler
            for name, constraint in declared.items():
                expected = compiler.process(constraint.sqltext, include_table=False, literal_binds=True)
                assert " ".join(built[name].split()) == " ".join(expected.split()), name


def test_the_database_refuses_an_asset_kind_or_condition_it_does_not_know(db, make_asset):
    asset = make_asset()
    db.session.commit()
    for column, value in (("condition", "brand_new"), ("kind", "boat"), ("status", "lost"), ("ownership", "")):
        with pytest.raises(sa.exc.IntegrityError):
            with db.session.begin_nested():
                db.session.execute(sa.text(f"UPDATE assets SET {column} = :v WHERE id = :id"),
                                   {"v": value, "id": asset.id})


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET action = 'forged'",
    "DELETE FROM audit_log",
    "UPDATE asset_events SET action = 'forged'",
    "DELETE FROM asset_events",
])
def test_history_tables_refuse_update_and_delete(db, statement, make_user, make_asset):
    from tracker import audit

    user = make_user()
    audit.log("login", user)
    make_asset(actor=user)  # writes its 'created' event
    db.session.commit()
    table = statement.split()[2 if statement.startswith("DELETE") else 1]
    before = db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    assert before >= 1
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(sa.text(statement))
    assert db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")) == before

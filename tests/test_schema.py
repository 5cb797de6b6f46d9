"""The schema comes from the migrations, agrees with the models, and keeps history append-only."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_migrations_build_exactly_the_models(db):
    """Upgrading an empty database gives the tables, columns, indexes and constraints the models declare."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


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

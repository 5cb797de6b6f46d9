"""Unbound extensions; ``create_app`` binds them."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations name the same thing on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
# No default limits: only the routes that name a limit (sign-in) are counted.
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def configure_sqlite(engine: sa.Engine) -> None:
    """Foreign keys on, WAL, and real transactions (pysqlite's own BEGIN handling breaks SAVEPOINT)."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A request that changes data takes the write lock when its transaction begins. In WAL mode a
        # transaction that read first and writes later is refused at once ("database is locked", not
        # waited for) when another writer committed in between; taken at BEGIN, busy_timeout waits.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _changes_data() else "BEGIN")


def _changes_data() -> bool:
    """A request that changes data, or a background job (``g.changes_data``: every job writes)."""
    from flask import g, has_app_context, has_request_context, request

    if has_app_context() and g.get("changes_data"):
        return True
    return has_request_context() and request.method in ("POST", "PUT", "PATCH", "DELETE")

"""PostgreSQL: ``pg_dump`` in custom format, ``pg_restore`` into an empty database.

The dump runs on a snapshot exported from a REPEATABLE READ transaction, and the row counts for
the manifest are read in that same transaction, so they describe exactly what the dump holds.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa

from tracker.backup.manifest import BackupError

SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema')"
USER_SCHEMA = f"n.nspname NOT IN {SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"


def binary(name: str) -> str:
    """``pg_dump``/``pg_restore``: the newest Debian server binaries first, else the one on PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for folder in versions:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"Không tìm thấy chương trình {name} (cài gói postgresql-client).")


def connection(url: str) -> tuple[str, dict[str, str]]:
    """libpq connection string and environment for the client programs; the password goes in the
    environment (``PGPASSWORD``) so it never shows in the process list."""
    from psycopg.conninfo import make_conninfo

    parsed = sa.engine.make_url(url)
    params = {key: value for key, value in {"host": parsed.host, "port": parsed.port, "user": parsed.username,
                                             "dbname": parsed.database}.items() if value}
    params.update({key: value for key, value in parsed.query.items() if isinstance(value, str)})
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return make_conninfo(**params), env


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _run(args: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} thất bại: {' '.join(detail[-3:]) or f'mã thoát {result.returncode}'}")
    return result


def _counts(conn: sa.Connection) -> dict[str, int]:
    tables = conn.execute(sa.text(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMA} ORDER BY 1, 2")).all()
    quote = conn.dialect.identifier_preparer.quote
    counts = {}
    for schema, table in tables:
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = conn.execute(sa.text(f"SELECT count(*) FROM {quote(schema)}.{quote(table)}")).scalar()
    return counts


def _revision(conn: sa.Connection) -> str | None:
    if conn.execute(sa.text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def dump(url: str, dest: Path) -> tuple[str | None, dict[str, int]]:
    """``pg_dump --format=custom`` of the database into ``dest``; (Alembic revision, rows per table)."""
    conninfo, env = connection(url)
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
                revision, counts = _revision(conn), _counts(conn)
                # The transaction stays open until pg_dump ends: the snapshot lives only that long.
                _run([binary("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={dest}",
                      f"--dbname={conninfo}"], env, "pg_dump")
    except sa.exc.OperationalError as exc:
        raise BackupError(f"Không kết nối được PostgreSQL: {exc.orig}") from exc
    finally:
        engine.dispose()
    return revision, counts


def check(backup: Path) -> None:
    """Refuse a file pg_restore cannot read to the end, or that holds no ``alembic_version``.

    Reading the whole archive into /dev/null checks every compressed block without touching any
    database.
    """
    env = dict(os.environ)
    try:
        listing = _run([binary("pg_restore"), "--list", str(backup)], env, "pg_restore --list").stdout
        _run([binary("pg_restore"), "--file=/dev/null", str(backup)], env, "pg_restore")
    except BackupError as exc:
        raise BackupError(f"Tệp «{backup.name}» không phải bản sao lưu PostgreSQL hợp lệ hoặc đã hỏng "
                          f"({exc.message}).") from exc
    if "alembic_version" not in listing:
        raise BackupError(f"Tệp «{backup.name}» không phải cơ sở dữ liệu của ứng dụng (không có bảng alembic_version).")


def is_empty(url: str) -> bool:
    """True when the database holds no table, view, sequence, function or type of its own."""
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            objects = conn.execute(sa.text(
                "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                f"        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {USER_SCHEMA})"
                " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                f"        WHERE {USER_SCHEMA})"
                " + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                f"        WHERE t.typtype IN ('e', 'd', 'r', 'm') AND {USER_SCHEMA})")).scalar()
    except sa.exc.OperationalError as exc:
        raise BackupError(f"Không kết nối được cơ sở dữ liệu đích: {exc.orig}") from exc
    finally:
        engine.dispose()
    return objects == 0


def restore(backup: Path, url: str) -> dict[str, int]:
    """``pg_restore`` the checked ``backup`` into the empty database at ``url`` in one transaction
    (an error rolls all of it back); rows per table afterwards."""
    conninfo, env = connection(url)
    try:
        _run([binary("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
              f"--dbname={conninfo}", str(backup)], env, "pg_restore")
    except BackupError as exc:
        # Damage in the archive's uncompressed text (its table of contents) reads fine and only
        # fails here, as SQL the server refuses; the single transaction has undone everything.
        raise BackupError(f"Không khôi phục được «{backup.name}»: tệp hỏng hoặc không hợp lệ; cơ sở dữ liệu đích "
                          f"không bị thay đổi ({exc.message}).") from exc
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return _counts(conn)
    finally:
        engine.dispose()

"""SQLite: copies through the online backup API, which reads one consistent snapshot even while
the app writes (the database runs in WAL mode, so the copy does not hold writers up)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from tracker.backup.manifest import BackupError

BUSY_TIMEOUT_MS = 10_000


def database_path(url: str) -> Path:
    """The file behind a ``sqlite:///…`` URL; an in-memory database has nothing to back up."""
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu hoặc khôi phục được.")
    return Path(database)


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _integrity(conn: sqlite3.Connection, *, writable: bool = False) -> str:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        return "; ".join(rows[:5])
    # PRAGMA integrity_check does not read inside FTS5's blobs (the search index, migration 0011);
    # FTS5's own check does, against the assets it indexes. It is an INSERT, so a writable copy only.
    fts_tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")]
    for table in fts_tables if writable else ():
        try:
            conn.execute(f'INSERT INTO "{table}"("{table}", rank) VALUES (\'integrity-check\', 1)')
        except sqlite3.DatabaseError as exc:
            return f"{table}: {exc}"
    return "ok"


def copy(source: Path, dest: Path) -> None:
    """Copy ``source`` into the new file ``dest`` in one backup step (one read snapshot).

    The copy inherits WAL mode from the source; it is switched back to a rollback journal so the
    backup is one self-contained file, then checked.
    """
    if not source.is_file():
        raise BackupError(f"Không tìm thấy cơ sở dữ liệu SQLite «{source}».")
    problem, _rows = _copy_checked(_connect(source), sqlite3.connect(dest), self_contained=True)
    if problem != "ok":
        raise BackupError(f"Bản sao vừa chép không qua được kiểm tra toàn vẹn: {problem}")


def _copy_checked(src: sqlite3.Connection, dst: sqlite3.Connection, *,
                  self_contained: bool = False) -> tuple[str, dict[str, int]]:
    """Copy ``src`` into ``dst`` in one backup step (pages=-1: one read transaction, one write
    transaction), then (integrity check result, rows per table) of ``dst``; closes both."""
    try:
        src.backup(dst)
        if self_contained:
            dst.execute("PRAGMA journal_mode=DELETE")
        return _integrity(dst, writable=True), _counts(dst)
    finally:
        dst.close()
        src.close()


def describe(path: Path) -> tuple[str | None, dict[str, int]]:
    """(Alembic revision, rows per table) of the database in ``path``."""
    conn = _connect(path, read_only=True)
    try:
        return _revision(conn), _counts(conn)
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in _tables(conn)}


def _revision(conn: sqlite3.Connection) -> str | None:
    if "alembic_version" not in _tables(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def check(backup: Path) -> None:
    """Refuse a file that is not a whole SQLite database of this app (read-only; nothing is changed)."""
    try:
        conn = _connect(backup, read_only=True)
        try:
            problem = _integrity(conn)
            tables = _tables(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Tệp «{backup.name}» không phải bản sao lưu SQLite hợp lệ ({exc}).") from exc
    if problem != "ok":
        raise BackupError(f"Tệp «{backup.name}» hỏng (kiểm tra toàn vẹn: {problem}).")
    if "alembic_version" not in tables:
        raise BackupError(f"Tệp «{backup.name}» không phải cơ sở dữ liệu của ứng dụng (không có bảng alembic_version).")


def is_empty(target: Path) -> bool:
    """True when ``target`` does not exist or holds no table, index, view or trigger."""
    if not target.exists() or target.stat().st_size == 0:
        return True
    try:
        conn = _connect(target, read_only=True)
        try:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Tệp đích «{target}» không phải cơ sở dữ liệu SQLite ({exc}); không ghi đè.") from exc


def restore(backup: Path, target: Path) -> dict[str, int]:
    """Copy the checked ``backup`` into the empty ``target`` through the backup API; rows per table.

    The backup API writes the target in one transaction, so a failure leaves it as it was; a copy
    that fails the check afterwards (a damaged search index) is emptied again.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    problem, counts = _copy_checked(_connect(backup, read_only=True), _connect(target))
    if problem != "ok":
        target.write_bytes(b"")  # it was empty (``is_empty``) before the copy
        raise BackupError(f"Cơ sở dữ liệu sau khi khôi phục không qua được kiểm tra toàn vẹn: {problem}")
    return counts

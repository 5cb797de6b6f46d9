"""Backups: a consistent copy of the database while the app runs, and its restore into an empty one.

``create_backup`` and ``restore_backup`` take a SQLAlchemy URL and paths; no Flask here (the
commands are in ``commands.py``). Each backup is one file plus ``<file>.json``, its manifest
(``manifest.py``). SQLite goes through the online backup API (``sqlite.py``), PostgreSQL through
``pg_dump``/``pg_restore`` (``postgres.py``).
"""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from tracker.backup import postgres, sqlite
from tracker.backup.manifest import (BackupError, Manifest, file_sha256, fsync_file, fsync_folder, partial_path,
                                     read_manifest, utc_now, verify_checksum, write_manifest)

__all__ = ["BackupError", "Manifest", "create_backup", "engine_of", "restore_backup"]

SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def engine_of(url: str) -> str:
    """``sqlite`` or ``postgresql``; any other database is refused."""
    backend = sa.engine.make_url(url).get_backend_name()
    if backend not in SUFFIXES:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại «{backend}» (chỉ SQLite và PostgreSQL).")
    return backend


def backup_name(engine: str, when) -> str:
    """``tracker-20260701T013000Z.sqlite3``: UTC, so names sort by time whatever the server's zone."""
    return f"tracker-{when:%Y%m%dT%H%M%SZ}{SUFFIXES[engine]}"


def create_backup(url: str, output: Path) -> tuple[Path, Manifest]:
    """Back up the database at ``url`` into ``output`` (a folder, or the file name to write).

    The copy is written under ``<name>.partial``, checked, hashed, described in ``<name>.json``,
    and only then renamed to ``<name>``; whatever happens before the rename leaves no backup.
    """
    engine = engine_of(url)
    when = utc_now()
    output = Path(output)
    path = output / backup_name(engine, when) if output.is_dir() or not output.suffix else output
    if path.exists() or path.with_name(path.name + ".json").exists():
        raise BackupError(f"Tệp «{path}» đã có; chọn tên khác (--output), không ghi đè bản sao lưu cũ.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    try:
        if engine == "sqlite":
            sqlite.copy(sqlite.database_path(url), partial)
            revision, counts = sqlite.describe(partial)
        else:
            revision, counts = postgres.dump(url, partial)
        fsync_file(partial)
        manifest = Manifest(file=path.name, sha256=file_sha256(partial), size=partial.stat().st_size,
                            engine=engine, alembic_revision=revision, created_at=when.isoformat(), tables=counts)
        write_manifest(path, manifest)
        os.replace(partial, path)
        fsync_folder(path.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path, manifest


def restore_backup(url: str, backup: Path) -> Manifest:
    """Restore ``backup`` (or the backup a ``.json`` manifest names) into the EMPTY database at ``url``.

    Refused, with the target untouched, when the target holds anything, when the file has no
    manifest or differs from it, or when the file is not a whole backup of this app.
    """
    engine = engine_of(url)
    backup = Path(backup)
    if backup.suffix == ".json":
        backup = backup.with_name(backup.stem)
    if not backup.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu «{backup}».")
    manifest = read_manifest(backup)
    if manifest.engine != engine:
        raise BackupError(f"«{backup.name}» là bản sao lưu {ENGINE_NAMES.get(manifest.engine, manifest.engine)}, "
                          f"không khôi phục được vào {ENGINE_NAMES[engine]}.")
    verify_checksum(backup, manifest)
    target = sqlite.database_path(url) if engine == "sqlite" else url
    empty = sqlite.is_empty(target) if engine == "sqlite" else postgres.is_empty(target)
    if not empty:
        raise BackupError("Cơ sở dữ liệu đích đã có bảng hoặc dữ liệu: chỉ khôi phục vào cơ sở dữ liệu trống. "
                          "Hãy tạo một cơ sở dữ liệu mới (hoặc xoá tệp SQLite) rồi chạy lại.")
    if engine == "sqlite":
        sqlite.check(backup)
        counts = sqlite.restore(backup, target)
    else:
        postgres.check(backup)
        counts = postgres.restore(backup, target)
    if counts != manifest.tables:
        raise BackupError("Số dòng sau khi khôi phục khác với tệp mô tả: "
                          + ", ".join(f"{t}: {manifest.tables.get(t)} → {counts.get(t)}"
                                      for t in sorted(set(counts) | set(manifest.tables))
                                      if counts.get(t) != manifest.tables.get(t)))
    return manifest

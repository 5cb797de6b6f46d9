"""The manifest written beside every backup: what the file holds and its SHA-256.

A backup is whole only when its manifest exists and the file's size and SHA-256 agree with it.
The file is written under a ``.partial`` name and renamed only after the manifest is written, so
a backup killed half-way leaves nothing that restore would take.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tracker.errors import DomainError

FORMAT = "tracker-backup"
VERSION = 1
PARTIAL = ".partial"


class BackupError(DomainError):
    """A backup or restore was refused or failed; ``message`` is Vietnamese, for the user."""


@dataclass
class Manifest:
    """What ``<backup>.json`` says about ``<backup>``."""

    file: str
    sha256: str
    size: int
    engine: str  # "sqlite" or "postgresql"
    alembic_revision: str | None
    created_at: str  # ISO 8601, UTC
    tables: dict[str, int] = field(default_factory=dict)  # table → rows in the backup

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def manifest_path(backup: Path) -> Path:
    """``tracker-….sqlite3`` → ``tracker-….sqlite3.json``."""
    return backup.with_name(backup.name + ".json")


def partial_path(backup: Path) -> Path:
    """The name a backup is written under until it is complete."""
    return backup.with_name(backup.name + PARTIAL)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_file(path: Path) -> None:
    """Flush a file (and its folder's entry for it) to disk before it is declared complete."""
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(backup: Path, manifest: Manifest) -> Path:
    """Write ``<backup>.json`` atomically (temporary name, fsync, rename)."""
    path = manifest_path(backup)
    temporary = partial_path(path)
    data = {"format": FORMAT, "version": VERSION, **asdict(manifest)}
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    fsync_file(temporary)
    os.replace(temporary, path)
    return path


def read_manifest(backup: Path) -> Manifest:
    """The manifest beside ``backup``; refused if it is missing or is not one of ours."""
    path = manifest_path(backup)
    if not path.is_file():
        raise BackupError(f"Không có tệp mô tả «{path.name}» bên cạnh «{backup.name}»: đây không phải bản sao "
                          "lưu hoàn chỉnh (có thể bản sao lưu bị ngắt giữa chừng).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        fields = {name: data[name] for name in Manifest.__dataclass_fields__}
        return Manifest(**fields)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"Tệp mô tả «{path.name}» hỏng hoặc không phải của bản sao lưu.") from exc


def verify_checksum(backup: Path, manifest: Manifest) -> None:
    """Refuse a file whose size or SHA-256 differs from its manifest (truncated, altered, swapped)."""
    size = backup.stat().st_size
    if size != manifest.size:
        raise BackupError(f"Tệp «{backup.name}» có {size} byte, tệp mô tả ghi {manifest.size} byte: "
                          "bản sao lưu bị cắt cụt hoặc bị thay đổi. Không khôi phục.")
    if file_sha256(backup) != manifest.sha256:
        raise BackupError(f"Mã kiểm tra SHA-256 của «{backup.name}» không khớp với tệp mô tả: "
                          "bản sao lưu bị hỏng hoặc bị thay đổi. Không khôi phục.")

"""Append-only records: each asset's history, the audit log, imports and stored files.

The migration adds triggers that refuse UPDATE and DELETE on ``asset_events`` and
``audit_log``, so no code path, page or command can rewrite the past.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.models.users import User


class StoredFile(db.Model):
    """A file kept in the database: issued minutes, signed scans, uploaded inventories."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ImportBatch(db.Model):
    """One spreadsheet import: who, when, which file, what it did."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provinces.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    user: Mapped[User | None] = relationship()


class AssetEvent(db.Model):
    """One change to one asset. ``changes`` maps field -> [before, after]; creation has before = null.

    Replaying events in order rebuilds the asset as of any date (``effective_on`` where the
    change describes an earlier day than it was typed, e.g. a handover dated 05/07/2025).
    """

    __tablename__ = "asset_events"
    __table_args__ = (sa.Index("ix_asset_events_asset_at", "asset_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(sa.ForeignKey("assets.id"))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    effective_on: Mapped[dt.date | None]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(40))  # created, updated, imported, issued, received…
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batches.id"), index=True)
    handover_id: Mapped[int | None] = mapped_column(sa.ForeignKey("handovers.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User | None] = relationship()
    import_batch: Mapped[ImportBatch | None] = relationship()


class AuditEntry(db.Model):
    """Everything else worth an auditor's eye: sign-ins (failed too), users, units, handovers."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(sa.String(60), default="")  # kept even for failed sign-ins
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    detail: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    ip: Mapped[str | None] = mapped_column(sa.String(64))

    user: Mapped[User | None] = relationship()

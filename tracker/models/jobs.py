"""Background work, as every host sees it: a job's owner, state and outcome, and its files.

A job is one piece of long work run by the queue's worker (docs/DECISIONS.md, «Background
jobs»): reading an upload, committing it, writing a big export, the country report. Its row is
the truth about its outcome; its progress while it runs lives in the queue's store (so a
transaction that holds SQLite's write lock never waits on a progress write). Its files (the
upload waiting for its commit, the parsed rows, an export to download) are stored in chunks in
``job_chunks``, so no host keeps anything another one needs.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import utcnow


class BackgroundJob(db.Model):
    """One job: who asked, for what, where it is, how it ended."""

    __tablename__ = "background_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)  # random; the job's address in URLs
    kind: Mapped[str] = mapped_column(sa.String(40))  # import, export, country_report
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # bytes of the job's input
    state: Mapped[str] = mapped_column(sa.String(20), default="queued")
    stage: Mapped[str] = mapped_column(sa.String(20), default="")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


class JobChunk(db.Model):
    """A piece of one of a job's files, in order (``seq``), at most a few MB each."""

    __tablename__ = "job_chunks"

    job_id: Mapped[int] = mapped_column(sa.ForeignKey("background_jobs.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # upload, parsed, export
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)

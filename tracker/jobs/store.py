"""A job's row and files in the database, its live progress in the queue's store.

The row (``BackgroundJob``) is what every host trusts: who asked, what for, and how it ended.
While a job runs, its worker reports progress and a heartbeat to the queue's key-value store
(``report``; at most a few writes a second). A reader merges the two (``live``). A job whose
state says it runs but whose heartbeat stopped ``STALE_AFTER`` seconds ago lost its worker (killed,
restarted, out of memory): it is marked failed with a message, never left "running"; whatever it
was writing in the database was rolled back with its connection.
"""
from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import sqlalchemy as sa
from flask import current_app
from tracker.extensions import db
from tracker.jobs.queue import huey
from tracker.models import BackgroundJob, JobChunk
from tracker.models.base import utcnow

CHUNK = 4 * 1024 * 1024  # bytes a row of job_chunks holds
STALE_AFTER = 30.0  # seconds without a heartbeat from a running job's worker
BEAT = 2.0  # seconds between a running job's heartbeats
DIED = ("Việc xử lý bị gián đoạn (tiến trình xử lý nền đã dừng hoặc khởi động lại); không có gì được lưu. "
        "Hãy thử lại.")


def new(kind: str, user_id: int | None, *, state: str, unit_id: int | None = None, filename: str = "",
        size: int = 0, params: dict | None = None) -> BackgroundJob:
    """A job row, added to the session (the caller commits, then submits it)."""
    job = BackgroundJob(token=secrets.token_urlsafe(24), kind=kind, user_id=user_id, unit_id=unit_id,
                        filename=filename, size=size, state=state, params=params or {}, result={}, stage="",
                        done=0, total=0, message="", attempts=0)
    db.session.add(job)
    db.session.flush()
    return job


def by_token(token: str) -> BackgroundJob | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(BackgroundJob).where(BackgroundJob.token == token))


def touch(job: BackgroundJob) -> None:
    job.updated_at = utcnow()


# Files --------------------------------------------------------------------------------------

def write_file(job: BackgroundJob, name: str, data: bytes | Iterable[bytes]) -> int:
    """Store ``data`` (bytes, or chunks as they come) as the job's file ``name``; its size in bytes."""
    delete_file(job, name)
    pieces = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
    seq, size, buffer = 0, 0, bytearray()
    table = JobChunk.__table__

    def flush(block: bytes) -> None:
        nonlocal seq
        db.session.execute(table.insert().values(job_id=job.id, name=name, seq=seq, data=block))
        seq += 1

    for piece in pieces:
        buffer += piece
        size += len(piece)
        while len(buffer) >= CHUNK:
            flush(bytes(buffer[:CHUNK]))
            del buffer[:CHUNK]
    if buffer or seq == 0:
        flush(bytes(buffer))
    return size


def write_through(job: BackgroundJob, name: str, write: Callable[[IO[bytes]], object]) -> int:
    """Store as the job's file ``name`` what ``write(handle)`` writes (an .xlsx writer wants a file);
    through a temporary file, read back a megabyte at a time. Its size in bytes."""
    with tempfile.TemporaryFile() as handle:
        write(handle)
        handle.seek(0)
        return write_file(job, name, iter(lambda: handle.read(1 << 20), b""))


def finish(job: BackgroundJob, size: int, content_type: str) -> None:
    """The job is done: its file ("export") of ``size`` bytes is ready to download (tracker/jobs/views.py)."""
    job.state, job.result = "done", {"size": size, "type": content_type}
    touch(job)
    db.session.commit()


def read_chunks(job_id: int, name: str) -> Iterator[bytes]:
    """The file's chunks in order, one query a chunk (memory stays at one chunk)."""
    table = JobChunk.__table__
    seqs = db.session.scalars(sa.select(table.c.seq).where(table.c.job_id == job_id, table.c.name == name)
                              .order_by(table.c.seq)).all()
    for seq in seqs:
        yield db.session.scalar(sa.select(table.c.data).where(table.c.job_id == job_id, table.c.name == name,
                                                               table.c.seq == seq))


def read_file(job: BackgroundJob, name: str) -> bytes:
    return b"".join(read_chunks(job.id, name))


def has_file(job: BackgroundJob, name: str) -> bool:
    table = JobChunk.__table__
    return db.session.scalar(sa.select(sa.func.count()).where(table.c.job_id == job.id, table.c.name == name)) > 0


def delete_file(job: BackgroundJob, name: str) -> None:
    table = JobChunk.__table__
    db.session.execute(table.delete().where(table.c.job_id == job.id, table.c.name == name))


def delete(job: BackgroundJob) -> None:
    """The job and its files (chunks go by the foreign key's cascade; deleted explicitly all the same)."""
    db.session.execute(JobChunk.__table__.delete().where(JobChunk.__table__.c.job_id == job.id))
    forget_progress(job.token)
    db.session.delete(job)


def purge(older_than: dt.timedelta, kinds: Iterable[str] | None = None) -> int:
    """Remove jobs nobody touched for ``older_than`` (their files with them); how many."""
    cutoff = utcnow() - older_than
    query = sa.select(BackgroundJob).where(BackgroundJob.updated_at < cutoff)
    if kinds is not None:
        query = query.where(BackgroundJob.kind.in_(list(kinds)))
    old = db.session.scalars(query).all()
    for job in old:
        delete(job)
    return len(old)


# Progress -----------------------------------------------------------------------------------

def report(token: str, stage: str, done: int, total: int) -> None:
    """The running job's progress, for every host's progress page."""
    huey().put(f"progress:{token}", {"stage": stage, "done": done, "total": total})


def progress(token: str) -> dict | None:
    return huey().get(f"progress:{token}", peek=True)


def forget_progress(token: str) -> None:
    """Drop the progress and the heartbeat: the job is waiting again, or over."""
    queue = huey()
    queue.delete(f"progress:{token}")
    queue.delete(f"beat:{token}")


class Reporter:
    """A progress callback that writes at most every quarter second (and always the stage's first)."""

    def __init__(self, token: str, stage: str = ""):
        self.token, self.stage, self.last = token, stage, 0.0

    def __call__(self, *args) -> None:
        stage, done, total = args if len(args) == 3 else (self.stage, *args)
        now = time.monotonic()
        if stage != self.stage or now - self.last > 0.25:
            self.stage, self.last = stage, now
            report(self.token, stage, done, total)


@dataclass(frozen=True)
class Live:
    """A job as its page shows it: the row's outcome, the worker's progress while it runs."""

    state: str
    stage: str
    done: int
    total: int
    waiting: bool  # busy, but no worker has picked it up yet
    message: str

    def as_json(self) -> dict:
        """What progress.js polls."""
        return {"state": self.state, "stage": self.stage, "done": self.done, "total": self.total,
                "percent": self.percent, "waiting": self.waiting, "message": self.message}

    @property
    def percent(self) -> int:
        if self.state not in BUSY:
            return 100
        if self.waiting or not self.total:
            return 5
        return min(99, 10 + int(90 * self.done / self.total))


BUSY = ("reading", "committing", "running")
AFTER_DEATH = {"reading": "failed", "committing": "ready", "running": "failed"}


def live(job: BackgroundJob) -> Live:
    """Merge the row and the live progress; a busy job whose worker died is marked failed here."""
    if job.state not in BUSY:
        return Live(job.state, job.stage, job.done, job.total, False, job.message)
    beat = huey().get(f"beat:{job.token}", peek=True)
    if beat is None:
        return Live(job.state, job.stage, 0, 0, True, "")
    if time.time() - beat > current_app.config.get("JOB_STALE_AFTER", STALE_AFTER):
        fail_dead(job)
        return Live(job.state, job.stage, 0, 0, False, job.message)
    seen = progress(job.token) or {}
    return Live(job.state, seen.get("stage", job.stage), seen.get("done", 0), seen.get("total", 0), False, "")


def fail_dead(job: BackgroundJob, message: str = DIED) -> None:
    """The job's work ended without an outcome (its worker died, or it crashed): say so in the row, in a
    transaction of its own, and drop the progress. A commit that did not finish leaves its upload ready
    to commit again; anything else has failed."""
    token, job_id = job.token, job.id
    db.session.rollback()
    # The write first, so SQLite takes its lock at once (a read first could be refused, see extensions).
    after = sa.case(*((BackgroundJob.state == busy, then) for busy, then in AFTER_DEATH.items()))
    db.session.execute(sa.update(BackgroundJob).where(BackgroundJob.id == job_id, BackgroundJob.state.in_(BUSY))
                       .values(state=after, message=message, updated_at=utcnow()))
    db.session.commit()
    if db.session.get(BackgroundJob, job_id) is not None:  # (a job cancelled meanwhile is gone)
        db.session.refresh(job)
    forget_progress(token)

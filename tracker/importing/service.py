"""Committing a previewed upload, in the request or, for big files, in a background thread.

The thread gets its own application context, so its own database session and connection; the
request that started it returns at once and the page polls the job's progress.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy.exc import IntegrityError

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.importing.commit import commit_plan
from tracker.importing.jobs import Job, JobStore
from tracker.importing.mapping import Mapping
from tracker.importing.plan import ImportPlan
from tracker.models import User

log = logging.getLogger(__name__)
RACE = "Một tài sản trong tệp vừa được người khác đăng ký; không có gì được lưu. Hãy tải tệp lên lại."


def commit_upload(app: Flask, store: JobStore, job: Job, plan: ImportPlan, actor: User, *, background: bool,
                  remember: Mapping | None = None) -> None:
    """Store the plan for the job's owner; the job records the outcome (committed, or why not).

    Inline, the request's own session writes and commits. In the background, the thread pushes
    its own application context, so it has its own session and connection.
    """
    job.state, job.stage, job.done, job.total, job.message = "committing", "write", 0, len(plan.creates), ""
    store.save(job)
    if not background:
        _write(store, job, plan, actor, remember)
        return
    db.session.rollback()  # this request only read; the thread writes on its own connection
    threading.Thread(target=_in_context, args=(app, store, job, plan, actor.id, remember), daemon=True,
                     name=f"import-commit-{job.token[:8]}").start()


def _in_context(app: Flask, store: JobStore, job: Job, plan: ImportPlan, actor_id: int, remember) -> None:
    with app.app_context():
        try:
            _write(store, job, plan, db.session.get(User, actor_id), remember)
        finally:
            db.session.remove()


def _write(store: JobStore, job: Job, plan: ImportPlan, actor: User, remember: Mapping | None = None) -> None:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 0.25:
            job.done, job.total = done, total
            store.save(job)
            last[0] = time.monotonic()

    try:
        batch = commit_plan(plan, actor, note={"unit_id": job.unit_id}, progress=progress, remember=remember)
        db.session.commit()
        job.state, job.batch_id, job.message = "committed", batch.id, ""
    except (DomainError, IntegrityError) as exc:
        db.session.rollback()
        job.state, job.message = "ready", exc.message if isinstance(exc, DomainError) else RACE
    except Exception:  # noqa: BLE001 - the page must learn the outcome; the database rolled back
        db.session.rollback()
        log.exception("import commit of %s failed", job.filename)
        job.state, job.message = "ready", "Ghi dữ liệu thất bại do lỗi không lường trước; không có gì được lưu."
    store.save(job)

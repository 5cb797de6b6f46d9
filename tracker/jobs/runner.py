"""What a worker does with a job: the feature's function, with a heartbeat and a sure outcome.

A feature registers its work for a kind of job in a busy state (``@task("import", "reading")``) and starts a job with
``submit`` after committing the job's row; ``run_here`` runs the same work in the caller (small
uploads, answered in the request). The function gets the job's row inside an application context
of its own (its own session and connection) and sets the outcome in the row itself, in the same
transaction as its work where it writes (an import's batch and its "committed" state commit
together). If it raises, the job is marked failed with a message; if the worker dies, its
heartbeat stops and the job is marked failed by whoever looks at it next (store.live).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app, g

from tracker.extensions import db
from tracker.jobs import store
from tracker.jobs.queue import huey
from tracker.models import BackgroundJob

log = logging.getLogger(__name__)
KEEP_FOR = dt.timedelta(hours=8)  # an upload nobody committed, an export nobody fetched: a working day
TASKS: dict[tuple[str, str], Callable[[BackgroundJob], None]] = {}  # (kind, busy state) -> work
CRASHED = "Việc xử lý gặp lỗi không lường trước; không có gì được lưu. Hãy thử lại hoặc báo quản trị hệ thống."


def task(kind: str, state: str):
    """Register ``function(job)`` as the work of jobs of ``kind`` submitted in ``state``."""
    assert state in store.BUSY, state

    def register(function: Callable[[BackgroundJob], None]):
        TASKS[kind, state] = function
        return function
    return register


def submit(job: BackgroundJob) -> None:
    """Queue a job whose row is committed (the worker must find it). In immediate mode it runs now."""
    store.forget_progress(job.token)
    current_app.extensions["huey_run_job"](job.id)


def run_here(job: BackgroundJob) -> None:
    """Do the job's work in this request, in its session (small uploads)."""
    store.forget_progress(job.token)
    _execute(job)


def make_task(app: Flask) -> Callable[[int], None]:
    """The one Huey task: run job ``job_id`` of ``app`` in an application context of its own."""
    def run_job(job_id: int) -> None:
        with app.app_context():
            g.changes_data = True  # SQLite: take the write lock at BEGIN, as requests that write do
            try:
                job = db.session.get(BackgroundJob, job_id)
                if job is None or job.state not in store.BUSY:
                    return  # cancelled, or already done by an earlier delivery
                _execute(job)
            finally:
                db.session.remove()
    return run_job


def make_periodic(app: Flask, work: Callable[[], int], done: str) -> Callable[[], None]:
    """A periodic task: ``work`` in an app context, in one writing transaction, committed; ``done``
    is logged with what it returns when that is not 0."""
    def periodic() -> None:
        with app.app_context():
            g.changes_data = True
            try:
                count = work()
                db.session.commit()
                if count:
                    log.info(done, count)
            finally:
                db.session.remove()
    periodic.__name__ = getattr(work, "__name__", "periodic")
    return periodic


def make_purge(app: Flask) -> Callable[[], None]:
    """The periodic task: jobs nobody touched for ``KEEP_FOR`` go, with their files."""
    return make_periodic(app, lambda: store.purge(KEEP_FOR), "removed %s old jobs")


def _execute(job: BackgroundJob) -> None:
    queue = huey()
    token, kind = job.token, job.kind
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.is_set():
            queue.put(f"beat:{token}", time.time())
            stop.wait(store.BEAT)

    queue.put(f"beat:{token}", time.time())
    beating = threading.Thread(target=heartbeat, name=f"job-beat-{token[:8]}", daemon=True)
    beating.start()
    try:
        job.attempts += 1
        store.touch(job)
        db.session.commit()
        TASKS[job.kind, job.state](job)
    except Exception:  # noqa: BLE001 - the page must learn the outcome; the database rolled back
        log.exception("job %s (%s) failed", token[:8], kind)
        store.fail_dead(job, CRASHED)
    finally:
        stop.set()
        beating.join(timeout=5)
        store.forget_progress(token)

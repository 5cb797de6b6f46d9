"""The queue: a Huey instance per app, chosen by ``QUEUE_URL`` (env ``TRACKER_QUEUE_URL``).

- empty (the default): ``SqliteHuey`` on ``instance/queue.sqlite3``, no server to install;
- ``redis://host:port/db``: ``RedisHuey``, what several hosts share in production;
- ``sqlite:////absolute/path``: a SQLite queue file elsewhere;
- ``memory://``: in this process only (tests that run a worker thread beside the app);
- ``immediate://``: every job runs at once in the caller (the test suite's default).

Huey carries only job ids; the work itself reads the job's row (tracker/jobs/store.py). Besides
the queue, Huey's key-value store holds the live progress of running jobs and the workers'
heartbeats, so a long transaction on the application's database never waits on a progress write.
"""
from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

WORKER_BEAT = 5.0  # seconds between a worker's heartbeats
WORKER_GONE_AFTER = 30.0  # no heartbeat for this long: no worker is listening


def make_huey(url: str, instance_path: str | Path) -> Huey:
    """The Huey the URL names (see the module note); the queue's name is the app's."""
    url = (url or "").strip()
    if not url:
        return SqliteHuey("tracker", filename=str(Path(instance_path) / "queue.sqlite3"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("tracker", url=url)
    if url.startswith("sqlite:///"):
        return SqliteHuey("tracker", filename=url[len("sqlite:///"):])
    if url == "memory://":
        return MemoryHuey("tracker")
    if url == "immediate://":
        return MemoryHuey("tracker", immediate=True)
    raise ValueError(f"TRACKER_QUEUE_URL không hợp lệ: {url!r} (cần trống, redis://…, sqlite:///… hoặc memory://)")


def init_app(app: Flask) -> None:
    """Give the app its queue and register the one task every job runs through."""
    from tracker.jobs import runner

    huey = make_huey(app.config.get("QUEUE_URL", ""), app.instance_path)
    app.extensions["huey"] = huey
    app.extensions["huey_run_job"] = huey.task(name="run_job")(runner.make_task(app))
    huey.periodic_task(crontab(minute="*/15"), name="purge_jobs")(runner.make_purge(app))
    from tracker.assets import totals  # the register's totals rows, one per writing statement on PostgreSQL
    from tracker.extensions import db

    huey.periodic_task(crontab(minute="*/15"), name="compact_totals")(runner.make_periodic(
        app, lambda: totals.compact(db.session.connection()), "folded %s register totals rows"))
    from tracker.notices import send  # handovers stalled past their province's days, told once a stage

    huey.periodic_task(crontab(minute="5"), name="notice_stalled")(runner.make_periodic(
        app, send.stalled, "sent %s stalled-handover notices"))
    from tracker.serving.health import register_check

    register_check("queue", check)


def huey(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["huey"]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(queue: Huey, name: str) -> None:
    """Say this worker is alive (``flask worker`` calls it every ``WORKER_BEAT`` seconds)."""
    queue.put(f"worker:{name}", time.time())
    workers = set(queue.get("workers", peek=True) or ())
    if name not in workers:
        queue.put("workers", sorted(workers | {name}))


def forget(queue: Huey, name: str) -> None:
    """A worker stopping cleanly takes itself off the list."""
    queue.delete(f"worker:{name}")
    queue.put("workers", sorted(set(queue.get("workers", peek=True) or ()) - {name}))


def live_workers(queue: Huey) -> list[str]:
    """Workers whose last heartbeat is recent."""
    now = time.time()
    return [name for name in queue.get("workers", peek=True) or ()
            if now - (queue.get(f"worker:{name}", peek=True) or 0) < WORKER_GONE_AFTER]


def check(app: Flask | None = None) -> None:
    """For /healthz: the queue's store answers and a worker listens (raises, saying which, if not)."""
    queue = huey(app)
    if queue.immediate:
        return
    try:
        queue.storage.queue_size()
    except Exception as exc:  # noqa: BLE001 - any failure of the store is the answer
        raise RuntimeError(f"hàng đợi không trả lời: {exc.__class__.__name__}") from exc
    if not live_workers(queue):
        raise RuntimeError("không có tiến trình xử lý nền nào đang chạy (flask worker)")

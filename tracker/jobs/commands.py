"""``flask worker``: run the queue's worker (threads in this process) until stopped."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.config import ROOT
from tracker.jobs import queue


PARENT = "TRACKER_WORKER_PARENT"  # a worker started by another command stops when that command is gone


def start_worker_process(app) -> subprocess.Popen | None:
    """``flask worker`` as a child process on the app's database and queue (the demo command's), or
    None when jobs run at once anyway."""
    if queue.huey(app).immediate:
        return None
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "TRACKER_INSTANCE": app.instance_path,
           "TRACKER_QUEUE_URL": app.config.get("QUEUE_URL", ""), PARENT: str(os.getpid())}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL)


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Số việc chạy cùng lúc.")
@with_appcontext
def worker_command(threads: int):
    """Chạy tiến trình xử lý nền (đọc và ghi tệp nhập, xuất dữ liệu lớn, báo cáo toàn quốc)."""
    app = current_app._get_current_object()
    huey = queue.huey(app)
    if huey.immediate:
        raise click.ClickException("TRACKER_QUEUE_URL=immediate:// chạy việc ngay khi gửi; không cần tiến trình nền.")
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("huey").setLevel(logging.INFO)  # each job's start and end, with its time
    name = queue.worker_name()
    stop = threading.Event()
    parent = int(os.environ.get(PARENT) or 0)

    def heartbeat() -> None:
        while not stop.is_set():
            if parent and os.getppid() != parent:  # the demo server that started us is gone
                os.kill(os.getpid(), signal.SIGINT)
                return
            try:
                queue.beat(huey, name)
            except Exception:  # noqa: BLE001 - the store may be down for a moment; say so and go on
                logging.getLogger(__name__).exception("worker heartbeat failed")
            stop.wait(queue.WORKER_BEAT)

    threading.Thread(target=heartbeat, name="worker-beat", daemon=True).start()
    click.echo(f"Tiến trình xử lý nền {name}: {threads} luồng, hàng đợi {type(huey.storage).__name__}.")
    # An idle worker polls a SQLite queue every tenth of a second (Huey's default backs off to 10 s,
    # which an officer would wait for at each step; a poll is one indexed read of a small file, 10
    # a second cost nothing measurable); Redis hands a job over at once (blocking pop) either way.
    consumer = huey.create_consumer(workers=threads, worker_type="thread", periodic=True, initial_delay=0.02,
                                    backoff=1.15, max_delay=0.1)
    try:
        consumer.run()
    finally:
        stop.set()
        queue.forget(huey, name)

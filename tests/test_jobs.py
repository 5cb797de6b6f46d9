"""The job store and runner on the suite's database: files in chunks, progress, a dead worker seen,
old jobs removed, the queue chosen from its URL."""
from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import sqlalchemy as sa

from tracker.jobs import queue, runner, store
from tracker.models import BackgroundJob, JobChunk, Role


def test_a_file_bigger_than_a_chunk_comes_back_byte_for_byte_and_goes_with_its_job(app, db):
    job = store.new("export", None, state="running")
    data = os.urandom(store.CHUNK * 2 + 12345)
    assert store.write_file(job, "export", (data[i:i + 999_999] for i in range(0, len(data), 999_999))) == len(data)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobChunk).where(JobChunk.job_id == job.id)) == 3
    assert store.read_file(job, "export") == data
    store.write_file(job, "export", b"")  # written again: the old chunks go
    assert store.read_file(job, "export") == b"" and store.has_file(job, "export")
    store.delete(job)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobChunk)) == 0


def test_a_busy_job_is_waiting_until_a_worker_beats_and_failed_once_the_beat_stops(app, db, monkeypatch):
    job = store.new("import", None, state="committing")
    db.session.commit()
    assert store.live(job).waiting is True
    huey = queue.huey()
    huey.put(f"beat:{job.token}", time.time())
    store.report(job.token, "write", 40, 100)
    seen = store.live(job)
    assert (seen.waiting, seen.stage, seen.done, seen.percent) == (False, "write", 40, 46)
    huey.put(f"beat:{job.token}", time.time() - store.STALE_AFTER - 1)
    seen = store.live(job)
    assert seen.state == "ready" and "bị gián đoạn" in seen.message  # a commit that died: the upload is ready again
    assert db.session.get(BackgroundJob, job.id).state == "ready"
    assert huey.get(f"beat:{job.token}", peek=True) is None


def test_a_job_whose_work_raises_ends_failed_with_a_message(app, db, monkeypatch):
    def broken(job):
        raise RuntimeError("boom")

    monkeypatch.setitem(runner.TASKS, ("export", "running"), broken)
    job = store.new("export", None, state="running")
    db.session.commit()
    runner.submit(job)  # immediate in the test suite: runs now
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert job.state == "failed" and "lỗi không lường trước" in job.message and job.attempts == 1


def test_jobs_nobody_touched_for_a_working_day_are_removed_with_their_files(app, db, make_user):
    officer = make_user(Role.OFFICER)
    old = store.new("import", officer.id, state="ready")
    store.write_file(old, "upload", b"x" * 10)
    old.updated_at = dt.datetime.now(dt.timezone.utc) - runner.KEEP_FOR - dt.timedelta(minutes=1)
    fresh = store.new("import", officer.id, state="ready")
    db.session.flush()
    assert store.purge(runner.KEEP_FOR) == 1
    assert db.session.get(BackgroundJob, fresh.id) is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BackgroundJob).where(
        BackgroundJob.id == old.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobChunk)) == 0


def test_the_queue_is_chosen_by_its_url_and_a_wrong_one_is_refused_by_name(tmp_path):
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    assert isinstance(queue.make_huey("", tmp_path), SqliteHuey)
    assert (tmp_path / "queue.sqlite3").exists()
    assert isinstance(queue.make_huey("redis://127.0.0.1:1/0", tmp_path), RedisHuey)
    assert queue.make_huey("immediate://", tmp_path).immediate
    assert isinstance(queue.make_huey("memory://", tmp_path), MemoryHuey)
    with pytest.raises(ValueError, match="TRACKER_QUEUE_URL"):
        queue.make_huey("amqp://x", tmp_path)

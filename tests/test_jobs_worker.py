"""The queue's worker as a real process (``flask worker``) on the default queue (a SQLite file in the
instance folder), beside the web app on the same database: big uploads read and committed by it,
nothing left "running" when it is killed, the page saying when no worker listens.

The database is one of its own (a SQLite file; a fresh database in the test run's PostgreSQL
cluster), set up by the real commands, as in tests/test_import_kill.py.
"""
from __future__ import annotations

import re
import signal
import time

import pytest
import sqlalchemy as sa

from tests import import_builders as build
from tests.conftest import Auth, csrf_token
from tests.test_import_kill import own_database
from tests.test_import_web import preview_token, upload

PASSWORD = "Cay-bang-ven-song-42"


@pytest.fixture
def tracker(database_url, tmp_path):
    """The app's command line on a database of its own, Thái Nguyên loaded, 120 assets imported earlier."""
    yield from own_database(database_url, tmp_path)


@pytest.fixture
def web(tracker, monkeypatch):
    """The web app in this process on the tracker's database and instance folder (so the same queue
    file), with an officer signed in; jobs of any size go to the worker."""
    from tracker import create_app

    tracker.run("users", "create", "canbo_nen", "--role", "officer", "--province", "Thái Nguyên",
                "--password", PASSWORD)
    monkeypatch.setenv("TRACKER_INSTANCE", str(tracker.instance))
    app = create_app({"SQLALCHEMY_DATABASE_URI": tracker.url, "TESTING": True, "QUEUE_URL": "",
                      "IMPORT_BACKGROUND_BYTES": 0, "IMPORT_BACKGROUND_ROWS": 0, "JOB_STALE_AFTER": 3})
    client = app.test_client()
    assert Auth(client).login("canbo_nen", PASSWORD).status_code == 302
    yield app, client
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()


def _status(client, token: str) -> dict:
    return client.get(f"/imports/{token}/status").get_json()


def _until(client, token: str, done, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status = _status(client, token)
        if done(status) or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def _commit(client, token: str):
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html).group(1)
    return client.post(f"/imports/{token}/commit", data={"csrf_token": csrf_token(client, f"/imports/{token}"),
                                                         "fingerprint": fingerprint})


def _assets(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM assets")).scalar()
    finally:
        engine.dispose()


def test_without_a_worker_an_upload_waits_and_the_health_check_names_the_queue(web, tracker):
    app, client = web
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(30)), "cho.xlsx"))
    status = _status(client, token)
    assert status["state"] == "reading" and status["waiting"] is True
    assert "Đang chờ tiến trình xử lý nền" in client.get(f"/imports/{token}").get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and "flask worker" in health.get_json()["checks"]["queue"]

    worker = tracker.start("worker", out=tracker.instance / "worker")
    try:
        status = _until(client, token, lambda s: s["state"] != "reading")
        assert status["state"] == "ready", status
        assert client.get("/healthz").status_code == 200  # the worker's heartbeat is seen
        assert _commit(client, token).status_code == 302
        status = _until(client, token, lambda s: s["state"] != "committing")
        landing = client.get(f"/imports/{token}")
        assert landing.status_code == 302 and "/imports/batches/" in landing.headers["Location"]
        assert _assets(tracker.url) == 120 + 30
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)


def test_a_worker_killed_in_the_middle_of_a_commit_leaves_the_upload_ready_and_nothing_written(web, tracker):
    app, client = web
    rows = 25_000
    worker = tracker.start("worker", out=tracker.instance / "worker1")
    try:
        token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(rows, prefix="LON")),
                                     "lon.xlsx"))
        assert _until(client, token, lambda s: s["state"] != "reading", 120)["state"] == "ready"
        assert _commit(client, token).status_code == 302
        seen = _until(client, token, lambda s: s["state"] != "committing" or s["done"] > 0, 120)
        assert seen["state"] == "committing" and seen["done"] > 0, seen  # writing, with progress shown
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait(timeout=30)
    status = _until(client, token, lambda s: s["state"] != "committing", 30)
    assert status["state"] == "ready", status  # not left "committing": its heartbeat stopped
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    assert "bị gián đoạn" in html and "không có gì được lưu" in html
    assert _assets(tracker.url) == 120  # the killed transaction left nothing

    worker = tracker.start("worker", out=tracker.instance / "worker2")
    try:
        assert _commit(client, token).status_code == 302
        status = _until(client, token, lambda s: s["state"] != "committing", 180)
        assert status["state"] == "committed", status
        assert _assets(tracker.url) == 120 + rows  # in whole, once
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)

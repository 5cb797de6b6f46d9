"""Two app hosts and one worker, sharing only the database and the queue's server (Redis).

Each host is gunicorn with the checked-in configuration (``flask serve``) on an instance folder of
its own; the worker (``flask worker``) has a third. Nothing on disk is shared: an upload previewed
through the first host is committed through the second, an export started on one is fetched from
the other, and one sign-in holds on both (the same SECRET_KEY, as docs/DEPLOY.md requires).
"""
from __future__ import annotations

import csv
import io
import re
import signal
import subprocess
import time

import pytest
import requests

from tests import import_builders as build
from tests.serving_support import FLASK, PASSWORD, ROOT, Gunicorn, Instance, fresh_postgres_database

@pytest.fixture
def hosts(database_url, redis_server, tmp_path):
    import redis

    queue_url = redis_server.url.rsplit("/", 1)[0] + "/5"  # a database of the server's own for this test
    redis.Redis.from_url(queue_url).flushdb()
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        url = fresh_postgres_database(database_url, "tracker_two_hosts")
    shared = {"TRACKER_QUEUE_URL": queue_url, "RATELIMIT_STORAGE_URI": queue_url, "SECRET_KEY": "hai-may-chu-chung-khoa",
              "IMPORT_BACKGROUND_BYTES": "0", "IMPORT_BACKGROUND_ROWS": "0", "EXPORT_JOB_ROWS": "5"}
    first = Instance(tmp_path / "host-a", url, **shared)
    first.flask("db", "upgrade")
    first.flask("units", "load", "--province", "Thái Nguyên")
    first.flask("users", "create", "canbo_hai", "--role", "officer", "--province", "Thái Nguyên",
                "--password", PASSWORD)
    second = Instance(tmp_path / "host-b", url, **shared)
    worker_home = Instance(tmp_path / "worker", url, **shared)
    with open(tmp_path / "worker.log", "wb") as log:
        worker = subprocess.Popen([*FLASK, "worker"], cwd=ROOT, env=worker_home.env, stdout=log,
                                  stderr=subprocess.STDOUT)
    servers = [Gunicorn(first, tmp_path / "a.log"), Gunicorn(second, tmp_path / "b.log")]
    try:
        for server in servers:
            server.wait_until_answering()
        yield servers, tmp_path / "worker.log"
    finally:
        for server in servers:
            server.stop()
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    for folder in ("host-a", "host-b", "worker"):
        assert not list((tmp_path / folder).glob("imports/*")), "an upload was kept on a host's disk"


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=60)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)


def _until(session: requests.Session, url: str, busy=("reading", "committing", "running"), seconds=120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status = session.get(url, timeout=60).json()
        if status["state"] not in busy or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def test_an_upload_previewed_on_one_host_is_committed_on_the_other_and_exports_cross_too(hosts):
    servers, worker_log = hosts
    a, b = (server.url for server in servers)
    person = requests.Session()
    signed_in = person.post(f"{a}/login", data={"username": "canbo_hai", "password": PASSWORD,
                                                "csrf_token": _csrf(person, f"{a}/login")}, allow_redirects=False)
    assert signed_in.status_code == 302
    assert person.get(f"{b}/assets/", allow_redirects=False).status_code == 200  # signed in on the other host too

    data = build.xlsx_of(build.simple_equipment_rows(400, prefix="HAI"))
    sent = person.post(f"{a}/imports/", files={"file": ("hai-may.xlsx", data)},
                       data={"unit_id": "", "csrf_token": _csrf(person, f"{a}/imports/")}, allow_redirects=False)
    assert sent.status_code == 302
    token = re.search(r"/imports/([A-Za-z0-9_-]{20,})", sent.headers["Location"]).group(1)
    assert _until(person, f"{b}/imports/{token}/status")["state"] == "ready"  # read by the worker, seen from b
    preview = person.get(f"{b}/imports/{token}")
    assert re.search(r'data-count="created">400<', preview.text)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', preview.text).group(1)
    committed = person.post(f"{b}/imports/{token}/commit", allow_redirects=False,
                            data={"fingerprint": fingerprint, "csrf_token": _csrf(person, f"{b}/imports/{token}")})
    assert committed.status_code == 302
    assert _until(person, f"{a}/imports/{token}/status")["state"] == "committed"
    landing = person.get(f"{a}/imports/{token}", allow_redirects=False)
    assert landing.status_code == 302 and "/imports/batches/" in landing.headers["Location"]

    started = person.get(f"{a}/exports/register.csv", allow_redirects=False)  # more than EXPORT_JOB_ROWS
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    job = started.headers["Location"].rsplit("/", 1)[1]
    assert _until(person, f"{b}/jobs/{job}/status")["state"] == "done"
    fetched = person.get(f"{b}/jobs/{job}/download")
    assert fetched.status_code == 200
    rows = list(csv.reader(io.StringIO(fetched.content.decode("utf-8-sig"))))
    code = rows[0].index("Mã tài sản")
    assert sorted(row[code] for row in rows[1:]) == [f"HAI-{n:03d}" for n in range(1, 401)]
    assert person.get(f"{b}/healthz").json()["ok"] is True  # the database and the queue, from either host
    executed = worker_log.read_text(errors="replace").count("Executing tracker.jobs.runner.run_job:")
    assert executed == 3, worker_log.read_text()[-3000:]  # read, commit and export, all by the one worker

"""The app as production runs it: `flask serve` (gunicorn with tracker/serving/gunicorn_conf.py) on
loopback, against an instance prepared by the commands an admin types, behind the nginx site and
under the systemd units of docs/DEPLOY.md, which are the files these tests run."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pgcluster import _free_port
from tests.serving_support import (ROOT, Browser, Gunicorn, Instance, fresh_postgres_database, health, nginx_binary,
                                   request, wait_for_log)

DEPLOY = ROOT / "docs" / "deploy"


@pytest.fixture
def served(database_url, tmp_path):
    """gunicorn with two workers on a migrated database of each kind, with one admin; killed at the end."""
    url = None if database_url.startswith("sqlite") else fresh_postgres_database(database_url, "tracker_serving")
    instance = Instance(tmp_path / "instance", url).prepare(("quantri", "admin"))
    server = Gunicorn(instance, tmp_path / "gunicorn.log", TRACKER_SLOW_REQUEST_MS="0")
    try:
        yield server
    finally:
        server.stop()


def test_flask_serve_answers_health_then_a_signed_in_page_whose_log_lines_carry_its_id_and_the_user(served):
    assert served.wait_until_answering() == 200
    status, body = health("127.0.0.1", served.port)
    assert status == 200 and body["ok"] is True and body["checks"]["database"] == "ok", body
    assert set(body["checks"].values()) == {"ok"}  # and the queue's check, once registered
    assert re.search(rf"^Phục vụ tại http://127\.0\.0\.1:{served.port}/ \(gunicorn, 2 tiến trình × 4 luồng\)$",
                     served.log_text(), re.M)
    browser = Browser("127.0.0.1", served.port)

    status, headers, _ = browser.sign_in("quantri")
    assert status == 302, served.log_text()
    status, headers, page = browser.open("GET", "/assets/", headers={"X-Request-ID": "serving-page-0001"})

    assert status == 200 and "Danh mục tài sản" in page.decode(), page[:300]
    assert headers["X-Request-ID"] == "serving-page-0001"
    access = wait_for_log(served, r'serving-page-0001 \d+:quantri .*"GET /assets/ HTTP/1\.1" 200 ')
    app_line = wait_for_log(served, r"WARNING \[serving-page-0001\] \d+:quantri tracker\.requests: slow request: "
                                    r"GET /assets/ -> 200")
    assert access and app_line, served.log_text()
    # Without a trusted proxy (TRACKER_PROXY_HOPS unset) forwarded headers change nothing.
    status, headers, _ = request("127.0.0.1", served.port, "GET", "/login", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Request-ID": "direct-0000001"})
    assert status == 200 and "Strict-Transport-Security" not in headers
    assert "Secure" not in headers["Set-Cookie"]
    [line] = wait_for_log(served, 'direct-0000001 - .*"GET /login ')
    assert line.startswith("127.0.0.1 "), line
    # Passing probes stay out of the access log; the page and the sign-in are in it.
    assert not wait_for_log(served, r'"GET /healthz ', timeout=0)
    assert wait_for_log(served, r'"POST /login HTTP/1\.1" 302 ', timeout=0)


def test_healthz_says_503_and_names_the_database_when_it_cannot_be_reached(tmp_path):
    closed = _free_port()  # nothing listens there
    instance = Instance(tmp_path / "instance", f"postgresql://tracker@127.0.0.1:{closed}/tracker")
    server = Gunicorn(instance, tmp_path / "gunicorn.log", workers=1)
    try:
        assert server.wait_until_answering() == 503
        status, body = health("127.0.0.1", server.port)
    finally:
        server.stop()

    assert status == 503 and body["ok"] is False
    assert body["checks"]["database"].startswith("OperationalError:"), body
    assert str(closed) in body["checks"]["database"]
    # A failing probe is written to the access log, unlike a passing one.
    assert re.search(r'"GET /healthz HTTP/1\.1" 503 ', server.log_text())


# --- behind nginx -------------------------------------------------------------------------------

def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def nginx_site(app_port: int, http_port: int, https_port: int, cert: Path, key: Path, logs: Path) -> str:
    """docs/deploy/nginx-tracker.conf with loopback ports, a test certificate and logs in ``logs``."""
    site = (DEPLOY / "nginx-tracker.conf").read_text(encoding="utf-8")
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/ssl/tracker/fullchain.pem": str(cert),
        "/etc/ssl/tracker/privkey.pem": str(key),
        "/var/log/nginx/": f"{logs}/",
    }
    for old, new in replacements.items():
        assert old in site, f"docs/deploy/nginx-tracker.conf no longer has {old!r}"
        site = site.replace(old, new)
    return site


def _nginx_main(folder: Path, site: Path) -> Path:
    temp = folder / "temp"
    temp.mkdir()
    temp.chmod(0o777)  # nginx's workers run as nobody when started by root
    conf = folder / "nginx.conf"
    conf.write_text(f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
    include {site};
}}
""")
    return conf


@pytest.fixture
def behind_nginx(tmp_path):
    """gunicorn with TRACKER_PROXY_HOPS=1 behind docs/deploy/nginx-tracker.conf, TLS on a loopback port."""
    binary = nginx_binary()
    if binary is None or shutil.which("openssl") is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("nginx or openssl not installed (apt-get install nginx-light openssl)")
        pytest.skip("nginx or openssl not installed (apt-get install nginx-light openssl)")
    instance = Instance(tmp_path / "instance").prepare(("quantri", "admin"))
    server = Gunicorn(instance, tmp_path / "gunicorn.log", workers=1, TRACKER_PROXY_HOPS="1")
    cert, key = _self_signed(tmp_path)
    ports = {"http": _free_port(), "https": _free_port()}
    site = tmp_path / "tracker.conf"
    site.write_text(nginx_site(server.port, ports["http"], ports["https"], cert, key, tmp_path))
    conf = _nginx_main(tmp_path, site)
    checked = subprocess.run([binary, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen([binary, "-c", str(conf), "-e", str(tmp_path / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.wait_until_answering() == 200
        yield server, ports, tmp_path
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        server.stop()


def test_behind_nginx_the_app_sees_https_and_the_clients_own_address_and_a_forged_one_is_ignored(behind_nginx):
    server, ports, folder = behind_nginx
    # The client comes from 127.0.0.2 (nginx and gunicorn talk over 127.0.0.1) and claims another address.
    browser = Browser("127.0.0.1", ports["https"], tls=True, source="127.0.0.2")

    status, headers, _ = browser.open("GET", "/login", headers={"X-Forwarded-For": "203.0.113.9",
                                                                "X-Forwarded-Proto": "http"})

    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"  # the app knows it came over HTTPS
    session_cookie = next(h for h in browser.set_cookie_headers if h.startswith("session="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id, kept by the app
    [line] = wait_for_log(server, re.escape(headers["X-Request-ID"]))
    assert line.startswith("127.0.0.2 "), line  # ProxyFix: nginx's view of the client, not the forged one

    status, headers, _ = browser.sign_in("quantri")
    assert status == 302 and headers["Location"] == "/"

    status, headers, _ = request("127.0.0.1", ports["http"], "GET", "/assets/?page=2")
    assert status == 301 and headers["Location"].startswith("https://") and headers["Location"].endswith("/assets/?page=2")


# --- the documents are the files tested ----------------------------------------------------------

def _deploy_doc() -> str:
    return (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["nginx-tracker.conf", "tracker.service", "tracker-worker.service",
                                  "tracker.env.example"])
def test_docs_deploy_shows_each_file_exactly_as_it_is_tested(name):
    text = (DEPLOY / name).read_text(encoding="utf-8")

    assert f"docs/deploy/{name}" in _deploy_doc()
    assert text.strip() in _deploy_doc(), f"docs/DEPLOY.md does not show docs/deploy/{name} as it is"


@pytest.mark.parametrize("unit", ["tracker.service", "tracker-worker.service"])
def test_the_systemd_units_pass_systemd_analyze_verify(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    # The unit as written, with the clone's paths in place of /srv/tracker (verify checks ExecStart exists).
    text = (DEPLOY / unit).read_text(encoding="utf-8").replace("/srv/tracker", str(ROOT))
    text = text.replace("EnvironmentFile=/etc/tracker/tracker.env", f"EnvironmentFile={DEPLOY / 'tracker.env.example'}")
    (tmp_path / unit).write_text(text, encoding="utf-8")

    result = subprocess.run([analyze, "verify", str(tmp_path / unit)], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).strip() == ""  # not even a warning (an unknown key, a bad value)


def test_every_environment_variable_the_app_reads_is_in_the_deploy_table():
    read = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        read |= set(re.findall(r"""(?:os\.environ(?:\.get)?[\[(]|_int_env\()\s*["']([A-Z][A-Z0-9_]+)["']""",
                               path.read_text(encoding="utf-8")))
    table = _deploy_doc()

    missing = sorted(name for name in read if f"| `{name}` |" not in table)
    assert len(read) >= 10
    assert missing == [], f"docs/DEPLOY.md's table lacks {missing}"


def test_the_unit_and_the_config_agree_on_how_long_a_request_may_finish(tmp_path):
    from tracker.serving import gunicorn_conf

    unit = (DEPLOY / "tracker.service").read_text(encoding="utf-8")
    stop = int(re.search(r"^TimeoutStopSec=(\d+)$", unit, re.M).group(1))
    site = (DEPLOY / "nginx-tracker.conf").read_text(encoding="utf-8")
    proxy_read = int(re.search(r"proxy_read_timeout (\d+)s;", site).group(1))

    assert gunicorn_conf.graceful_timeout >= gunicorn_conf.LONGEST_REQUEST_S * 2
    assert stop > gunicorn_conf.graceful_timeout  # systemd does not SIGKILL a worker still finishing
    assert proxy_read > gunicorn_conf.graceful_timeout
    assert gunicorn_conf.secure_scheme_headers == {}  # only ProxyFix (TRACKER_PROXY_HOPS) reads proxy headers
    assert gunicorn_conf.worker_class == "gthread" and not gunicorn_conf.preload_app


def test_workers_follow_the_cores_unless_tracker_workers_says_how_many(monkeypatch):
    from tracker.serving import gunicorn_conf

    monkeypatch.delenv("TRACKER_WORKERS", raising=False)
    assert gunicorn_conf.default_workers() == 2 * len(os.sched_getaffinity(0)) + 1
    monkeypatch.setenv("TRACKER_WORKERS", "3")
    assert gunicorn_conf.default_workers() == 3


@pytest.mark.parametrize(("given", "target"), [(None, "app:app"), ("app", "app:app"), ("app.py", "app:app"),
                                               ("tracker:create_app()", "tracker:create_app()")])
def test_flask_serve_hands_gunicorn_what_flask_app_names(given, target):
    from tracker.serving.commands import gunicorn_argv, wsgi_target

    assert wsgi_target(given) == target
    assert gunicorn_argv(target)[1:] == ["-m", "gunicorn", "-c", "python:tracker.serving.gunicorn_conf", target]


# --- the national install's PostgreSQL replica ---------------------------------------------------

BASEBACKUP_FLAGS = ["-R", "-X", "stream", "-C", "-S", "replica1", "-c", "fast", "-P"]


def test_the_replica_commands_of_deploy_md_stream_the_primarys_rows_and_promote(tmp_path):
    """pg_basebackup with DEPLOY.md's flags makes a hot standby that sees the app's rows, then takes over."""
    from tests.pgcluster import Cluster, ClusterUnavailable, _binary

    assert f"-D /var/lib/postgresql/15/main {' '.join(BASEBACKUP_FLAGS)}" in _deploy_doc()
    try:
        primary = Cluster()
        primary_url = primary.start()
    except ClusterUnavailable as exc:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    replica = Cluster()  # only its folder, port and helpers: its data comes from the primary
    try:
        psql = _binary("psql")
        primary._run(psql, "-h", "127.0.0.1", "-p", str(primary.port), "-U", primary.user, "-d", "postgres", "-c",
                     "CREATE ROLE replicator WITH REPLICATION LOGIN")
        Instance(tmp_path / "instance", primary_url).prepare(("quantri", "admin"))  # the app's schema and a row
        if replica.as_root:
            shutil.chown(replica.dir, "postgres", "postgres")
        replica._run(_binary("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "replicator",
                     "-D", str(replica.data), *BASEBACKUP_FLAGS)
        opts = (f"-c listen_addresses=127.0.0.1 -c port={replica.port} -c unix_socket_directories={replica.dir} "
                "-c hot_standby=on")
        replica._run(replica.pg_ctl, "-D", str(replica.data), "-o", opts, "-l", str(replica.dir / "log"), "-w", "start")

        def on_replica(sql: str) -> str:
            return replica._run(psql, "-h", "127.0.0.1", "-p", str(replica.port), "-U", primary.user,
                                "-d", "tracker_test", "-tA", "-c", sql).stdout.strip()

        assert on_replica("SELECT pg_is_in_recovery()") == "t"
        assert on_replica("SELECT username FROM users") == "quantri"
        slot = primary._run(psql, "-h", "127.0.0.1", "-p", str(primary.port), "-U", primary.user, "-d", "postgres",
                            "-tA", "-c", "SELECT slot_name, active FROM pg_replication_slots").stdout.strip()
        assert slot == "replica1|t"

        replica._run(replica.pg_ctl, "-D", str(replica.data), "-w", "promote")

        assert on_replica("SELECT pg_is_in_recovery()") == "f"
        on_replica("UPDATE users SET full_name = 'Sau khi chuyển' WHERE username = 'quantri'")  # writable now
    finally:
        replica.stop()
        primary.stop()


def test_a_served_app_keeps_its_startup_objects_out_of_the_collectors_full_passes(tmp_path, monkeypatch):
    """A full collection walked the started app's ~170,000 objects: 85 ms every few requests of a big page."""
    import gc

    from tracker import create_app

    monkeypatch.setenv("TRACKER_INSTANCE", str(tmp_path))
    before = gc.get_freeze_count()
    try:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "TESTING": False,
                    "QUEUE_URL": "memory://"})
        assert gc.get_freeze_count() > before + 50_000
        gc.unfreeze()
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'y.db'}", "TESTING": True,
                    "QUEUE_URL": "memory://"})
        assert gc.get_freeze_count() == 0  # test apps stay collectable
    finally:
        gc.unfreeze()


def test_the_favicon_is_served_by_the_app_and_named_by_every_page(client):
    """Issue 15: no favicon (a 404 on every page the browser opened)."""
    for path, kind in (("/favicon.ico", "image/"), ("/static/favicon.svg", "image/svg+xml")):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype.startswith(kind) and response.data
    login = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in login and 'href="/favicon.ico"' in login

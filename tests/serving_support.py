"""The app served for real on loopback: an instance prepared by the commands, gunicorn, nginx.

Used by tests/test_serving.py and benchmarks/serving_slowest.py. Everything runs from the clone
with the venv's interpreter, the way docs/DEPLOY.md tells an admin to run it.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tests.pgcluster import _free_port

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
PASSWORD = "Cay-bang-ven-song-42"


def fresh_postgres_database(url: str, name: str) -> str:
    """A new empty database beside the one ``url`` names (same cluster); its URL."""
    import psycopg

    parsed = sa.engine.make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


class Instance:
    """An instance folder and a database made ready with ``flask db upgrade`` and ``flask users create``."""

    def __init__(self, folder: Path, database_url: str | None = None, **env: str) -> None:
        self.folder = folder
        # Jobs run inside the request (the queue's test mode): these servers are about serving, and
        # /healthz would otherwise say, rightly, that no `flask worker` is running.
        self.env = {**os.environ, "TRACKER_INSTANCE": str(folder), "SECRET_KEY": "serving-test-key",
                    "TRACKER_QUEUE_URL": "immediate://", **env}
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        folder.mkdir(parents=True, exist_ok=True)

    def flask(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run([*FLASK, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self, *users: tuple[str, str]) -> Instance:
        """Migrate, then create each (username, role)."""
        self.flask("db", "upgrade")
        for username, role in users:
            self.flask("users", "create", username, "--role", role, "--password", PASSWORD)
        return self


class Gunicorn:
    """``flask --app app serve`` on a free loopback port; ``stop()`` ends its process group."""

    def __init__(self, instance: Instance, log: Path, workers: int = 2, **env: str) -> None:
        self.port = _free_port()
        self.log = log
        environment = {**instance.env, "TRACKER_BIND": f"127.0.0.1:{self.port}", "TRACKER_WORKERS": str(workers),
                       **env}
        with open(log, "ab") as out:
            self.process = subprocess.Popen([*FLASK, "serve"], cwd=ROOT, env=environment, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_answering(self, timeout: float = 90) -> int:
        """Poll /healthz until it answers (any status); that status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                status, _headers, _body = request("127.0.0.1", self.port, "GET", "/healthz", timeout=5)
                return status
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer in {timeout} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def request(host: str, port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 120, tls: bool = False,
            source: str | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One HTTP request on a fresh connection (optionally TLS, unverified, from a chosen loopback address)."""
    source_address = (source, 0) if source else None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=context, source_address=source_address)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout, source_address=source_address)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Browser:
    """Cookies and CSRF tokens over real HTTP, like a person's browser."""

    def __init__(self, host: str, port: int, tls: bool = False, source: str | None = None) -> None:
        self.host, self.port, self.tls, self.source = host, port, tls, source
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def open(self, method: str, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             timeout: float = 120):
        from urllib.parse import urlencode

        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, data = request(self.host, self.port, method, path, body, sent, timeout=timeout,
                                                 tls=self.tls, source=self.source)
        for header in response_headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return status, response_headers, data

    def csrf_token(self, path: str) -> str:
        _status, _headers, html = self.open("GET", path)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html.decode())
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str = PASSWORD, headers: dict[str, str] | None = None):
        token = self.csrf_token("/login")
        # A browser sends the page it posts from (the app's Referrer-Policy is same-origin); over HTTPS
        # Flask-WTF refuses a form without it.
        scheme = "https" if self.tls else "http"
        return self.open("POST", "/login", {"username": username, "password": password, "csrf_token": token},
                         headers={"Referer": f"{scheme}://{self.host}:{self.port}/login", **(headers or {})})


def health(host: str, port: int) -> tuple[int, dict]:
    status, _headers, body = request(host, port, "GET", "/healthz", timeout=30)
    return status, json.loads(body)


def wait_for_log(server: Gunicorn, pattern: str, timeout: float = 10) -> list[str]:
    """Lines of the server's log matching ``pattern`` (a regex), once at least one is there."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in server.log_text().splitlines() if re.search(pattern, line)]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)

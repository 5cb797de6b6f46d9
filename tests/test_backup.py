"""Backups: taken while officers work, restored only into an empty database, whole or not at all.

These tests need committed rows, which the rolled-back ``app`` fixture cannot give, and they must
leave nothing in the shared test database. So each database kind gets its own source database
beside the shared one (a file on SQLite, a second database in the throwaway cluster on
PostgreSQL), built the way the ``app`` fixture builds its own (migrations, new Thái Nguyên), and
every restore goes into a fresh empty database; all of them are removed at the end.
"""
from __future__ import annotations

import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tracker.assets.search import is_search_index
from tracker.backup import BackupError, create_backup, restore_backup
from tracker.backup.manifest import file_sha256, manifest_path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "ghế mây - đồi chè - 1975 - sao lưu"
OFFICER = "canbosaoluu"
BACKUP_NAME = re.compile(r"^tracker-\d{8}T\d{6}Z\.(sqlite3|pgdump)$")


# --- databases of the run's kind -------------------------------------------------------------

class Databases:
    """Makes empty databases of the run's kind (SQLite files, or databases in the test cluster)."""

    def __init__(self, database_url: str, folder: Path):
        self.url, self.folder, self.made = database_url, folder, []
        self.kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"

    def _server(self) -> sa.Engine:
        url = sa.engine.make_url(self.url).set(database="postgres")
        return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def empty(self, label: str) -> str:
        name = f"backup_{label}_{uuid.uuid4().hex[:8]}"
        if self.kind == "sqlite":
            return f"sqlite:///{self.folder / (name + '.db')}"
        with self._server().connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return sa.engine.make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.made:
            with self._server().connect() as conn:
                for name in self.made:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def make_app(url: str, instance: Path):
    from tracker import create_app
    from tracker.config import TestConfig

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACKER_INSTANCE", str(instance))
        return create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                           "SQLALCHEMY_DATABASE_URI": url})


def dispose(app) -> None:
    from tracker.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def databases(database_url, tmp_path_factory):
    made = Databases(database_url, tmp_path_factory.mktemp("backup-databases"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def source(databases, tmp_path_factory):
    """The app on its own migrated database holding new Thái Nguyên and an officer; real commits."""
    from flask_migrate import upgrade

    from tracker.admin.services import create_user
    from tracker.extensions import db
    from tracker.models import Province, Role
    from tracker.units.loader import load_province

    app = make_app(databases.empty("source"), tmp_path_factory.mktemp("backup-instance"))
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        province = db.session.scalar(sa.select(Province).where(Province.code == 19))
        create_user(OFFICER, PASSWORD, Role.OFFICER, province=province, full_name="Cán bộ sao lưu")
        db.session.commit()
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def source_url(source) -> str:
    return source.config["SQLALCHEMY_DATABASE_URI"]


@pytest.fixture(scope="module")
def backup(source_url, tmp_path_factory) -> Path:
    """One backup of the source, for the tests that damage copies of it."""
    path, _manifest = create_backup(source_url, tmp_path_factory.mktemp("backup"))
    return path


def copy_of(backup: Path, folder: Path) -> Path:
    """The backup and its manifest copied into ``folder``, to damage without harming the original."""
    shutil.copy2(backup, folder / backup.name)
    shutil.copy2(manifest_path(backup), manifest_path(folder / backup.name))
    return folder / backup.name


def rewrite_manifest(path: Path) -> None:
    """Make the manifest agree with the file as it now is (a damaged file someone re-described)."""
    data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    data.update(sha256=file_sha256(path), size=path.stat().st_size)
    manifest_path(path).write_text(json.dumps(data), encoding="utf-8")


# --- what a database holds --------------------------------------------------------------------

def table_rows(url: str) -> dict[str, list[dict]]:
    """Every row of every table, as plain dicts."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {table: [dict(row) for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings()]
                    for table in sa.inspect(conn).get_table_names()}
    finally:
        engine.dispose()


def digests(tables: dict[str, list[dict]]) -> dict[str, tuple[int, str]]:
    """Table → (row count, SHA-256 of its rows sorted), to compare two databases table by table."""
    result = {}
    for table, rows in tables.items():
        lines = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
        result[table] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return result


def assert_still_empty(url: str) -> None:
    """The target of a refused restore: no table, and on SQLite not even a file with content."""
    if url.startswith("sqlite"):
        path = Path(sa.engine.make_url(url).database)
        assert not path.exists() or path.stat().st_size == 0, "the refused restore wrote the target file"
        return
    assert list(table_rows(url)) == []


# --- a browser against a real server ----------------------------------------------------------

class Browser:
    """Cookies and CSRF tokens over real HTTP, as an officer's browser would send them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode()

    def token(self, path: str) -> str:
        page = self.open(path)[2]
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, username: str) -> None:
        status, url, _ = self.open("/login", {"username": username, "password": PASSWORD,
                                              "csrf_token": self.token("/login")})
        assert status == 200 and not url.endswith("/login"), "sign-in failed"


def thang_loi_id(app) -> int:
    from tracker.extensions import db
    from tracker.models import Unit, UnitKind

    with app.app_context():
        return db.session.scalar(sa.select(Unit.id).where(Unit.name == "Phường Thắng Lợi",
                                                          Unit.kind == UnitKind.OLD_COMMUNE))


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# --- 1. a backup while the app serves ---------------------------------------------------------

def test_backup_taken_while_officers_register_assets_restores_exactly_what_was_committed_then(
        source, source_url, databases, tmp_path):
    unit_id = thang_loi_id(source)
    server = make_server("127.0.0.1", 0, source, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    created: list[int] = []  # ids of assets the writer saw saved, in commit order
    problems: list[str] = []
    stop = threading.Event()

    def register_assets():
        # One writer, so ids are committed in order and "committed at backup time" is a prefix.
        browser = Browser(base)
        browser.login(OFFICER)
        token = browser.token("/assets/new/equipment")
        while not stop.is_set():
            status, url, _ = browser.open("/assets/new/equipment", {
                "unit_id": unit_id, "name": f"Máy vi tính sao lưu {len(created) + 1}", "equipment_type": "Máy vi tính",
                "quantity": "1", "csrf_token": token})
            found = re.search(r"/assets/(\d+)$", url)
            if status != 200 or not found:
                problems.append(f"POST gave {status} at {url}")
                return
            created.append(int(found.group(1)))

    def read_register():
        browser = Browser(base)
        browser.login(OFFICER)
        while not stop.is_set():
            status, _url, _ = browser.open("/assets/?q=sao+luu")
            if status != 200:
                problems.append(f"GET /assets/ gave {status}")
                return

    workers = [threading.Thread(target=register_assets), threading.Thread(target=read_register),
               threading.Thread(target=read_register)]
    try:
        for worker in workers:
            worker.start()
        wait_for(lambda: len(created) >= 5 or problems)
        saved_before = len(created)
        path, manifest = create_backup(source_url, tmp_path)
        saved_after = len(created)
        wait_for(lambda: len(created) >= saved_after + 5 or problems)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
        server.shutdown()
    assert problems == []

    target = databases.empty("restored")
    restore_backup(target, path)

    restored, now = table_rows(target), table_rows(source_url)
    in_backup = {row["id"] for row in restored["assets"]} & set(created)
    kept = len(in_backup)
    # The backup holds the first `kept` assets the writer saved, no gap: one consistent moment.
    assert in_backup == set(created[:kept])
    # That moment lies within the call: everything saved before it, nothing saved after it
    # (give or take the one save whose reply was still on its way when the call returned).
    assert saved_before <= kept <= saved_after + 1 < len(created)
    later = set(created[kept:])
    at_backup_time = {table: [row for row in rows if not (
        (table == "assets" and row["id"] in later) or row.get("asset_id") in later)]
        for table, rows in now.items()}
    # The search index's FTS5 tables are derived from assets: their blobs differ with later rows, and
    # the restore checked them against the restored assets (FTS5's integrity-check).
    derived = {table for table in restored if is_search_index(table)} | {"asset_totals"}
    # So are the register's totals (migration 0013): restored, they must be the restored assets' sums.
    kept_totals: dict[int, list[int]] = {}
    for row in restored["asset_totals"]:
        sums = kept_totals.setdefault(row["province_id"], [0, 0, 0])
        for i, column in enumerate(("asset_count", "original_cost", "remaining_value")):
            sums[i] += int(row[column])
    summed: dict[int, list[int]] = {}
    for row in restored["assets"]:
        sums = summed.setdefault(row["province_id"], [0, 0, 0])
        for i, value in enumerate((1, row["original_cost"], row["remaining_value"])):
            sums[i] += int(value)
    assert {p: v for p, v in kept_totals.items() if any(v)} == summed
    assert digests({t: r for t, r in restored.items() if t not in derived}) == digests(
        {t: r for t, r in at_backup_time.items() if t not in derived})
    assert manifest.tables == {table: len(rows) for table, rows in restored.items()}
    assert manifest.sha256 == file_sha256(path) and manifest.size == path.stat().st_size
    assert BACKUP_NAME.match(path.name)


# --- 2. refusals that leave the target as it was ----------------------------------------------

def test_restore_refuses_the_live_database_and_any_database_that_already_holds_a_table(
        source_url, databases, backup):
    before = digests(table_rows(source_url))
    with pytest.raises(BackupError, match="đã có bảng hoặc dữ liệu: chỉ khôi phục vào cơ sở dữ liệu trống"):
        restore_backup(source_url, backup)
    assert digests(table_rows(source_url)) == before

    other = databases.empty("nonempty")
    engine = sa.create_engine(other, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE ghi_chu (noi_dung text)"))  # a table, no rows
    with pytest.raises(BackupError, match="đã có bảng hoặc dữ liệu"):
        restore_backup(other, backup)
    assert {table: rows for table, rows in table_rows(other).items()} == {"ghi_chu": []}
    engine.dispose()


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    # At a page's start (its header and cell pointers): the middle of a page may be its free space,
    # which no check reads, and where the middle falls moves whenever the schema grows.
    middle = (len(data) // 2) & ~4095
    data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("damage, message", [
    (_flip_bytes, "Mã kiểm tra SHA-256 .* không khớp với tệp mô tả"),
    (_truncate, "bị cắt cụt hoặc bị thay đổi"),
], ids=["flipped", "truncated"])
def test_restore_refuses_a_file_that_no_longer_matches_its_checksum(databases, backup, tmp_path, damage, message):
    damaged = copy_of(backup, tmp_path)
    damage(damaged)
    target = databases.empty("target")

    with pytest.raises(BackupError, match=message):
        restore_backup(target, damaged)

    assert_still_empty(target)


def _garbage_pages(path: Path) -> None:
    """Overwrite 16 KB in the middle with bytes that are not a database page or a compressed block."""
    data = bytearray(path.read_bytes())
    start = (len(data) // 2) & ~4095
    data[start:start + 16384] = (b"\xde\xad\xbe\xef" * 4096)[:len(data[start:start + 16384])]
    path.write_bytes(bytes(data))


def _not_a_backup(path: Path) -> None:
    path.write_bytes("Biên bản bàn giao, không phải bản sao lưu.\n".encode() * 100)


@pytest.mark.parametrize("damage", [_truncate, _garbage_pages, _flip_bytes, _not_a_backup],
                         ids=["truncated", "corrupt", "flipped", "not-a-backup"])
def test_restore_refuses_a_damaged_file_even_when_its_manifest_was_rewritten_to_match(
        databases, backup, tmp_path, damage):
    damaged = copy_of(backup, tmp_path)
    damage(damaged)
    rewrite_manifest(damaged)
    target = databases.empty("target")

    # Flipped bytes in a PostgreSQL archive's table of contents read fine and fail only as SQL
    # inside pg_restore's single transaction, which leaves the target as empty as the others.
    with pytest.raises(BackupError, match=r"bản sao lưu (SQLite|PostgreSQL) hợp lệ|tệp hỏng|hỏng \(kiểm tra"):
        restore_backup(target, damaged)

    assert_still_empty(target)


def test_restore_refuses_a_file_without_its_manifest(databases, backup, tmp_path):
    alone = tmp_path / backup.name
    shutil.copy2(backup, alone)
    target = databases.empty("target")

    with pytest.raises(BackupError, match="Không có tệp mô tả .* không phải bản sao lưu hoàn chỉnh"):
        restore_backup(target, alone)

    assert_still_empty(target)


# --- 3. kill -9 in the middle ------------------------------------------------------------------

# Runs create_backup in a child process that stops at one point and says so; the test then kills it.
KILLED_BACKUP = r"""
import functools, os, pathlib, signal, sqlite3, subprocess, sys, time
url, output, marker, point = sys.argv[1:5]

def hold():
    pathlib.Path(marker).write_text("here")
    time.sleep(300)

import tracker.backup as backup
if point == "copying":
    # SQLite: copy one page at a time and stop after the first.
    class OnePageAtATime(sqlite3.Connection):
        def backup(self, target, **kwargs):
            return super().backup(target, pages=1, progress=lambda *_: hold())
    sqlite3.connect = functools.partial(sqlite3.connect, factory=OnePageAtATime)
    # PostgreSQL: freeze pg_dump as soon as it has written its first bytes.
    real_run = subprocess.run
    def run(args, **kwargs):
        if not args[0].endswith("pg_dump"):
            return real_run(args, **kwargs)
        out = pathlib.Path(next(a for a in args if a.startswith("--file="))[len("--file="):])
        dump = subprocess.Popen(args, env=kwargs.get("env"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while dump.poll() is None and not (out.exists() and out.stat().st_size):
            time.sleep(0.001)
        if dump.poll() is None:
            dump.send_signal(signal.SIGSTOP)
        hold()
    subprocess.run = run
elif point == "renaming":
    # The manifest is written; the file still has its temporary name.
    real_write = backup.write_manifest
    def write_then_hold(*args):
        real_write(*args)
        hold()
    backup.write_manifest = write_then_hold
backup.create_backup(url, pathlib.Path(output))
"""


def _source_state(url: str) -> dict:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sa.engine.make_url(url).database)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    return digests(table_rows(url))


@pytest.mark.parametrize("point", ["copying", "renaming"])
def test_kill_9_during_a_backup_leaves_the_database_whole_and_no_file_that_passes_as_a_backup(
        source_url, databases, tmp_path, point):
    before = _source_state(source_url)
    output, marker = tmp_path / "backups", tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, source_url, str(output), str(marker), point],
                             cwd=ROOT, start_new_session=True)  # its own group: pg_dump dies with it
    try:
        wait_for(lambda: marker.exists() or child.poll() is not None)
        assert child.poll() is None, "the backup ended before it could be killed"
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    assert _source_state(source_url) == before  # whole, answering, not a row changed
    left = sorted(output.iterdir())
    assert left, "the killed backup had started writing"
    assert not [f for f in left if BACKUP_NAME.match(f.name)], "a file carries a finished backup's name"
    target = databases.empty("after_kill")
    for leftover in left:
        with pytest.raises(BackupError):
            restore_backup(target, leftover)
    assert_still_empty(target)
    # Nothing is left locked: the next backup works.
    path, _manifest = create_backup(source_url, tmp_path / "next")
    assert path.exists()


# --- 4. the commands ---------------------------------------------------------------------------

def test_flask_backup_writes_into_instance_backups_and_flask_restore_fills_an_empty_database_once(
        source, databases, tmp_path):
    result = source.test_cli_runner().invoke(args=["backup"])

    assert result.exit_code == 0, result.output
    folder = Path(source.instance_path) / "backups"
    [path] = [f for f in folder.iterdir() if BACKUP_NAME.match(f.name)]
    assert f"Đã sao lưu vào {path}" in result.output and file_sha256(path) in result.output
    manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    assert manifest["file"] == path.name and manifest["engine"] == databases.kind
    assert manifest["alembic_revision"] and manifest["tables"]["units"] > 0

    target_url = databases.empty("cli")
    target = make_app(target_url, tmp_path / "instance")
    runner = target.test_cli_runner()
    try:
        restored = runner.invoke(args=["restore", str(path)])
        assert restored.exit_code == 0, restored.output
        assert f"Đã khôi phục «{path.name}»" in restored.output
        assert f"{len(manifest['tables'])} bảng" in restored.output
        assert "db upgrade" not in restored.output  # same schema version as the code

        again = runner.invoke(args=["restore", str(path)])
        assert again.exit_code == 1
        assert "Cơ sở dữ liệu đích đã có bảng hoặc dữ liệu" in again.output
    finally:
        dispose(target)
        path.unlink()
        manifest_path(path).unlink()
    assert digests(table_rows(target_url)) == digests(table_rows(source.config["SQLALCHEMY_DATABASE_URI"]))


def test_the_commands_as_typed_back_up_with_output_and_refuse_a_damaged_file(source_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": source_url, "TRACKER_INSTANCE": str(tmp_path / "instance")}
    flask = [sys.executable, "-m", "flask", "--app", "app"]

    made = subprocess.run([*flask, "backup", "--output", str(tmp_path / "nightly")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)

    assert made.returncode == 0, made.stderr
    [path] = [f for f in (tmp_path / "nightly").iterdir() if BACKUP_NAME.match(f.name)]
    assert "Đã sao lưu vào" in made.stdout
    _flip_bytes(path)
    refused = subprocess.run([*flask, "restore", str(path)], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 1
    assert "Mã kiểm tra SHA-256" in refused.stderr and "Không khôi phục." in refused.stderr

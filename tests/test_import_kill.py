"""``flask assets import`` killed with SIGKILL in the middle of its commit leaves no half import.

The command runs as a real process on a database of its own (a SQLite file; a fresh database in
the test run's PostgreSQL cluster), set up by the real commands (``db upgrade``, ``units load``)
and holding an earlier small import. A big list (25,000 rows) is imported and the process is
killed once its transaction is visibly writing: on SQLite when the write-ahead log has grown
past 8 MB (the whole transaction writes about 1.6 kB a row, and its commit frame is written only
at the very end), on PostgreSQL when the server reports its COPY into ``asset_events`` (the
history of the first 10,000 new assets; two more chunks follow). Then the database must be sound
and every table exactly as before; the same import run again goes in whole, once.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import import_builders as build

ROOT = Path(__file__).resolve().parent.parent
ROWS = 25_000
EARLIER = 120  # assets already in the database before the big import
WAL_KILL_BYTES = 8 * 1024 * 1024


class Tracker:
    """The app's command line against one database and instance folder."""

    def __init__(self, url: str, instance: Path):
        self.url, self.instance = url, instance
        self.env = {**os.environ, "DATABASE_URL": url, "TRACKER_INSTANCE": str(instance), "PYTHONUNBUFFERED": "1"}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "flask", "--app", "app", *args]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(self.command(*args), cwd=ROOT, env=self.env, capture_output=True, text=True,
                                timeout=timeout)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return result

    def start(self, *args: str, out: Path) -> subprocess.Popen:
        # Output to files, not pipes: nobody reads a pipe while we wait, and a full pipe would stall it.
        with open(out.with_suffix(".out"), "wb") as stdout, open(out.with_suffix(".err"), "wb") as stderr:
            return subprocess.Popen(self.command(*args), cwd=ROOT, env=self.env, stdout=stdout, stderr=stderr)


def digest(url: str) -> tuple[dict[str, int], str]:
    """Row counts and one SHA-256 over every row of every table (rows sorted, so order-free)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(sa.inspect(conn).get_table_names())
            counts, whole = {}, hashlib.sha256()
            for name in names:
                rows = sorted(repr(tuple(row)) for row in conn.execute(sa.text(f'SELECT * FROM "{name}"')))
                counts[name] = len(rows)
                whole.update(name.encode())
                for row in rows:
                    whole.update(row.encode())
            return counts, whole.hexdigest()
    finally:
        engine.dispose()


@pytest.fixture
def tracker(database_url, tmp_path):
    """A migrated database with Thái Nguyên's units and an earlier import, for the command line."""
    yield from own_database(database_url, tmp_path)


def own_database(database_url: str, tmp_path: Path):
    """A database of its own beside the suite's (a SQLite file, or a new database in the PostgreSQL
    cluster), migrated by the real command, Thái Nguyên loaded, an earlier import of 120 assets; removed after."""
    instance = tmp_path / "instance"
    instance.mkdir()
    server = None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'kill.db'}"
    else:
        name = f"tracker_kill_{secrets.token_hex(4)}"
        server = sa.create_engine(database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        url = database_url.rsplit("/", 1)[0] + "/" + name
    app = Tracker(url, instance)
    try:
        app.run("db", "upgrade")
        app.run("units", "load", "--province", "Thái Nguyên")
        earlier = tmp_path / "truoc.xlsx"
        earlier.write_bytes(build.xlsx_of(build.simple_equipment_rows(EARLIER, prefix="CU")))
        assert "tạo mới 120" in app.run("assets", "import", str(earlier)).stdout
        yield app
    finally:
        if server is not None:
            with server.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            server.dispose()


def _wal_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _copying_events(url: str) -> Callable[[], bool]:
    """True once the server reports the import's COPY into asset_events (PostgreSQL 14+)."""
    engine = sa.create_engine(url, poolclass=sa.pool.StaticPool)
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    query = sa.text("SELECT relid::regclass::text FROM pg_stat_progress_copy WHERE datname = current_database()")

    def check() -> bool:
        return "asset_events" in conn.execute(query).scalars().all()
    check.close = lambda: (conn.close(), engine.dispose())  # type: ignore[attr-defined]
    return check


def kill_in_commit(tracker: Tracker, path: Path, out: Path) -> dict:
    """Start the import, SIGKILL it once its transaction is writing; what was seen at that moment."""
    sqlite_file = Path(tracker.url.removeprefix("sqlite:///")) if tracker.url.startswith("sqlite") else None
    if sqlite_file is not None:
        wal = Path(f"{sqlite_file}-wal")
        writing = lambda: _wal_size(wal) > WAL_KILL_BYTES  # noqa: E731
    else:
        writing = _copying_events(tracker.url)
    started = time.monotonic()
    process = tracker.start("assets", "import", str(path), out=out)
    try:
        while not writing():
            assert process.poll() is None, "the import ended before it was seen writing: " + \
                out.with_suffix(".out").read_text()[-1500:]
            assert time.monotonic() - started < 50, "the import was never seen writing"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        seen = {"after_s": round(time.monotonic() - started, 2),
                "wal_bytes": _wal_size(wal) if sqlite_file is not None else None}
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if sqlite_file is None:
            writing.close()
    seen["returncode"] = process.returncode
    seen["stdout"] = out.with_suffix(".out").read_text()
    return seen


def _wait_backends_gone(url: str) -> None:
    """PostgreSQL rolls the killed client's transaction back once it sees the socket closed."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            for _ in range(200):
                others = conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                              "current_database() AND pid <> pg_backend_pid()")).scalar()
                if not others:
                    return
                time.sleep(0.05)
        raise AssertionError("the killed import's server process is still there")
    finally:
        engine.dispose()


def test_an_import_killed_in_the_middle_of_its_commit_leaves_nothing_and_runs_whole_afterwards(tracker, tmp_path):
    big = tmp_path / "lon.xlsx"
    big.write_bytes(build.xlsx_of(build.simple_equipment_rows(ROWS, prefix="LON")))
    counts_before, digest_before = digest(tracker.url)
    assert counts_before["assets"] == EARLIER and counts_before["import_batches"] == 1

    seen = kill_in_commit(tracker, big, tmp_path / "killed")
    print(f"\nkilled after {seen['after_s']} s (WAL {seen['wal_bytes']} bytes); tables before: {counts_before}")
    assert seen["returncode"] == -signal.SIGKILL
    # It had printed its preview and had started writing, but never said it had stored anything.
    assert "Tạo mới: 25.000 · Cập nhật: 0" in seen["stdout"]
    assert "Đã ghi lần nhập" not in seen["stdout"]

    if tracker.url.startswith("sqlite"):
        assert seen["wal_bytes"] > WAL_KILL_BYTES  # the uncommitted transaction's pages were in the log
        with sqlite3.connect(tracker.url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    else:
        _wait_backends_gone(tracker.url)
    counts_after, digest_after = digest(tracker.url)  # on PostgreSQL this also shows the database answers
    assert counts_after == counts_before and digest_after == digest_before

    done = tracker.run("assets", "import", str(big), timeout=90)
    # (On PostgreSQL the killed transaction used up an id of import_batches: the record is #3, not #2.)
    assert re.search(r"Đã ghi lần nhập #\d+: tạo mới 25\.000, cập nhật 0", done.stdout), done.stdout[-500:]
    counts_done, _ = digest(tracker.url)
    assert counts_done["assets"] == EARLIER + ROWS
    assert counts_done["asset_events"] == counts_before["asset_events"] + ROWS
    assert counts_done["import_batches"] == 2
    engine = sa.create_engine(tracker.url)
    try:
        with engine.connect() as conn:
            codes = conn.execute(sa.text("SELECT count(DISTINCT code) FROM assets WHERE code LIKE 'LON-%'")).scalar()
            assert codes == ROWS
    finally:
        engine.dispose()

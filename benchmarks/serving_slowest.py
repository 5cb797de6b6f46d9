"""The slowest requests that still run inside a web request, timed through gunicorn (`flask serve`).

    .venv/bin/python benchmarks/serving_slowest.py [--repeat 3] [--workers 2] [--cases page,xlsx,csv,xlsx_damaged,health]

Uses the export benchmark's SQLite database (new Thái Nguyên's unit map + 1,000,000 assets,
100,000 of them in the old city of Sông Công; built once by ``benchmarks/export_bench.py``, or
here if missing), signs in through the real form as an admin, then times over HTTP, end to end
(first byte to last): the register's first page, the .xlsx and the CSV export of the 100,000
assets of one district and the .xlsx of every damaged asset (about 167,000 rows): below
``EXPORT_JOB_ROWS`` (200,000), so answered by the web request itself; and ``/healthz``. The figures set the timeouts in ``tracker/serving/gunicorn_conf.py``.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.serving_support import Browser, Gunicorn, Instance  # noqa: E402

USERNAME = "serving_bench"


def district_id(db_path: Path) -> int:
    import export_bench

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT id FROM units WHERE name = ? AND lower(kind) = 'old_district'",
                            (export_bench.DISTRICT,)).fetchone()[0]


def timed(browser: Browser, path: str, repeat: int) -> tuple[list[float], int, int]:
    """Seconds per request, the status, and the body's size."""
    times, status, size = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        status, _headers, body = browser.open("GET", path, timeout=600)
        times.append(time.perf_counter() - started)
        size = len(body)
    return times, status, size


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cases", default="page,xlsx,csv,xlsx_damaged,health")
    args = parser.parse_args()

    import export_bench

    export_bench.build(False)
    db_path = export_bench.DB_PATH
    folder = Path(tempfile.mkdtemp(prefix="serving-slowest-"))
    instance = Instance(folder / "instance", f"sqlite:///{db_path}")
    try:
        instance.flask("users", "create", USERNAME, "--role", "admin", "--password", "Cay-bang-ven-song-42")
    except AssertionError as exc:
        if "đã có người dùng" not in str(exc):
            raise
    server = Gunicorn(instance, folder / "gunicorn.log", workers=args.workers)
    try:
        server.wait_until_answering(timeout=300)
        browser = Browser("127.0.0.1", server.port)
        status, _headers, _body = browser.sign_in(USERNAME)
        assert status == 302, server.log_text()[-2000:]
        district = district_id(db_path)
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; gunicorn {args.workers} workers")
        print("| request | status | size | times (s) | median |")
        print("|---|---|---|---|---|")
        cases = {"page": ("register, first page", "/assets/"),
                 "xlsx": ("register .xlsx, 100,000 rows", f"/exports/register.xlsx?district_id={district}"),
                 "csv": ("register .csv, 100,000 rows", f"/exports/register.csv?district_id={district}"),
                 "xlsx_damaged": ("register .xlsx, every damaged asset (about 167,000 rows)",
                                  "/exports/register.xlsx?condition=damaged"),
                 "health": ("/healthz", "/healthz")}
        for name in args.cases.split(","):
            label, path = cases[name]
            times, status, size = timed(browser, path, args.repeat)
            shown = ", ".join(f"{t:.2f}" for t in times)
            print(f"| {label} | {status} | {size:,} | {shown} | {statistics.median(times):.2f} |", flush=True)
        print(f"load after: {os.getloadavg()[0]:.1f}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

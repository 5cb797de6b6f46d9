"""Benchmark: importing 100,000 equipment rows from .xlsx, fast route against the naive one.

    .venv/bin/python benchmarks/import_bench.py                    # SQLite
    .venv/bin/python benchmarks/import_bench.py --postgres         # and a throwaway PostgreSQL
    .venv/bin/python benchmarks/import_bench.py --database-url postgresql+psycopg://…

Fast route: the app's own import (python-calamine, validation column by column, one transaction
of driver-level multi-row INSERTs or COPY for assets and their history). It runs in a fresh
process per database so its peak memory (ru_maxrss) is the import's alone. Web route: the same
as the upload page does it with the queue's jobs (tracker/importing/uploads.py: the upload kept
in the database, read by a real ``flask worker`` process, previewed, committed by the worker,
which plans again), without HTTP. Naive route, in the same run:
pandas.read_excel with openpyxl on the same 100,000-row file (measured in full), then the ORM
service ``create_asset`` row by row, measured on the first 10,000 rows and extrapolated x10
(the naive write only gets slower as the table grows, so the extrapolation flatters it).
Floor, on SQLite: the issue's own yardsticks (calamine reading the file, 100,000 plain rows by
sqlite3 executemany and by SQLAlchemy Core) and what this schema costs with no Python work at
all: the file checked, calamine's parse, the import's final rows written by raw INSERTs, COMMIT.
Results print as Markdown tables (with where each database's time goes, the PostgreSQL backend's CPU
during the write, and PostgreSQL's pace against SQLite's) and go to benchmarks/out/import_bench.json.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))
TYPES = ("Máy vi tính", "Máy in", "Máy photocopy", "Điều hòa", "Bàn ghế", "Tủ tài liệu", "Máy chiếu")
CONDITIONS = ("Tốt", "Đang sử dụng", "Hư hỏng", "Cần sửa chữa")


def generate(path: Path, rows: int) -> None:
    """An equipment list of ``rows`` rows, written in constant memory."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Thiết bị")
    sheet.write_row(0, 0, ["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Số hiệu, số serial", "Số lượng",
                           "Đơn vị tính", "Nguyên giá (đồng)", "Giá trị còn lại (đồng)", "Tình trạng",
                           "Hiện trạng sử dụng", "Ghi chú"])
    for i in range(1, rows + 1):
        kind = TYPES[i % len(TYPES)]
        cost = 1_000_000 + (i * 7919) % 49_000_000
        sheet.write_row(i, 0, [i, f"TB-{i:06d}", f"{kind} số {i}", kind, f"SN{i:08d}", 1, "cái", cost, cost // 2,
                               CONDITIONS[i % 4], "Đang dùng tại phòng làm việc", ""])
    book.close()


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "load_average": os.getloadavg()}


def _app(database_url: str):
    os.environ["TRACKER_INSTANCE"] = tempfile.mkdtemp(prefix="bench-inst-")
    os.environ["DATABASE_URL"] = database_url
    from tracker import create_app

    return create_app()


def prepare(database_url: str) -> None:
    """Migrate an empty database and load new Thái Nguyên's units (the officer's province)."""
    app = _app(database_url)
    with app.app_context():
        from flask_migrate import upgrade

        from tracker.extensions import db
        from tracker.units.loader import load_province

        upgrade()
        load_province("Thái Nguyên")
        db.session.commit()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_write_phases() -> dict:
    """Time the phases: checking the file, calamine's parse, building rows, reserving ids, the driver's inserts."""
    from tracker.importing import commit

    phases: dict = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    from tracker.importing import creation, parse, reading

    creation.CreationRows.build = timed("build_rows_s", creation.CreationRows.build)
    commit._bulk_insert = timed("driver_insert_s", commit._bulk_insert)  # SQLite: both tables
    commit._reserve_ids = timed("reserve_ids_s", commit._reserve_ids)
    if hasattr(commit, "_copy_assets"):  # PostgreSQL: the assets' COPY includes building their rows (overlapped)
        commit._copy_assets = timed("copy_assets_s", commit._copy_assets)
        commit._copy_events = timed("copy_events_s", commit._copy_events)
    parse.inspect = timed("check_file_s", parse.inspect)
    reading._LazySheet.load = timed("calamine_parse_s", reading._LazySheet.load)
    return phases


def _server_cpu(conn):
    """A function giving the CPU seconds the PostgreSQL backend of ``conn`` has used (None elsewhere, or when
    the server's /proc is not this machine's): the server works in its own process, beside the client's."""
    if conn.dialect.name != "postgresql":
        return lambda: None
    stat = Path(f"/proc/{conn.connection.driver_connection.info.backend_pid}/stat")

    def used():
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def child_fast(database_url: str, path: Path) -> dict:
    """Preview + commit exactly as ``flask assets import`` does; run twice (the second is a re-import)."""
    app = _app(database_url)
    result = {}
    with app.app_context():
        import sqlalchemy as sa

        from tracker.extensions import db
        from tracker.importing.commit import commit_plan
        from tracker.importing.parse import parse_file
        from tracker.importing.plan import build_plan
        from tracker.models import Asset, Unit

        unit = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Thắng Lợi"))
        db.session.commit()
        baseline = _peak_mb()
        phases = _time_write_phases()
        server = _server_cpu(db.session.connection())
        for run in ("first", "again"):
            phases.clear()
            started, cpu = time.perf_counter(), time.process_time()
            parsed = parse_file(path.read_bytes(), path.name)
            read = time.perf_counter()
            plan = build_plan(parsed, None, unit)
            planned = time.perf_counter()
            server_before = server()
            if plan.can_commit:
                commit_plan(plan, None)
            flushed = time.perf_counter()
            db.session.commit()
            done = time.perf_counter()
            phases["commit_s"] = done - flushed
            if server_before is not None:
                phases["server_cpu_write_s"] = server() - server_before
            phases["rows_and_validation_s"] = read - started - phases.get("check_file_s", 0) - phases.get(
                "calamine_parse_s", 0)
            result[run] = {"read_s": read - started, "plan_s": planned - read, "write_s": done - planned,
                           "total_s": done - started, "cpu_s": time.process_time() - cpu,
                           "peak_rss_mb": _peak_mb(), "write_phases": dict(phases), **plan.counts()}
            del parsed, plan
        result["assets"] = db.session.scalar(sa.select(sa.func.count()).select_from(Asset))
    result["peak_rss_mb"] = _peak_mb()
    result["rss_before_import_mb"] = baseline
    return result


def child_web(database_url: str, path: Path) -> dict:
    """The web page's route as jobs, without HTTP: the upload stored in the database, read by a real
    worker process (``flask worker``, the default SQLite queue in the instance folder), the preview
    (load + plan), then the commit by the worker (load + plan again, to catch what changed meanwhile,
    + write); timed from the upload to the committed state, polling the job's row as the page does."""
    import subprocess

    app = _app(database_url)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT,
                              env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with app.app_context():
            import sqlalchemy as sa

            from tracker.extensions import db
            from tracker.importing import uploads
            from tracker.jobs import queue, store
            from tracker.models import BackgroundJob, ImportBatch, JobChunk, Role, Unit, User

            unit = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Thắng Lợi"))
            officer = User(username="bench_web", role=Role.OFFICER, province_id=unit.province_id, full_name="Bench")
            officer.set_password("Cay-bang-ven-song-42")
            db.session.add(officer)
            db.session.commit()
            deadline = time.monotonic() + 60
            while not queue.live_workers(queue.huey()) and time.monotonic() < deadline:
                time.sleep(0.1)  # the worker is up (its heartbeat seen) before the clock starts

            def wait(token: str, busy: str) -> str:
                while True:
                    db.session.rollback()
                    state = db.session.scalar(sa.select(BackgroundJob.state).where(BackgroundJob.token == token))
                    if state != busy:
                        return state
                    time.sleep(0.05)

            times, cpu = {}, time.process_time()
            started = time.perf_counter()
            job = uploads.create(officer, path.name, unit.id, path.read_bytes())
            uploads.start_reading(job, here=False)
            token = job.token
            times["read_state"] = wait(token, "reading")
            times["upload_and_read_s"] = time.perf_counter() - started
            mark = time.perf_counter()
            job = store.by_token(token)
            plan = uploads.plan_of(job, officer)
            times["preview_s"] = time.perf_counter() - mark
            mark = time.perf_counter()
            uploads.start_commit(job, plan.fingerprint(), None, here=False)
            del plan
            times["state"] = wait(token, "committing")
            times["commit_s"] = time.perf_counter() - mark
            times["total_s"] = time.perf_counter() - started
            times["cpu_s"] = time.process_time() - cpu  # this process only; the worker's is apart
            times["pickle_mb"] = 0.0
            job = store.by_token(token)
            batch = db.session.get(ImportBatch, job.batch_id) if job.batch_id else None
            times["batch_created"] = batch.created_count if batch else None
            times["chunks_left"] = db.session.scalar(sa.select(sa.func.count()).select_from(JobChunk)
                                                     .where(JobChunk.job_id == job.id))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    times["peak_rss_mb"] = _peak_mb()
    return times


def child_naive(database_url: str, path: Path, rows: int) -> dict:
    """pandas + openpyxl for the whole file, then create_asset per row for the first ``rows`` rows."""
    import pandas as pd

    app = _app(database_url)
    result = {}
    with app.app_context():
        import sqlalchemy as sa

        from tracker.assets.services import create_asset
        from tracker.extensions import db
        from tracker.models import AssetKind, Unit

        unit = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Phố Cò"))  # apart from the fast run
        started = time.perf_counter()
        frame = pd.read_excel(path, engine="openpyxl")
        result["read_all_s"] = time.perf_counter() - started
        result["read_rows"] = len(frame)
        columns = {"Mã tài sản": "code", "Tên tài sản": "name", "Loại thiết bị": "equipment_type",
                   "Số hiệu, số serial": "serial", "Số lượng": "quantity", "Đơn vị tính": "unit_of_measure",
                   "Nguyên giá (đồng)": "original_cost", "Giá trị còn lại (đồng)": "remaining_value",
                   "Tình trạng": "condition", "Hiện trạng sử dụng": "current_use", "Ghi chú": "notes"}
        records = frame.head(rows).rename(columns=columns)[list(columns.values())].to_dict("records")
        started = time.perf_counter()
        for record in records:
            create_asset(AssetKind.EQUIPMENT, record, None, unit=unit)
        db.session.commit()
        result["write_s"] = time.perf_counter() - started
        result["write_rows"] = len(records)
    result["peak_rss_mb"] = _peak_mb()
    return result


def child_capture(database_url: str, path: Path, out: Path) -> dict:
    """The import's final rows (assets, their events, the import record) as the app builds them,
    rolled back, pickled to ``out`` for the floor runs."""
    import pickle

    import sqlalchemy as sa

    app = _app(database_url)
    with app.app_context():
        from tracker.extensions import db
        from tracker.importing import commit
        from tracker.importing.parse import parse_file
        from tracker.importing.plan import build_plan
        from tracker.models import Unit

        captured = []
        real_insert = commit._bulk_insert
        commit._bulk_insert = lambda _driver, _dialect, table, columns, rows: captured.append((table, columns, rows))
        try:
            unit = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Thắng Lợi"))
            batch = commit.commit_plan(build_plan(parse_file(path.read_bytes(), path.name), None, unit), None)
            table = batch.__table__
            engine = sa.create_engine("sqlite://")
            record = {c.key: getattr(batch, c.key) for c in table.columns}
            bound = {k: (c.type.bind_processor(engine.dialect) or (lambda v: v))(record[k])
                     for k, c in table.columns.items()}
        finally:
            commit._bulk_insert = real_insert
            db.session.rollback()
    with open(out, "wb") as fh:
        pickle.dump({"batch": (str(sa.insert(table).compile(engine, column_keys=list(bound))), list(bound.values())),
                     "rows": [(t, c, [tuple(map(_plain, row)) for row in rows]) for t, c, rows in captured]}, fh)
    return {"rows": sum(len(rows) for _t, _c, rows in captured)}


def _plain(value):
    """A str-based enum member as the str the driver binds it as."""
    return str.__str__(value) if isinstance(value, str) and value.__class__ is not str else value


def child_floor(database_url: str, path: Path, rows_file: Path) -> dict:
    """On SQLite, in a fresh process on a freshly migrated database: the issue's yardsticks (calamine
    reading the file; 100,000 plain rows through sqlite3 executemany and through SQLAlchemy Core) and
    the floor of this schema: the file checked, the sheet parsed by calamine, and the import's own
    final rows (built beforehand by ``child_capture``, so no validation, matching or building is
    timed) written by the app's raw multi-row INSERTs (``commit._bulk_insert``), then COMMIT."""
    import io
    import pickle
    import sqlite3

    import sqlalchemy as sa
    from python_calamine import CalamineWorkbook

    from tracker.importing.commit import _bulk_insert
    from tracker.importing.safety import inspect

    with open(rows_file, "rb") as fh:
        final = pickle.load(fh)
    data, result = path.read_bytes(), {}
    started = time.perf_counter()
    inspect(data, path.name)
    result["check_file_s"] = time.perf_counter() - started
    started = time.perf_counter()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    result["calamine_parse_s"] = time.perf_counter() - started
    started = time.perf_counter()
    cells = sheet.to_python()
    result["calamine_to_python_s"] = time.perf_counter() - started

    driver = sqlite3.connect(database_url.split("///", 1)[1], isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "busy_timeout=10000"):  # as tracker/extensions.py
        driver.execute(f"PRAGMA {pragma}")
    gc.disable()  # as the import does (tracker/importing/bulk.py)
    started = time.perf_counter()
    driver.execute("BEGIN IMMEDIATE")
    driver.execute(*final["batch"])
    for table, columns, rows in final["rows"]:
        _bulk_insert(driver, "sqlite", table, columns, rows)
    written = time.perf_counter()
    driver.execute("COMMIT")
    result["write_final_rows_s"] = written - started
    result["commit_s"] = time.perf_counter() - written
    gc.enable()
    driver.close()
    result["rows_written"] = sum(len(rows) for _t, _c, rows in final["rows"])
    result["floor_s"] = (result["check_file_s"] + result["calamine_parse_s"] + result["write_final_rows_s"]
                         + result["commit_s"])

    plain = [tuple(row) for row in cells[1:]]
    width = len(plain[0])
    folder = tempfile.mkdtemp(prefix="bench-plain-")
    con = sqlite3.connect(f"{folder}/plain.db")
    con.execute(f"CREATE TABLE plain ({', '.join(f'c{i}' for i in range(width))})")
    started = time.perf_counter()
    con.executemany(f"INSERT INTO plain VALUES ({', '.join('?' * width)})", plain)
    con.commit()
    result["plain_executemany_s"] = time.perf_counter() - started
    con.close()
    engine = sa.create_engine(f"sqlite:///{folder}/core.db")
    table = sa.Table("plain", sa.MetaData(), *(sa.Column(f"c{i}") for i in range(width)))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE plain ({', '.join(table.c.keys())})")
    records = [dict(zip(table.c.keys(), row)) for row in plain]
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(sa.insert(table), records)
    result["plain_core_s"] = time.perf_counter() - started
    result["plain_rows"] = len(plain)
    return result


def _spawn(*args: str, tree: Path | None = None) -> dict:
    """A child of this script, or of the same script in another checkout (``tree``) of the app."""
    script = (tree / "benchmarks" / "import_bench.py") if tree else Path(__file__)
    output = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, check=True,
                            cwd=tree or ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def _prepare_in(tree: Path, database_url: str) -> None:
    """``prepare`` with that checkout's own migrations and unit loader."""
    code = ("import sys; sys.path.insert(0, 'benchmarks'); from import_bench import prepare; "
            f"prepare({database_url!r})")
    subprocess.run([sys.executable, "-c", code], cwd=tree, check=True, capture_output=True)


def _baseline_tree(ref: str) -> Path:
    """A checkout of ``ref`` beside this one (git worktree), for the same-run comparison."""
    tree = Path(tempfile.gettempdir()) / f"import-bench-baseline-{ref[:12]}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), ref], cwd=ROOT, check=True,
                       capture_output=True)
    return tree


def _fresh_postgres(url: str) -> str:
    """Another empty database on the same server, for a repeated run."""
    import psycopg

    name = f"bench_{int(time.time() * 1000)}"
    base = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def _sqlite_url() -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='bench-db-')}/bench.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway cluster (tests/pgcluster.py)")
    parser.add_argument("--database-url", default=None, help="also on this (empty) PostgreSQL database")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-web", action="store_true", help="leave out the web route (the fast route and floor only)")
    parser.add_argument("--repeat", type=int, default=3, help="fast runs per database (fresh database each); "
                                                              "the best and the median are reported")
    parser.add_argument("--baseline", default=None, metavar="GIT_REF",
                        help="also run that commit's import (a git worktree), interleaved with this one's, on SQLite")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, url, path, *rest = args.child
        data = (child_fast(url, Path(path)) if kind == "fast" else child_web(url, Path(path)) if kind == "web"
                else child_capture(url, Path(path), Path(rest[0])) if kind == "capture"
                else child_floor(url, Path(path), Path(rest[0])) if kind == "floor"
                else child_naive(url, Path(path), int(rest[0])))
        print(json.dumps(data))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"equipment-{args.rows}.xlsx"
    if not path.exists():
        generate(path, args.rows)
    report = {"machine": machine(), "file": {"rows": args.rows, "bytes": path.stat().st_size},
              "command": " ".join([".venv/bin/python", "benchmarks/import_bench.py", *sys.argv[1:]])}
    targets = [("sqlite", _sqlite_url())]
    cluster = None
    if args.postgres:
        from tests.pgcluster import Cluster

        cluster = Cluster()
        targets.append(("postgresql", cluster.start()))
    if args.database_url:
        targets.append(("postgresql", args.database_url))
    final_rows = OUT / "import-final-rows.pickle"
    tree = _baseline_tree(args.baseline) if args.baseline else None
    try:
        for name, url in targets:
            runs, floors, baseline = [], [], []
            if name == "sqlite":
                target = _sqlite_url()
                prepare(target)
                _spawn("--child", "capture", target, str(path), str(final_rows))
            for _ in range(args.repeat):
                target = url if name != "sqlite" else _sqlite_url()
                if name != "sqlite" and runs:
                    target = _fresh_postgres(url)
                prepare(target)
                runs.append(_spawn("--child", "fast", target, str(path)))
                print(f"{name}: fast {runs[-1]['first']['total_s']:.2f} s", file=sys.stderr)
                if tree is not None and name == "sqlite":  # the earlier code on the same machine, in turn
                    target = _sqlite_url()
                    _prepare_in(tree, target)
                    baseline.append(_spawn("--child", "fast", target, str(path), tree=tree))
                    print(f"{name}: baseline {args.baseline} {baseline[-1]['first']['total_s']:.2f} s", file=sys.stderr)
                if name == "sqlite":  # interleaved with the fast runs, so both see the same machine
                    target = _sqlite_url()
                    prepare(target)
                    floors.append(_spawn("--child", "floor", target, str(path), str(final_rows)))
                    print(f"{name}: floor {floors[-1]['floor_s']:.2f} s", file=sys.stderr)
            if floors:
                floors.sort(key=lambda r: r["floor_s"])
                report["floor_sqlite"] = floors[0] | {"all_floors_s": [r["floor_s"] for r in floors]}
            if baseline:
                pairs = [[r["first"]["total_s"], b["first"]["total_s"]] for r, b in zip(runs, baseline)]  # in run order
                baseline.sort(key=lambda r: r["first"]["total_s"])
                best = min(r["first"]["total_s"] for r in runs)
                report[f"baseline_{name}"] = {
                    "ref": args.baseline, "best_total_s": baseline[0]["first"]["total_s"],
                    "median_total_s": baseline[len(baseline) // 2]["first"]["total_s"],
                    "all_totals_s": [r["first"]["total_s"] for r in baseline],
                    "ratio_best": round(best / baseline[0]["first"]["total_s"], 3),
                    "pairs": pairs}
            runs.sort(key=lambda r: r["first"]["total_s"])
            report[f"fast_{name}"] = runs[0] | {"median_total_s": runs[len(runs) // 2]["first"]["total_s"],
                                                "all_totals_s": [r["first"]["total_s"] for r in runs]}
            if not args.skip_web:
                target = _sqlite_url() if name == "sqlite" else _fresh_postgres(url)
                prepare(target)
                report[f"web_{name}"] = _spawn("--child", "web", target, str(path))
            if not args.skip_naive:
                fresh = _sqlite_url() if name == "sqlite" else url
                if name == "sqlite":
                    prepare(fresh)
                naive = _spawn("--child", "naive", fresh, str(path), str(args.naive_rows))
                naive["write_per_row_ms"] = naive["write_s"] / naive["write_rows"] * 1000
                naive["extrapolated_total_s"] = naive["read_all_s"] + naive["write_s"] * args.rows / naive["write_rows"]
                report[f"naive_{name}"] = naive
    finally:
        if cluster:
            cluster.stop()
    report["machine"]["load_average_after"] = os.getloadavg()
    (OUT / "import_bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(markdown(report))


def phase_table(report: dict) -> list[str]:
    """Where the time of each database's best first import goes, and PostgreSQL's pace against SQLite's."""
    lines = ["| database (best first run) | check file | calamine | rows + validation | plan | reserve ids "
             "| build rows | inserts | commit | total | server CPU in the write |", "|---|" + "---|" * 10]
    totals = {}
    for key, value in report.items():
        if not key.startswith("fast_"):
            continue
        r, name = value["first"], key[5:]
        p = r["write_phases"]
        totals[name] = (r["total_s"], value.get("median_total_s", r["total_s"]))
        if "copy_assets_s" in p:  # PostgreSQL: COPY of the assets, rows built meanwhile, then of the events
            inserts = (f"COPY assets {p['copy_assets_s']:.2f} s (building included), "
                       f"COPY events {p.get('copy_events_s', 0):.2f} s")
        else:
            inserts = f"{p.get('driver_insert_s', 0):.2f} s"
        server = f"{p['server_cpu_write_s']:.2f} s" if "server_cpu_write_s" in p else "— (same process)"
        lines.append(f"| {name} | {p.get('check_file_s', 0):.2f} s | {p.get('calamine_parse_s', 0):.2f} s "
                     f"| {p.get('rows_and_validation_s', 0):.2f} s | {r['plan_s']:.2f} s "
                     f"| {p.get('reserve_ids_s', 0):.2f} s | {p.get('build_rows_s', 0):.2f} s | {inserts} "
                     f"| {p.get('commit_s', 0):.2f} s | **{r['total_s']:.2f} s** | {server} |")
    if "sqlite" in totals and "postgresql" in totals:
        (pg_best, pg_median), (lite_best, lite_median) = totals["postgresql"], totals["sqlite"]
        lines.append(f"\nPostgreSQL against SQLite in this run, preview + commit of the new rows: best "
                     f"**{pg_best / lite_best:.2f}×** ({pg_best:.2f} / {lite_best:.2f} s), median "
                     f"{pg_median / lite_median:.2f}× ({pg_median:.2f} / {lite_median:.2f} s).")
    return lines


def markdown(report: dict) -> str:
    """The table that goes into docs/BENCHMARKS.md."""
    lines = ["| database | route | read | match | write | total | peak RSS |", "|---|---|---|---|---|---|---|"]
    for key, value in report.items():
        if key.startswith("fast_"):
            for run, label in (("first", "fast: preview + commit, 100k new"), ("again", "fast: same file again")):
                r = value[run]
                if run == "first" and "median_total_s" in value:
                    label += f" (best of {len(value['all_totals_s'])}, median {value['median_total_s']:.2f} s)"
                lines.append(f"| {key[5:]} | {label} | {r['read_s']:.2f} s | {r['plan_s']:.2f} s | {r['write_s']:.2f} s"
                             f" | **{r['total_s']:.2f} s** (CPU {r['cpu_s']:.2f} s) | {r['peak_rss_mb']:.0f} MB |")
        elif key.startswith("web_"):
            lines.append(f"| {key[4:]} | web route as jobs: upload read by the worker, preview, "
                         f"commit by the worker | {value['upload_and_read_s']:.2f} s | {value['preview_s']:.2f} s | "
                         f"{value['commit_s']:.2f} s (plan again + write) | **{value['total_s']:.2f} s** "
                         f"(CPU {value['cpu_s']:.2f} s) | {value['peak_rss_mb']:.0f} MB |")
        elif key.startswith("naive_"):
            lines.append(f"| {key[6:]} | naive: pandas+openpyxl, ORM per row | {value['read_all_s']:.2f} s "
                         f"| — | {value['write_s']:.2f} s for {value['write_rows']:,} rows "
                         f"({value['write_per_row_ms']:.2f} ms/row) | ≈{value['extrapolated_total_s']:.0f} s "
                         f"(extrapolated) | {value['peak_rss_mb']:.0f} MB |")
    lines += ["", *phase_table(report)]
    for key, value in report.items():
        if key.startswith("baseline_"):
            lines.append(f"\nSame run, {key[9:]}: the import as it was at {value['ref']} (a git worktree), each of its "
                         f"runs right after one of this code's: best {value['best_total_s']:.2f} s, median "
                         f"{value['median_total_s']:.2f} s; this code's best is **{value['ratio_best']:.2f}×** that. "
                         "Pairs (this, baseline): " + ", ".join(f"{a:.2f}/{b:.2f} s" for a, b in value["pairs"]) + ".")
    floor = report.get("floor_sqlite")
    if floor:
        lines.append(
            f"\nSame run, SQLite. The issue's yardsticks: python-calamine reads the file in "
            f"{floor['calamine_parse_s'] + floor['calamine_to_python_s']:.2f} s (issue: about 0.9 s); "
            f"{floor['plain_rows']:,} plain rows go into a bare table in {floor['plain_executemany_s']:.2f} s with "
            f"sqlite3 executemany (issue: about 0.2 s) and {floor['plain_core_s']:.2f} s with SQLAlchemy Core "
            f"(issue: 1.4 s). Floor of this schema, with no validation, matching or building: checking the file "
            f"{floor['check_file_s']:.2f} s + calamine's parse {floor['calamine_parse_s']:.2f} s + the import's "
            f"final {floor['rows_written']:,} rows (assets and their events) by raw multi-row INSERTs "
            f"{floor['write_final_rows_s']:.2f} s + COMMIT {floor['commit_s']:.2f} s = **{floor['floor_s']:.2f} s** "
            f"(best of {len(floor['all_floors_s'])}, interleaved with the fast runs: "
            f"{', '.join(f'{v:.2f}' for v in floor['all_floors_s'])} s).")
    m = report["machine"]
    lines.append(f"\nMachine: {m['nproc']} cores, {m['cpu']}, {m['ram_gb']} GB RAM, Python {m['python']}; "
                 f"load average before {m['load_average'][0]:.2f}, after {m['load_average_after'][0]:.2f}.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

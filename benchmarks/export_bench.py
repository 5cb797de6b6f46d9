"""Export benchmark: streaming CSV of 1,000,000 assets and .xlsx of 100,000, through the app's
own routes, beside the naive pandas baseline, each in a fresh process so its peak RSS is its own.

    .venv/bin/python benchmarks/export_bench.py            # build (once, cached) and measure
    .venv/bin/python benchmarks/export_bench.py --rebuild  # rebuild the database first
    .venv/bin/python benchmarks/export_bench.py --postgres --cases csv_app,csv_app_job,xlsx_app
        # the same rows copied into a throwaway PostgreSQL cluster (tests/pgcluster.py)

The SQLite database (new Thái Nguyên's real unit map + 1,000,000 assets written with bulk Core
inserts; 100,000 of them in the old city of Sông Công) is cached in benchmarks/out/ (gitignored).
Targets (issue 6): CSV of 1,000,000 in at most 10 s with peak RSS under 200 MB; .xlsx of
100,000 in at most 6 s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "exports"  # a folder of its own: other benchmarks share out/
DB_PATH = OUT / "export_bench.db"
TOTAL, DISTRICT_ROWS, DISTRICT = 1_000_000, 100_000, "Thành phố Sông Công"
sys.path.insert(0, str(ROOT))


def make_app():
    """The real app on the benchmark database (SQLite, or BENCH_DATABASE_URL when set)."""
    os.environ.setdefault("TRACKER_INSTANCE", str(OUT / "instance"))
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DB_PATH}"
    os.environ.setdefault("SECRET_KEY", "benchmark")
    from tracker import create_app

    return create_app()


# --- Building the data -------------------------------------------------------------------------

EQUIPMENT = [("Máy vi tính để bàn Dell OptiPlex", "Máy vi tính"), ("Máy in Canon LBP 2900", "Máy in"),
             ("Điều hòa Daikin 12000BTU", "Điều hòa"), ("Bàn ghế làm việc", "Bàn ghế"),
             ("Tủ đựng tài liệu sắt", "Tủ"), ("Máy photocopy Ricoh", "Máy photocopy"), ("Máy chiếu Sony", "Máy chiếu")]
CONDITIONS = ["good", "in_use", "in_use", "in_use", "needs_repair", "damaged"]


def _rows(units, district_units, seed=2025):
    """1,000,000 asset rows: 88 % equipment, 9 % archive boxes, 1.5 % vehicles, 1.5 % headquarters."""
    import datetime as dt

    from tracker.text import fold

    rnd = random.Random(seed)
    now = dt.datetime(2025, 7, 20, 3, 0)
    counters: dict[tuple[int, str], int] = {}
    others = [u for u in units if u not in district_units]
    for n in range(TOTAL):
        unit = district_units[n % len(district_units)] if n < DISTRICT_ROWS else others[n % len(others)]
        uid, ucode, uname, province_id, receiver_id = unit
        r = rnd.random()
        kind = "equipment" if r < 0.88 else "archive_box" if r < 0.97 else "vehicle" if r < 0.985 else "headquarters"
        seq = counters[(uid, kind)] = counters.get((uid, kind), 0) + 1
        cost = rnd.randrange(1_000_000, 900_000_000)
        row = dict(kind=kind, code=f"{kind[:2].upper()}-{ucode}-{seq:05d}", province_id=province_id, unit_id=uid,
                   holder_id=uid, receiver_id=receiver_id, status="registered", condition=rnd.choice(CONDITIONS),
                   ownership="own", quantity=rnd.randint(1, 5), unit_of_measure="cái", original_cost=cost,
                   remaining_value=cost // rnd.randint(2, 10), current_use="Đang sử dụng tại trụ sở",
                   intended_use=None, documents=None, notes=None, address=None, plate=None, make_model=None,
                   equipment_type=None, serial=None, fonds=None, fonds_folded=None, box_no=None,
                   arrangement=None, files_count=None, created_at=now, updated_at=now, version=1)
        if kind == "equipment":
            name, row["equipment_type"] = EQUIPMENT[n % len(EQUIPMENT)]
            row["serial"] = f"SN{n:08d}"
        elif kind == "archive_box":
            name = f"Hộp hồ sơ số {seq}"
            row.update(fonds=f"Phông UBND {uname} (#{uid})", box_no=str(seq), arrangement="unsorted",
                       files_count=rnd.randint(5, 60), unit_of_measure="hộp")
            row["fonds_folded"] = fold(row["fonds"])
        elif kind == "vehicle":
            name = "Xe ô tô Toyota Innova"
            plate = f"{20 + n // 100000 % 80}A-{n % 1000:03d}.{n // 1000 % 100:02d}"  # unique for n < 1,000,000
            row.update(plate=plate, make_model="Toyota Innova", unit_of_measure="chiếc")
        else:
            name = f"Trụ sở UBND {uname}"
            row.update(address=f"Số {seq}, {uname}", unit_of_measure="cơ sở", intended_use="Trụ sở UBND phường")
        row["name"] = name
        row["search_text"] = fold(f"{name} {row['code']}")
        yield row


def build(rebuild: bool) -> None:
    """Migrate, load the unit map, insert 1,000,000 assets in batches (cached)."""
    OUT.mkdir(parents=True, exist_ok=True)
    if DB_PATH.exists() and not rebuild:
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    app = make_app()
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from tracker.admin.services import create_user
    from tracker.extensions import db
    from tracker.models import Asset, Role, Unit, UnitKind
    from tracker.units.loader import load_province

    started = time.perf_counter()
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        create_user("bench_admin", "benchmark-only", Role.ADMIN)
        db.session.commit()
        district = db.session.scalar(sa.select(Unit).where(Unit.name == DISTRICT, Unit.kind == UnitKind.OLD_DISTRICT))
        dissolved = db.session.scalars(sa.select(Unit).where(Unit.kind.in_((UnitKind.OLD_DISTRICT,
                                                                            UnitKind.OLD_COMMUNE)))).all()
        units = [(u.id, u.code, u.name, u.province_id, u.successors[0].id if u.successors else None)
                 for u in dissolved]
        district_units = [u for u in units if u[0] == district.id or
                          db.session.get(Unit, u[0]).parent_id == district.id]
        batch, table = [], Asset.__table__
        with db.engine.begin() as conn:
            for row in _rows(units, district_units):
                batch.append(row)
                if len(batch) == 50_000:
                    conn.execute(table.insert(), batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
        print(f"built {TOTAL:,} assets in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def copy_to_postgres(url: str) -> None:
    """Migrate a PostgreSQL database, load the same units and admin, COPY the cached assets in."""
    import sqlite3

    os.environ["BENCH_DATABASE_URL"] = url
    app = make_app()
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from tracker.admin.services import create_user
    from tracker.extensions import db
    from tracker.models import Role, Unit
    from tracker.units.loader import load_province

    started = time.perf_counter()
    source = sqlite3.connect(DB_PATH)
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        create_user("bench_admin", "benchmark-only", Role.ADMIN)
        db.session.commit()
        names = dict(db.session.execute(sa.select(Unit.id, Unit.name)).all())
        if names != dict(source.execute("SELECT id, name FROM units")):
            raise SystemExit("the unit ids differ between SQLite and PostgreSQL; cannot copy the assets")
        columns = [c[1] for c in source.execute("PRAGMA table_info(assets)")]
        raw = db.engine.raw_connection()
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY assets ({', '.join(columns)}) FROM STDIN") as copy:
                rows = source.execute(f"SELECT {', '.join(columns)} FROM assets ORDER BY id")
                while batch := rows.fetchmany(10_000):
                    for row in batch:
                        copy.write_row(row)
            cursor.execute("SELECT setval('assets_id_seq', (SELECT max(id) FROM assets))")
        raw.commit()
        raw.close()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE assets")
    print(f"copied {TOTAL:,} assets to PostgreSQL in {time.perf_counter() - started:.0f} s", file=sys.stderr)


# --- Measurements, each in its own process -------------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of the second export process it waited for:
    what the export itself cost, whatever else runs."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                         resource.RUSAGE_CHILDREN)))


def _district_id(db) -> int:
    import sqlalchemy as sa

    from tracker.models import Unit, UnitKind

    return db.session.scalar(sa.select(Unit.id).where(Unit.name == DISTRICT, Unit.kind == UnitKind.OLD_DISTRICT))


def measure(case: str) -> dict:
    """One case, timed end to end through the real route (signed in as an admin)."""
    if case == "csv_app":
        os.environ["EXPORT_JOB_ROWS"] = "0"  # streamed by the web request itself
    if case == "csv_app_job":
        os.environ["EXPORT_JOB_ROWS"] = "1"  # through a job: written into the database, then fetched
        os.environ["TRACKER_QUEUE_URL"] = "immediate://"  # the job runs at once, in this process
    app = make_app()
    import sqlalchemy as sa

    from tracker.extensions import db
    from tracker.models import Asset, User

    with app.app_context():
        admin_id = db.session.scalar(sa.select(User.id).where(User.username == "bench_admin"))
        district = _district_id(db)
        export_sql = sa.select(Asset.__table__).order_by(Asset.code, Asset.id)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(admin_id)
        session["_fresh"] = True
    baseline = _peak_mb()
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    size = rows = 0
    if case in ("csv_app", "csv_app_job"):
        response = client.get("/exports/register.csv", buffered=False)
        if case == "csv_app_job":
            assert response.status_code == 302, response.status_code
            response = client.get(response.headers["Location"] + "/download", buffered=False)
        for chunk in response.response:
            size += len(chunk)
            rows += chunk.count(b"\r\n")
        response.close()
        rows -= 1  # the header
    elif case == "xlsx_app":
        response = client.get(f"/exports/register.xlsx?district_id={district}")
        size = len(response.data)
        rows = DISTRICT_ROWS
    elif case == "csv_floor":
        # What the machine can do at all: the driver and the csv module alone, no app code.
        import csv
        import sqlite3

        from tracker.exports.columns import all_columns

        names = ", ".join(c.key for c in all_columns())
        cursor = sqlite3.connect(DB_PATH).execute(f"SELECT {names} FROM assets ORDER BY id")
        parts: list[str] = []
        writer = csv.writer(type("Sink", (), {"write": staticmethod(parts.append)})(), lineterminator="\r\n")
        while batch := cursor.fetchmany(2000):
            writer.writerows(batch)
            size += len("".join(parts).encode())
            rows += len(batch)
            parts.clear()
    elif case == "xlsx_reference":
        # The yardstick: xlsxwriter, constant memory, 200,000 rows of 9 columns, cell by cell.
        import xlsxwriter

        row = [1, "TB-123-00001", "Máy vi tính để bàn Dell", 1, "cái", 12_500_000, 3_500_000, "Đang sử dụng",
               "Phường Thắng Lợi"]
        book = xlsxwriter.Workbook(str(OUT / "reference.xlsx"), {"constant_memory": True})
        sheet = book.add_worksheet()
        for rows in range(200_000):
            sheet.write_row(rows, 0, row)
        book.close()
        rows, size = 200_000, (OUT / "reference.xlsx").stat().st_size
    elif case in ("csv_pandas", "xlsx_pandas"):
        import pandas as pd

        with app.app_context():
            query = export_sql if case == "csv_pandas" else export_sql.where(Asset.unit_id.in_(
                sa.select(sa.text("id")).select_from(sa.text("units")).where(
                    sa.or_(sa.text(f"id = {district}"), sa.text(f"parent_id = {district}")))))
            frame = pd.read_sql(query, db.engine)
            rows = len(frame)
            target = OUT / ("pandas.csv" if case == "csv_pandas" else "pandas.xlsx")
            if case == "csv_pandas":
                frame.to_csv(target, index=False, encoding="utf-8-sig")
            else:
                frame.to_excel(target, index=False, engine="xlsxwriter")
            size = target.stat().st_size
    seconds = time.perf_counter() - started
    return {"case": case, "rows": rows, "seconds": round(seconds, 2),
            "cpu_seconds": round(_cpu_seconds() - cpu_before, 2), "load_avg_1min": os.getloadavg()[0], "bytes": size,
            "peak_rss_mb": round(_peak_mb(), 1), "rss_before_mb": round(baseline, 1),
            "second_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


CASES = ("xlsx_reference", "csv_floor", "csv_app", "csv_app_job", "csv_pandas", "xlsx_app", "xlsx_pandas")


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    parser.add_argument("--copy-to", help=argparse.SUPPRESS)  # internal: fill this PostgreSQL database
    parser.add_argument("--postgres", action="store_true",
                        help="run the app cases on a throwaway PostgreSQL cluster holding the same rows")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated, from: " + ", ".join(CASES))
    args = parser.parse_args()
    if args.case:
        print(json.dumps(measure(args.case)))
        return
    if args.copy_to:
        copy_to_postgres(args.copy_to)
        return
    build(args.rebuild)
    results = []
    cluster = None
    env = dict(os.environ)
    if args.postgres:
        from tests.pgcluster import Cluster

        cluster = Cluster()
        url = cluster.start()
        done = subprocess.run([sys.executable, __file__, "--copy-to", url], check=False)
        env["BENCH_DATABASE_URL"] = url
    try:
        if args.postgres and done.returncode:
            raise SystemExit("copying to PostgreSQL failed")
        for case in args.cases.split(","):
            if args.postgres and case in ("csv_floor", "xlsx_reference"):
                continue  # SQLite-only yardsticks
            for _ in range(args.repeat):
                done = subprocess.run([sys.executable, __file__, "--case", case], capture_output=True, text=True,
                                      check=True, env=env)
                results.append({"database": "postgresql" if args.postgres else "sqlite",
                                **json.loads(done.stdout.strip().splitlines()[-1])})
                print(json.dumps(results[-1]), file=sys.stderr)
    finally:
        if cluster:
            cluster.stop()
    print(json.dumps({"machine": machine(), "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

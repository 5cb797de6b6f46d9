"""Benchmark of the flags pages and the country report, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/flags_bench.py [--db sqlite,postgresql] [--rebuild] [--repeat 5]
        [--only /flags/reallocation] [--pages-only]

Builds (once; the SQLite file is cached in benchmarks/out/) the real unit map of the country with
2,000,000 synthetic assets, 200,000 of them in one province of about 100 new units (Bắc Ninh,
99), then times each flags page through the Flask test client (server time: the request runs
in-process, no network), the country report, and beside them the naive per-unit loop (one
COUNT per unit and status) the grouped queries replace. Prints a Markdown table for
docs/BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa  # noqa: E402

FOCUS = "Bắc Ninh"
OUT = ROOT / "benchmarks" / "out"
SQLITE_FILE = OUT / "flags-bench.sqlite"
TOTAL, FOCUS_ASSETS = 2_000_000, 200_000


def make_app(url: str):
    os.environ["TRACKER_INSTANCE"] = tempfile.mkdtemp(prefix="flags-bench-")
    from tracker import create_app
    from tracker.config import TestConfig

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "TESTING": False})


def build(app, label: str) -> None:
    """Schema from the migrations, the whole unit map, then the synthetic rows."""
    from flask_migrate import upgrade

    import flags_data
    from tracker.extensions import db
    from tracker.units.loader import load_all

    with app.app_context():
        started = time.perf_counter()
        upgrade()
        load_all()
        db.session.commit()
        with db.engine.begin() as connection:
            counts = flags_data.generate(connection, FOCUS, total=TOTAL, province_assets=FOCUS_ASSETS)
            flags_data.set_unit_counts(connection)
        flags_data.finish(db.engine)
        print(f"[{label}] built {counts} in {time.perf_counter() - started:.0f} s", flush=True)


def officer_id(app) -> tuple[int, int]:
    from tracker.admin.services import create_user
    from tracker.extensions import db
    from tracker.models import Province, Role, User

    with app.app_context():
        province = db.session.scalar(sa.select(Province).where(Province.name == FOCUS))
        user = db.session.scalar(sa.select(User).where(User.username == "bench_officer"))
        if user is None:
            user = create_user("bench_officer", "matkhau123", Role.OFFICER, province=province, full_name="Bench")
            db.session.commit()
        return user.id, province.id


def pages(app, province_id: int) -> list[tuple[str, str]]:
    from tracker.extensions import db
    from tracker.models import Unit, UnitKind

    with app.app_context():
        busiest = db.session.execute(sa.text(
            "SELECT unit_id, count(*) FROM assets WHERE province_id = :p GROUP BY unit_id ORDER BY 2 DESC LIMIT 1"),
            {"p": province_id}).first()[0]
        ward = db.session.scalar(sa.select(Unit.id).where(Unit.province_id == province_id,
                                                          Unit.kind == UnitKind.NEW_COMMUNE).order_by(Unit.id))
    flags = ("unhanded", "stalled", "hq_decision", "multi_hq", "receipt")
    return [
        ("Tiến độ (dashboard)", "/flags/"),
        ("Tiến độ, một loại", "/flags/?kind=equipment"),
        ("Một đơn vị nhận", f"/flags/units/{ward}"),
        ("Danh sách sau một con số", f"/flags/assets?side=giver&unit={busiest}&status=registered"),
        ("Lưu trữ chưa chỉnh lý", "/flags/archives"),
        ("Hộp chưa bàn giao", "/flags/archives/unhanded"),
        ("Hộp mô tả thiếu", "/flags/archives/incomplete"),
        ("Thiếu, thừa theo định mức", "/flags/gaps"),
        ("Đề xuất điều chuyển", "/flags/reallocation"),
        ("Định mức", "/flags/norms"),
        ("Nhận dạng thiết bị", "/flags/rules"),
        ("Cảnh báo (tổng)", "/flags/alerts"),
        *[(f"Cảnh báo: {name}", f"/flags/alerts/{name}") for name in flags],
    ]


def time_pages(app, user_id: int, targets: list[tuple[str, str]], repeat: int
               ) -> list[tuple[str, float, float, float]]:
    """(label, median wall ms, max wall ms, median CPU ms of this process) per page; one warm-up
    request first. CPU time is what the app itself spent (with SQLite, the queries too): unlike
    wall time it does not grow while other work holds the machine's two cores."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    results = []
    for label, path in targets:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        walls, cpus = [], []
        for _ in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200
        results.append((label, statistics.median(walls), max(walls), statistics.median(cpus)))
    return results


def naive_dashboard(province_id: int | None) -> float:
    """The loop the grouped query replaces: one COUNT per unit and status (ms)."""
    from tracker.extensions import db
    from tracker.models import Asset, AssetStatus, Unit, UnitKind

    started = time.perf_counter()
    query = sa.select(Unit.id, Unit.kind)
    if province_id is not None:
        query = query.where(Unit.province_id == province_id)
    for uid, kind in db.session.execute(query).all():
        if UnitKind(kind).dissolved:
            condition = Asset.unit_id == uid
        else:
            condition = sa.or_(Asset.receiver_id == uid, sa.and_(Asset.receiver_id.is_(None), Asset.holder_id == uid))
        for status in AssetStatus:
            db.session.scalar(sa.select(sa.func.count()).select_from(Asset).where(condition, Asset.status == status))
    return (time.perf_counter() - started) * 1000


def grouped_dashboard(province_id: int | None) -> float:
    from tracker.flags.dashboard.progress import status_counts

    started = time.perf_counter()
    status_counts(province_id)
    return (time.perf_counter() - started) * 1000


def run(label: str, url: str, repeat: int, rebuild: bool, naive_country: bool, only: list[str] | None = None,
        pages_only: bool = False) -> dict:
    app = make_app(url)
    if rebuild:
        build(app, label)
    user_id, province_id = officer_id(app)
    targets = [(name, path) for name, path in pages(app, province_id)
               if not only or any(path.startswith(prefix) for prefix in only)]
    load = os.getloadavg()[0]
    result = {"db": label, "pages": time_pages(app, user_id, targets, repeat)}
    result["load"] = f"{load:.1f}–{os.getloadavg()[0]:.1f}"
    if pages_only:
        return result
    with app.app_context():
        from tracker.extensions import db
        from tracker.flags.dashboard.country_report import country_report

        result["province_grouped"] = min(grouped_dashboard(province_id) for _ in range(3))
        result["province_naive"] = naive_dashboard(province_id)
        started = time.perf_counter()
        lines = country_report()
        result["country_report"] = (time.perf_counter() - started) * 1000
        db.session.commit()
        started = time.perf_counter()
        country_report()
        result["country_report_warm"] = (time.perf_counter() - started) * 1000
        result["country_assets"] = lines[-1].values["assets"]
        result["country_grouped"] = grouped_dashboard(None)
        result["country_naive"] = naive_dashboard(None) if naive_country else None
        db.session.rollback()
        db.engine.dispose()
    return result


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return f"{os.cpu_count()} CPU ({model}), {mem_kb / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}"


def report(results: list[dict]) -> None:
    print(f"\nMachine: {machine()}\n")
    labels = [f"{r['db']} (load {r['load']})" for r in results]
    print("| Trang | " + " | ".join(f"{d}: median / max wall, median CPU (ms)" for d in labels) + " |")
    print("|---|" + "---|" * len(labels))
    for i, (label, *_rest) in enumerate(results[0]["pages"]):
        print(f"| {label} | " + " | ".join(
            f"{r['pages'][i][1]:.0f} / {r['pages'][i][2]:.0f}, {r['pages'][i][3]:.0f}" for r in results) + " |")
    print()
    for r in results:
        if "country_report" not in r:
            continue
        naive_country = f"{r['country_naive'] / 1000:.1f} s" if r["country_naive"] is not None else "not run"
        print(f"- {r['db']}: province counts grouped {r['province_grouped']:.0f} ms vs naive per-unit loop "
              f"{r['province_naive']:.0f} ms; country report {r['country_report'] / 1000:.2f} s "
              f"(second run {r['country_report_warm'] / 1000:.2f} s, {r['country_assets']:,} assets); country counts "
              f"grouped {r['country_grouped'] / 1000:.2f} s vs naive per-unit loop {naive_country}")


def main() -> None:
    global TOTAL, FOCUS_ASSETS, SQLITE_FILE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached SQLite file")
    parser.add_argument("--no-naive-country", action="store_true", help="skip the slow naive loop over the country")
    parser.add_argument("--only", action="append", metavar="PATH",
                        help="time only the pages whose path starts with PATH (repeatable)")
    parser.add_argument("--pages-only", action="store_true", help="time the pages only, not the country report")
    parser.add_argument("--total", type=int, default=TOTAL, help="assets in the country (default 2,000,000)")
    parser.add_argument("--focus-assets", type=int, default=FOCUS_ASSETS, help="assets in Bắc Ninh (default 200,000)")
    args = parser.parse_args()
    TOTAL, FOCUS_ASSETS = args.total, args.focus_assets
    if (TOTAL, FOCUS_ASSETS) != (2_000_000, 200_000):
        SQLITE_FILE = OUT / f"flags-bench-{TOTAL}-{FOCUS_ASSETS}.sqlite"
    results = []
    for label in args.db.split(","):
        if label == "sqlite":
            OUT.mkdir(parents=True, exist_ok=True)
            rebuild = args.rebuild or not SQLITE_FILE.exists()
            if rebuild and SQLITE_FILE.exists():
                SQLITE_FILE.unlink()
            results.append(run("SQLite", f"sqlite:///{SQLITE_FILE}", args.repeat, rebuild, not args.no_naive_country,
                               args.only, args.pages_only))
        elif label == "postgresql":
            from tests.pgcluster import Cluster

            signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` stops the cluster
            cluster = Cluster()
            try:
                url = cluster.start()
                results.append(run("PostgreSQL", url, args.repeat, True, not args.no_naive_country, args.only,
                                   args.pages_only))
            finally:
                cluster.stop()
    report(results)


if __name__ == "__main__":
    main()

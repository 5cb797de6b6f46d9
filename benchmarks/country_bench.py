"""The whole country in one database (issue 14, point 4): p50/p95 of the pages, with and without indexes.

    .venv/bin/python benchmarks/country_bench.py [--db sqlite,postgresql] [--requests 200]
        [--baseline-requests 10] [--rebuild] [--total 2000000] [--only register,search]

Builds the country (``country_data.py``: migrations, the real unit map, 2,000,000 assets,
handovers in every state; the SQLite file is kept in benchmarks/out/ and reused, upgraded to the
newest migration first) or, on PostgreSQL, a throwaway cluster (``tests/pgcluster.py``) filled by
COPY. Signs in through the sign-in page (a real session cookie) as the officer of the largest
province and as an admin, then times each page through the Flask test client (server time: the
request runs in-process, no network): ``--requests`` requests per page and user, after one
warm-up; asset pages rotate over that many assets. The same requests are then repeated
``--baseline-requests`` times with the indexes out of use: on SQLite every query on the assets,
handovers, items and events tables gets ``NOT INDEXED`` (rowid lookups stay), on PostgreSQL the
session runs with ``enable_indexscan``, ``enable_indexonlyscan`` and ``enable_bitmapscan`` off, and
search goes back to what it was before its index (``SEARCH_INDEX = False``: LIKE '%word%').
Prints a Markdown table and writes benchmarks/out/country_bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
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

OUT = ROOT / "benchmarks" / "out"
PASSWORD = "Nui-Coc-ban-giao-25"
OFFICER, ADMIN = "country_officer", "country_admin"
DEEP_PAGE = 2000  # rows 99,951-100,000 of the register
TARGETS = {"register": 100, "search": 100, "page": 200}
INDEXED_TABLES = ("assets", "handovers", "handover_items", "asset_events")


def make_app(url: str):
    os.environ["TRACKER_INSTANCE"] = tempfile.mkdtemp(prefix="country-bench-")
    from tracker import create_app
    from tracker.config import TestConfig

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "TESTING": False})


def build(app, total: int, label: str) -> dict:
    """Schema from the migrations, the whole unit map, the two users, then the country's rows."""
    from flask_migrate import upgrade

    import country_data
    from tracker.admin.services import create_user
    from tracker.extensions import db
    from tracker.models import Province, Role
    from tracker.units.loader import load_all

    with app.app_context():
        started = time.perf_counter()
        upgrade()
        load_all()
        db.session.commit()
        focus = country_data.largest_province(db.session.connection(), total)
        officer = create_user(OFFICER, PASSWORD, Role.OFFICER, province=db.session.get(Province, focus),
                              full_name="Cán bộ Sở Tài chính")
        create_user(ADMIN, PASSWORD, Role.ADMIN, full_name="Quản trị hệ thống")
        db.session.commit()
        loaded = time.perf_counter()
        officer_id = officer.id
        db.session.rollback()  # no snapshot left open: VACUUM could not mark the new rows all-visible
        with db.engine.begin() as connection:
            counts = country_data.generate(connection, officer_id=officer_id, total=total)
        country_data.finish(db.engine)
        counts["seconds_map"] = round(loaded - started)
        counts["seconds_rows"] = round(time.perf_counter() - loaded)
        print(f"[{label}] built {counts}", flush=True)
        return counts


def upgrade_cached(app) -> None:
    """Bring a cached database to the newest migration; fresh statistics if anything changed."""
    from flask_migrate import upgrade

    from tracker.extensions import db

    with app.app_context():
        before = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        db.session.rollback()
        upgrade()
        after = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        db.session.rollback()
        if before != after:
            print(f"upgraded {before} -> {after}; ANALYZE", flush=True)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("ANALYZE"))


def targets(app) -> dict:
    """The ids the pages need: the officer's province, its biggest district, the 500-item handover, assets."""
    from tracker.extensions import db
    from tracker.models import Province, User

    with app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.username == OFFICER))
        pid = officer.province_id
        district = db.session.execute(sa.text(
            "SELECT a.unit_id FROM assets a JOIN units u ON u.id = a.unit_id WHERE a.province_id = :p "
            "AND u.kind = 'old_district' GROUP BY a.unit_id ORDER BY count(*) DESC LIMIT 1"), {"p": pid}).scalar()
        big = db.session.execute(sa.text(
            "SELECT i.handover_id FROM handover_items i JOIN handovers h ON h.id = i.handover_id WHERE h.province_id = :p "
            "GROUP BY i.handover_id ORDER BY count(*) DESC LIMIT 1"), {"p": pid}).scalar()
        big_items = db.session.execute(sa.text("SELECT count(*) FROM handover_items WHERE handover_id = :h"),
                                       {"h": big}).scalar()
        # Assets spread through the province's id range, with their history.
        low, high = db.session.execute(sa.text("SELECT min(id), max(id) FROM assets WHERE province_id = :p"),
                                       {"p": pid}).one()
        assets = [r[0] for r in db.session.execute(sa.text(
            "SELECT id FROM assets WHERE province_id = :p AND id % 97 = 0 ORDER BY id"), {"p": pid})]
        name = db.session.get(Province, pid).name
        total = db.session.execute(sa.text("SELECT count(*) FROM assets")).scalar()
        in_province = db.session.execute(sa.text("SELECT count(*) FROM assets WHERE province_id = :p"),
                                         {"p": pid}).scalar()
        db.session.rollback()
    return {"province_id": pid, "province": name, "district_id": district, "big_handover": big,
            "big_items": big_items, "assets": assets, "asset_range": [low, high], "total": total,
            "in_province": in_province}


def pages(t: dict, admin: bool) -> list[tuple[str, str, str]]:
    """(group, label, path or path pattern with {asset}) of every page timed."""
    province = f"&province={t['province_id']}" if admin else ""
    return [
        ("register", "Sổ tài sản, trang đầu", "/assets/"),
        ("register", f"Sổ tài sản, trang {DEEP_PAGE}", f"/assets/?page={DEEP_PAGE}"),
        ("register", "Lọc theo đơn vị và loại", f"/assets/?unit_id={t['district_id']}&kind=equipment"),
        ("search", "Tìm «may tinh»", "/assets/?q=may+tinh"),
        ("search", "Tìm «thang loi»", "/assets/?q=thang+loi"),
        ("search", "Tìm «o to»", "/assets/?q=o+to"),
        ("page", "Trang một tài sản", "/assets/{asset}"),
        ("page", f"Biên bản {t['big_items']} tài sản", f"/handovers/{t['big_handover']}"),
        ("page", "Tiến độ của tỉnh", "/flags/?" + province.lstrip("&")),
    ]


def sign_in(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, (username, response.status_code)
    assert client.get("/assets/?page=1").status_code == 200
    return client


def time_page(client, path: str, assets: list[int], n: int) -> dict:
    """p50/p95/max wall and median CPU (ms) of ``n`` requests after one warm-up."""
    def url(i: int) -> str:
        return path.format(asset=assets[i % len(assets)])

    response = client.get(url(0))
    assert response.status_code == 200, (path, response.status_code)
    walls, cpus = [], []
    for i in range(n):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url(i + 1))
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url(i + 1), response.status_code)
    walls.sort()
    cpus.sort()
    at95 = min(n - 1, int(round(0.95 * n)) - 1)
    return {"n": n, "p50": statistics.median(walls), "p95": walls[at95], "max": walls[-1],
            "cpu": statistics.median(cpus), "cpu_p95": cpus[at95]}


class IndexesOff:
    """While active, the app's queries read the big tables without their indexes."""

    PATTERN = re.compile(r"\b(FROM|JOIN)\s+(" + "|".join(INDEXED_TABLES) + r")\b(\s+AS\s+\w+)?", re.IGNORECASE)

    def __init__(self, app, engine: sa.Engine):
        self.app, self.engine, self._active = app, engine, False
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "before_cursor_execute", self._sqlite, retval=True)
        else:
            sa.event.listen(engine, "before_cursor_execute", self._postgres)

    @property
    def active(self) -> bool:
        return self._active

    @active.setter
    def active(self, value: bool) -> None:
        # The search without its index is the search as it was before it (LIKE '%word%', search.py).
        self._active = value
        self.app.config["SEARCH_INDEX"] = not value

    def _sqlite(self, conn, cursor, statement, parameters, context, executemany):
        if self.active and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statement = self.PATTERN.sub(lambda m: m.group(0) + " NOT INDEXED", statement)
        return statement, parameters

    def _postgres(self, conn, cursor, statement, parameters, context, executemany):
        # SET LOCAL before each statement: a plain SET made inside a request's transaction was undone
        # by its rollback, so only the first request of a baseline ran without the indexes.
        if self.active:
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; "
                           "SET LOCAL enable_bitmapscan = off")


def run(label: str, url: str, *, build_total: int | None, requests: int, baseline: int, only: set[str] | None
        ) -> dict:
    app = make_app(url)
    built = build(app, build_total, label) if build_total else None
    if not build_total:
        upgrade_cached(app)
    t = targets(app)
    print(f"[{label}] {t['total']:,} assets; {t['province']}: {t['in_province']:,}; handover {t['big_handover']} "
          f"with {t['big_items']} items", flush=True)
    from tracker.extensions import db

    with app.app_context():
        switch = IndexesOff(app, db.engine)
        head = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        db.session.rollback()
    result = {"db": label, "built": built, "targets": {k: v for k, v in t.items() if k != "assets"},
              "migration": head, "rows": []}
    load = os.getloadavg()[0]
    for username, admin in ((OFFICER, False), (ADMIN, True)):
        client = sign_in(app, username)
        for group, name, path in pages(t, admin):
            if only and group not in only:
                continue
            switch.active = False
            indexed = time_page(client, path, t["assets"], requests)
            unindexed = None
            if baseline:
                switch.active = True
                try:
                    unindexed = time_page(client, path, t["assets"], baseline)
                finally:
                    switch.active = False
            row = {"user": "admin" if admin else "officer", "group": group, "page": name, "path": path,
                   "indexed": indexed, "no_index": unindexed}
            result["rows"].append(row)
            print(f"[{label}] {row['user']:7} {name:32} p50 {indexed['p50']:7.1f} p95 {indexed['p95']:7.1f} ms"
                  + (f" | no index p50 {unindexed['p50']:8.1f} p95 {unindexed['p95']:8.1f} ms" if unindexed else ""),
                  flush=True)
    result["load"] = f"{load:.1f}–{os.getloadavg()[0]:.1f}"
    with app.app_context():
        db.engine.dispose()
    return result


def machine() -> str:
    import sqlite3

    from flags_bench import machine as cores_and_memory

    return f"{cores_and_memory()}, SQLite {sqlite3.sqlite_version}"


def report(results: list[dict]) -> None:
    print(f"\nMachine: {machine()}\n")
    for r in results:
        print(f"- {r['db']} ({r.get('at', '')}): load {r['load']}, migration {r['migration']}, {r['targets']['total']:,} assets, "
              f"{r['targets']['province']} {r['targets']['in_province']:,}")
    heads = [f"{r['db']} wall p50 / p95 (CPU p50 / p95), ms" for r in results] + [f"{r['db']} no index p50 / p95" for r in results]
    print("\n| page | user | target | " + " | ".join(heads) + " |")
    print("|---|---|---|" + "---|" * len(heads))
    if not results:
        return
    for row in results[0]["rows"]:
        cells = []
        same = [next((x for x in r["rows"] if (x["user"], x["page"]) == (row["user"], row["page"])), None)
                for r in results]
        for x in same:
            m = x and x["indexed"]
            cpu = f" (CPU {m['cpu']:.0f} / {m['cpu_p95']:.0f})" if m and "cpu_p95" in m else ""
            cells.append(f"{m['p50']:.0f} / **{m['p95']:.0f}**{cpu}" if m else "")
        for x in same:
            m = x and x["no_index"]
            cells.append(f"{m['p50']:.0f} / {m['p95']:.0f}" if m else "")
        print(f"| {row['page']} | {row['user']} | ≤ {TARGETS[row['group']]} ms | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page and user")
    parser.add_argument("--baseline-requests", type=int, default=10, help="the same without indexes (0: skip)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached SQLite file")
    parser.add_argument("--total", type=int, default=2_000_000)
    parser.add_argument("--only", help="comma-separated groups: register, search, page")
    parser.add_argument("--build-only", action="store_true",
                        help="build the SQLite file and stop; on PostgreSQL, build and keep the cluster running")
    parser.add_argument("--postgres-url", help="time a PostgreSQL database built by --build-only instead of a new one")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    suffix = "" if args.total == 2_000_000 else f"-{args.total}"
    sqlite_file = OUT / f"country{suffix}.sqlite"
    results = []
    for label in args.db.split(","):
        if label == "sqlite":
            OUT.mkdir(parents=True, exist_ok=True)
            if args.rebuild or not sqlite_file.exists():
                partial = sqlite_file.with_suffix(".building")
                for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                    stale.unlink(missing_ok=True)
                app = make_app(f"sqlite:///{partial}")
                build(app, args.total, "SQLite")
                with app.app_context():
                    from tracker.extensions import db
                    with db.engine.connect() as connection:
                        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    db.engine.dispose()
                partial.replace(sqlite_file)  # only a finished build is reused
            if args.build_only:
                continue
            results.append(run("SQLite", f"sqlite:///{sqlite_file}", build_total=None, requests=args.requests,
                               baseline=args.baseline_requests, only=only))
        elif label == "postgresql" and args.postgres_url:  # a database built by an earlier --build-only
            results.append(run("PostgreSQL", args.postgres_url, build_total=None, requests=args.requests,
                               baseline=args.baseline_requests, only=only))
        elif label == "postgresql":
            from tests.pgcluster import Cluster

            signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` stops the cluster
            cluster = Cluster()
            try:
                url = cluster.start()
                if args.build_only:  # build, then keep the cluster for --postgres-url runs until stopped
                    app = make_app(url)
                    build(app, args.total, "PostgreSQL")
                    with app.app_context():
                        from tracker.extensions import db
                        db.engine.dispose()
                    print(f"[PostgreSQL] built; kept at {url} until this process is stopped", flush=True)
                    signal.pause()
                results.append(run("PostgreSQL", url, build_total=args.total, requests=args.requests,
                                   baseline=args.baseline_requests, only=only))
            finally:
                cluster.stop()
    out = OUT / "country_bench.json"
    OUT.mkdir(parents=True, exist_ok=True)
    for r in results:
        r["at"], r["argv"] = time.strftime("%Y-%m-%d %H:%M"), sys.argv[1:]
    # A run of one database keeps the other's latest figures, so both can be run apart.
    kept = json.loads(out.read_text())["results"] if out.exists() else []
    labels = {r["db"] for r in results}
    results = [r for r in kept if r["db"] not in labels] + results
    results.sort(key=lambda r: r["db"] != "SQLite")
    report(results)
    out.write_text(json.dumps({"machine": machine(), "results": results}, ensure_ascii=False, indent=1, default=str))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()

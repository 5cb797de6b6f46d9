"""Benchmark: minutes DOCX for 5,000 equipment items (target: at most 0.5 s).

Run: .venv/bin/python benchmarks/minutes_bench.py [--rows 5000] [--repeat 7] [--compare] [--check] [--workflow]
--compare also times python-docx's own add_row loop on the same rows, the approach replaced.
--check exits 1 when the median is over the target.
--workflow also times the whole service path on a scratch database (SQLite in a temporary
  folder, or DATABASE_URL): add every asset matching a filter to a draft, then issue it.
Results go in docs/BENCHMARKS.md ("Minutes").
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.handovers.minutes import AssetRow, MinutesData, Party, build_minutes  # noqa: E402

TARGET_S = 0.5


def sample(rows: int) -> MinutesData:
    """A handover of ``rows`` equipment items shaped like a real ward inventory."""
    types = ["Máy vi tính để bàn", "Máy in laser", "Máy photocopy", "Điều hòa nhiệt độ", "Bàn làm việc", "Tủ tài liệu"]
    items = [AssetRow("equipment", f"{types[i % len(types)]} số {i + 1}", f"TB-393793-{i + 1:05d}", "cái", 1 + i % 3,
                      4_500_000 + i * 1_250, 1_200_000 + i * 310, "Đang sử dụng", documents="", notes="")
             for i in range(rows)]
    return MinutesData(
        doc_type="assets", number_text="Số: 07/BB-BG", parent_body="UBND tỉnh Thái Nguyên", issuing_body="Sở Tài chính",
        locality="Sông Công", date=dt.date(2025, 7, 5), place="Trụ sở UBND phường Sông Công",
        giver_name="Phường Phố Cò (Thành phố Sông Công)", receiver_name="Phường Sông Công",
        legal_basis=["Căn cứ Nghị quyết số 1683/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội;"],
        parties=[Party("giver", "Nguyễn Văn An", "Chủ tịch"), Party("receiver", "Trần Thị Bình", "Chủ tịch"),
                 Party("witness", "Lê Văn Cường", "Phó Giám đốc", "Sở Tài chính tỉnh Thái Nguyên")],
        assets=items, verification_code="ABCDEFGHJK")


def add_row_loop(data: MinutesData) -> bytes:
    """The naive way, for comparison: python-docx table.add_row() per item."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=10)
    for row in data.assets:
        cells = table.add_row().cells
        values = ["", row.name, row.code, row.unit_of_measure, row.quantity, row.original_cost, row.remaining_value,
                  row.condition, row.documents, row.notes]
        for cell, value in zip(cells, values):
            cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def timed(function, data: MinutesData, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time is steadier on a busy machine)."""
    function(data)  # warm-up: imports, template parsing
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function(data)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def workflow(rows: int) -> None:
    """Time add-by-filter and issue of ``rows`` equipment items through the real services."""
    import os
    import tempfile

    os.environ.setdefault("TRACKER_INSTANCE", tempfile.mkdtemp(prefix="minutes-bench-"))
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.admin.services import create_user
    from tracker.assets.queries import RegisterFilters, register_query
    from tracker.extensions import db
    from tracker.handovers import services
    from tracker.models import Asset, AssetKind, Role, Unit, UnitKind
    from tracker.units.loader import load_province

    app = create_app()
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        giver = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Phố Cò", Unit.kind == UnitKind.OLD_COMMUNE))
        receiver = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Sông Công",
                                                           Unit.kind == UnitKind.NEW_COMMUNE))
        officer = create_user(f"bench{os.getpid()}", "Cay-bang-ven-song-42", Role.OFFICER, province=giver.province)
        tag = os.getpid()
        db.session.execute(sa.insert(Asset), [  # setup only: straight rows, no history
            {"kind": AssetKind.EQUIPMENT, "code": f"TB-B{tag}-{i:05d}", "name": f"Máy vi tính {i}", "search_text": "",
             "province_id": giver.province_id, "unit_id": giver.id, "holder_id": giver.id, "quantity": 1,
             "unit_of_measure": "cái", "original_cost": 4_500_000 + i, "remaining_value": 1_000_000 + i}
            for i in range(rows)])
        draft = services.prepare_handover(services.DraftInput(
            giver, receiver, handover_date=dt.date(2025, 7, 5), place="Trụ sở", legal_basis=["Căn cứ …;"],
            parties=[services.PartyInput("giver", "A"), services.PartyInput("receiver", "B")]), officer)
        db.session.commit()
        started = time.perf_counter()
        added = services.add_matching(draft, officer, register_query(officer, RegisterFilters(kind=AssetKind.EQUIPMENT)))
        db.session.commit()
        middle = time.perf_counter()
        services.issue_handover(draft, officer)
        db.session.commit()
        done = time.perf_counter()
        print(f"workflow on {db.engine.dialect.name}: add {added} by filter {middle - started:.2f} s, "
              f"issue (number, snapshots, {added} asset events, DOCX, store) {done - middle:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--workflow", action="store_true")
    args = parser.parse_args()
    data = sample(args.rows)
    times, cpu = timed(build_minutes, data, args.repeat)
    size = len(build_minutes(data))
    median = statistics.median(times)
    print(f"minutes DOCX, {args.rows} equipment rows: best {min(times):.3f} s, median {median:.3f} s, "
          f"worst {max(times):.3f} s wall (median CPU {statistics.median(cpu):.3f} s) over {args.repeat} runs; "
          f"{size / 1024:.0f} KiB (target {TARGET_S} s)")
    if args.compare:
        naive, naive_cpu = timed(add_row_loop, data, max(1, args.repeat // 3))
        print(f"python-docx add_row loop, same rows: median {statistics.median(naive):.3f} s wall "
              f"(CPU {statistics.median(naive_cpu):.3f} s)")
    if args.workflow:
        workflow(args.rows)
    return 1 if args.check and median > TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())

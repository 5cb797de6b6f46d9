"""Synthetic assets and handovers on the real unit map, for the flags benchmark.

One province gets ``province_assets`` rows (200,000 by default), the rest of ``total`` (2,000,000)
is shared by the other provinces in proportion to their new units. Every old district gets HQs
and cars, every old commune an HQ and now and then a car; the rest is equipment (72 %) and
archive boxes (28 %). Statuses follow a handover two-thirds of the way through: assets past
'registered' sit in handovers (one per giver, receiver, type and stage) with their items.
Rows are written with the driver's executemany in chunks (SQLite) or COPY (PostgreSQL); the
history tables are not filled (no flag reads them).
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa

from tracker.text import fold

NOW = dt.datetime.now(dt.timezone.utc)
# Each (giver, receiver, type) handover stands at one stage; its assets follow it.
STAGES, STAGE_WEIGHTS = ("draft", "issued", "signed", "completed"), (8, 15, 15, 62)
ASSET_STATUS = {"draft": "in_handover", "issued": "issued", "signed": "signed", "completed": "received"}
IN_HANDOVER_SHARE, WRITTEN_OFF_SHARE = 0.59, 0.01
EQUIPMENT = [  # (type as typed in inventories, weight, largest quantity on one row)
    ("Máy vi tính để bàn Dell Optiplex 3080", 14, 1), ("Máy vi tính để bàn HP ProDesk 400", 10, 1),
    ("Máy tính xách tay Lenovo ThinkPad", 5, 1), ("Laptop HP ProBook 450", 4, 1),
    ("Máy in laser Canon LBP 2900", 6, 1), ("Máy in HP LaserJet Pro", 4, 1),
    ("Bộ bàn ghế làm việc", 12, 4), ("Bàn ghế làm việc gỗ", 6, 4), ("Tủ tài liệu sắt 4 ngăn", 9, 2),
    ("Tủ hồ sơ gỗ", 5, 2), ("Điện thoại bàn Panasonic", 8, 1), ("Bộ bàn ghế họp 20 chỗ", 3, 1),
    ("Máy chiếu Epson", 2, 1), ("Điều hòa Daikin 12000 BTU", 6, 1), ("Máy photocopy Ricoh", 2, 1),
    ("Máy scan Canon", 1, 1), ("Két sắt", 1, 1), ("Quạt trần", 2, 3), ("Bộ lưu điện UPS", 1, 1),
]
EQ_TYPES = [e[0] for e in EQUIPMENT]
EQ_WEIGHTS = [e[1] for e in EQUIPMENT]
EQ_MAX = {e[0]: e[2] for e in EQUIPMENT}

ASSET_COLUMNS = ("id", "kind", "code", "name", "search_text", "province_id", "unit_id", "holder_id", "receiver_id",
                 "status", "condition", "ownership", "quantity", "unit_of_measure", "original_cost",
                 "remaining_value", "address", "floor_area", "plate", "make_model", "seats", "year_made",
                 "equipment_type", "fonds", "fonds_folded", "box_no", "files_count", "span_start", "span_end",
                 "linear_m", "arrangement", "retention", "created_at", "updated_at", "version")
HANDOVER_COLUMNS = ("id", "province_id", "doc_type", "giver_id", "receiver_id", "status", "handover_date",
                    "immediate_use", "decision_due_on", "decision_ref", "issued_at", "signed_at", "completed_at",
                    "copies", "created_at", "version")
ITEM_COLUMNS = ("id", "handover_id", "asset_id", "is_open", "receipt_state")


class Writer:
    """Buffers rows per table and writes them in chunks with the fastest bulk path of the driver."""

    def __init__(self, connection: sa.Connection, chunk: int = 50_000):
        self.connection, self.chunk = connection, chunk
        self.dialect = connection.dialect.name
        self.buffers: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}

    def add(self, table: str, columns: tuple[str, ...], row: tuple) -> None:
        cols, rows = self.buffers.setdefault(table, (columns, []))
        rows.append(row)
        if len(rows) >= self.chunk:
            self.flush()  # every table, parents first (the order tables were first used), for the foreign keys

    def flush(self) -> None:
        for name in list(self.buffers):
            columns, rows = self.buffers[name]
            if not rows:
                continue
            raw = self.connection.connection.driver_connection
            if self.dialect == "postgresql":
                with raw.cursor().copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                raw.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})",
                                [_sqlite(r) for r in rows])
            rows.clear()


def _sqlite(row: tuple) -> tuple:
    """Values as SQLAlchemy stores them in SQLite (datetimes as naive UTC text, decimals as floats)."""
    out = []
    for v in row:
        if isinstance(v, dt.datetime):
            out.append(v.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f"))
        elif isinstance(v, dt.date):
            out.append(v.isoformat())
        elif isinstance(v, Decimal):
            out.append(float(v))
        elif isinstance(v, bool):
            out.append(int(v))
        else:
            out.append(v)
    return tuple(out)


def _budgets(provinces: dict[int, tuple[str, int]], focus_id: int, total: int, focus: int) -> dict[int, int]:
    others = sum(n for pid, (_name, n) in provinces.items() if pid != focus_id)
    budgets = {pid: round((total - focus) * n / others) for pid, (_name, n) in provinces.items() if pid != focus_id}
    budgets[focus_id] = focus
    return budgets


def generate(connection: sa.Connection, focus_province: str, *, total: int = 2_000_000,
             province_assets: int = 200_000, seed: int = 2025, only_focus: bool = False) -> dict[str, int]:
    """Fill assets, handovers and items; returns counts. The unit map must be loaded already."""
    rng = random.Random(seed)
    units = connection.execute(sa.text("SELECT id, kind, province_id, parent_id, name, code, source_key FROM units"
                                       )).all()
    provinces = {pid: (name, 0) for pid, name in connection.execute(sa.text("SELECT id, name FROM provinces"))}
    for _id, kind, pid, *_rest in units:
        if kind == "new_commune":
            provinces[pid] = (provinces[pid][0], provinces[pid][1] + 1)
    focus_id = next(pid for pid, (name, _n) in provinces.items() if name == focus_province)
    budgets = _budgets(provinces, focus_id, total, province_assets)
    if only_focus:
        budgets = {focus_id: province_assets}
    successors: dict[int, list[int]] = defaultdict(list)
    for old, new in connection.execute(sa.text("SELECT predecessor_id, successor_id FROM unit_successions")):
        successors[old].append(new)
    children: dict[int, list[int]] = defaultdict(list)
    old_units: dict[int, list[tuple]] = defaultdict(list)
    finance: dict[int, int] = {}
    for uid, kind, pid, parent, name, code, key in units:
        if kind in ("old_district", "old_commune"):
            old_units[pid].append((uid, kind, name, code))
            if parent:
                children[parent].append(uid)
        elif key.endswith(":finance"):
            finance[pid] = uid
    for district, kids in children.items():
        successors[district] = sorted({s for k in kids for s in successors[k]})

    writer = Writer(connection)
    counter = {"asset": 0, "handover": 0, "item": 0, "plate": 0}
    handovers: dict[tuple, int] = {}
    for pid, budget in budgets.items():
        olds = old_units[pid]
        shares = [5 if kind == "old_district" else 1 for _u, kind, _n, _c in olds]
        per_unit = [int(budget * s / sum(shares)) for s in shares]
        per_unit[0] += budget - sum(per_unit)
        for (uid, kind, name, code), n in zip(olds, per_unit):
            heirs = successors.get(uid) or [finance[pid]]
            hq_n = min(n, 6 if kind == "old_district" else 1)
            car_n = min(n - hq_n, 5 if kind == "old_district" else int(rng.random() < 0.15))
            kinds = ["headquarters"] * hq_n + ["vehicle"] * car_n
            kinds += ["equipment" if rng.random() < 0.72 else "archive_box" for _ in range(n - len(kinds))]
            fonds = f"Phông UBND {name} ({code}-{uid})"
            for seq, asset_kind in enumerate(kinds, 1):
                draw = rng.random()
                receiver = rng.choice(heirs)
                if draw < IN_HANDOVER_SHARE:
                    if asset_kind == "equipment" and rng.random() < 0.03:
                        receiver = finance[pid]  # awaiting reallocation at Sở Tài chính
                    stage = _handover(writer, rng, counter, handovers, pid, uid, receiver, asset_kind)
                    status = ASSET_STATUS[stage]
                    receipt = "pending" if stage != "completed" else rng.choices(
                        ("received", "missing", "damaged"), (92, 4, 4))[0]
                    if receipt in ("missing", "damaged"):
                        status = receipt
                else:
                    status = "written_off" if draw > 1 - WRITTEN_OFF_SHARE else "registered"
                    receiver = receiver if rng.random() < 0.3 else None
                _asset(writer, rng, counter, pid, uid, receiver, asset_kind, status, seq, name, fonds)
                if draw < IN_HANDOVER_SHARE:
                    counter["item"] += 1
                    writer.add("handover_items", ITEM_COLUMNS, (counter["item"], counter["current_handover"],
                                                                counter["asset"], stage != "completed", receipt))
    writer.flush()
    return {"assets": counter["asset"], "handovers": counter["handover"], "items": counter["item"]}


def _asset(writer: Writer, rng: random.Random, counter: dict, pid: int, uid: int, receiver: int | None, kind: str,
           status: str, seq: int, unit_name: str, fonds: str) -> None:
    counter["asset"] += 1
    aid = counter["asset"]
    holder = receiver if status in ("received", "missing", "damaged") else uid  # completed: with the receiver
    condition = "damaged" if rng.random() < 0.05 else "unusable" if rng.random() < 0.03 else "in_use"
    quantity, unit_of_measure = 1, "cái"
    address = floor = plate = make = seats = year = etype = box_fonds = folded = box = files = None
    span_start = span_end = linear = arrangement = retention = None
    if kind == "headquarters":
        name = f"Trụ sở làm việc số {seq} của {unit_name}"
        address, floor, year = f"Số {seq} đường {unit_name}", Decimal(rng.randint(150, 1500)), rng.randint(1990, 2020)
    elif kind == "vehicle":
        counter["plate"] += 1
        n = counter["plate"]
        plate = f"{10 + (n // 100_000) % 89:02d}A-{(n // 100) % 1000:03d}.{n % 100:02d}"
        name, make, seats, year = "Xe ô tô Toyota Innova", "Toyota Innova", 7, rng.randint(2005, 2022)
    elif kind == "equipment":
        etype = rng.choices(EQ_TYPES, EQ_WEIGHTS)[0]
        quantity = rng.randint(1, EQ_MAX[etype])
        name = f"{etype} số {seq}"
    else:
        box_fonds, folded, box = fonds, fold(fonds), str(seq)
        name = f"Hộp {seq} {fonds}"
        files = rng.randint(5, 40)
        arrangement = rng.choices(("unsorted", "preliminary", "sorted"), (50, 20, 30))[0]
        if rng.random() < 0.8:
            span_start = rng.randint(1976, 2015)
            span_end = span_start + rng.randint(0, 9)
        linear = Decimal("0.125") if rng.random() < 0.6 else None
        retention = rng.choice(("permanent", "limited", None))
        quantity, unit_of_measure = 1, "hộp"
    cost = rng.randint(1, 900) * 1_000_000 if kind != "archive_box" else 0
    writer.add("assets", ASSET_COLUMNS, (
        aid, kind, f"BM-{kind[:2].upper()}-{seq:06d}", name, fold(name), pid, uid, holder, receiver, status, condition,
        "own", quantity, unit_of_measure, cost, cost // 3, address, floor, plate, make, seats, year, etype, box_fonds,
        folded, box, files, span_start, span_end, linear, arrangement, retention, NOW, NOW, 1))


def _handover(writer: Writer, rng: random.Random, counter: dict, handovers: dict, pid: int, giver: int,
              receiver: int, kind: str) -> str:
    """The handover of this giver, receiver and type (created at a random stage); returns its stage."""
    doc_type = "archives" if kind == "archive_box" else "assets"
    key = (giver, receiver, doc_type, kind == "headquarters")
    found = handovers.get(key)
    if found is None:
        counter["handover"] += 1
        stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
        found = handovers[key] = (counter["handover"], stage)
        issued = NOW - dt.timedelta(days=rng.randint(2, 90)) if stage != "draft" else None
        signed = issued + dt.timedelta(days=rng.randint(1, 20)) if stage in ("signed", "completed") else None
        day = (issued or NOW).date()
        immediate = kind == "headquarters" and rng.random() < 0.5
        writer.add("handovers", HANDOVER_COLUMNS, (
            found[0], pid, doc_type, giver, receiver, stage, day, immediate,
            day + dt.timedelta(days=30) if immediate else None,
            "QĐ 12/QĐ-UBND" if immediate and rng.random() < 0.6 else None,
            issued, signed, signed + dt.timedelta(days=3) if stage == "completed" else None, 4, NOW, 1))
    counter["current_handover"] = found[0]
    return found[1]


def finish(engine: sa.Engine) -> None:
    """Sequences past the explicit ids (PostgreSQL); planner statistics (both); on PostgreSQL a
    VACUUM too, as autovacuum would do after a bulk load, so index-only scans see a visibility map."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in ("assets", "handovers", "handover_items"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"))


def set_unit_counts(connection: sa.Connection, seed: int = 7) -> None:
    """Officials and rooms for 90 % of new units (the rest stay undeclared)."""
    rng = random.Random(seed)
    ids = [r[0] for r in connection.execute(sa.text("SELECT id FROM units WHERE kind = 'new_commune' ORDER BY id"))]
    rows = [{"o": rng.randint(20, 40), "r": rng.randint(8, 15), "i": i} for i in ids if rng.random() < 0.9]
    connection.execute(sa.text("UPDATE units SET officials_count = :o, rooms_count = :r WHERE id = :i"), rows)

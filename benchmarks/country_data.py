"""The whole country in one database: 2,000,000 assets of all four kinds on the real unit map.

Used by ``benchmarks/country_bench.py`` (issue 14). The unit map must be loaded already
(``tracker.units.loader.load_all``: 34 provinces, 3,321 new units, 10,739 dissolved ones); the
schema comes from the migrations. Each province gets assets in proportion to its dissolved units
(an old district weighs 5 old communes). Every old district has six headquarters and five cars,
every old commune its headquarters and now and then a car; the rest is equipment (72 %, the demo
catalogue's types and models: "Máy vi tính Dell OptiPlex 3080") and archive boxes (28 %, boxes of
the unit's fonds: "Phông UBND phường Thắng Lợi, thành phố Sông Công").

Handovers: about two thirds of the assets sit in one (one per giver, receiver and document type),
at a random stage — draft, issued, signed (half of those with receipt partly confirmed),
completed (receipt: received, missing, damaged) or voided (items closed, assets back to
'registered') — and the assets' status, holder and receiver follow it as the handover services
leave them. The largest province's biggest old district hands 500 equipment items to one ward in
one signed handover, partly confirmed. Every asset has its creation event; the largest
province's assets also carry the events of each handover step, and its handovers their audit
trail. ``search_text`` and ``fonds_folded`` are computed by the app's own functions.

Rows go in through the driver: executemany in chunks on SQLite, COPY on PostgreSQL
(``flags_data.Writer``).
"""
from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa

from flags_data import Writer
from tracker.assets.services import CODE_PREFIX, search_text
from tracker.demo import catalogue as cat
from tracker.models import AssetKind
from tracker.text import fold

NOW = dt.datetime(2025, 10, 15, 9, 0, tzinfo=dt.timezone.utc)
THIS_YEAR = 2025
STAGES = ("draft", "issued", "signed", "completed", "voided")
STAGE_WEIGHTS = (8, 12, 14, 58, 8)
ASSET_STATUS = {"draft": "in_handover", "issued": "issued", "signed": "signed", "completed": "received",
                "voided": "registered"}
IN_HANDOVER_SHARE, WRITTEN_OFF_SHARE = 0.65, 0.01
BIG_HANDOVER_ITEMS = 500

DISTRICT_HQS = ("Trụ sở Huyện ủy", "Trụ sở HĐND - UBND", "Trụ sở Phòng Tài chính - Kế hoạch",
                "Trụ sở Phòng Giáo dục và Đào tạo", "Trụ sở Trung tâm Văn hóa - Thể thao",
                "Trụ sở Ban Quản lý dự án đầu tư xây dựng")
CARS = (("Toyota Innova 2.0E", 8), ("Toyota Fortuner 2.7V 4x2", 7), ("Ford Everest Titanium", 7),
        ("Mitsubishi Pajero Sport 2.4D", 7), ("Toyota Camry 2.5Q", 5), ("Kia Carnival 2.2D", 8),
        ("Ford Transit 16 chỗ", 16), ("Toyota Corolla Altis 1.8G", 5), ("Hyundai Santa Fe 2.2D", 7))
HQ_USES = ("Trụ sở Đảng ủy, HĐND, UBND {ward}", "Trụ sở Công an {ward}",
           "Trụ sở Khối Mặt trận Tổ quốc và Trung tâm Phục vụ hành chính công {ward}", cat.SURPLUS_USE)
NOTES = {"missing": "Không có khi kiểm đếm tại đơn vị nhận", "damaged": "Hư hỏng khi vận chuyển, cần sửa chữa"}

ASSET_COLUMNS = (
    "id", "kind", "code", "name", "search_text", "province_id", "unit_id", "holder_id", "receiver_id", "status",
    "condition", "ownership", "quantity", "unit_of_measure", "original_cost", "remaining_value", "current_use",
    "intended_use", "documents", "year_in_use", "address", "land_area", "floor_area", "year_built",
    "land_certificate_no", "plate", "make_model", "seats", "year_made", "odometer_km", "equipment_type", "serial",
    "fonds", "fonds_folded", "box_no", "files_count", "span_start", "span_end", "linear_m", "arrangement",
    "retention", "digitised", "created_at", "updated_at", "version")
HANDOVER_COLUMNS = (
    "id", "province_id", "doc_type", "giver_id", "receiver_id", "status", "year", "number", "handover_date", "place",
    "legal_basis", "copies", "immediate_use", "decision_due_on", "issued_at", "verification_code", "signed_at",
    "completed_at", "voided_at", "void_reason", "created_by_id", "created_at", "version")
PARTY_COLUMNS = ("handover_id", "side", "full_name", "position", "organisation", "position_order")
ITEM_COLUMNS = ("id", "handover_id", "asset_id", "is_open", "prior_status", "prior_receiver_id", "receipt_state",
                "receipt_note", "confirmed_at")
EVENT_COLUMNS = ("asset_id", "at", "effective_on", "user_id", "action", "changes", "handover_id", "note")
AUDIT_COLUMNS = ("at", "user_id", "username", "action", "object_type", "object_id", "detail")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Văn Hùng", "Thị Lan", "Minh Tuấn", "Thị Hoa", "Quốc Bảo", "Thu Trang", "Đức Anh", "Thanh Hương")


def lower_first(name: str) -> str:
    """'Phường Thắng Lợi' -> 'phường Thắng Lợi', as a unit is named inside a sentence."""
    return name[:1].lower() + name[1:]


class Country:
    """The loaded unit map, as the generator walks it."""

    def __init__(self, connection: sa.Connection):
        rows = connection.execute(sa.text(
            "SELECT id, kind, province_id, parent_id, name, code, source_key, old_province_name FROM units")).all()
        self.units = {r[0]: r for r in rows}
        self.provinces = dict(connection.execute(sa.text("SELECT id, name FROM provinces")).tuples().all())
        self.province_codes = dict(connection.execute(sa.text("SELECT id, code FROM provinces")).tuples().all())
        self.successors: dict[int, list[int]] = defaultdict(list)
        for old, new in connection.execute(sa.text(
                "SELECT predecessor_id, successor_id FROM unit_successions ORDER BY predecessor_id, successor_id")):
            self.successors[old].append(new)
        self.old_units: dict[int, list[tuple]] = defaultdict(list)
        children: dict[int, list[int]] = defaultdict(list)
        self.finance: dict[int, int] = {}
        self.archive: dict[int, int] = {}
        for uid, kind, pid, parent, _name, _code, key, _old in sorted(rows):
            if kind in ("old_district", "old_commune"):
                self.old_units[pid].append(self.units[uid])
                if parent:
                    children[parent].append(uid)
            elif key.endswith(":finance"):
                self.finance[pid] = uid
            elif key.endswith(":archive"):
                self.archive[pid] = uid
        for district, kids in children.items():
            self.successors[district] = sorted({s for k in kids for s in self.successors[k]})

    def budgets(self, total: int) -> dict[int, int]:
        """Assets per province, in proportion to its dissolved units (a district weighs 5)."""
        weight = {pid: sum(5 if u[1] == "old_district" else 1 for u in units) for pid, units in self.old_units.items()}
        whole = sum(weight.values())
        budgets = {pid: int(total * w / whole) for pid, w in weight.items()}
        largest = max(budgets, key=budgets.get)
        budgets[largest] += total - sum(budgets.values())
        return budgets


class Generator:
    """Writes the assets, handovers, items, events and audit entries of every province."""

    def __init__(self, connection: sa.Connection, country: Country, *, officer_id: int, seed: int = 2025):
        self.rng = random.Random(seed)
        self.country, self.officer_id = country, officer_id
        self.sqlite = connection.dialect.name == "sqlite"
        self.writer = Writer(connection)
        for table, columns in (("handovers", HANDOVER_COLUMNS), ("handover_parties", PARTY_COLUMNS),
                               ("assets", ASSET_COLUMNS), ("handover_items", ITEM_COLUMNS),
                               ("asset_events", EVENT_COLUMNS), ("audit_log", AUDIT_COLUMNS)):
            self.writer.buffers[table] = (columns, [])  # parents first: the order flush() writes in
        self.asset_id = self.handover_id = self.item_id = self.plate_no = 0
        self.handovers: dict[tuple, tuple[int, str]] = {}
        self.numbers: dict[int, int] = defaultdict(int)
        self.fonds_taken: set[str] = set()
        self.counts: dict[str, int] = defaultdict(int)

    # -- the walk -------------------------------------------------------------------------------
    def run(self, total: int) -> dict[str, int]:
        budgets = self.country.budgets(total)
        self.focus = max(budgets, key=budgets.get)
        focus_olds = self.country.old_units[self.focus]
        self.big_giver = max((u for u in focus_olds if u[1] == "old_district"),
                             key=lambda u: len(self.country.successors[u[0]]))[0]
        self.big_handover: int | None = None
        for pid, budget in budgets.items():
            self.province(pid, budget)
        self.writer.flush()
        return dict(self.counts, focus_province=self.focus, big_handover=self.big_handover or 0)

    def province(self, pid: int, budget: int) -> None:
        olds = self.country.old_units[pid]
        shares = [5 if u[1] == "old_district" else 1 for u in olds]
        per_unit = [int(budget * s / sum(shares)) for s in shares]
        per_unit[0] += budget - sum(per_unit)
        for unit, n in zip(olds, per_unit):
            self.old_unit(pid, unit, n)

    def old_unit(self, pid: int, unit: tuple, n: int) -> None:
        rng = self.rng
        uid, kind = unit[0], unit[1]
        heirs = self.country.successors.get(uid) or [self.country.finance[pid]]
        district = kind == "old_district"
        hq_n = min(n, 6 if district else 1)
        car_n = min(n - hq_n, 5 if district else int(rng.random() < 0.15))
        kinds = ["headquarters"] * hq_n + ["vehicle"] * car_n
        kinds += ["equipment" if rng.random() < 0.72 else "archive_box" for _ in range(n - len(kinds))]
        fonds = self.fonds_name(unit)
        seq = defaultdict(int)
        for asset_kind in kinds:
            seq[asset_kind] += 1
            receiver = rng.choice(heirs)
            if asset_kind == "archive_box" and district and rng.random() < 0.5:
                receiver = self.country.archive.get(pid, receiver)  # a district's permanent records
            values = self.values(pid, unit, asset_kind, seq[asset_kind], fonds, receiver)
            big = (uid == self.big_giver and asset_kind == "equipment"
                   and self.counts["big_items"] < BIG_HANDOVER_ITEMS)
            if big or rng.random() < IN_HANDOVER_SHARE:
                self.in_handover(pid, uid, receiver, values, big)
            else:
                values["status"] = "written_off" if rng.random() < WRITTEN_OFF_SHARE / (1 - IN_HANDOVER_SHARE) \
                    else "registered"
                values["receiver_id"] = receiver if rng.random() < 0.4 else None
                self.write_asset(values)

    def fonds_name(self, unit: tuple) -> str:
        """'Phông UBND phường Thắng Lợi, thành phố Sông Công'; unique in the country, as boxes need."""
        uid, _kind, _pid, parent, name, _code, _key, old_province = unit
        fonds = f"Phông UBND {lower_first(name)}"
        if parent:
            fonds += f", {lower_first(self.country.units[parent][4])}"
        if fold(fonds) in self.fonds_taken:
            fonds += f" ({old_province or uid})"
        if fold(fonds) in self.fonds_taken:
            fonds += f" #{uid}"
        self.fonds_taken.add(fold(fonds))
        return fonds

    # -- one asset ------------------------------------------------------------------------------
    def values(self, pid: int, unit: tuple, kind: str, seq: int, fonds: str, receiver: int) -> dict:
        rng = self.rng
        uid, unit_kind, name, code = unit[0], unit[1], unit[4], unit[5]
        v = dict.fromkeys(ASSET_COLUMNS)
        v.update(kind=kind, code=f"{CODE_PREFIX[AssetKind(kind)]}-{code}-{seq:05d}", province_id=pid, unit_id=uid,
                 holder_id=uid, receiver_id=receiver, condition="in_use", ownership="own", quantity=1,
                 unit_of_measure="cái", created_at=NOW, updated_at=NOW, version=1)
        where = lower_first(name)
        if kind == "headquarters":
            title = DISTRICT_HQS[(seq - 1) % len(DISTRICT_HQS)] if unit_kind == "old_district" else \
                "Trụ sở Đảng ủy, HĐND, UBND"
            cost = rng.randint(20, 400) * 50_000_000
            ward = lower_first(self.country.units[receiver][4])
            v.update(name=f"{title} {where} (cũ)", address=f"Số {rng.randint(1, 300)}, đường {rng.choice(('Trần Phú', 'Lê Lợi', 'Hùng Vương', 'Nguyễn Huệ', 'Cách Mạng Tháng Tám'))}, {where}",
                     land_area=Decimal(rng.randint(800, 15000)), floor_area=Decimal(rng.randint(300, 5000)),
                     year_built=rng.randint(1995, 2020), land_certificate_no=f"B{rng.choice('ĐOX')} {rng.randint(100000, 999999)}",
                     original_cost=cost, remaining_value=cost * rng.randint(10, 80) // 100, current_use=f"{title} {where}",
                     intended_use=rng.choice(HQ_USES).format(ward=ward), unit_of_measure="cơ sở",
                     condition=rng.choices(("good", "in_use", "needs_repair"), (3, 10, 2))[0])
            v["documents"] = f"GCN QSDĐ số {v['land_certificate_no']}"
        elif kind == "vehicle":
            self.plate_no += 1
            n, pcode = self.plate_no, self.country.province_codes[pid]
            plate = f"{(pcode * 7) % 89 + 10:02d}{'ABCDE'[n // 100_000 % 5]}-{n // 100 % 1000:03d}.{n % 100:02d}"
            model, seats = rng.choice(CARS)
            year = rng.randint(2005, 2022)
            cost = rng.randint(60, 160) * 10_000_000
            v.update(name=f"Xe ô tô {model}", plate=plate, make_model=model, seats=seats, year_made=year,
                     odometer_km=(THIS_YEAR - year) * rng.randint(12, 26) * 1000, original_cost=cost,
                     remaining_value=_remaining(cost, year, 15), unit_of_measure="chiếc", intended_use=cat.GENERAL_USE,
                     documents=f"Giấy đăng ký xe ô tô biển số {plate}",
                     condition=rng.choices(("good", "in_use", "needs_repair", "damaged"), (2, 10, 2, 1))[0])
        elif kind == "equipment":
            etype, measure, models, (low, high), life = rng.choices(cat.EQUIPMENT_MODELS, cat.EQUIPMENT_WEIGHTS)[0]
            model, serial_prefix = rng.choice(models)
            year = rng.randint(2011, 2024)
            quantity = rng.randint(2, 12) if not serial_prefix and etype.startswith("Bàn ghế làm") else 1
            cost = rng.randint(low // 10_000, high // 10_000) * 10_000 * quantity
            age = THIS_YEAR - year
            offices = cat.CITY_OFFICES if unit_kind == "old_district" else cat.COMMUNE_OFFICES
            v.update(name=f"{etype} {model}", equipment_type=etype, quantity=quantity, unit_of_measure=measure,
                     serial=f"{serial_prefix}{rng.randrange(36 ** 7):07X}" if serial_prefix else None,
                     original_cost=cost, remaining_value=_remaining(cost, year, life), year_in_use=year,
                     current_use=rng.choice(offices), make_model=None,
                     condition=rng.choices(("good", "in_use", "needs_repair", "damaged", "unusable"),
                                           (4 if age < 4 else 1, 16, 1 + age // 4, age // 4, age // 8))[0],
                     ownership=rng.choices(("own", "surplus", "missing", "custody"), (94, 3, 1, 2))[0])
        else:
            title, permanent = cat.SERIES[(seq - 1) % len(cat.SERIES)]
            start = rng.randint(1976, 2020)
            end = min(THIS_YEAR, start + rng.randint(0, 4))
            arrangement = rng.choices(("sorted", "preliminary", "unsorted"), (35, 20, 45))[0]
            v.update(name=f"{title} {start}–{end}" if end != start else f"{title} {start}", fonds=fonds,
                     fonds_folded=fold(fonds), box_no=str(seq), files_count=rng.randint(6, 30), span_start=start,
                     span_end=end, arrangement=arrangement, retention="permanent" if permanent else "limited",
                     linear_m=Decimal("0.125") if rng.random() < 0.6 else None, unit_of_measure="hộp",
                     digitised=arrangement == "sorted" and rng.random() < 0.3, original_cost=0, remaining_value=0,
                     condition="damaged" if rng.random() < 0.04 else "in_use")
        v["search_text"] = search_text(v)
        return v

    def write_asset(self, v: dict) -> int:
        self.asset_id += 1
        v["id"] = self.asset_id
        self.counts[v["kind"]] += 1
        self.writer.add("assets", ASSET_COLUMNS, tuple(self._plain(v[c]) for c in ASSET_COLUMNS))
        changes = {k: [None, _json(v[k])] for k in ("kind", "code", "name", "unit_id", "receiver_id", "quantity",
                                                   "original_cost", "remaining_value", "condition", "status")
                   if v[k] is not None}
        self.event(v["id"], "imported", changes, when=NOW - dt.timedelta(days=120))
        return v["id"]

    def _plain(self, value):
        if self.sqlite and isinstance(value, Decimal):
            return str(value)
        return value

    # -- handovers ------------------------------------------------------------------------------
    def in_handover(self, pid: int, giver: int, receiver: int, v: dict, big: bool) -> None:
        rng = self.rng
        doc_type = "archives" if v["kind"] == "archive_box" else "assets"
        if big:
            key = ("big", giver)
        else:
            key = (giver, receiver, doc_type, v["kind"] == "headquarters")
        found = self.handovers.get(key)
        if found is None:
            stage = "signed" if big else rng.choices(STAGES, STAGE_WEIGHTS)[0]
            partial = stage == "signed" and (big or rng.random() < 0.5)
            found = self.handovers[key] = (self.new_handover(pid, giver, receiver, doc_type, stage,
                                                             v["kind"] == "headquarters"), stage, partial, receiver)
            if big:
                self.big_handover = found[0]
        handover_id, stage, partial, receiver = found
        if big:
            self.counts["big_items"] += 1
        v["receiver_id"] = receiver
        receipt, confirmed = "pending", None
        if stage == "completed" or (partial and rng.random() < 0.5):
            receipt = rng.choices(("received", "missing", "damaged"), (92, 4, 4))[0]
            confirmed = NOW - dt.timedelta(days=rng.randint(1, 10))
        status = ASSET_STATUS[stage]
        if receipt != "pending":
            status = receipt
        v["status"] = status
        if stage == "completed" and receipt in ("received", "damaged"):
            v["holder_id"] = receiver  # completion moves what arrived to the receiver; missing stays
        asset_id = self.write_asset(v)
        self.item_id += 1
        self.counts["items"] += 1
        self.writer.add("handover_items", ITEM_COLUMNS, (
            self.item_id, handover_id, asset_id, stage not in ("completed", "voided"), "registered", receiver,
            receipt, NOTES.get(receipt), confirmed))
        if pid == self.focus:
            self.step_events(asset_id, handover_id, stage, receipt, giver, receiver)

    def step_events(self, asset_id: int, handover_id: int, stage: str, receipt: str, giver: int,
                    receiver: int) -> None:
        """What the handover services would have written for this asset, step by step."""
        steps = [("handover_added", {"status": ["registered", "in_handover"]})]
        if stage in ("issued", "signed", "completed"):
            steps.append(("issued", {"status": ["in_handover", "issued"]}))
        if stage in ("signed", "completed"):
            steps.append(("signed", {"status": ["issued", "signed"]}))
        if receipt != "pending":
            steps.append((receipt, {"status": ["signed", receipt]}))
        if stage == "completed" and receipt != "missing":
            steps.append(("transferred", {"holder_id": [giver, receiver]}))
        if stage == "voided":
            steps.append(("voided", {"status": ["in_handover", "registered"]}))
        for day, (action, changes) in enumerate(steps):
            self.event(asset_id, action, changes, when=NOW - dt.timedelta(days=60 - 5 * day), handover_id=handover_id,
                       note=NOTES.get(action))

    def new_handover(self, pid: int, giver: int, receiver: int, doc_type: str, stage: str, hq: bool) -> int:
        rng = self.rng
        self.handover_id += 1
        hid = self.handover_id
        self.counts["handovers"] += 1
        self.counts[f"handovers_{stage}"] += 1
        number = year = code = issued = signed = completed = voided = None
        created = NOW - dt.timedelta(days=rng.randint(40, 100))
        if stage != "draft" and stage != "voided":
            self.numbers[pid] += 1
            number, year = self.numbers[pid], THIS_YEAR
            code = f"{rng.randrange(32 ** 10):010X}{hid:06X}"[-16:]
            issued = created + dt.timedelta(days=rng.randint(1, 10))
        if stage in ("signed", "completed"):
            signed = issued + dt.timedelta(days=rng.randint(1, 15))
        if stage == "completed":
            completed = signed + dt.timedelta(days=rng.randint(1, 10))
        if stage == "voided":
            voided = created + dt.timedelta(days=rng.randint(1, 20))
        day = (issued or created).date()
        immediate = hq and rng.random() < 0.5
        giver_name, receiver_name = self.country.units[giver][4], self.country.units[receiver][4]
        province = self.country.provinces[pid]
        self.writer.add("handovers", HANDOVER_COLUMNS, (
            hid, pid, doc_type, giver, receiver, stage, year, number, day, receiver_name,
            json.dumps([f"Căn cứ Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã "
                        f"của {province} năm 2025;", f"Căn cứ Kế hoạch của UBND {province} về bàn giao tài sản công."],
                       ensure_ascii=False),
            4, immediate, day + dt.timedelta(days=30) if immediate else None, issued, code, signed, completed, voided,
            "Lập nhầm đơn vị nhận; lập lại biên bản khác." if voided else None,
            self.officer_id if pid == self.focus else None, created, 1))
        for order, (side, unit_name) in enumerate((("giver", giver_name), ("receiver", receiver_name),
                                                   ("witness", f"Sở Tài chính {province}"))):
            self.writer.add("handover_parties", PARTY_COLUMNS, (
                hid, side, f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                "Phó Giám đốc" if side == "witness" else "Chủ tịch UBND", unit_name, order))
        if pid == self.focus:
            trail = ["handover_prepared", "handover_items_added"]
            trail += {"issued": ["handover_issued"], "signed": ["handover_issued", "handover_signed"],
                      "completed": ["handover_issued", "handover_signed", "handover_items_confirmed",
                                    "handover_completed"], "voided": ["handover_voided"]}.get(stage, [])
            for i, action in enumerate(trail):
                self.writer.add("audit_log", AUDIT_COLUMNS, (created + dt.timedelta(days=i), self.officer_id,
                                                             "officer", action, "handovers", hid, None))
        return hid

    def event(self, asset_id: int, action: str, changes: dict, *, when: dt.datetime, handover_id: int | None = None,
              note: str | None = None) -> None:
        self.counts["events"] += 1
        self.writer.add("asset_events", EVENT_COLUMNS, (asset_id, when, None, None, action,
                                                        json.dumps(changes, ensure_ascii=False), handover_id, note))


def _remaining(cost: int, year: int, life: int) -> int:
    share = max(0.0, 1 - (THIS_YEAR - year) / life)
    return min(cost, int(cost * share) // 1000 * 1000)


def _json(value):
    return str(value) if isinstance(value, Decimal) else value


def largest_province(connection: sa.Connection, total: int) -> int:
    """The province that gets the most assets (the officer's)."""
    budgets = Country(connection).budgets(total)
    return max(budgets, key=budgets.get)


def generate(connection: sa.Connection, *, officer_id: int, total: int = 2_000_000, seed: int = 2025) -> dict:
    """Fill the country; returns counts (by kind, handovers by stage, items, events, the big handover's id)."""
    return Generator(connection, Country(connection), officer_id=officer_id, seed=seed).run(total)


def finish(engine: sa.Engine) -> None:
    """Sequences past the explicit ids (PostgreSQL); planner statistics on both (VACUUM too on
    PostgreSQL, as autovacuum would after a bulk load, so index-only scans see a visibility map)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in ("assets", "handovers", "handover_items", "handover_parties", "asset_events", "audit_log"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"))

"""The demo inventory of former Sông Công city (Thái Nguyên), generated the same way every time.

Everything goes through ``tracker.assets.services.create_asset``, so each asset is validated like
typed input and has its 'created' event in the history. A seeded ``random.Random`` makes the
serials, costs and conditions identical on every machine. ``generate_song_cong`` refuses to run
twice: the demo command calls it only when ``inventory_exists()`` is false, so what users
entered after the first run is never overwritten.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from tracker import audit
from tracker.assets.services import CODE_PREFIX, create_asset
from tracker.demo import catalogue as c
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models import Asset, AssetKind, AuditEntry, Unit, UnitKind, User

SEED = 20250701
THIS_YEAR = 2025
MARKER = "demo_generated"  # audit action written once the inventory exists


@dataclass
class SongCong:
    """The units the demo needs, looked up in the loaded map of new Thái Nguyên."""

    city: Unit
    communes: dict[str, Unit]  # old communes of the city by name
    receivers: dict[str, Unit]  # the three new wards by name, and the provincial bodies by slug

    def giver(self, name: str) -> Unit:
        return self.city if name == c.CITY else self.communes[name]

    def successor(self, commune: Unit) -> Unit:
        """Where an old commune's things go: the new ward it became part of."""
        return commune.successors[0]


def _city() -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(
        Unit.kind == UnitKind.OLD_DISTRICT, Unit.name == c.CITY, Unit.old_province_name == c.OLD_PROVINCE))


def find_units() -> SongCong:
    """Sông Công city, its old communes, the wards that replaced them and the provincial bodies."""
    city = _city()
    if city is None:
        raise DomainError("Chưa nạp bản đồ đơn vị tỉnh Thái Nguyên: chạy «flask units load --province "
                          "\"Thái Nguyên\"» trước.")
    wanted = ("Phường Sông Công", "Phường Bá Xuyên", "Phường Bách Quang")
    receivers: dict[str, Unit | None] = {u.name: u for u in db.session.scalars(sa.select(Unit).where(
        Unit.province_id == city.province_id, Unit.kind == UnitKind.NEW_COMMUNE, Unit.name.in_(wanted)))}
    for slug in (c.FINANCE, c.ARCHIVE):
        receivers[slug] = db.session.scalar(
            sa.select(Unit).where(Unit.source_key == f"body:{city.province.code}:{slug}"))
    missing = [name for name in (*wanted, c.FINANCE, c.ARCHIVE) if receivers.get(name) is None]
    if missing:
        raise DomainError(f"Bản đồ đơn vị Thái Nguyên thiếu: {', '.join(missing)}.")
    return SongCong(city, {u.name: u for u in city.children}, receivers)


def inventory_exists() -> bool:
    """True once the demo inventory was generated (or anything was registered for Sông Công city)."""
    if db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == MARKER).limit(1)):
        return True
    city = _city()
    if city is None:
        return False
    givers = [city.id] + [u.id for u in city.children]
    return db.session.scalar(sa.select(Asset.id).where(Asset.unit_id.in_(givers)).limit(1)) is not None


def generate_song_cong(actor: User | None = None, seed: int = SEED) -> Counter:
    """Register Sông Công's headquarters, cars, equipment and archive boxes; returns counts by kind."""
    if inventory_exists():
        raise DomainError("Dữ liệu mẫu Sông Công đã có; không tạo lại để giữ những gì người dùng đã nhập.")
    units = find_units()
    rng = random.Random(seed)
    counts: Counter = Counter()
    add = _Adder(actor, counts)
    _headquarters(units, add)
    _vehicles(units, add, rng)
    _equipment(units, add, rng)
    _archive_boxes(units, add, rng)
    audit.log(MARKER, actor, **{k.value: v for k, v in counts.items()})
    return counts


class _Adder:
    """Registers one asset through the real service and numbers the codes per unit and kind."""

    def __init__(self, actor: User | None, counts: Counter):
        self.actor, self.counts, self.numbers = actor, counts, Counter()

    def __call__(self, kind: AssetKind, unit: Unit, receiver: Unit | None, **raw) -> Asset:
        self.numbers[(unit.id, kind)] += 1
        # The format next_code() gives, numbered here to spare a query per asset.
        raw.setdefault("code", f"{CODE_PREFIX[kind]}-{unit.code}-{self.numbers[(unit.id, kind)]:05d}")
        self.counts[kind] += 1
        return create_asset(kind, raw, self.actor, unit=unit, receiver=receiver)


def _headquarters(units: SongCong, add: _Adder) -> None:
    for giver, receiver, fields in c.HEADQUARTERS:
        add(AssetKind.HEADQUARTERS, units.giver(giver), units.receivers[receiver], **fields)


def _vehicles(units: SongCong, add: _Adder, rng: random.Random) -> None:
    used: set[str] = set()
    for receiver, model, seats, year, cost, condition, use in c.VEHICLES:
        plate = f"20A-{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}"
        while plate in used or db.session.scalar(sa.select(Asset.id).where(Asset.plate == plate)):
            plate = f"20A-{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}"
        used.add(plate)
        add(AssetKind.VEHICLE, units.city, units.receivers[receiver], name=f"Xe ô tô {model}", plate=plate,
            make_model=model, seats=seats, year_made=year, odometer_km=(THIS_YEAR - year) * rng.randint(14, 26) * 1000,
            original_cost=cost, remaining_value=_remaining(cost, year, 15), condition=condition,
            current_use="Xe phục vụ công tác chung của Thành ủy, HĐND, UBND thành phố", intended_use=use,
            documents=f"Giấy đăng ký xe ô tô biển số {plate}; sổ kiểm định")


def _remaining(cost: int, year: int, life: int) -> int:
    """Straight-line remaining value, rounded to thousands of đồng, never above the cost."""
    share = max(0.0, 1 - (THIS_YEAR - year) / life)
    return min(cost, int(cost * share) // 1000 * 1000)


def _equipment(units: SongCong, add: _Adder, rng: random.Random) -> None:
    """About 30 rows per old commune and about 90 for the city's offices."""
    plan = [(units.city, c.CITY_OFFICES, 95)] + [
        (commune, c.COMMUNE_OFFICES, rng.randint(24, 36)) for commune in sorted(units.communes.values(),
                                                                                 key=lambda u: u.name)]
    for unit, offices, rows in plan:
        for _ in range(rows):
            _one_equipment(units, unit, offices, add, rng)


def _one_equipment(units: SongCong, unit: Unit, offices: tuple[str, ...], add: _Adder, rng: random.Random) -> None:
    kind, measure, models, (low, high), life = rng.choices(c.EQUIPMENT_MODELS, weights=c.EQUIPMENT_WEIGHTS)[0]
    model, serial_prefix = rng.choice(models)
    year = rng.randint(2011, 2024)
    quantity = rng.randint(2, 12) if not serial_prefix and kind.startswith("Bàn ghế làm") else 1
    cost = rng.randint(low // 10_000, high // 10_000) * 10_000
    age = THIS_YEAR - year
    condition = rng.choices(("good", "in_use", "needs_repair", "damaged", "unusable"),
                            weights=(4 if age < 4 else 1, 16, 1 + age // 4, age // 4, age // 8))[0]
    ownership = rng.choices(("own", "surplus", "missing", "custody"), weights=(94, 3, 1, 2))[0]
    if unit is units.city:  # the city's offices are shared out, Sông Công taking the most
        receiver = units.receivers[rng.choice(("Phường Sông Công", "Phường Sông Công", "Phường Bá Xuyên",
                                               "Phường Bách Quang"))]
    else:
        receiver = units.successor(unit)
    intended = "Tiếp tục sử dụng tại đơn vị nhận"
    if condition in ("damaged", "unusable"):
        receiver, intended = units.receivers[c.FINANCE], "Dôi dư, hư hỏng: đề nghị thanh lý"
    notes = {"surplus": "Phát hiện thừa khi kiểm kê ngày 20/6/2025, chưa có trên sổ kế toán.",
             "missing": "Thiếu khi kiểm kê ngày 20/6/2025; đề nghị ghi giảm, làm rõ trách nhiệm.",
             "custody": "Mượn của Trung tâm Viễn thông Sông Công, phải trả lại."}.get(ownership)
    add(AssetKind.EQUIPMENT, unit, receiver, name=f"{kind} {model}", equipment_type=kind,
        serial=f"{serial_prefix}{_serial(rng)}" if serial_prefix else None, quantity=quantity, unit_of_measure=measure,
        original_cost=cost * quantity, remaining_value=_remaining(cost * quantity, year, life), condition=condition,
        ownership=ownership, current_use=f"{rng.choice(offices)} (đưa vào sử dụng năm {year})",
        intended_use=intended, notes=notes)


def _serial(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(7))


def _archive_boxes(units: SongCong, add: _Adder, rng: random.Random) -> None:
    """Boxes of each fonds in date order: older years mostly sorted, the last years mostly not."""
    for giver, fonds, boxes, first_year, sorted_share, preliminary_share in c.FONDS:
        unit = units.giver(giver)
        for number in range(1, boxes + 1):
            position = (number - 1) / boxes
            title, permanent = c.SERIES[(number - 1) % len(c.SERIES)]
            start = first_year + int(position * (THIS_YEAR - first_year))
            end = min(THIS_YEAR, start + rng.randint(0, 3))
            if position < sorted_share:
                arrangement = "sorted"
            elif position < sorted_share + preliminary_share:
                arrangement = "preliminary"
            else:
                arrangement = "unsorted"
            if unit is units.city:  # the city's permanent records go to the provincial archive
                receiver = units.receivers[c.ARCHIVE] if permanent else units.receivers["Phường Sông Công"]
            else:
                receiver = units.successor(unit)
            add(AssetKind.ARCHIVE_BOX, unit, receiver, name=f"{title} {start}–{end}" if end != start else
                f"{title} {start}", fonds=fonds, box_no=str(number), files_count=rng.randint(6, 22),
                span_start=start, span_end=end, arrangement=arrangement,
                retention="permanent" if permanent else "limited",
                digitised=arrangement == "sorted" and rng.random() < 0.3,
                condition="damaged" if rng.random() < 0.04 else "in_use",
                notes="Hộp bị ẩm, giấy giòn; cần tu bổ." if rng.random() < 0.04 else None)

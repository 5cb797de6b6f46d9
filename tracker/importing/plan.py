"""From validated rows to a plan: which assets an import creates, which it changes and how, and
which rows it refuses. Reads the database, writes nothing.

Holders (a unit and maybe its agency) come from ``holders``: the units column, an HQ's own name,
the section, the fonds, then the list's unit line, the unit chosen on upload, the letterhead. An
existing asset is the same asset when it has the same code in the same unit, the same plate, or
the same fonds and box number; rows without a code match an asset of the same unit with the same
name (and serial), in order. A re-import that would move an asset to another unit or change its
money by more than a rounding is *held*: listed apart, applied only when the officer ticks it.
Any refused row refuses the whole file: the plan then only explains.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from tracker.assets.fields import label as field_label
from tracker.assets.services import CODE_PREFIX, search_text
from tracker.history import TRACKED, plain
from tracker.importing.bulk import collector_paused
from tracker.importing.holders import HolderReport, HolderResolver, Holding, NewAgency
from tracker.importing.cells import picker
from tracker.importing.parsed import COLUMN, FONDS, NAME, SECTION, UNIT_SECTION, ParsedFile, ParsedSheet
from tracker.importing.rows import SKIP_LABELS, RowClass
from tracker.importing.units import RECEIVERS, UnitResolver
from tracker.models import Asset, AssetKind, AssetStatus, Unit, User
from tracker.text import fold

EDITABLE = (AssetStatus.REGISTERED, AssetStatus.IN_HANDOVER)
# What matching needs of an existing asset; the compared fields are added per sheet.
_KEY_COLUMNS = ("id", "version", "status", "province_id", "unit_id", "holder_id", "receiver_id", "agency_id", "code",
                "name", "plate", "fonds", "fonds_folded", "box_no", "serial", "equipment_type", "address", "make_model")
MONEY_FIELDS = ("original_cost", "remaining_value")
ROUNDING_DONG, ROUNDING_SHARE = 1_000, 0.001  # a money change within max(1.000 đ, 0.1 %) is a rounding


def beyond_rounding(before: int | None, after: int | None) -> bool:
    """True when a money figure changes by more than the rounding of hand-typed lists."""
    before, after = before or 0, after or 0
    return abs(after - before) > max(ROUNDING_DONG, ROUNDING_SHARE * max(before, after))


@dataclass
class Problem:
    """A refused row: where it is and why, in Vietnamese."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class Create:
    sheet: int
    index: int  # position in the sheet's rows
    unit_id: int
    receiver_id: int | None
    code: str | None  # None until codes are handed out
    agency_id: int | None = None  # negative: an agency the commit creates (ImportPlan.new_agencies)


@dataclass
class Update:
    sheet: int
    index: int
    asset_id: int
    version: int
    code: str
    name: str
    changes: dict[str, list]  # field -> [before, after], JSON-safe, as history records it
    values: dict  # column -> new typed value, for the UPDATE
    held: list[str] = field(default_factory=list)  # why it waits for the officer's tick (moves, money)


@dataclass
class ImportPlan:
    """Everything the preview shows and the commit does."""

    parsed: ParsedFile
    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    held: list[Update] = field(default_factory=list)  # applied only when ticked (``confirm``)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0
    new_agencies: list[NewAgency] = field(default_factory=list)
    holders: list[HolderReport] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)  # every unit the plan mentions
    agency_names: dict[int, str] = field(default_factory=dict)  # every agency, new ones by their negative id

    @property
    def skipped(self) -> Counter:
        total = Counter()
        for sheet in self.parsed.sheets:
            total.update({k: v for k, v in sheet.skipped.items() if k is not RowClass.BLANK})
        return total

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    @property
    def can_commit(self) -> bool:
        """Nothing refused and something to write, or held changes the officer may tick."""
        return not self.problems and bool(self.creates or self.updates or self.held)

    @property
    def writes(self) -> bool:
        """The commit, as it stands (ticks applied), writes assets."""
        return bool(self.creates or self.updates)

    def confirm(self, asset_ids) -> None:
        """Apply the held changes of these assets (the officer ticked them); the others stay as they were."""
        chosen = set(asset_ids)
        self.updates += [u for u in self.held if u.asset_id in chosen]
        self.held = [u for u in self.held if u.asset_id not in chosen]

    def skipped_labels(self) -> list[tuple[str, int]]:
        return [(SKIP_LABELS[k], n) for k, n in sorted(self.skipped.items(), key=lambda kv: -kv[1])]

    def totals(self) -> list[tuple[str, object]]:
        return [(s.name, check) for s in self.parsed.sheets for check in s.totals]

    def counts(self) -> dict[str, int]:
        return {"created": len(self.creates), "updated": len(self.updates), "held": len(self.held),
                "unchanged": self.unchanged, "skipped": self.skipped_count, "rejected": self.rejected_rows}

    def fingerprint(self) -> str:
        """What the commit will do, hashed: the commit refuses if the database moved since the preview."""
        digest = hashlib.sha256(self.parsed.sha256.encode())
        for c in self.creates:
            digest.update(f"c{c.sheet}:{c.index}:{c.unit_id}:{c.receiver_id}:{c.code}:{c.agency_id}".encode())
        for u in self.updates:
            digest.update(f"u{u.asset_id}:{u.version}:{sorted(u.changes.items())}".encode())
        for u in self.held:
            digest.update(f"h{u.asset_id}:{u.version}:{sorted(u.changes.items())}".encode())
        for a in self.new_agencies:
            digest.update(f"a{a.temp_id}:{a.unit_id}:{a.key}".encode())
        digest.update(f"n{self.unchanged}:r{self.rejected_rows}".encode())
        return digest.hexdigest()


def scope_provinces(actor: User | None) -> list[int] | None:
    """Provinces the importer may write to: the officer's; all for an admin or the command line."""
    return None if actor is None or actor.province_id is None else [actor.province_id]


class _Planner:
    def __init__(self, parsed: ParsedFile, actor: User | None, default_unit: Unit | None):
        self.parsed, self.actor = parsed, actor
        self.provinces = scope_provinces(actor)
        self.default_unit = default_unit
        self.units = UnitResolver(self.provinces, default_unit)
        self.holders = HolderResolver(self.units, parsed.mapping)
        self._receivers: UnitResolver | None = None
        self.plan = ImportPlan(parsed)
        self.seen: dict[tuple, int] = {}  # natural key -> row number, for duplicates inside the file
        self.refused: set[tuple[int, int]] = set()

    def receivers(self) -> UnitResolver:
        if self._receivers is None:
            self._receivers = UnitResolver(self.provinces, None, RECEIVERS, "xã, phường mới và cơ quan cấp tỉnh")
        return self._receivers

    def refuse(self, sheet: ParsedSheet, sheet_index: int, index: int, number: int | None, column: str,
               message: str) -> None:
        self.plan.problems.append(Problem(sheet.name, number, column, message))
        if (sheet_index, index) not in self.refused:
            self.refused.add((sheet_index, index))
            self.plan.rejected_rows += 1

    def run(self) -> ImportPlan:
        if self.default_unit is not None and self.default_unit.id not in self.units.by_id:
            self.plan.problems.append(Problem("", None, "Đơn vị", f"«{self.default_unit.name}» không phải đơn vị đã "
                                                                  "giải thể mà bạn được nhập tài sản."))
            self.default_unit = None
        for sheet_index, sheet in enumerate(self.parsed.sheets):
            if sheet.error:
                self.plan.problems.append(Problem(sheet.name, sheet.header_row, "", sheet.error))
                self.plan.rejected_rows += max(len(sheet.rows), 1)
            elif sheet.kind is not None:
                self.sheet(sheet_index, sheet)
        if not self.plan.problems:
            self.hand_out_codes()
        self.name_things()
        return self.plan

    def name_things(self) -> None:
        """The names of the units and agencies the preview mentions, and the holder report."""
        plan = self.plan
        plan.new_agencies = sorted(self.holders.new_agencies.values(), key=lambda a: -a.temp_id)
        plan.holders = sorted(self.holders.reports.values(), key=lambda r: (r.holding.problem is None, -r.rows))
        units = {u.id: u.name for u in self.units.units}
        if self._receivers is not None:
            units |= {u.id: u.name for u in self._receivers.units}
        plan.unit_names = units
        plan.agency_names = {agency_id: name for agency_id, name in self.holders.agencies.values()}
        plan.agency_names |= {a.temp_id: a.name for a in plan.new_agencies}

    def sheet(self, sheet_index: int, sheet: ParsedSheet) -> None:
        names = sheet.value_names
        pos = {n: i for i, n in enumerate(names)}
        letterhead = sheet.context.letterhead or self.parsed.sheets[0].context.letterhead
        fallback = self.holders.fallback(sheet.context, self.default_unit, letterhead)
        if fallback is not None and fallback.problem:
            self.plan.problems.append(Problem(sheet.name, sheet.header_row, "Tiêu đề", fallback.problem))
            fallback = None
        near = fallback.unit_id if fallback else None
        holdings = {labels: self.holders.resolve(labels, fallback, near, rows)
                    for labels, rows in Counter(row.holder for row in sheet.rows).items()}
        resolved = []  # (index, row, holding, receiver_id)
        for index, row in enumerate(sheet.rows):
            if row.errors:
                for name, message in row.errors:
                    self.refuse(sheet, sheet_index, index, row.number, sheet.column_labels.get(name, field_label(name)),
                                message)
            holding = holdings[row.holder]
            if holding.problem:
                self.refuse(sheet, sheet_index, index, row.number, self.holder_column(sheet, holding.where),
                            holding.problem)
            receiver_id = self.receiver_of(sheet, sheet_index, index, row, holding.unit_id)
            if holding.unit_id is not None and not row.errors:
                resolved.append((index, row, holding, receiver_id))
        compare = [n for n in sheet.present if n in pos and n in TRACKED]
        existing = _Existing(sheet.kind, {r[2].unit_id for r in resolved}, resolved, pos, compare)
        matcher = _Matcher(self, sheet_index, sheet, pos, existing)
        for index, row, holding, receiver_id in resolved:
            matcher.row(index, row, holding, receiver_id)

    @staticmethod
    def holder_column(sheet: ParsedSheet, where: str) -> str:
        """Where the officer sees the name that could not be placed."""
        return {COLUMN: sheet.column_labels.get("_unit", "Đơn vị"), SECTION: "Dòng mục", UNIT_SECTION: "Dòng mục",
                FONDS: sheet.column_labels.get("fonds", "Phông lưu trữ"), NAME: sheet.column_labels.get("name", "Tên"),
                "title": "Tiêu đề"}.get(where, "Đơn vị")

    def receiver_of(self, sheet, sheet_index, index, row, unit_id) -> int | None:
        if not row.receiver_label:
            return None
        receiver_id, problem = self.receivers().resolve(row.receiver_label)
        column = sheet.column_labels.get("_receiver", "Đơn vị dự kiến nhận")
        if problem:
            self.refuse(sheet, sheet_index, index, row.number, column, problem)
            return None
        unit = self.units.by_id.get(unit_id)
        if unit is not None and self.receivers().by_id[receiver_id].province_id != unit.province_id:
            self.refuse(sheet, sheet_index, index, row.number, column,
                        "Đơn vị dự kiến nhận phải cùng tỉnh với đơn vị giao.")
            return None
        return receiver_id

    def hand_out_codes(self) -> None:
        """Codes for new assets typed without one: TB-<unit code>-00042, continuing each unit's series."""
        pending: dict[tuple[int, AssetKind], list[Create]] = {}
        for create in self.plan.creates:
            if create.code is None:
                kind = self.parsed.sheets[create.sheet].kind
                pending.setdefault((create.unit_id, kind), []).append(create)
        taken_in_file = {(c.unit_id, c.code) for c in self.plan.creates if c.code}
        for (unit_id, kind), creates in pending.items():
            prefix = f"{CODE_PREFIX[kind]}-{self.units.by_id[unit_id].code}-"
            existing = set(_db().session.scalars(sa.select(Asset.code).where(
                Asset.unit_id == unit_id, Asset.kind == kind, Asset.code.startswith(prefix))))
            number = len(existing) + 1  # as services.next_code counts, then skips codes already taken
            for create in creates:
                while f"{prefix}{number:05d}" in existing or (unit_id, f"{prefix}{number:05d}") in taken_in_file:
                    number += 1
                create.code = f"{prefix}{number:05d}"
                number += 1


def _db():
    from tracker.extensions import db

    return db


class _Existing:
    """The assets already registered that rows of one sheet may be: by code, plate or fonds+box."""

    def __init__(self, kind: AssetKind, unit_ids: set[int], rows: list, pos: dict[str, int], compare: list[str]):
        self.by_code: dict[tuple[int, str], object] = {}
        self.by_plate: dict[str, object] = {}
        self.by_box: dict[tuple[str, str], object] = {}
        self._by_name: dict[tuple[int, str, str], list] | None = None
        table = Asset.__table__
        columns = [table.c[name] for name in dict.fromkeys((*_KEY_COLUMNS, *compare))]
        self.position = {column.key: i for i, column in enumerate(columns)}  # of each column in an asset row

        def fetch(key_column, values, *conditions):
            """The assets whose ``key_column`` is one of ``values``, oldest first, 500 values a query."""
            for chunk in _chunks(sorted(values)):
                query = sa.select(*columns).where(key_column.in_(chunk), *conditions).order_by(table.c.id)
                # .all() fetches in one call; iterating the result fetches row by row, a third slower
                yield from _db().session.execute(query).all()

        if kind == AssetKind.VEHICLE:
            plates = {r[1].values[pos["plate"]] for r in rows if r[1].values[pos["plate"]]}
            self.by_plate = {asset.plate: asset for asset in fetch(table.c.plate, plates)}
        elif kind == AssetKind.ARCHIVE_BOX:
            fonds = {r[1].values[pos["fonds_folded"]] for r in rows if r[1].values[pos["fonds_folded"]]}
            self.by_box = {(asset.fonds_folded, asset.box_no): asset for asset in fetch(table.c.fonds_folded, fonds)}
        self.by_code = {(asset.unit_id, asset.code): asset
                        for asset in fetch(table.c.unit_id, unit_ids, table.c.kind == kind)}

    def by_name(self, key: tuple[int, str, str]) -> list:
        """Assets of a unit with this folded name and serial, oldest first (built on first use)."""
        if self._by_name is None:
            self._by_name = {}
            for asset in self.by_code.values():
                self._by_name.setdefault((asset.unit_id, fold(asset.name), asset.serial or ""), []).append(asset)
        return self._by_name.get(key, [])


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Matcher:
    """Decides create / update / unchanged / refuse for each row of one sheet."""

    def __init__(self, planner: _Planner, sheet_index: int, sheet: ParsedSheet, pos: dict[str, int],
                 existing: _Existing):
        self.p, self.sheet_index, self.sheet, self.pos, self.existing = planner, sheet_index, sheet, pos, existing
        self.kind = sheet.kind
        self.compare = [n for n in sheet.present if n in pos and n in TRACKED]
        self.column_of = sheet.column_labels
        self.claimed: set[int] = set()
        # Looked up once: this runs for every row of a 100,000-row file.
        self.vehicle, self.archive = self.kind == AssetKind.VEHICLE, self.kind == AssetKind.ARCHIVE_BOX
        self.code_at = pos["code"]
        self.code_tag = f"code:{self.kind.value}"  # codes are unique per unit and kind
        self.seen, self.creates = planner.seen, planner.plan.creates
        # An unchanged row is told by comparing two tuples, the row's compared values and the asset's,
        # instead of field by field: re-importing an unchanged file is mostly that.
        self.code_compared = "code" in self.compare
        self.new_values = picker([pos[name] for name in self.compare])
        self.old_values = picker([existing.position[name] for name in self.compare])

    def refuse(self, index: int, row, column: str, message: str) -> None:
        self.p.refuse(self.sheet, self.sheet_index, index, row.number, self.column_of.get(column, field_label(column)),
                      message)

    def row(self, index: int, row, holding: Holding, receiver_id: int | None) -> None:
        values, pos, seen = row.values, self.pos, self.seen
        unit_id, agency_id = holding.unit_id, holding.agency_id
        code = values[self.code_at]
        if self.vehicle:
            plate = values[pos["plate"]]
            key, column, shown = ("plate", plate), "plate", plate
            match = self.existing.by_plate.get(plate)
        elif self.archive:
            key = ("box", values[pos["fonds_folded"]], values[pos["box_no"]])
            column, shown = "box_no", f"hộp {values[pos['box_no']]} của «{values[pos['fonds']]}»"
            match = self.existing.by_box.get(key[1:])
        elif code:
            key, column, shown = (self.code_tag, unit_id, code), "code", code
            match = self.existing.by_code.get((unit_id, code))
        else:
            key, column, shown, match = None, "name", "", self._by_name(unit_id, values)
        if key is not None:
            if key in seen:
                self.refuse(index, row, column, f"Trùng với dòng {seen[key]} trong tệp ({shown}); mỗi tài "
                                                f"sản chỉ được ghi một lần.")
                return
            seen[key] = row.number
        if code and (self.vehicle or self.archive):
            code_key = (self.code_tag, unit_id, code)
            if code_key in seen:
                self.refuse(index, row, "code", f"Mã tài sản «{code}» trùng với dòng {seen[code_key]} trong tệp.")
                return
            seen[code_key] = row.number
        if match is None:
            if code and (self.vehicle or self.archive) and (other := self.existing.by_code.get((unit_id, code))):
                self.refuse(index, row, "code", f"Mã tài sản «{code}» đã dùng cho «{other.name}» của đơn vị này.")
                return
            self.creates.append(Create(self.sheet_index, index, unit_id, receiver_id, code, agency_id))
            return
        self._update(index, row, match, holding, receiver_id)

    def _by_name(self, unit_id: int, values: tuple):
        serial = values[self.pos["serial"]] if "serial" in self.pos else None
        for asset in self.existing.by_name((unit_id, fold(values[self.pos["name"]]), serial or "")):
            if asset.id not in self.claimed:
                self.claimed.add(asset.id)
                return asset
        return None

    def _update(self, index: int, row, asset, holding: Holding, receiver_id: int | None) -> None:
        unit_id, agency_id = holding.unit_id, holding.agency_id
        provinces = self.p.provinces
        if provinces is not None and asset.province_id not in provinces:
            self.refuse(index, row, "plate" if self.kind == AssetKind.VEHICLE else "box_no",
                        "Tài sản này đã được đăng ký ở một tỉnh khác, ngoài phạm vi bạn được nhập.")
            return
        self.claimed.add(asset.id)
        values, pos = row.values, self.pos
        if (asset.unit_id == unit_id and not row.receiver_label and (agency_id is None or agency_id == asset.agency_id)
                and (values[self.code_at] is not None or not self.code_compared)
                and self.old_values(asset) == self.new_values(values)):
            self.p.plan.unchanged += 1  # what the comparison below finds when no field differs, found faster
            return
        new = {name: values[pos[name]] for name in self.compare}
        if new.get("code") is None:
            new.pop("code", None)  # a row without a code keeps the asset's code
        if asset.unit_id != unit_id:
            unit = self.p.units.by_id[unit_id]
            new.update(unit_id=unit_id, province_id=unit.province_id)
            if asset.holder_id == asset.unit_id:
                new["holder_id"] = unit_id
        if row.receiver_label:
            new["receiver_id"] = receiver_id
        if agency_id is not None:  # a list that names no agency leaves the asset's as it was
            new["agency_id"] = agency_id
        elif asset.unit_id != unit_id and asset.agency_id is not None:
            new["agency_id"] = None  # an agency belongs to one unit: it does not move with the asset
        changes = {name: [plain(getattr(asset, name)), plain(value)] for name, value in new.items()
                   if getattr(asset, name) != value}
        if not changes:
            self.p.plan.unchanged += 1
            return
        if asset.status not in EDITABLE:
            self.refuse(index, row, "code", f"Tài sản «{asset.code}» đã có biên bản phát hành "
                                            f"({asset.status.label}) nên không sửa bằng nhập tệp được.")
            return
        merged = {name: getattr(asset, name) for name in _KEY_COLUMNS} | new
        new["search_text"] = search_text(merged)
        if "fonds" in new:
            new["fonds_folded"] = fold(new["fonds"]) if new["fonds"] else None
        held = []
        if "unit_id" in changes:
            held.append("chuyển sang đơn vị khác")
        held += [f"{field_label(name)} thay đổi quá mức làm tròn" for name in MONEY_FIELDS
                 if name in changes and beyond_rounding(*changes[name])]
        update = Update(self.sheet_index, index, asset.id, asset.version, asset.code, asset.name, changes, new, held)
        (self.p.plan.held if held else self.p.plan.updates).append(update)


def build_plan(parsed: ParsedFile, actor: User | None, default_unit: Unit | None = None) -> ImportPlan:
    """Match a parsed file against the database; the plan says what a commit would do."""
    with collector_paused():
        return _Planner(parsed, actor, default_unit).run()

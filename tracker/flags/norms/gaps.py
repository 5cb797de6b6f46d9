"""Equipment gaps: what each receiving unit holds or is due to receive against its norm.

The arithmetic (``map_type``, ``unit_gaps``) is pure: plain values in, plain values out, tested
without a database. ``holdings`` and ``province_gaps`` feed it from the grouped queries of
``tracker.flags.norms.holding_queries`` — a few queries for a whole province (or the whole
country), never one per unit.

What counts (docs/NORMS.md):
- held: assets whose current holder is the unit, not missing, damaged at receipt or written off,
  and not on their way to someone else (issued or signed in another handover);
- due: items of open handovers with status issued or signed whose receiver is the unit;
- only usable items count toward the norm: condition "Hư hỏng" / "Không sử dụng được", or an item
  reported missing or damaged at receipt, is shown apart and does not fill the gap.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from tracker.extensions import db
from tracker.flags.norms import services as norm_data
from tracker.flags.norms.holding_queries import (RECEIVING_KINDS, UNUSABLE_CONDITIONS, due_queries, held_query,
                                           plain_rows)
from tracker.models import (Asset, AssetKind, AssetStatus, EquipmentTypeRule, Norm, NormBasis, ReceiptState, Unit,
                            UnitKind)
from tracker.text import fold

ZERO = Decimal(0)
VEHICLE, HEADQUARTERS = AssetKind.VEHICLE.value, AssetKind.HEADQUARTERS.value


# ---------------------------------------------------------------- pure arithmetic

def compile_rules(rules: Iterable[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(pattern, item) in the order they are tried: lower priority first, then longer patterns."""
    ordered = sorted(rules, key=lambda r: (r[2], -len(r[0]), r[0]))
    return [(pattern, item) for pattern, item, _prio in ordered if pattern.strip()]


def map_type(text: str | None, compiled: list[tuple[str, str]]) -> str | None:
    """The norm item a free-text equipment type belongs to, or None if no rule matches.

    >>> map_type("Máy vi tính để bàn Dell Optiplex", [("may vi tinh", "computer")])
    'computer'
    """
    padded = f" {fold(text)} "
    for pattern, item in compiled:
        if pattern in padded:
            return item
    return None


@dataclass
class Holding:
    """Quantities of one item at one unit: usable held, usable due, and not usable (either)."""

    held: Decimal = ZERO
    due: Decimal = ZERO
    unusable: Decimal = ZERO

    def add(self, *, due: bool, usable: bool, amount: Decimal) -> None:
        if not usable:
            self.unusable += amount
        elif due:
            self.due += amount
        else:
            self.held += amount


@dataclass(frozen=True)
class NormFigure:
    """One norm line as the arithmetic needs it."""

    item_type: str
    basis: str  # NormBasis value
    quantity: Decimal
    is_maximum: bool = False


@dataclass(frozen=True)
class Gap:
    """One unit, one item: the norm, what it has, and what is missing or over."""

    unit_id: int
    item_type: str
    required: Decimal | None  # None: the count the norm is based on is not declared
    held: Decimal
    due: Decimal
    unusable: Decimal
    is_maximum: bool
    missing_count: str | None = None  # 'officials' or 'rooms' when required is None

    @property
    def have(self) -> Decimal:
        return self.held + self.due

    @property
    def shortage(self) -> Decimal | None:
        return None if self.required is None else max(ZERO, self.required - self.have)

    @property
    def surplus(self) -> Decimal | None:
        return None if self.required is None else max(ZERO, self.have - self.required)

    @property
    def coverage(self) -> float | None:
        """Share of the norm covered, 0..1+; None if unknown or the norm is zero."""
        if not self.required:
            return None
        return float(self.have / self.required)


_PER_UNIT, _PER_ROOM = NormBasis.PER_UNIT.value, NormBasis.PER_ROOM.value
_CENT = Decimal("0.01")


def required_amount(norm: NormFigure, officials: int | None, rooms: int | None) -> Decimal | None:
    """What the norm entitles the unit to; whole items are rounded up, floor area kept to 0.01 m²."""
    basis = norm.basis
    base = 1 if basis == _PER_UNIT else rooms if basis == _PER_ROOM else officials
    if base is None:
        return None
    amount = norm.quantity * base
    if norm.item_type == "hq_floor_area":
        return amount.quantize(_CENT)
    return Decimal(math.ceil(amount))


def unit_gaps(unit_id: int, norms: Iterable[NormFigure], officials: int | None, rooms: int | None,
              holdings: Mapping[str, Holding]) -> list[Gap]:
    """Every norm item of one unit against what it holds and is due; pure."""
    gaps = []
    for norm in norms:
        held = holdings.get(norm.item_type, Holding())
        required = required_amount(norm, officials, rooms)
        missing = None
        if required is None:
            missing = "rooms" if norm.basis == _PER_ROOM else "officials"
        gaps.append(Gap(unit_id, norm.item_type, required, held.held, held.due, held.unusable, norm.is_maximum,
                        missing))
    return gaps


# ---------------------------------------------------------------- the SQL that feeds it

@dataclass
class ReceivingUnit:
    """A unit that receives (new commune, ward, special zone or provincial body)."""

    id: int
    name: str
    code: str
    kind: UnitKind
    division_type: str
    province_id: int
    officials_count: int | None
    rooms_count: int | None
    source_key: str = ""

    @property
    def unit_type(self) -> str | None:
        return norm_data.unit_type_of(self.kind, self.division_type)

    @property
    def is_finance(self) -> bool:
        """Sở Tài chính holds assets awaiting reallocation; its holdings are a pool, not a need."""
        return self.source_key.endswith(":finance")


def receiving_units(province_id: int | None, unit_id: int | None = None) -> list[ReceivingUnit]:
    """The receiving units of a province (or of the country when None), by name."""
    query = sa.select(Unit.id, Unit.name, Unit.code, Unit.kind, Unit.division_type, Unit.province_id,
                      Unit.officials_count, Unit.rooms_count, Unit.source_key).where(Unit.kind.in_(RECEIVING_KINDS))
    if province_id is not None:
        query = query.where(Unit.province_id == province_id)
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    return [ReceivingUnit(*row) for row in db.session.execute(query.order_by(Unit.kind, Unit.name))]


class TypeMapper:
    """Maps free-text equipment types to norm items with each province's rules, caching each text."""

    def __init__(self, province_ids: Iterable[int] | None):
        query = sa.select(EquipmentTypeRule.province_id, EquipmentTypeRule.pattern, EquipmentTypeRule.item_type,
                          EquipmentTypeRule.priority)
        if province_ids is not None:
            query = query.where(EquipmentTypeRule.province_id.in_(list(province_ids)))
        by_province: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
        for pid, pattern, item, prio in db.session.execute(query):
            by_province[pid].append((pattern, item, prio))
        self.rules = {pid: compile_rules(rows) for pid, rows in by_province.items()}
        self.cache: dict[tuple[int, str | None], str | None] = {}

    def item(self, province_id: int, text: str | None) -> str | None:
        key = (province_id, text)
        if key not in self.cache:
            self.cache[key] = map_type(text, self.rules.get(province_id, []))
        return self.cache[key]


@dataclass
class HoldingsResult:
    """Holdings per (unit, item) and the equipment types no rule recognises (text -> rows, quantity)."""

    by_unit: dict[int, dict[str, Holding]] = field(default_factory=lambda: defaultdict(dict))
    unmapped: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (province, text) -> [rows, qty]
    texts: dict[str, set[str]] = field(default_factory=dict)  # item -> type texts seen held or due


def holdings(units: Mapping[int, ReceivingUnit], province_id: int | None, unit_id: int | None = None,
             mapper: TypeMapper | None = None, usable_only: bool = False) -> HoldingsResult:
    """Held and due quantities of every norm item for the given units: two grouped queries
    (``usable_only``: usable items only, unusable quantities left at zero)."""
    mapper = mapper or TypeMapper(None if province_id is None else [province_id])
    result = HoldingsResult()
    unusable = {c.value for c in UNUSABLE_CONDITIONS} | {AssetStatus.DAMAGED.value, ReceiptState.MISSING.value,
                                                         ReceiptState.DAMAGED.value}
    held = held_query(province_id, unit_id, units if province_id is not None else None, usable_only)
    queries = [(False, held)] + [(True, q) for q in due_queries(province_id, unit_id, usable_only=usable_only)]
    for due, query in queries:
        for uid, kind, etype, condition, state, qty, floor, rows in plain_rows(query):
            unit = units.get(uid)
            if unit is None:
                continue
            is_usable = condition not in unusable and state not in unusable  # plain text values (raw())
            if kind == VEHICLE:
                item, amount = "car", Decimal(rows)
            elif kind == HEADQUARTERS:
                item, amount = "hq_floor_area", Decimal(str(floor or 0))
            else:
                item, amount = mapper.item(unit.province_id, etype), Decimal(qty or 0)
                if item is None:
                    slot = result.unmapped.setdefault((unit.province_id, etype or ""), [0, 0])
                    slot[0] += rows
                    slot[1] += int(qty or 0)
                    continue
            result.by_unit[uid].setdefault(item, Holding()).add(due=due, usable=is_usable, amount=amount)
            if etype is not None:
                result.texts.setdefault(item, set()).add(etype)
    return result


def unmapped_types(province_id: int) -> list[tuple[str, int, int]]:
    """Equipment type texts of the province no rule maps: (text, rows, quantity), most rows first.

    Every status is listed explicitly so the query runs on the prefix (province, status, kind) of
    ix_assets_stock and never reads the table.
    """
    mapper = TypeMapper([province_id])
    query = (sa.select(Asset.equipment_type, sa.func.count(), sa.func.sum(Asset.quantity))
             .where(Asset.province_id == province_id, Asset.status.in_(list(AssetStatus)),
                    Asset.kind == AssetKind.EQUIPMENT)
             .group_by(Asset.equipment_type))
    found = [(text or "", rows, int(qty or 0)) for text, rows, qty in db.session.execute(query)
             if mapper.item(province_id, text) is None]
    return sorted(found, key=lambda r: (-r[1], r[0]))


def norm_figures(province_ids: Iterable[int] | None) -> dict[tuple[int, str], list[NormFigure]]:
    """(province, unit type) -> its norm lines."""
    query = sa.select(Norm.province_id, Norm.unit_type, Norm.item_type, Norm.basis, Norm.quantity, Norm.is_maximum)
    if province_ids is not None:
        query = query.where(Norm.province_id.in_(list(province_ids)))
    figures: dict[tuple[int, str], list[NormFigure]] = defaultdict(list)
    for pid, unit_type, item, basis, qty, is_max in db.session.execute(query.order_by(Norm.item_type)):
        figures[(pid, unit_type)].append(NormFigure(item, NormBasis(basis).value, Decimal(qty), bool(is_max)))
    return figures


@dataclass
class GapReport:
    """Gaps of every receiving unit in scope, and the equipment names no rule maps."""

    units: list[ReceivingUnit]
    gaps: dict[int, list[Gap]]
    unmapped: list[tuple[str, int, int]]  # (text, rows, quantity), most rows first
    texts: dict[str, set[str]] = field(default_factory=dict)  # item -> type texts held or due

    def shortages(self) -> list[Gap]:
        return [g for gs in self.gaps.values() for g in gs if g.shortage]


def province_gaps(province_id: int | None, unit_id: int | None = None, *, usable_only: bool = False,
                  mapper: TypeMapper | None = None) -> GapReport:
    """Gaps for a province (None: the whole country), or for one unit of it.

    ``usable_only``: what counts toward the norms and nothing else, for the reallocation: held and
    due usable quantities read in coarser groups (40 % of the rows), no unusable quantities and
    no list of unmapped names.
    """
    units = receiving_units(province_id, unit_id)
    by_id = {u.id: u for u in units}
    pids = None if province_id is None else [province_id]
    held = holdings(by_id, province_id, unit_id, mapper or TypeMapper(pids), usable_only)
    figures = norm_figures(pids)
    gaps = {u.id: unit_gaps(u.id, figures.get((u.province_id, u.unit_type), []), u.officials_count, u.rooms_count,
                            held.by_unit.get(u.id, {}))
            for u in units}
    unmapped = [] if usable_only else sorted(((text, n, q) for (_pid, text), (n, q) in held.unmapped.items()),
                                             key=lambda r: (-r[1], r[0]))
    return GapReport(units, gaps, unmapped, held.texts)

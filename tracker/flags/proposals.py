"""The SQL that feeds the reallocation matching: where units are, the free rows as bundles, and
every proposal of a province (``tracker.flags.reallocation`` holds the pure matching).

Free rows of dissolved units are by far the largest pool (tens of thousands of rows in a big
province) while shortages are usually met close by, so they are read in widening rings: first
the old districts of the units short of something, then their old provinces, then the whole
province, each ring only for the kinds still short and only if a shortage is left. Each round
re-runs the matching of the items whose pool grew; because every unit takes the nearest free row
first, the result is the one the whole pool would give
(tests/test_flags_reallocation.py::test_reading_the_pool_in_rings_changes_nothing).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from tracker.extensions import db
from tracker.flags import gaps as gap_data
from tracker.flags.reallocation import (SAME_DISTRICT, SAME_OLD_PROVINCE, SAME_PROVINCE, Bundle, Need, Place,
                                        Proposal, allocate, group_proposals)
from tracker.models import Asset, AssetKind, AssetStatus, Unit, UnitKind, UnitSuccession

MOVABLE = (AssetKind.EQUIPMENT, AssetKind.VEHICLE)


def places(province_id: int) -> tuple[dict[int, Place], dict[int, Place]]:
    """(every unit's place, the dissolved units' places): old units by their district, new ones by
    their predecessors' districts."""
    units = db.session.execute(sa.select(Unit.id, Unit.kind, Unit.parent_id, Unit.old_province_name)
                               .where(Unit.province_id == province_id)).all()
    result: dict[int, Place] = {}
    for uid, kind, parent_id, old_province in units:
        if UnitKind(kind).dissolved:
            district = uid if UnitKind(kind) == UnitKind.OLD_DISTRICT else parent_id
            result[uid] = Place(frozenset({district} if district else ()),
                                frozenset({old_province} if old_province else ()))
    dissolved = dict(result)
    feeds: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    for successor, predecessor in db.session.execute(
            sa.select(UnitSuccession.successor_id, UnitSuccession.predecessor_id)
            .join(Unit, Unit.id == UnitSuccession.successor_id).where(Unit.province_id == province_id)):
        place = dissolved.get(predecessor)
        if place is not None:
            feeds[successor][0].update(place.districts)
            feeds[successor][1].update(place.old_provinces)
    for uid, (districts, provinces) in feeds.items():
        result[uid] = Place(frozenset(districts), frozenset(provinces))
    return result, dissolved


def _bundle_rows(province_id: int, condition: sa.ColumnElement[bool],
                 kinds: tuple[AssetKind, ...] = MOVABLE, by_province: bool = True) -> sa.Select:
    """Free rows grouped into bundles. Dissolved units' rows are found by province and status
    (ix_assets_stock, grouped in its order: no sort); rows of named holders by holder
    (ix_assets_held) without the province, which the holders already imply, so both read only
    the index."""
    query = (sa.select(Asset.holder_id, Asset.unit_id, gap_data.raw(Asset.kind), Asset.equipment_type,
                       Asset.quantity, sa.func.count())
             .where(Asset.kind.in_(kinds), gap_data.usable(), condition)
             .group_by(Asset.kind, Asset.holder_id, Asset.unit_id, Asset.equipment_type, Asset.quantity))
    return query.where(Asset.province_id == province_id) if by_province else query


def source_condition(source: str, holder_ids: list[int]) -> sa.ColumnElement[bool]:
    """Which rows of a holder are free to move, per kind of source."""
    if source == "dissolved":
        return sa.and_(Asset.status == AssetStatus.REGISTERED, Asset.holder_id == Asset.unit_id,
                       Asset.receiver_id.is_(None))
    return sa.and_(Asset.holder_id.in_(holder_ids),
                   Asset.status.in_((AssetStatus.REGISTERED, AssetStatus.RECEIVED)),
                   sa.or_(Asset.receiver_id.is_(None), Asset.receiver_id == Asset.holder_id))


@dataclass
class ProposalSet:
    proposals: list[Proposal]
    bundles: dict[tuple, Bundle]
    unmet: dict[str, int]  # item -> quantity still short after every proposal
    report: gap_data.GapReport


def _needs(report: gap_data.GapReport, where: dict[int, Place]
           ) -> tuple[list[Need], dict[tuple[int, str], int], dict[tuple[int, str], Decimal], list[int]]:
    """(needs, caps of units over their norm, what each unit had at the start, units over a norm)."""
    needs, caps, start_have, over = [], {}, {}, []
    for unit in report.units:
        for gap in report.gaps.get(unit.id, []):
            start_have[(unit.id, gap.item_type)] = gap.have
            if unit.is_finance or gap.item_type == "hq_floor_area" or gap.required is None:
                continue
            if gap.shortage:
                needs.append(Need(unit.id, unit.name, gap.item_type, int(gap.shortage), gap.have, gap.required,
                                  where.get(unit.id, Place())))
            elif gap.surplus and gap.held:
                caps[(unit.id, gap.item_type)] = int(min(gap.surplus, gap.held))
                over.append(unit.id)
    return needs, caps, start_have, over


def _kinds(items: set[str]) -> tuple[AssetKind, ...]:
    """Only the kinds some unit lacks: when only cars are short, no equipment row is read."""
    return tuple(k for k, needed in ((AssetKind.VEHICLE, "car" in items),
                                     (AssetKind.EQUIPMENT, bool(items - {"car"}))) if needed)


class _Pool:
    """Bundles read so far, without duplicates, with what each row maps to."""

    def __init__(self, province_id: int, where: dict[int, Place], caps: dict[tuple[int, str], int]):
        self.province_id, self.where, self.caps = province_id, where, caps
        self.mapper = gap_data.TypeMapper([province_id])
        self.names = dict(db.session.execute(sa.select(Unit.id, Unit.name)
                                             .where(Unit.province_id == province_id)).all())
        self.bundles: dict[tuple, Bundle] = {}

    def read(self, source: str, condition: sa.ColumnElement[bool], kinds: tuple[AssetKind, ...], wanted: set[str],
             by_province: bool) -> None:
        for holder, unit_id, kind, etype, qty, rows in db.session.execute(
                _bundle_rows(self.province_id, condition, kinds, by_province)):
            kind = AssetKind(kind)
            item = "car" if kind == AssetKind.VEHICLE else self.mapper.item(self.province_id, etype)
            if item not in wanted or (source == "surplus" and (holder, item) not in self.caps):
                continue
            place = self.where.get(holder if source == "surplus" else unit_id, Place())
            bundle = Bundle(holder, unit_id, kind, etype, int(qty), rows, item, source, self.names.get(holder, ""),
                            place)
            self.bundles.setdefault(bundle.key, bundle)


def _unmet(needs: list[Need], moves: list[tuple[Need, Bundle, int, int]]) -> list[Need]:
    given: dict[tuple[int, str], int] = defaultdict(int)
    for need, bundle, _index, _tier in moves:
        given[(need.unit_id, need.item_type)] += bundle.quantity
    return [n for n in needs if n.shortage - given[(n.unit_id, n.item_type)] > 0]


def _ring(givers: dict[int, Place], ring: int, short: list[Need]) -> list[int] | None:
    """Giving units (by place) within a ring of the units still short; None for the whole province."""
    if ring == SAME_DISTRICT:
        districts = frozenset().union(*(n.place.districts for n in short))
        return sorted(uid for uid, place in givers.items() if place.districts & districts)
    if ring == SAME_OLD_PROVINCE:
        provinces = frozenset().union(*(n.place.old_provinces for n in short))
        return sorted(uid for uid, place in givers.items() if place.old_provinces & provinces)
    return None


def province_proposals(province_id: int, *, rings: bool = True) -> ProposalSet:
    """Every proposal for a province, from its gaps and its free items (read ring by ring)."""
    report = gap_data.province_gaps(province_id)
    where, dissolved = places(province_id)
    needs, caps, start_have, over = _needs(report, where)
    pool = _Pool(province_id, where, caps)
    wanted = {n.item_type for n in needs}
    finance = [u.id for u in report.units if u.is_finance]
    if finance and _kinds(wanted):
        pool.read("finance", source_condition("finance", finance), _kinds(wanted), wanted, False)
    over_places = {uid: where.get(uid, Place()) for uid in set(over)}
    texts = sorted({t for _h, item in caps if item in wanted for t in report.texts.get(item, ())})
    short, moves = needs, []
    read: dict[tuple[str, AssetKind], set[int]] = defaultdict(set)  # holders read so far
    pool_sizes: dict[str, int] = {}
    moves_of: dict[str, list[tuple[Need, Bundle, int, int]]] = {}
    for ring in (SAME_DISTRICT, SAME_OLD_PROVINCE, SAME_PROVINCE) if rings else (SAME_PROVINCE,):
        if not short:
            break
        for kind in _kinds({n.item_type for n in short}):  # cars and equipment each in their own ring
            of_kind = [n for n in short if (n.item_type == "car") == (kind == AssetKind.VEHICLE)]
            holders = _ring(dissolved, ring, of_kind)
            seen = read[("dissolved", kind)]
            if holders is None or [h for h in holders if h not in seen]:
                condition = source_condition("dissolved", [])
                if holders is None:
                    condition = sa.and_(condition, Asset.holder_id.not_in(sorted(seen))) if seen else condition
                    seen.update(dissolved)
                else:
                    holders = [h for h in holders if h not in seen]
                    condition = sa.and_(condition, Asset.holder_id.in_(holders))
                    seen.update(holders)
                pool.read("dissolved", condition, (kind,), wanted, True)
            # Units over their norm give last (SOURCE_RANK) and only the type texts of what they hold
            # beyond it: read within the same ring.
            givers = _ring(over_places, ring, of_kind)
            seen = read[("surplus", kind)]
            givers = [g for g in (sorted(over_places) if givers is None else givers) if g not in seen]
            if givers and (kind == AssetKind.VEHICLE or texts):
                seen.update(givers)
                condition = source_condition("surplus", givers)
                if kind == AssetKind.EQUIPMENT:
                    condition = sa.and_(condition, Asset.equipment_type.in_(texts))
                pool.read("surplus", condition, (kind,), wanted, False)
        # Items are matched independently: redo only those whose pool grew in this ring.
        by_item: dict[str, list[Bundle]] = defaultdict(list)
        for bundle in pool.bundles.values():
            by_item[bundle.item_type].append(bundle)
        for item, bundles in by_item.items():
            if len(bundles) != pool_sizes.get(item):
                pool_sizes[item] = len(bundles)
                for bundle in bundles:
                    bundle.taken = 0
                moves_of[item] = allocate([n for n in needs if n.item_type == item], bundles, caps)
        moves = [move for item_moves in moves_of.values() for move in item_moves]
        short = _unmet(needs, moves)
        if not short:
            break
    unmet: dict[str, int] = defaultdict(int)
    given: dict[tuple[int, str], int] = defaultdict(int)
    for need, bundle, _index, _tier in moves:
        given[(need.unit_id, need.item_type)] += bundle.quantity
    for need in short:
        unmet[need.item_type] += need.shortage - given[(need.unit_id, need.item_type)]
    return ProposalSet(group_proposals(moves, start_have), pool.bundles, dict(unmet), report)


def proposal_asset_ids(proposal: Proposal, bundles: dict[tuple, Bundle], province_id: int) -> list[int]:
    """The asset ids behind a proposal: the same rows, in id order, the allocation counted."""
    ids: list[int] = []
    for key, indexes in proposal.lines.items():
        bundle = bundles[key]
        query = (sa.select(Asset.id).where(
            Asset.province_id == province_id, Asset.holder_id == bundle.holder_id, Asset.unit_id == bundle.unit_id,
            Asset.kind == bundle.kind, Asset.quantity == bundle.quantity, gap_data.usable(),
            source_condition(bundle.source, [bundle.holder_id]))
            .order_by(Asset.id))
        query = query.where(Asset.equipment_type.is_(None) if bundle.equipment_type is None
                            else Asset.equipment_type == bundle.equipment_type)
        rows = db.session.scalars(query).all()
        ids.extend(rows[i] for i in indexes if i < len(rows))
    return ids

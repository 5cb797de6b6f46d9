"""The SQL that feeds the reallocation matching: where units are, the free rows as bundles, and
every proposal of a province (``matching`` holds the pure matching, ``sources`` which free rows
it needs read: usually the dissolved units of the old districts of the units short of something,
not the tens of thousands of free rows of the province).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from tracker.extensions import db
from tracker.flags.norms import gaps as gap_data
from tracker.flags.norms.holding_queries import plain_rows, raw, usable
from tracker.flags.norms.services import ITEM_TYPES
from tracker.flags.reallocation import sources
from tracker.flags.reallocation.matching import Bundle, Need, Place, Proposal, group_proposals
from tracker.flags.reallocation.sources import Wanted
from tracker.models import Asset, AssetKind, AssetStatus, Unit, UnitKind, UnitSuccession

MOVABLE = (AssetKind.EQUIPMENT, AssetKind.VEHICLE)
ITEM_ORDER = {item: i for i, item in enumerate(ITEM_TYPES)}


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
    query = (sa.select(Asset.holder_id, Asset.unit_id, raw(Asset.kind), Asset.equipment_type,
                       Asset.quantity, sa.func.count())
             .where(Asset.kind.in_(kinds), usable(), condition)
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
    report: gap_data.GapReport  # usable quantities only (``province_gaps(usable_only=True)``)


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


class _Reader:
    """Reads free rows as bundles for ``sources.match``: one query per source and kind."""

    def __init__(self, province_id: int, where: dict[int, Place], texts: dict[str, set[str]],
                 mapper: gap_data.TypeMapper):
        self.province_id, self.where, self.texts, self.mapper = province_id, where, texts, mapper
        self.names = dict(db.session.execute(sa.select(Unit.id, Unit.name)
                                             .where(Unit.province_id == province_id)).all())

    def __call__(self, wanted: Wanted) -> list[Bundle]:
        queries: dict[tuple[str, AssetKind], tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
        for (source, item), holders in wanted.items():
            holders_of, items = queries[(source, AssetKind.VEHICLE if item == "car" else AssetKind.EQUIPMENT)]
            holders_of.update(holders)
            items.add(item)
        return [bundle for (source, kind), (holders, items) in queries.items()
                for bundle in self._read(source, kind, sorted(holders), items, wanted)]

    def _read(self, source: str, kind: AssetKind, holders: list[int], items: set[str],
              wanted: Wanted) -> Iterator[Bundle]:
        if source == "dissolved":
            condition, by_province = sa.and_(source_condition(source, []), Asset.holder_id.in_(holders)), True
        else:
            condition, by_province = source_condition(source, holders), False
        if kind == AssetKind.EQUIPMENT:
            condition = sa.and_(condition, self._asked_types(source, items, wanted))
        vehicle = AssetKind.VEHICLE.value
        for holder, unit_id, kind_value, etype, qty, rows in plain_rows(
                _bundle_rows(self.province_id, condition, (kind,), by_province)):
            item = "car" if kind_value == vehicle else self.mapper.item(self.province_id, etype)
            if holder in wanted.get((source, item), ()):  # other items of this holder: not asked for
                yield Bundle(holder, unit_id, kind, etype, int(qty), rows, item, source, self.names.get(holder, ""),
                             self.where.get(holder if source == "surplus" else unit_id, Place()))

    def _asked_types(self, source: str, items: set[str], wanted: Wanted) -> sa.ColumnElement[bool]:
        """Rows whose type text maps to an item asked of their holder, or to no item seen yet.

        The texts the receiving units hold or are due (``GapReport.texts``) are mapped already, so a
        holder's rows of items nobody near it lacks stay in the database instead of being read and
        dropped (a quarter of the rows come back on the benchmark). Texts not seen there are read and
        mapped here.
        """
        known = sorted({text for texts in self.texts.values() for text in texts})
        if not known:
            return sa.true()
        asked = [sa.and_(Asset.holder_id.in_(sorted(wanted[(source, item)])),
                         Asset.equipment_type.in_(sorted(self.texts[item])))
                 for item in sorted(items) if self.texts.get(item)]
        return sa.or_(*asked, Asset.equipment_type.not_in(known), Asset.equipment_type.is_(None))


def province_proposals(province_id: int, *, at_once: bool = False) -> ProposalSet:
    """Every proposal for a province, from its gaps and the free rows its matching reaches
    (``at_once``: from every free row of the province, read first)."""
    mapper = gap_data.TypeMapper([province_id])
    report = gap_data.province_gaps(province_id, usable_only=True, mapper=mapper)
    where, dissolved = places(province_id)
    needs, caps, start_have, over = _needs(report, where)
    givers = sources.Givers(dissolved, [u.id for u in report.units if u.is_finance],
                            {uid: where.get(uid, Place()) for uid in set(over)}, caps)
    moves_of, bundles = sources.match(needs, caps, givers, _Reader(province_id, where, report.texts, mapper),
                                      at_once=at_once)
    # In the norms' order of items, whatever order the rows were read in.
    moves = [move for item in sorted(moves_of, key=ITEM_ORDER.get) for move in moves_of[item]]
    given: dict[tuple[int, str], int] = defaultdict(int)
    for need, bundle, _index, _tier in moves:
        given[(need.unit_id, need.item_type)] += bundle.quantity
    unmet: dict[str, int] = defaultdict(int)
    for need in needs:
        if need.shortage > given[(need.unit_id, need.item_type)]:
            unmet[need.item_type] += need.shortage - given[(need.unit_id, need.item_type)]
    return ProposalSet(group_proposals(moves, start_have), bundles, dict(unmet), report)


def proposal_asset_ids(proposal: Proposal, bundles: dict[tuple, Bundle], province_id: int) -> list[int]:
    """The asset ids behind a proposal: the same rows, in id order, the allocation counted."""
    ids: list[int] = []
    for key, indexes in proposal.lines.items():
        bundle = bundles[key]
        query = (sa.select(Asset.id).where(
            Asset.province_id == province_id, Asset.holder_id == bundle.holder_id, Asset.unit_id == bundle.unit_id,
            Asset.kind == bundle.kind, Asset.quantity == bundle.quantity, usable(),
            source_condition(bundle.source, [bundle.holder_id]))
            .order_by(Asset.id))
        query = query.where(Asset.equipment_type.is_(None) if bundle.equipment_type is None
                            else Asset.equipment_type == bundle.equipment_type)
        rows = db.session.scalars(query).all()
        ids.extend(rows[i] for i in indexes if i < len(rows))
    return ids

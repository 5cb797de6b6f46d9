"""Reallocation proposals: fill shortages from surpluses in the same province before buying.

Surpluses (sources) are usable, movable items nobody needs where they are:
- assets of dissolved units still with them, in no handover and with no intended receiver;
- items held by Sở Tài chính awaiting reallocation;
- items a receiving unit holds beyond its norm.
Shortages (needs) come from ``gaps``. The matching (``allocate``) is pure and works one row at
a time on the most urgent need — the unit whose norm is least covered (no car, no computer
comes first), and among equally short units the one with the nearest source — taking the
nearest source: same old district, else same old province, else anywhere in the province (no
coordinates are kept; docs/NORMS.md). Rows are never split: a row of quantity 5 fills a need
of 5 or more. Allocations are grouped into one proposal per (receiving unit, giving unit).
Pure: the rows come from ``tracker.flags.reallocation.proposals``, read as the matching reaches them
(``reached``, ``tracker.flags.reallocation.sources``).
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.models import AssetKind

SAME_DISTRICT, SAME_OLD_PROVINCE, SAME_PROVINCE = 0, 1, 2
TIER_LABELS = {SAME_DISTRICT: "Cùng huyện cũ", SAME_OLD_PROVINCE: "Cùng tỉnh cũ", SAME_PROVINCE: "Trong tỉnh"}
SOURCE_RANK = {"dissolved": 0, "finance": 1, "surplus": 2}  # moving items off a working unit comes last
SOURCE_LABELS = {"dissolved": "Đơn vị đã giải thể", "finance": "Sở Tài chính", "surplus": "Vượt định mức"}
LAST_RANK = max(SOURCE_RANK.values())
Area = tuple[int, "int | str | None"]  # (tier, old district id | old province name | None: the whole province)


@dataclass(frozen=True)
class Place:
    """Where a unit or an item is, as far as the map tells: its old districts and old provinces."""

    districts: frozenset[int] = frozenset()
    old_provinces: frozenset[str] = frozenset()

    def tier(self, other: Place) -> int:
        if self.districts & other.districts:
            return SAME_DISTRICT
        if self.old_provinces & other.old_provinces:
            return SAME_OLD_PROVINCE
        return SAME_PROVINCE


@dataclass
class Need:
    """A receiving unit short of an item."""

    unit_id: int
    name: str
    item_type: str
    shortage: int
    have: Decimal
    required: Decimal
    place: Place

    @property
    def coverage(self) -> float:
        return float(self.have / self.required) if self.required else 1.0


@dataclass
class Bundle:
    """Interchangeable rows of one holder: same original unit, kind, type text and quantity."""

    holder_id: int
    unit_id: int
    kind: AssetKind
    equipment_type: str | None
    quantity: int
    rows: int
    item_type: str
    source: str  # dissolved, finance, surplus
    holder_name: str
    place: Place
    taken: int = 0
    key: tuple = field(init=False)  # computed once: the allocation sorts and looks bundles up by it

    def __post_init__(self) -> None:
        self.key = (self.holder_id, self.unit_id, self.kind.value, self.equipment_type or "", self.quantity)

    @property
    def left(self) -> int:
        return self.rows - self.taken


@dataclass
class Proposal:
    """Items one giving unit should hand to one receiving unit."""

    receiver_id: int
    receiver_name: str
    giver_id: int
    giver_name: str
    source: str
    tier: int
    urgent: bool
    coverage: float
    lines: dict[tuple, list[int]] = field(default_factory=dict)  # bundle key -> row indexes in it
    by_item: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # item -> quantity

    @property
    def key(self) -> str:
        return f"{self.receiver_id}-{self.giver_id}"

    @property
    def fingerprint(self) -> str:
        """What the officer saw, to notice a proposal that changed before it was turned into a draft."""
        return ";".join(f"{'|'.join(map(str, k))}:{','.join(map(str, v))}" for k, v in sorted(self.lines.items()))


def allocate(needs: list[Need], bundles: list[Bundle], caps: dict[tuple[int, str], int] | None = None
             ) -> list[tuple[Need, Bundle, int, int]]:
    """Match rows to needs; returns (need, bundle, row index, tier) per row moved. Pure.

    ``caps`` limits how much a holder may give of an item (a unit over norm gives only its surplus).
    """
    caps = dict(caps or {})
    moves: list[tuple[Need, Bundle, int, int]] = []
    by_item: dict[str, list[Bundle]] = defaultdict(list)
    for bundle in bundles:
        by_item[bundle.item_type].append(bundle)
    for item, pool in by_item.items():
        pool.sort(key=lambda b: (SOURCE_RANK[b.source], b.holder_name, b.key))
        by_district: dict[int, list[Bundle]] = defaultdict(list)
        by_old_province: dict[str, list[Bundle]] = defaultdict(list)
        for bundle in pool:
            for d in bundle.place.districts:
                by_district[d].append(bundle)
            for p in bundle.place.old_provinces:
                by_old_province[p].append(bundle)
        lists = {SAME_DISTRICT: by_district, SAME_OLD_PROVINCE: by_old_province}
        remaining: dict[int, int] = {}
        heads: dict[int, _Candidates] = {}
        heap: list[tuple] = []
        for need in needs:
            if need.item_type != item or need.shortage <= 0 or need.unit_id in remaining:
                continue
            remaining[need.unit_id] = need.shortage
            heads[need.unit_id] = _Candidates(need, [(tier, pool if tier == SAME_PROVINCE else lists[tier][key])
                                                     for tier, key in chain(need.place)])
            tier = heads[need.unit_id].peek_tier(remaining[need.unit_id], caps)
            if tier is not None:
                heapq.heappush(heap, (need.coverage, tier, -need.shortage, need.name, need.unit_id, need))
        while heap:
            coverage, tier, _short, name, uid, need = heapq.heappop(heap)
            candidates = heads[uid]
            now_tier = candidates.peek_tier(remaining[uid], caps)
            if now_tier is None:
                continue
            if now_tier > tier:  # its nearest source went to someone else: requeue at its true rank
                heapq.heappush(heap, (coverage, now_tier, _short, name, uid, need))
                continue
            bundle = candidates.head
            moves.append((need, bundle, bundle.taken, now_tier))
            bundle.taken += 1
            cap_key = (bundle.holder_id, item)
            if cap_key in caps:
                caps[cap_key] -= bundle.quantity
            remaining[uid] -= bundle.quantity
            covered = float((need.required - remaining[uid]) / need.required) if need.required else 1.0
            if remaining[uid] > 0:
                next_tier = candidates.peek_tier(remaining[uid], caps)
                if next_tier is not None:
                    heapq.heappush(heap, (covered, next_tier, -remaining[uid], name, uid, need))
    return moves


class _Candidates:
    """A need's sources, nearest first, walked once: a source skipped now stays unusable later
    (rows only run out, and the need and the caps only shrink)."""

    def __init__(self, need: Need, lists: list[tuple[int, list[Bundle]]]):
        self.need = need
        self._iter: Iterator[tuple[int, Bundle]] = ((tier, b) for tier, bundles in lists for b in bundles)
        self.head: Bundle | None = None
        self.head_tier: int | None = None

    def peek_tier(self, remaining: int, caps: dict[tuple[int, str], int]) -> int | None:
        while True:
            if self.head is not None and self._fits(self.head, remaining, caps):
                return self.head_tier
            try:
                self.head_tier, self.head = next(self._iter)
            except StopIteration:
                self.head = self.head_tier = None
                return None

    def _fits(self, bundle: Bundle, remaining: int, caps: dict[tuple[int, str], int]) -> bool:
        if bundle.left <= 0 or bundle.quantity > remaining or bundle.holder_id == self.need.unit_id:
            return False
        cap = caps.get((bundle.holder_id, bundle.item_type))
        return cap is None or bundle.quantity <= cap


def chain(place: Place) -> list[Area]:
    """The candidate lists a need walks, in order: each of its old districts, each of its old
    provinces, then the whole province; each list runs source by source (``SOURCE_RANK``)."""
    return ([(SAME_DISTRICT, d) for d in sorted(place.districts)]
            + [(SAME_OLD_PROVINCE, p) for p in sorted(place.old_provinces)] + [(SAME_PROVINCE, None)])


def within(place: Place, area: Area) -> bool:
    """Whether a source at ``place`` stands in the candidate list of ``area``."""
    tier, key = area
    if tier == SAME_DISTRICT:
        return key in place.districts
    return key in place.old_provinces if tier == SAME_OLD_PROVINCE else True


def reached(need: Need, last: Bundle | None, met: bool) -> list[tuple[Area, int]]:
    """How far down its candidate lists the matching went for ``need``: (list, highest source rank
    walked in it), in the order of ``chain``. Pure.

    A need left short walked every list to its end. A need that was met stopped at the row it
    took last, in the first of its lists holding that row (had the row not fitted there, it
    would not have fitted later: rows, the need and the caps only shrink). When the pool holds
    every source of every list up to where each need stopped, each need met the same rows in
    the same order as in the whole pool, so ``allocate`` gives the same moves
    (``tracker.flags.reallocation.sources`` reads the pool this way).
    """
    areas = chain(need.place)
    if met and last is not None:
        for i, area in enumerate(areas):
            if within(last.place, area):
                return [(a, LAST_RANK) for a in areas[:i]] + [(area, SOURCE_RANK[last.source])]
    return [(a, LAST_RANK) for a in areas]


def group_proposals(moves: list[tuple[Need, Bundle, int, int]], start_have: dict[tuple[int, str], Decimal]
                    ) -> list[Proposal]:
    """One proposal per (receiver, giver), urgent ones (a unit that had none of an item) first."""
    proposals: dict[tuple[int, int], Proposal] = {}
    for need, bundle, index, tier in moves:
        key = (need.unit_id, bundle.holder_id)
        urgent = start_have.get((need.unit_id, need.item_type), Decimal(0)) <= 0
        proposal = proposals.get(key)
        if proposal is None:
            proposal = proposals[key] = Proposal(need.unit_id, need.name, bundle.holder_id, bundle.holder_name,
                                                 bundle.source, tier, urgent, need.coverage)
        proposal.urgent = proposal.urgent or urgent
        proposal.coverage = min(proposal.coverage, need.coverage)
        proposal.tier = min(proposal.tier, tier)
        proposal.lines.setdefault(bundle.key, []).append(index)
        proposal.by_item[need.item_type] += bundle.quantity
    return sorted(proposals.values(), key=lambda p: (not p.urgent, p.coverage, p.tier, p.receiver_name, p.giver_name))

"""Reading the free rows as the matching reaches them, so that a province's proposals read only
a few of its tens of thousands of free rows and still come out as the whole pool gives them.

Pure: the rows come through a ``read`` callable (``tracker.flags.reallocation.proposals`` runs
the SQL).

Each need walks its candidate lists in order (``matching.chain``: its old districts, its old
provinces, the whole province; in each, dissolved units, then Sở Tài chính, then units over their
norm) and stops at the row it takes last. ``match`` first reads the dissolved units of each need's
old districts, matches, asks ``matching.reached`` how far each need went, reads the sources
of those lists not read yet, only for the item that need lacks, and matches again — until no need
went past what was read. Every list a need went through is then complete, so each need saw the
same rows in the same order as with the whole pool, and got the same ones
(tests/test_flags_sources.py checks this against the whole pool on random provinces).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from tracker.flags.reallocation.matching import (LAST_RANK, SAME_DISTRICT, SAME_PROVINCE, SOURCE_RANK, Area, Bundle,
                                                 Need, Place, allocate, chain, reached)

Move = tuple[Need, Bundle, int, int]  # (need, bundle, row index in the bundle, tier), as ``allocate`` gives
Wanted = dict[tuple[str, str], set[int]]  # (source, item) -> holders whose rows of that item to read
SOURCES_UP_TO = {rank: [s for s, r in SOURCE_RANK.items() if r <= rank] for rank in SOURCE_RANK.values()}


class Givers:
    """Who may give each item, by source, and which of them stand in each candidate list."""

    def __init__(self, dissolved: dict[int, Place], finance: Iterable[int], over: dict[int, Place],
                 caps: dict[tuple[int, str], int]):
        self.caps, self.finance = caps, frozenset(finance)
        self.index: dict[tuple[str, Area], set[int]] = defaultdict(set)  # (source, list) -> holders
        for source, places in (("dissolved", dissolved), ("surplus", over)):
            for holder, place in places.items():
                for area in chain(place):
                    self.index[(source, area)].add(holder)
        self._cache: dict[tuple[str, str, Area], frozenset[int]] = {}

    def in_list(self, source: str, item: str, area: Area) -> frozenset[int]:
        """The holders of ``source`` whose rows of ``item`` stand in the candidate list of ``area``."""
        key = (source, item, area)
        if key not in self._cache:
            if source == "finance":
                # Its rows stand where their original units stood, unknown until read: any list may hold them.
                holders = set(self.finance)
            else:
                holders = self.index.get((source, area), set())
                if source == "surplus":  # a unit over its norm gives only the items it has beyond it
                    holders = {h for h in holders if (h, item) in self.caps}
            self._cache[key] = frozenset(holders)
        return self._cache[key]

    def wanted(self, reach: Iterable[tuple[Need, list[tuple[Area, int]]]]) -> Wanted:
        """The holders of every list, up to the source rank, each need reached, per (source, item)."""
        lists = {(source, need.item_type, area) for need, areas in reach for area, rank in areas
                 for source in SOURCES_UP_TO[rank]}
        result: Wanted = defaultdict(set)
        for source, item, area in lists:
            result[(source, item)].update(self.in_list(source, item, area))
        return result


def first_lists(needs: list[Need]) -> list[tuple[Need, list[tuple[Area, int]]]]:
    """Where every need looks first: the dissolved units of its old districts (of its first list if none)."""
    result = []
    for need in needs:
        areas = chain(need.place)
        first = [area for area in areas if area[0] == SAME_DISTRICT] or areas[:1]
        result.append((need, [(area, SOURCE_RANK["dissolved"]) for area in first]))
    return result


def _reached(needs: list[Need], moves: Iterable[Move]) -> list[tuple[Need, list[tuple[Area, int]]]]:
    last: dict[tuple[int, str], Bundle] = {}
    given: dict[tuple[int, str], int] = defaultdict(int)
    for need, bundle, _index, _tier in moves:  # in the order allocate took them
        last[(need.unit_id, need.item_type)] = bundle
        given[(need.unit_id, need.item_type)] += bundle.quantity
    return [(n, reached(n, last.get((n.unit_id, n.item_type)), given[(n.unit_id, n.item_type)] >= n.shortage))
            for n in needs]


def match(needs: list[Need], caps: dict[tuple[int, str], int], givers: Givers,
          read: Callable[[Wanted], Iterable[Bundle]], *, at_once: bool = False
          ) -> tuple[dict[str, list[Move]], dict[tuple, Bundle]]:
    """(moves per item, every bundle read): ``allocate`` over the pool ``read`` as the needs reach it
    (``at_once``: every source of every needed item read first, as a check)."""
    bundles: dict[tuple, Bundle] = {}
    done: Wanted = defaultdict(set)
    reach = [(n, [((SAME_PROVINCE, None), LAST_RANK)]) for n in needs] if at_once else first_lists(needs)
    wanted = _unread(givers.wanted(reach), done)
    moves_of: dict[str, list[Move]] = {}
    sizes: dict[str, int] = {}
    while True:  # the first round may read nothing: no dissolved unit in any need's old district
        for bundle in read(wanted) if wanted else ():
            bundles.setdefault(bundle.key, bundle)
        for key, holders in wanted.items():
            done[key].update(holders)
        by_item: dict[str, list[Bundle]] = defaultdict(list)
        for bundle in bundles.values():
            by_item[bundle.item_type].append(bundle)
        for item, pool in by_item.items():  # items are matched independently: redo those whose pool grew
            if len(pool) != sizes.get(item):
                sizes[item] = len(pool)
                for bundle in pool:
                    bundle.taken = 0
                moves_of[item] = allocate([n for n in needs if n.item_type == item], pool, caps)
        wanted = _unread(givers.wanted(_reached(needs, (m for ms in moves_of.values() for m in ms))), done)
        if not wanted:
            break
    return moves_of, bundles


def _unread(wanted: Wanted, done: Wanted) -> Wanted:
    result = {key: holders - done[key] for key, holders in wanted.items()}
    return {key: holders for key, holders in result.items() if holders}

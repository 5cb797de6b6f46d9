"""Reading free rows as the matching reaches them gives the proposals the whole pool gives (pure)."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import pytest

from tracker.flags.reallocation.matching import (SAME_DISTRICT, SAME_OLD_PROVINCE, SAME_PROVINCE, Bundle, Need,
                                                 Place, allocate, reached)
from tracker.flags.reallocation.sources import Givers, match
from tracker.models import AssetKind

ITEMS = ("car", "computer", "phone")


def _place(rng: random.Random, districts: int) -> Place:
    chosen = rng.sample(range(1, 7), districts)
    return Place(frozenset(chosen), frozenset("A" if d <= 3 else "B" for d in chosen))


def _province(seed: int):
    """A random province: dissolved units, Sở Tài chính, units over their norm, units short."""
    rng = random.Random(seed)
    dissolved = {100 + i: _place(rng, rng.choice((0, 1, 1, 1))) for i in range(rng.randint(2, 14))}
    units = {i: _place(rng, rng.choice((0, 1, 1, 2, 3))) for i in range(1, rng.randint(3, 12))}
    names = {uid: f"Đơn vị {rng.randint(1, 40):02d}" for uid in (*dissolved, *units, 500)}
    bundles: list[Bundle] = []

    def add(holder: int, source: str, place_of_unit) -> None:
        for item in rng.sample(ITEMS, rng.randint(1, 3)):
            for quantity in rng.sample((1, 2, 3), rng.randint(1, 2)):
                unit = holder if source == "dissolved" else rng.choice(list(dissolved))
                kind = AssetKind.VEHICLE if item == "car" else AssetKind.EQUIPMENT
                bundles.append(Bundle(holder, unit, kind, None if item == "car" else f"loại {item}", quantity,
                                      rng.randint(1, 3), item, source, names[holder], place_of_unit(unit)))

    for holder, place in dissolved.items():
        if rng.random() < 0.7:
            add(holder, "dissolved", lambda _unit, place=place: place)
    if rng.random() < 0.6:
        add(500, "finance", lambda unit: dissolved[unit])
    needs, caps, over = [], {}, {}
    for uid, place in units.items():
        for item in ITEMS:
            roll = rng.random()
            if roll < 0.45:
                have = rng.randint(0, 2)
                short = rng.randint(1, 5)
                needs.append(Need(uid, names[uid], item, short, Decimal(have), Decimal(have + short), place))
            elif roll < 0.7:
                caps[(uid, item)] = rng.randint(1, 6)
                over[uid] = place
    for uid, place in over.items():
        before = len(bundles)
        add(uid, "surplus", lambda _unit, place=place: place)
        bundles[before:] = [b for b in bundles[before:] if (uid, b.item_type) in caps]
    return needs, caps, Givers(dissolved, [500], over, caps), bundles


def _shape(moves_by_item: dict[str, list]) -> dict[str, list]:
    return {item: [(n.unit_id, b.key, index, tier) for n, b, index, tier in moves]
            for item, moves in moves_by_item.items() if moves}


@pytest.mark.parametrize("seed", range(300))
def test_a_province_matched_as_its_rows_are_read_gets_what_the_whole_pool_gives(seed):
    needs, caps, givers, bundles = _province(seed)
    whole: dict[str, list] = defaultdict(list)
    for move in allocate(needs, [replace(b) for b in bundles], caps):
        whole[move[0].item_type].append(move)
    asked = []

    def read(wanted):
        asked.append(wanted)
        return [replace(b) for b in bundles if b.holder_id in wanted.get((b.source, b.item_type), ())]

    moves, read_bundles = match(needs, caps, givers, read)
    assert _shape(moves) == _shape(whole)
    assert set(read_bundles) <= {b.key for b in bundles}


def test_a_need_met_nearby_reads_nothing_beyond_its_old_district():
    near = Place(frozenset({1}), frozenset({"A"}))
    ward = Need(1, "Phường 1", "car", 1, Decimal(0), Decimal(1), near)
    own = Bundle(100, 100, AssetKind.VEHICLE, None, 1, 2, "car", "dissolved", "Huyện 1", near)
    far = Bundle(101, 101, AssetKind.VEHICLE, None, 1, 2, "car", "dissolved", "Huyện 2",
                 Place(frozenset({2}), frozenset({"A"})))
    givers = Givers({100: own.place, 101: far.place}, [500], {}, {})
    asked = []

    def read(wanted):
        asked.append(wanted)
        return [replace(b) for b in (own, far) if b.holder_id in wanted.get((b.source, b.item_type), ())]

    moves, _bundles = match([ward], {}, givers, read)
    assert [(b.holder_id, tier) for _n, b, _i, tier in moves["car"]] == [(100, SAME_DISTRICT)]
    assert asked == [{("dissolved", "car"): {100}}]


def test_how_far_a_need_went_down_its_lists():
    place = Place(frozenset({1, 2}), frozenset({"A"}))
    need = Need(1, "Phường 1", "computer", 2, Decimal(0), Decimal(2), place)
    in_second_district = Bundle(9, 9, AssetKind.EQUIPMENT, "Máy tính", 1, 1, "computer", "surplus", "Phường 9",
                                Place(frozenset({2}), frozenset({"A"})))
    assert reached(need, in_second_district, met=True) == [((SAME_DISTRICT, 1), 2), ((SAME_DISTRICT, 2), 2)]
    assert reached(need, None, met=False) == [((SAME_DISTRICT, 1), 2), ((SAME_DISTRICT, 2), 2),
                                              ((SAME_OLD_PROVINCE, "A"), 2), ((SAME_PROVINCE, None), 2)]

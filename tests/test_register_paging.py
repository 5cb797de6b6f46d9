"""Register pages: every page holds exactly the rows of the full ordered list, wherever it is read from.

The page's ids come first (from the index holding the order) and pages past the middle are read
from the end of the list (queries.register_page); these tests compare every page with the list
read whole, for each sort, both directions, a filter and a search.
"""
from __future__ import annotations

import pytest

from tracker.assets.queries import RegisterFilters, register_page, register_query
from tracker.models import AssetKind, Role, UnitKind

SIZE = 3


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def assets(make_asset, unit_by_name):
    """Eleven assets with repeated names and costs, so the id tie-break decides part of the order."""
    communes = [unit_by_name(n, UnitKind.OLD_COMMUNE) for n in ("Phường Thắng Lợi", "Phường Phố Cò", "Xã Tân Quang")]
    made = []
    for i in range(11):
        made.append(make_asset(AssetKind.EQUIPMENT, unit=communes[i % 3], code=f"TB-{(i * 7) % 5:02d}-{i:02d}",
                               name=f"Máy vi tính {i % 4}", equipment_type="Máy vi tính",
                               original_cost=1_000_000 * (i % 3)))
    return made


@pytest.mark.parametrize("sort", ["code", "name", "unit", "original_cost", "kind", "updated"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_page_holds_the_rows_of_the_whole_list_in_order(db, officer, assets, sort, descending):
    filters = RegisterFilters(sort=sort, descending=descending)
    whole = [a.id for a in db.session.scalars(register_query(officer, filters))]
    assert len(whole) == 11
    pages = [[a.id for a in register_page(officer, filters, n, SIZE)[0].items] for n in range(1, 5)]
    assert pages == [whole[i:i + SIZE] for i in range(0, 12, SIZE)]
    assert [a.id for a in register_page(officer, filters, 99, SIZE)[0].items] == whole[9:]  # past the end: the last


def test_pages_of_a_search_keep_its_ranking_and_a_filter_its_rows(db, officer, assets, unit_by_name):
    commune = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    for filters in (RegisterFilters(q="may tinh 1"), RegisterFilters(unit_id=commune.id, descending=True)):
        whole = [a.id for a in db.session.scalars(register_query(officer, filters))]
        assert whole
        read = [a.id for n in range(1, 6) for a in register_page(officer, filters, n, 2)[0].items]
        assert read[:len(whole)] == whole

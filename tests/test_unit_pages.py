"""Unit pages: the list by kind with asset counts, and one unit with its successors and assets."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tracker.models import AssetKind, Role, UnitKind
from tracker.units.queries import asset_counts


@pytest.fixture
def units(unit_by_name):
    return {
        "district": unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT),
        "thang_loi": unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE),
        "pho_co": unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE),
        "ba_xuyen_old": unit_by_name("Xã Bá Xuyên", UnitKind.OLD_COMMUNE),
        "song_cong": unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE),
        "ba_xuyen": unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE),
    }


@pytest.fixture
def assets(make_asset, units):
    """Two assets of Thắng Lợi and one of Phố Cò going to Sông Công; one of the district itself."""
    return [
        make_asset(AssetKind.HEADQUARTERS, unit=units["thang_loi"], receiver=units["song_cong"],
                   original_cost="3.200.000.000", remaining_value="1.100.000.001"),
        make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], receiver=units["song_cong"],
                   original_cost=12_345_678, remaining_value=999),
        make_asset(AssetKind.EQUIPMENT, unit=units["pho_co"], receiver=units["song_cong"], name="Máy in",
                   equipment_type="Máy in", original_cost=7_000_000, remaining_value=3_500_000),
        make_asset(AssetKind.VEHICLE, unit=units["district"], plate="98A-811.18", original_cost=900_000_000,
                   remaining_value=450_000_000),
    ]


@pytest.fixture
def officer(make_user, auth):
    user = make_user(Role.OFFICER)
    auth.login(user.username)
    return user


def unit_links(page: str) -> list[str]:
    return re.findall(r'<a href="/units/\d+">([^<]+)</a>', page.split("</nav>", 1)[1])


def test_unit_search_needs_no_diacritics(client, officer):
    page = client.get("/units/?q=song cong").get_data(as_text=True)
    names = unit_links(page)
    assert "Phường Sông Công" in names and "Thành phố Sông Công" in names
    assert all("Sông Công" in n for n in names)


def test_units_are_filtered_and_grouped_by_kind(client, officer):
    page = client.get("/units/?kind=old_district&q=song").get_data(as_text=True)
    assert unit_links(page) == ["Thành phố Sông Công"]
    page = client.get("/units/?q=song cong").get_data(as_text=True)
    # Groups come in the order of the kinds: old districts, old communes, new communes.
    assert page.index("Cấp huyện cũ (đã giải thể)</th>") < page.index("Xã, phường, đặc khu mới</th>")


def test_unit_list_is_paged_and_clamped(app, client, officer, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)
    first = client.get("/units/?kind=old_district").get_data(as_text=True)
    assert "<strong>17</strong> đơn vị" in first  # new Thái Nguyên was built from 17 old districts
    assert len(unit_links(first)) == 17 and "Trang" not in first.split("</table>", 1)[1]
    page = client.get("/units/?kind=old_commune&page=999").get_data(as_text=True)
    assert "Trang 14 / 14" in page  # 280 old communes, 20 a page
    assert client.get("/units/?page=abc&kind=bogus").status_code == 200
    assert "Loại đơn vị «bogus» không hợp lệ" in client.get("/units/?kind=bogus").get_data(as_text=True)


def test_unit_list_shows_asset_counts_linking_to_the_register(client, officer, assets, units):
    page = client.get("/units/?q=thang loi").get_data(as_text=True)
    assert f'<a href="/assets/?unit_id={units["thang_loi"].id}">2</a>' in page
    page = client.get("/units/?q=song cong&kind=new_commune").get_data(as_text=True)
    assert f'<a href="/assets/?receiver_id={units["song_cong"].id}">3</a>' in page


def test_asset_counts_come_from_one_grouped_query(db, officer, assets, units):
    ids = [units["thang_loi"].id, units["song_cong"].id, units["district"].id]
    assert officer.role and officer.province_id  # loaded before counting
    statements = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        counts = asset_counts(officer, ids)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert len([s for s in statements if s.startswith("SELECT")]) == 1, statements
    assert counts[units["thang_loi"].id] == {"own": 2, "receiving": 0, "holding": 2}
    assert counts[units["song_cong"].id] == {"own": 0, "receiving": 3, "holding": 0}
    assert counts[units["district"].id] == {"own": 1, "receiving": 0, "holding": 1}


def test_new_commune_page_shows_predecessors_and_what_it_will_receive(client, officer, assets, units):
    page = client.get(f"/units/{units['song_cong'].id}").get_data(as_text=True)
    related = page.split('id="unit-related"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">(Phường [^<]+)</a>", related) == ["Phường Cải Đan", "Phường Phố Cò", "Phường Thắng Lợi"]
    receiving = page.split("Dự kiến tiếp nhận", 1)[1]
    assert f'href="/assets/?receiver_id={units["song_cong"].id}">Cộng</a>' in receiving
    assert "3.219.345.678 đ" in receiving  # 3.200.000.000 + 12.345.678 + 7.000.000
    assert "1.103.501.000 đ" in receiving  # 1.100.000.001 + 999 + 3.500.000
    assert f'href="/assets/?kind=equipment&amp;receiver_id={units["song_cong"].id}">' in receiving


def test_old_commune_page_shows_successor_and_its_assets(client, officer, assets, units):
    page = client.get(f"/units/{units['thang_loi'].id}").get_data(as_text=True)
    assert "Đơn vị kế thừa" in page and f'<a href="/units/{units["song_cong"].id}">Phường Sông Công</a>' in page
    assert f'<a href="/units/{units["district"].id}">Thành phố Sông Công</a>' in page  # its old district
    own = page.split("Tài sản đăng ký của đơn vị", 1)[1]
    assert "3.212.345.678 đ" in own and "1.100.001.000 đ" in own


def test_old_district_page_lists_communes_and_deduplicated_successors(client, officer, assets, units):
    page = client.get(f"/units/{units['district'].id}").get_data(as_text=True)
    related = re.findall(r'<a href="/units/\d+">([^<]+)</a>', page.split('id="unit-related"', 1)[1].split("</ul>")[0])
    assert len(related) == len(set(related))
    assert {"Phường Sông Công", "Phường Bá Xuyên", "Phường Bách Quang"} <= set(related)
    children = page.split('id="unit-children"', 1)[1]
    assert "Phường Thắng Lợi" in children and "Xã Bá Xuyên" in children
    whole = page.split("Cả huyện", 1)[1]
    assert f'href="/assets/?district_id={units["district"].id}">Cộng</a>' in whole
    assert "4.119.345.678 đ" in whole  # the district's car and its communes' assets


def test_commune_staff_open_only_units_that_concern_them(client, auth, make_user, units):
    staff = make_user(Role.COMMUNE, unit=units["song_cong"])
    auth.login(staff.username)
    for key in ("song_cong", "thang_loi", "district"):
        assert client.get(f"/units/{units[key].id}").status_code == 200, key
    assert client.get(f"/units/{units['ba_xuyen'].id}").status_code == 404
    assert client.get(f"/units/{units['ba_xuyen_old'].id}").status_code == 404
    names = unit_links(client.get("/units/").get_data(as_text=True))
    assert "Phường Bá Xuyên" not in names and "Phường Sông Công" in names
    # On the district page, communes outside their scope are named but not linked.
    page = client.get(f"/units/{units['district'].id}").get_data(as_text=True)
    children = page.split('id="unit-children"', 1)[1]
    assert "Xã Bá Xuyên" in children and f'href="/units/{units["ba_xuyen_old"].id}"' not in children


def test_unknown_unit_is_404(client, officer):
    assert client.get("/units/99999999").status_code == 404

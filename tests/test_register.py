"""The register: diacritic-free and plate search, filters, sorting, pages, totals, scope, no N+1."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tracker.assets.queries import RegisterFilters, parse_filters, plate_pattern, register_query, totals
from tracker.models import AssetKind, AssetStatus, Condition, Role, UnitKind


@pytest.fixture
def units(unit_by_name):
    """The Sông Công units of the seed article, and two provincial bodies."""
    return {
        "thang_loi": unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE),
        "pho_co": unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE),
        "ba_xuyen_old": unit_by_name("Xã Bá Xuyên", UnitKind.OLD_COMMUNE),
        "district": unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT),
        "song_cong": unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE),
        "ba_xuyen": unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE),
        "finance": unit_by_name("Sở Tài chính Thái Nguyên", UnitKind.PROVINCIAL_BODY),
    }


@pytest.fixture
def sample(db, make_asset, units):
    """Five assets across the kinds, units, receivers, statuses and conditions of Sông Công."""
    hq = make_asset(AssetKind.HEADQUARTERS, unit=units["thang_loi"], receiver=units["song_cong"], code="A-01",
                    name="Trụ sở UBND phường Thắng Lợi", address="Tổ 5, phường Thắng Lợi",
                    original_cost="5.000.000.000", remaining_value="2.000.000.000")
    car = make_asset(AssetKind.VEHICLE, unit=units["district"], receiver=units["finance"], code="B-02",
                     name="Xe ô tô Toyota Fortuner", plate="98A-811.18",
                     original_cost=800_000_000, remaining_value=123_456_789)
    pc = make_asset(AssetKind.EQUIPMENT, unit=units["pho_co"], receiver=units["song_cong"], code="C-03",
                    name="Máy vi tính Dell", equipment_type="Máy vi tính", original_cost=15_500_000,
                    remaining_value=1, condition="Hư hỏng")
    printer = make_asset(AssetKind.EQUIPMENT, unit=units["ba_xuyen_old"], receiver=units["ba_xuyen"], code="D-04",
                         name="Máy in Canon", equipment_type="Máy in", original_cost=4_000_001,
                         remaining_value=2_000_000)
    box = make_asset(AssetKind.ARCHIVE_BOX, unit=units["thang_loi"], code="E-05", name="Hộp hồ sơ đất đai",
                     fonds="Phông UBND phường Thắng Lợi", box_no="7", arrangement="chưa chỉnh lý")
    printer.status = AssetStatus.RECEIVED
    printer.holder = units["ba_xuyen"]
    db.session.commit()
    return {"hq": hq, "car": car, "pc": pc, "printer": printer, "box": box}


@pytest.fixture
def officer(make_user, auth):
    user = make_user(Role.OFFICER)
    auth.login(user.username)
    return user


def found(db, user, **filters) -> list:
    return list(db.session.scalars(register_query(user, RegisterFilters(**filters))))


def names_on_page(html: str) -> list[str]:
    """Asset names in the register table, in order."""
    return re.findall(r'<a href="/assets/\d+">([^<]+)</a>', html)


def test_search_without_diacritics_finds_thang_loi(db, client, officer, sample):
    html = client.get("/assets/?q=thang loi").get_data(as_text=True)
    assert sorted(names_on_page(html)) == ["Hộp hồ sơ đất đai", "Trụ sở UBND phường Thắng Lợi"]
    assert [a.id for a in found(db, officer, q="THẮNG   lợi")] == [sample["hq"].id, sample["box"].id]


def test_every_word_must_match(db, officer, sample):
    assert [a.name for a in found(db, officer, q="may vi tinh")] == ["Máy vi tính Dell"]
    assert found(db, officer, q="may dell canon") == []
    assert found(db, officer, q="100%_") == []  # LIKE wildcards typed by people are literal


def test_plate_typed_with_a_missing_digit_finds_the_car(db, client, officer, sample):
    assert plate_pattern("98a8118") == "98a%8%1%1%8%"
    html = client.get("/assets/?q=98a8118").get_data(as_text=True)
    assert names_on_page(html) == ["Xe ô tô Toyota Fortuner"]
    for typed in ("98A-811.18", "98a81118", "98A 811.18"):
        assert [a.name for a in found(db, officer, q=typed)] == ["Xe ô tô Toyota Fortuner"], typed
    assert found(db, officer, q="98a9999") == []


def test_the_plate_typed_in_full_comes_before_loose_matches(db, make_asset, officer, sample, units):
    loose = make_asset(AssetKind.VEHICLE, unit=units["district"], code="A-00", name="Xe ô tô Ford",
                       plate="98AB-811.18")
    assert found(db, officer, q="98a81118") == [sample["car"], loose]  # by code the Ford would come first


@pytest.mark.parametrize("filters, expected", [
    ({"kind": AssetKind.EQUIPMENT}, {"pc", "printer"}),
    ({"kind": AssetKind.ARCHIVE_BOX}, {"box"}),
    ({"unit": "thang_loi"}, {"hq", "box"}),
    ({"district": "district"}, {"hq", "car", "pc", "printer", "box"}),
    ({"receiver": "song_cong"}, {"hq", "pc"}),
    ({"receiver": "finance"}, {"car"}),
    ({"holder": "ba_xuyen"}, {"printer"}),
    ({"status": AssetStatus.RECEIVED}, {"printer"}),
    ({"condition": Condition.DAMAGED}, {"pc"}),
    ({"kind": AssetKind.EQUIPMENT, "receiver": "song_cong", "q": "dell"}, {"pc"}),
])
def test_filters_narrow_the_register(db, officer, sample, units, filters, expected):
    for key in ("unit", "district", "receiver", "holder"):
        if key in filters:
            filters[f"{key}_id"] = units[filters.pop(key)].id
    assert {a.id for a in found(db, officer, **filters)} == {sample[name].id for name in expected}


def test_district_filter_takes_the_district_and_its_communes_only(db, make_asset, officer, sample, unit_by_name):
    other = unit_by_name("Phường Phan Đình Phùng", UnitKind.OLD_COMMUNE)
    elsewhere = make_asset(AssetKind.EQUIPMENT, unit=other, name="Máy chiếu", equipment_type="Máy chiếu")
    district = sample["hq"].unit.parent
    in_district = {a.id for a in found(db, officer, district_id=district.id)}
    assert sample["car"].id in in_district and sample["hq"].id in in_district and elsewhere.id not in in_district


def test_filters_on_the_page_show_only_matching_rows(client, officer, sample, units):
    html = client.get(f"/assets/?kind=equipment&receiver_id={units['song_cong'].id}").get_data(as_text=True)
    assert names_on_page(html) == ["Máy vi tính Dell"]
    assert f'<option selected value="{units["song_cong"].id}">' in html or \
        f'value="{units["song_cong"].id}" selected' in html


def test_sort_by_any_column_both_ways(db, client, officer, sample):
    html = client.get("/assets/?sort=original_cost&dir=desc").get_data(as_text=True)
    assert names_on_page(html) == ["Trụ sở UBND phường Thắng Lợi", "Xe ô tô Toyota Fortuner", "Máy vi tính Dell",
                                   "Máy in Canon", "Hộp hồ sơ đất đai"]
    html = client.get("/assets/?sort=name").get_data(as_text=True)
    assert names_on_page(html) == sorted(names_on_page(html))
    for sort in ("code", "name", "kind", "unit", "original_cost", "remaining_value", "status", "updated"):
        for desc in (False, True):
            assert len(found(db, officer, sort=sort, descending=desc)) == 5, sort
    by_kind = [a.kind for a in found(db, officer, sort="kind")]
    assert by_kind == sorted(by_kind, key=list(AssetKind).index)
    by_unit = [a.unit.name for a in found(db, officer, sort="unit", descending=True)]
    assert by_unit == sorted(by_unit, reverse=True)


def test_equal_sort_keys_fall_back_to_id(db, make_asset, officer, units):
    made = [make_asset(AssetKind.EQUIPMENT, unit=units["pho_co"], name="Bàn ghế", equipment_type="Bàn ghế",
                       original_cost=1_000_000) for _ in range(4)]
    assert [a.id for a in found(db, officer, sort="original_cost")] == sorted(a.id for a in made)
    assert [a.id for a in found(db, officer, sort="original_cost", descending=True)] == sorted(a.id for a in made)


def test_pages_and_totals_cover_the_whole_filtered_set(app, client, officer, sample, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    first = client.get("/assets/?sort=code").get_data(as_text=True)
    second = client.get("/assets/?sort=code&page=2").get_data(as_text=True)
    last = client.get("/assets/?sort=code&page=3").get_data(as_text=True)
    assert names_on_page(first) == ["Trụ sở UBND phường Thắng Lợi", "Xe ô tô Toyota Fortuner"]
    assert names_on_page(second) == ["Máy vi tính Dell", "Máy in Canon"]
    assert names_on_page(last) == ["Hộp hồ sơ đất đai"]
    assert "Trang 2 / 3" in second
    # Totals to the đồng, for all five assets, on every page.
    for html in (first, second, last):
        assert "<strong>5</strong> tài sản" in html
        assert "5.819.500.001 đ" in html  # 5e9 + 8e8 + 15.5e6 + 4.000.001 + 0
        assert "2.125.456.790 đ" in html  # 2e9 + 123.456.789 + 1 + 2e6 + 0


def test_pages_past_the_end_show_the_last_page(app, client, officer, sample, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    response = client.get("/assets/?sort=code&page=999")
    assert response.status_code == 200
    assert names_on_page(response.get_data(as_text=True)) == ["Hộp hồ sơ đất đai"]


def test_totals_are_summed_in_sql(db, officer, sample):
    sums = totals(register_query(officer, RegisterFilters(kind=AssetKind.EQUIPMENT)))
    assert (sums.count, sums.original_cost, sums.remaining_value) == (2, 19_500_001, 2_000_001)


@pytest.mark.parametrize("query", [
    "page=abc", "page=-3", "page=99999999999999999999", "kind=nonsense", "unit_id=xyz", "district_id=1.5",
    "receiver_id=%27%20OR%201=1", "status=lost", "condition=<b>", "sort=password", "sort=name&dir=sideways",
    "q=" + "x" * 5000,
])
def test_bad_parameters_do_not_crash(client, officer, sample, query):
    response = client.get(f"/assets/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "tài sản" in html
    if any(query.startswith(p) for p in ("kind=", "unit_id=", "district_id=", "receiver_id=", "status=", "condition=",
                                         "sort=password")):
        assert "không hợp lệ" in html and "đã được bỏ qua" in html
    assert "<b>" not in html.split("</nav>", 1)[1]


def test_bad_parameter_is_ignored_not_applied(client, officer, sample):
    html = client.get("/assets/?kind=nonsense&q=dell").get_data(as_text=True)
    assert names_on_page(html) == ["Máy vi tính Dell"]
    assert "Loại tài sản" in html and "nonsense" in html


def test_parse_filters_reads_what_it_can():
    filters, bad = parse_filters({"kind": "vehicle", "unit_id": "12", "receiver_id": "x", "dir": "desc",
                                  "sort": "updated"})
    assert filters.kind == AssetKind.VEHICLE and filters.unit_id == 12 and filters.receiver_id is None
    assert filters.sort == "updated" and filters.descending
    assert [b.name for b in bad] == ["receiver_id"]
    assert filters.as_args() == {"kind": "vehicle", "unit_id": 12, "sort": "updated", "dir": "desc"}


def test_commune_staff_see_only_what_concerns_their_unit(client, auth, make_user, sample, units):
    staff = make_user(Role.COMMUNE, unit=units["song_cong"])
    auth.login(staff.username)
    html = client.get("/assets/").get_data(as_text=True)
    # Thắng Lợi's HQ and Phố Cò's computer go to Sông Công; the archive box of Thắng Lợi has no receiver yet.
    assert sorted(names_on_page(html)) == ["Hộp hồ sơ đất đai", "Máy vi tính Dell", "Trụ sở UBND phường Thắng Lợi"]
    assert "Máy in Canon" not in html and "Fortuner" not in html
    # Asking for another unit's assets by filter does not widen the scope.
    html = client.get(f"/assets/?receiver_id={units['finance'].id}").get_data(as_text=True)
    assert names_on_page(html) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, sample):
    response = client.get("/assets/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def count_statements(db, action) -> int:
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


@pytest.fixture
def many(db, make_asset):
    """Adds n equipment items spread over six old communes of six districts and four receivers."""
    from tracker.models import Unit

    made = []

    def units(kind: UnitKind, *names: str) -> list:
        # Looked up afresh each time: a test may have emptied the session in between.
        found = {u.name: u for u in db.session.scalars(sa.select(Unit).where(Unit.kind == kind, Unit.name.in_(names)))}
        return [found[n] for n in names]

    def add(n: int) -> None:
        communes = units(UnitKind.OLD_COMMUNE, "Phường Thắng Lợi", "Phường Đức Xuân", "Xã Mỹ Phương",
                         "Xã Cẩm Giàng", "Xã Cao Kỳ", "Xã Bản Thi")
        receivers = units(UnitKind.NEW_COMMUNE, "Phường Sông Công", "Phường Bá Xuyên", "Phường Đức Xuân",
                          "Xã Thượng Minh")
        for _ in range(n):
            i = len(made)
            made.append(make_asset(AssetKind.EQUIPMENT, unit=communes[i % 6], receiver=receivers[i % 4],
                                   name=f"Máy tính {i}", equipment_type="Máy vi tính"))

    return add


def test_register_rows_load_their_units_in_bulk(db, officer, many):
    """Reading every row's old unit (with district), holder and receiver costs the same for 3 rows or 40."""
    from tracker.assets.queries import register_page
    from tracker.models import User

    user_id = officer.id

    def read_page() -> None:
        db.session.expunge_all()  # nothing cached: every unit must come from this page's queries
        page, _sums = register_page(db.session.get(User, user_id), RegisterFilters(), 1, 50)
        for asset in page.items:
            assert asset.unit.full_name and asset.holder.name and asset.receiver.name

    many(3)
    small = count_statements(db, read_page)
    many(37)
    large = count_statements(db, read_page)
    # totals, the page's ids (from the index), its rows, then units, districts, holders, receivers
    assert large == small <= 8, (small, large)


def test_register_page_uses_a_bounded_number_of_queries(db, browser, officer, many):
    from tests.conftest import Auth

    client = browser()  # a fresh session per request, as in production
    Auth(client).login(officer.username)
    many(3)
    small = count_statements(db, lambda: client.get("/assets/"))
    many(37)
    large = count_statements(db, lambda: client.get("/assets/"))
    assert len(names_on_page(client.get("/assets/").get_data(as_text=True))) == 40
    assert large <= small <= 12, (small, large)

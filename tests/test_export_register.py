"""Auditors export the filtered register to .xlsx and .csv, and every file is opened again."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from tracker.models import AssetKind, AuditEntry, Role, UnitKind


@pytest.fixture
def units(unit_by_name):
    return {
        "thang_loi": unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE),
        "pho_co": unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE),
        "song_cong": unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE),
        "ba_xuyen": unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE),
    }


@pytest.fixture
def register(make_asset, units):
    """Six assets; one name and one note are formulas in disguise."""
    song_cong = units["song_cong"]
    return [
        make_asset(AssetKind.HEADQUARTERS, unit=units["thang_loi"], receiver=song_cong, code="TS-01",
                   name="Trụ sở UBND phường Thắng Lợi", address="Tổ 5, phường Thắng Lợi",
                   original_cost="5.000.000.001", remaining_value="2.000.000.000", land_area="1.250,5"),
        make_asset(AssetKind.VEHICLE, unit=units["thang_loi"], code="XE-01", name="Xe ô tô Toyota Innova",
                   plate="20A-123.45", original_cost=800_000_000, remaining_value=123_456_789),
        make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], receiver=song_cong, code="TB-01",
                   name='=HYPERLINK("http://evil.example","Bấm vào đây")', equipment_type="Máy vi tính",
                   original_cost=15_500_000, remaining_value=1, notes="-2 chiếc hỏng"),
        make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], receiver=song_cong, code="TB-02",
                   name="Máy in Canon", equipment_type="Máy in", quantity=3, original_cost=4_000_001,
                   remaining_value=2_000_000, notes="@SUM(A1)"),
        make_asset(AssetKind.EQUIPMENT, unit=units["pho_co"], receiver=units["ba_xuyen"], code="TB-03",
                   name="Điều hòa Daikin", equipment_type="Điều hòa", original_cost=9_999_999,
                   remaining_value=5_000_000),
        make_asset(AssetKind.ARCHIVE_BOX, unit=units["thang_loi"], code="LT-01", name="Hộp hồ sơ đất đai",
                   fonds="Phông UBND phường Thắng Lợi", box_no="7", arrangement="chưa chỉnh lý", files_count=12),
    ]


@pytest.fixture
def auditor(make_user, auth):
    user = make_user(Role.AUDITOR, full_name="Kiểm toán viên Hà")
    auth.login(user.username)
    return user


def open_xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data), data_only=True)


def rows_of(sheet, header_row: int):
    """Data rows under the header, up to the 'Cộng' row; and that row."""
    header = [c.value for c in sheet[header_row]]
    rows, total = [], None
    for values in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if "Cộng" in values:
            total = dict(zip(header, values))
            break
        rows.append(dict(zip(header, values)))
    return rows, total


def header_index(sheet, header_row: int, label: str) -> int:
    return [c.value for c in sheet[header_row]].index(label) + 1


def read_csv(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    data = response.data
    assert data.startswith("\ufeff".encode("utf-8")), "no BOM: Excel would garble Vietnamese"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_auditor_exports_the_register_to_xlsx_one_sheet_per_kind_with_totals_to_the_dong(client, auditor,
                                                                                        register, db):
    book = open_xlsx(client.get("/exports/register.xlsx"))
    assert book.sheetnames == ["Trụ sở làm việc", "Xe ô tô", "Máy móc, thiết bị", "Hộp tài liệu lưu trữ"]
    sheet = book["Máy móc, thiết bị"]
    assert sheet["A1"].value == "DANH MỤC TÀI SẢN: MÁY MÓC, THIẾT BỊ"
    assert sheet["A2"].value.startswith("Bộ lọc: không")
    assert sheet["A3"].value.startswith("Xuất lúc ") and "Kiểm toán viên Hà" in sheet["A3"].value
    assert sheet.freeze_panes == "A6"
    rows, total = rows_of(sheet, 5)
    assert [r["Mã tài sản"] for r in rows] == ["TB-01", "TB-02", "TB-03"]
    assert rows[1]["Số lượng"] == 3 and rows[1]["Đơn vị đang giữ"] == "Phường Thắng Lợi (Thành phố Sông Công)"
    assert rows[1]["Trạng thái"] == "Chưa bàn giao" and rows[1]["Đơn vị dự kiến nhận"] == "Phường Sông Công"
    assert total["Nguyên giá (đồng)"] == 15_500_000 + 4_000_001 + 9_999_999
    assert total["Giá trị còn lại (đồng)"] == 1 + 2_000_000 + 5_000_000
    assert total["Số lượng"] == 5
    assert sum(r["Nguyên giá (đồng)"] for r in rows) == total["Nguyên giá (đồng)"]
    cost_col = header_index(sheet, 5, "Nguyên giá (đồng)")
    assert "đ" in sheet.cell(6, cost_col).number_format  # money as numbers, formatted in đồng
    assert [sheet.cell(r, 1).value for r in (6, 7, 8)] == [1, 2, 3]  # STT, as on the paper lists
    hq_rows, hq_total = rows_of(book["Trụ sở làm việc"], 5)
    assert hq_rows[0]["Nguyên giá (đồng)"] == 5_000_000_001 and hq_total["Nguyên giá (đồng)"] == 5_000_000_001
    assert hq_rows[0]["Diện tích đất (m²)"] == pytest.approx(1250.5)
    logged = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert logged[-1].detail["what"] == "register" and logged[-1].detail["format"] == "xlsx"


def test_formula_text_is_neutralised_in_xlsx_and_csv(client, auditor, register):
    sheet = open_xlsx(client.get("/exports/register.xlsx?kind=equipment"))["Máy móc, thiết bị"]
    rows, _total = rows_of(sheet, 5)
    assert rows[0]["Tên tài sản"] == '\'=HYPERLINK("http://evil.example","Bấm vào đây")'
    assert rows[0]["Ghi chú"] == "'-2 chiếc hỏng"
    assert rows[1]["Ghi chú"] == "'@SUM(A1)"
    formulas = openpyxl.load_workbook(io.BytesIO(client.get("/exports/register.xlsx?kind=equipment").data))
    data_cells = [c for row in formulas["Máy móc, thiết bị"].iter_rows(min_row=6, max_row=8) for c in row]
    assert not [c.coordinate for c in data_cells if c.data_type == "f"], "a data cell became a formula"
    by_code = {r["Mã tài sản"]: r for r in read_csv(client.get("/exports/register.csv"))}
    assert by_code["TB-01"]["Tên tài sản"].startswith("'=HYPERLINK")
    assert by_code["TB-02"]["Ghi chú"] == "'@SUM(A1)"
    assert by_code["TB-01"]["Giá trị còn lại (đồng)"] == "1"  # numbers are not prefixed


def test_csv_holds_every_kind_with_exact_money_and_vietnamese_headers(client, auditor, register):
    rows = read_csv(client.get("/exports/register.csv"))
    assert len(rows) == 6
    assert {r["Loại tài sản"] for r in rows} == {k.label for k in AssetKind}
    assert sum(int(r["Nguyên giá (đồng)"]) for r in rows) == sum(a.original_cost for a in register)
    car = next(r for r in rows if r["Mã tài sản"] == "XE-01")
    assert car["Biển kiểm soát"] == "20A-123.45" and car["Giá trị còn lại (đồng)"] == "123456789"
    box = next(r for r in rows if r["Mã tài sản"] == "LT-01")
    assert box["Tình trạng chỉnh lý"] == "Chưa chỉnh lý" and box["Số hồ sơ (đơn vị bảo quản)"] == "12"


def test_filters_of_the_register_narrow_the_export_and_are_written_on_the_sheet(client, auditor, register, units):
    response = client.get(f"/exports/register.xlsx?unit_id={units['pho_co'].id}&status=registered")
    book = open_xlsx(response)
    assert book.sheetnames == ["Máy móc, thiết bị"]
    sheet = book["Máy móc, thiết bị"]
    assert "Trạng thái: Chưa bàn giao" in sheet["A2"].value
    assert "Phường Phố Cò" in sheet["A2"].value
    rows, total = rows_of(sheet, 5)
    assert [r["Mã tài sản"] for r in rows] == ["TB-03"] and total["Nguyên giá (đồng)"] == 9_999_999
    cars = read_csv(client.get("/exports/register.csv?kind=vehicle"))
    assert [r["Mã tài sản"] for r in cars] == ["XE-01"]


def test_a_date_range_keeps_only_assets_registered_in_it(client, auditor, register):
    assert len(read_csv(client.get("/exports/register.csv?date_from=2000-01-01&date_to=2000-12-31"))) == 0
    today = register[0].created_at
    rows = read_csv(client.get(f"/exports/register.csv?date_from={today:%d/%m/%Y}"))
    assert len(rows) == 6


def test_an_unreadable_filter_is_explained_not_ignored_silently(client, auditor, register):
    response = client.get("/exports/register.xlsx?date_from=31-31-2025", follow_redirects=True)
    assert response.status_code == 200
    assert "Từ ngày" in response.get_data(as_text=True)


def test_commune_staff_export_only_their_own_units_assets(client, auth, make_user, register, units):
    clerk = make_user(Role.COMMUNE, unit=units["ba_xuyen"])
    auth.login(clerk.username)
    rows = read_csv(client.get("/exports/register.csv"))
    assert [r["Mã tài sản"] for r in rows] == ["TB-03"]
    book = open_xlsx(client.get(f"/exports/register.xlsx?unit_id={units['thang_loi'].id}"))
    assert book.sheetnames == ["Trống"] and book["Trống"]["A1"].value == "Không có tài sản nào khớp bộ lọc."


def test_the_exports_page_offers_the_filters(client, auditor, register):
    html = client.get("/exports/").get_data(as_text=True)
    assert 'formaction="/exports/register.csv"' in html and 'formaction="/exports/as-of.xlsx"' in html
    assert 'name="unit_id"' in html and 'name="as_of"' in html


def test_csv_streams_after_the_requests_own_session_has_closed(browser, make_user, register, units):
    """As in production: the view returns, its session is closed, then the CSV is generated."""
    client = browser()
    from tests.conftest import Auth

    Auth(client).login(make_user(Role.AUDITOR).username)
    # buffered: the body is read inside the client's own context, after the view's teardown
    assert len(read_csv(client.get("/exports/register.csv", buffered=True))) == 6
    assert len(read_csv(client.get("/exports/as-of.csv?as_of=2100-01-01", buffered=True))) == 6
    for url in ("/audit/log.csv", f"/audit/assets/{register[0].id}/history.csv",
                f"/audit/units/{units['thang_loi'].id}/history.csv", "/audit/reconciliation/units.csv",
                f"/audit/reconciliation/units/{units['thang_loi'].id}/items.csv"):
        assert len(read_csv(client.get(url, buffered=True))) >= 1, url


def test_csv_keeps_a_chosen_sort_and_otherwise_comes_in_registration_order(client, auditor, register):
    by_name = [r["Tên tài sản"] for r in read_csv(client.get("/exports/register.csv?sort=name&dir=desc"))]
    assert by_name == sorted(by_name, reverse=True)
    assert [int(r["ID"]) for r in read_csv(client.get("/exports/register.csv"))] == sorted(a.id for a in register)


def test_the_register_page_links_to_an_export_of_exactly_what_it_shows(client, auditor, register):
    import html
    import re

    page = client.get("/assets/?q=may&kind=equipment").get_data(as_text=True)
    shown = sorted(set(re.findall(r"TB-0\d", page)))
    assert shown == ["TB-01", "TB-02"]
    link = re.search(r'href="(/exports/register\.csv\?[^"]+)"', page)
    assert link, "no CSV export link on the register"
    exported = read_csv(client.get(html.unescape(link.group(1))))
    assert sorted(r["Mã tài sản"] for r in exported) == ["TB-01", "TB-02"]

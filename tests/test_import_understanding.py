"""How the importer understands a hand-made list, piece by piece, without a database: the lines
above the header, the kind, agencies, columns told by their values, the officer's mapping file,
and how the preview words what it found. Each test names the class of trouble it guards."""
from __future__ import annotations

import pytest

from tracker.assets.equipment_types import type_from_name
from tracker.importing import roles
from tracker.importing.agencies import is_unit_itself, parse_agency
from tracker.importing.context import money_scale, read_title
from tracker.importing.describe import rows_text
from tracker.importing.headers import IGNORE, find_header, restrict_to_kind
from tracker.importing.kinds import detect_kind, hinted_kinds
from tracker.importing.mapping import Mapping, MappingBook, read_mapping_file
from tracker.models import AssetKind

LETTERHEAD = [["UBND THÀNH PHỐ SÔNG CÔNG", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
              ["PHÒNG TÀI CHÍNH - KẾ HOẠCH", "", "", "Độc lập - Tự do - Hạnh phúc"],
              ["Số: 125/BC-TCKH", "", "", "Sông Công, ngày 20 tháng 6 năm 2025"],
              [], ["DANH MỤC MÁY MÓC, THIẾT BỊ BÀN GIAO KHI SẮP XẾP ĐƠN VỊ HÀNH CHÍNH"],
              ["(Kèm theo Biên bản bàn giao ngày 05/07/2025)"], ["Đơn vị tính: đồng"]]


def test_the_letterhead_the_motto_and_the_title_are_told_apart():
    context = read_title(LETTERHEAD)
    assert context.letterhead == ["UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"]
    assert context.title.startswith("DANH MỤC MÁY MÓC, THIẾT BỊ") and "Kèm theo" in context.title
    assert context.source_key == "ubnd thanh pho song cong | phong tai chinh ke hoach"
    assert context.money_scale == 1 and context.unit_line is None


def test_words_inside_other_words_say_nothing_of_the_kind():
    """'THÀNH PHỐ SÔNG CÔNG' folds to '…pho song…', which holds the archive words 'ho so' only inside others."""
    assert hinted_kinds("UBND THÀNH PHỐ SÔNG CÔNG") == set()
    assert hinted_kinds("MỤC LỤC HỒ SƠ LƯU TRỮ") == {AssetKind.ARCHIVE_BOX}
    guess = detect_kind({"name", "unit_of_measure", "quantity", "original_cost"},
                        title="DANH MỤC MÁY MÓC, THIẾT BỊ", letterhead="UBND THÀNH PHỐ SÔNG CÔNG")
    assert guess.kind == AssetKind.EQUIPMENT


def test_the_columns_outweigh_the_title_and_the_title_the_letterhead():
    assert detect_kind({"name", "plate"}, title="DANH MỤC TÀI SẢN", letterhead="TRUNG TÂM LƯU TRỮ").kind == \
        AssetKind.VEHICLE
    assert detect_kind({"name", "quantity"}, title="DANH SÁCH XE Ô TÔ", letterhead="TRUNG TÂM LƯU TRỮ").kind == \
        AssetKind.VEHICLE
    # a name, a unit of measure and a quantity and nothing of another kind: equipment, no «Loại thiết bị» needed
    assert detect_kind({"name", "unit_of_measure", "quantity"}).kind == AssetKind.EQUIPMENT
    assert detect_kind({"name", "make_model", "quantity"}, sheet="Thiết bị").kind == AssetKind.EQUIPMENT
    assert detect_kind({"name", "code"}).kind is None


@pytest.mark.parametrize("written, key, unit_text", [
    ("Thành ủy Sông Công", "thanh uy", "thanh pho song cong"),
    ("Văn phòng HĐND và UBND thành phố", "van phong hdnd ubnd", None),
    ("VP HĐND - UBND thành phố", "van phong hdnd ubnd", None),
    ("Phòng Tài chính - Kế hoạch", "phong tai chinh ke hoach", None),
    ("III. Trung tâm Văn hóa, Thể thao và Truyền thông", "trung tam van hoa the thao truyen thong", None),
    ("Đảng ủy phường Phố Cò", "dang uy", "phuong pho co"),
    ("Ủy ban MTTQ Việt Nam phường Thắng Lợi", "uy ban mttq", "phuong thang loi"),
    ("Hội Nông dân xã Bá Xuyên", "hoi nong dan", "xa ba xuyen"),
    ("Huyện ủy Phú Bình", "huyen uy", "huyen phu binh"),
    ("Phòng Lao động - Thương binh và Xã hội", "phong lao dong thuong binh xa hoi", None),
])
def test_the_usual_agencies_of_a_district_or_commune_are_recognised(written, key, unit_text):
    agency = parse_agency(written)
    assert (agency.key, agency.unit_text) == (key, unit_text)


@pytest.mark.parametrize("written", ["UBND phường Thắng Lợi", "HĐND và UBND xã Tân Quang", "Xã Tân Quang",
                                     "Đảng ủy - HĐND - UBND xã Tân Quang", "UBND THÀNH PHỐ SÔNG CÔNG"])
def test_a_unit_named_with_its_committees_is_the_unit_itself(written):
    assert is_unit_itself(written) and parse_agency(written) is None


@pytest.mark.parametrize("written", ["Phòng họp tầng 2", "Bàn ghế", "Máy móc thiết bị văn phòng", "Thắng Lợi"])
def test_rooms_furniture_and_bare_names_are_not_agencies(written):
    assert parse_agency(written) is None


def test_a_column_whose_values_are_conditions_is_the_condition_whatever_its_header():
    rows = [["STT", "Tên tài sản", "ĐVT", "Số lượng", "Hiện trạng"]]
    header = find_header(rows)
    restrict_to_kind(header, AssetKind.EQUIPMENT)
    assert header.columns[4] == "current_use"
    sample = [[i, f"Máy {i}", "cái", 1, value] for i, value in
              enumerate(["Tốt", "Hư hỏng", "Cần sửa chữa", "Xuống cấp", "Tốt", "Không sử dụng được"], 1)]
    notes = roles.refine(header, AssetKind.EQUIPMENT, sample, set(), {"condition", "current_use", "name"})
    assert header.columns[4] == "condition" and "Hiện trạng" in notes[0]


def test_free_text_in_hien_trang_stays_the_current_use():
    header = find_header([["STT", "Tên tài sản", "Địa chỉ", "Hiện trạng sử dụng"]])
    restrict_to_kind(header, AssetKind.HEADQUARTERS)
    sample = [[1, "Trụ sở UBND phường Phố Cò", "Tổ 1", "Đang làm trụ sở UBND phường"],
              [2, "Nhà văn hóa", "Tổ 3", "Để trống từ 7/2025"], [3, "Kho", "Tổ 4", "Cho thuê tạm"]]
    assert roles.refine(header, AssetKind.HEADQUARTERS, sample, set(), {"condition", "current_use"}) == []
    assert header.columns[3] == "current_use"


def test_a_box_lists_tinh_trang_holding_arrangement_states_reads_as_arrangement():
    header = find_header([["Hộp số", "Tiêu đề", "Tình trạng"]])
    restrict_to_kind(header, AssetKind.ARCHIVE_BOX)
    sample = [[1, "A", "Đã chỉnh lý"], [2, "B", "Chưa chỉnh lý"], [3, "C", "chưa chỉnh lý"]]
    roles.refine(header, AssetKind.ARCHIVE_BOX, sample, set(), {"arrangement", "condition", "current_use", "box_no"})
    assert header.columns[2] == "arrangement"


def test_an_officers_column_rule_is_never_moved_by_the_values():
    header = find_header([["Tên tài sản", "ĐVT", "Số lượng", "Ghi chép"]], rules={"ghi chep": "notes"})
    assert header.columns[3] == "notes"
    header.apply({"ghi chep": "notes"}, lambda col: "ABCD"[col])
    sample = [["Máy", "cái", 1, "Tốt"], ["Máy", "cái", 1, "Hỏng"], ["Máy", "cái", 1, "Tốt"]]
    roles.refine(header, AssetKind.EQUIPMENT, sample, header.mapped, {"condition", "notes"})
    assert header.columns[3] == "notes"


def test_a_column_rule_can_ignore_a_column():
    header = find_header([["Tên tài sản", "Số lượng", "Nguyên giá"]], rules={"nguyen gia": IGNORE})
    assert "original_cost" not in header.columns.values()


def test_money_in_thousands_or_millions_is_told_by_the_header_or_a_line():
    assert money_scale("Nguyên giá (triệu đồng)") == 1_000_000
    assert money_scale("Nguyên giá (1.000 đ)") == 1_000
    assert money_scale("Nguyên giá (đồng)") == 1
    assert read_title([["ĐVT: nghìn đồng"]]).money_scale == 1_000


def test_equipment_takes_its_type_from_its_name():
    assert type_from_name("Máy vi tính để bàn Dell Optiplex") == "Máy vi tính"
    assert type_from_name("Máy tính xách tay HP") == "Máy tính xách tay"
    assert type_from_name("Bộ bàn ghế họp 12 chỗ") == "Bàn ghế"
    assert type_from_name("Tủ lạnh Sanyo") == "Tủ lạnh"
    assert type_from_name("Cột cờ inox") is None


def test_a_mapping_file_as_an_officer_writes_it_becomes_rules_and_bad_entries_are_named():
    units = {"Thành phố Sông Công": ("old:65:577", "Thành phố Sông Công")}

    def find(name):
        return units.get(name, f"Không tìm thấy đơn vị «{name}».")

    mapping, errors = read_mapping_file({
        "columns": {"Giá mua ban đầu": "Nguyên giá", "Cột lạ": "Không có trường này"},
        "kinds": {"Sheet2": "Xe ô tô"},
        "units": {"Tổ công tác 389": {"unit": "Thành phố Sông Công", "agency": "Tổ công tác 389"},
                  "Nơi khác": {"unit": "Huyện Không Có"}},
        "values": {"Tình trạng": {"Chờ thanh lý": "Không sử dụng được", "Lạ": "Rất lạ"}}}, find)
    assert mapping.columns == {"*": {"gia mua ban dau": "original_cost"}}
    assert mapping.kinds == {"sheet:sheet2": "vehicle"}
    assert mapping.unit_rule("TỔ CÔNG TÁC 389") == {"unit": "old:65:577", "unit_name": "Thành phố Sông Công",
                                                     "agency": "Tổ công tác 389"}
    assert mapping.value_for("condition", "chờ thanh lý") == "unusable"
    assert len(errors) == 3 and any("Cột lạ" in e for e in errors) and any("Huyện Không Có" in e for e in errors)
    again, errors = read_mapping_file(mapping.to_json(), lambda key: (key, "?"))  # the stored shape reads back
    assert errors == [] and again.columns == mapping.columns and again.values == mapping.values


def test_this_uploads_rules_win_over_the_sources_and_the_sources_over_the_provinces():
    general = Mapping(values={"condition": {"xuong cap": "damaged"}})
    source = Mapping(values={"condition": {"xuong cap": "needs_repair"}})
    edits = Mapping(columns={"*": {"gia mua": "original_cost"}})
    book = MappingBook(general, {"ubnd thanh pho song cong": source}, edits)
    assert book.for_source("ubnd thanh pho song cong").value_for("condition", "Xuống cấp") == "needs_repair"
    assert book.for_source("").value_for("condition", "Xuống cấp") == "damaged"
    assert book.for_source("").header_rules(AssetKind.EQUIPMENT) == {"gia mua": "original_cost"}


def test_rows_are_said_as_ranges_and_every_row_once():
    assert rows_text([7]) == "dòng 7"
    assert rows_text([5, 6, 7, 9]) == "dòng 5–7, 9 (4 dòng)"
    assert rows_text(list(range(5, 200)), all_rows=True) == "mọi dòng (195 dòng)"

"""Reading hand-made lists without a database: headers, row kinds, values, and every bad file."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from tests import import_builders as build
from tracker.importing import headers as h
from tracker.importing.cells import split_span
from tracker.importing.parse import parse_file
from tracker.importing.rows import Classifier, RowClass, is_sum_label
from tracker.importing.safety import FileRefused, Limits
from tracker.models import AssetKind

HEADER = ["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá", "Giá trị còn lại", "Tình trạng"]


def values_of(data: bytes, name: str = "x.xlsx", sheet: int = 0) -> list[dict]:
    parsed = parse_file(data, name)
    target = parsed.sheets[sheet]
    return [dict(zip(target.value_names, row.values)) | {"_errors": row.errors, "_row": row.number}
            for row in target.rows]


@pytest.mark.parametrize("written, field", [
    ("Nguyên giá", "original_cost"), ("NGUYÊN GIÁ (đồng)", "original_cost"), ("Nguyên giá (VNĐ)", "original_cost"),
    ("Biển kiểm soát", "plate"), ("Biển số xe", "plate"), ("BKS", "plate"), ("Đơn vị tính", "unit_of_measure"),
    ("ĐVT", "unit_of_measure"), ("Đơn vị", "_unit"), ("Tên đơn vị", "_unit"), ("Số lượng hồ sơ", "files_count"),
    ("Tình trạng chỉnh lý", "arrangement"), ("Tình trạng", "condition"), ("Giá trị còn lại theo sổ kế toán", "remaining_value"),
    ("Diện tích đất (m2)", "land_area"), ("Năm SX", "year_made"), ("Thời gian tài liệu", "_span"),
    (h.__name__ and "Số TT", "_stt"), ("Ghi chú", "notes"), ("Cổng", None), ("12.500.000", None),
])
def test_header_wording_that_varies_names_the_same_field(written, field):
    assert h.match(written)[0] == field


def test_a_header_merged_over_two_rows_is_read_as_one():
    rows = [["DANH SÁCH"], [], ["STT", "Tên tài sản", "Loại thiết bị", "Giá trị theo sổ kế toán", ""],
            ["", "", "", "Nguyên giá", "Còn lại"], ["(1)", "(2)", "(3)", "(4)", "(5)"]]
    header = h.find_header(rows, {2: [(3, 4)]})
    assert (header.row_index, header.height) == (2, 2)
    assert header.columns == {0: "_stt", 1: "name", 2: "equipment_type", 3: "original_cost", 4: "remaining_value"}
    from tracker.importing.kinds import detect_kind

    assert detect_kind(set(header.columns.values())).kind == AssetKind.EQUIPMENT


def test_rows_that_are_not_assets_are_told_apart():
    header = h.find_header([HEADER])
    classify = Classifier(header, {"original_cost", "remaining_value"}).classify
    seen = [classify(row)[0] for row in [
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I", "UBND phường Thắng Lợi"],
        [1, "TL-1", "Máy in", "Máy in", 100, 50, "Tốt"],
        ["", "", "", "", "", "", ""],
        [None, None, "Cộng", None, 100, 50],
        ["A", "Máy móc văn phòng"],
        [2, "TL-2", "Cổng sắt", "Cổng", 10, 5, "Tốt"],
        [3, "TL-3", "Công tơ điện", "Công tơ", 10, 5, "Tốt"],
        ["", "", "TỔNG CỘNG", "", 120, 60],
        [None, None, None, None, "Sông Công, ngày 05 tháng 07 năm 2025"],
        ["", "NGƯỜI LẬP BIỂU", "", "", "THỦ TRƯỞNG ĐƠN VỊ"],
        ["", "Nguyễn Văn An"],
    ]]
    assert seen == [RowClass.COLUMN_NUMBERS, RowClass.SECTION, RowClass.DATA, RowClass.BLANK, RowClass.SUBTOTAL,
                    RowClass.HEADING, RowClass.DATA, RowClass.DATA, RowClass.TOTAL, RowClass.FOOTER, RowClass.FOOTER,
                    RowClass.FOOTER]


@pytest.mark.parametrize("text, kind", [("Cộng", RowClass.SUBTOTAL), ("Cộng I", RowClass.SUBTOTAL),
                                        ("Cong:", RowClass.SUBTOTAL), ("TỔNG  CỘNG", RowClass.TOTAL),
                                        ("Tong cong", RowClass.TOTAL), ("Cổng sắt", None), ("Công tơ", None),
                                        ("cong to dien", None)])
def test_subtotal_words_are_not_confused_with_gates_or_meters(text, kind):
    assert is_sum_label(text) == kind


def test_money_years_plates_and_diacritics_in_every_form_officials_write_them():
    rows = [["STT", "Biển số xe", "Tên tài sản", "Năm sản xuất", "Nguyên giá", "Giá trị còn lại", "Tình trạng"],
            [1, "20A-123.45", "Xe A", 2016, 12_500_000, "12.500.000", "Tốt"],
            [2, "20A12346", build.nfd("  Xe   Bình  Định "), "2018", "12,500,000", "12.500.000 đ", "dang su dung"],
            [3, "20a - 123.47", "Xe C", "05/07/2012", "12.500.000 đ", "0", build.nfd("Cần sửa chữa")]]
    data = build.xlsx_of(rows)
    got = values_of(data)
    assert [r["plate"] for r in got] == ["20A-123.45", "20A-123.46", "20A-123.47"]
    assert [r["year_made"] for r in got] == [2016, 2018, 2012]
    assert [r["original_cost"] for r in got] == [12_500_000] * 3
    assert [r["remaining_value"] for r in got] == [12_500_000, 12_500_000, 0]
    assert got[1]["name"] == "Xe Bình Định"
    assert [r["condition"].value for r in got] == ["good", "in_use", "needs_repair"]


def test_dates_stored_as_real_excel_dates_give_their_year():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["STT", "Tên tài sản", "Địa chỉ", "Năm xây dựng"])
    sheet.write_row(1, 0, [1, "Trụ sở", "Tổ 1"])
    sheet.write_datetime(1, 3, dt.datetime(2005, 7, 5), book.add_format({"num_format": "dd/mm/yyyy"}))
    book.close()
    assert values_of(buffer.getvalue())[0]["year_built"] == 2005


@pytest.mark.parametrize("value, expected", [("2010-2015", ("2010", "2015")), ("2010 – 2015", ("2010", "2015")),
                                             ("từ 2010 đến 2015", ("2010", "2015")), (2016, (2016, 2016)),
                                             ("2016", ("2016", "2016"))])
def test_a_single_time_span_column_gives_start_and_end(value, expected):
    assert split_span(value) == expected


@pytest.mark.parametrize("encoding, delimiter", [("utf-8-sig", ";"), ("utf-8", ","), ("cp1258", ";"),
                                                 ("utf-16", "\t")])
def test_csv_files_in_the_encodings_and_separators_offices_save(encoding, delimiter):
    rows = build.simple_equipment_rows(2)
    rows[1][3] = "Máy tính Thắng Lợi"
    rows[1][5] = "12,500,000" if delimiter != "," else "12.500.000"
    got = values_of(build.csv_file(rows, delimiter=delimiter, encoding=encoding), "x.csv")
    assert got[0]["name"] == "Máy tính Thắng Lợi" and got[0]["original_cost"] == 12_500_000


def test_old_xls_workbooks_are_read():
    got = values_of(build.xls_file(build.simple_equipment_rows(3)), "x.xls")
    assert [r["code"] for r in got] == ["SE-001", "SE-002", "SE-003"]


def test_a_formula_saved_without_its_value_refuses_its_row_naming_the_cell():
    got = values_of(build.formula_without_value())
    errors = dict(got[1]["_errors"])
    assert "Ô F3 có công thức" in errors["original_cost"] and got[0]["_errors"] is None


def test_formulas_with_computed_values_are_read_as_their_values():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [1, "F-1", "Máy A", "Máy in", 1000])
    sheet.write_formula(1, 5, "=E2/2", None, 500)
    book.close()
    assert values_of(buffer.getvalue())[0]["remaining_value"] == 500


def test_the_blank_templates_are_recognised_and_their_example_row_skipped():
    from tracker.importing import templates_xlsx

    for kind in AssetKind:
        with pytest.raises(FileRefused, match="không có dòng tài sản nào"):
            parse_file(templates_xlsx.build(kind), "mau.xlsx")


def test_the_committed_templates_are_the_generated_ones():
    from pathlib import Path

    from tracker.importing import templates_xlsx

    folder = Path(__file__).resolve().parent.parent / "imports"
    for kind, name in templates_xlsx.FILENAMES.items():
        assert (folder / name).read_bytes() == templates_xlsx.build(kind), name


def test_a_filled_template_loads_every_column():
    import openpyxl

    from tracker.importing import templates_xlsx

    book = openpyxl.load_workbook(io.BytesIO(templates_xlsx.build(AssetKind.ARCHIVE_BOX)))
    sheet = book.worksheets[0]
    example = [c.value for c in sheet[5]]
    sheet.append([1, *example[1:]])
    out = io.BytesIO()
    book.save(out)
    got = values_of(out.getvalue())
    assert len(got) == 1 and got[0]["_errors"] is None and got[0]["fonds"] == "Phông UBND phường Thắng Lợi"


@pytest.mark.parametrize("data, name, message", [
    (b"", "rong.xlsx", "rỗng"),
    (b"Day la mot van ban, khong phai bang tinh" * 10, "gia.xlsx", "không phải bảng tính Excel"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web.xls", "trang web"),
    (b"%PDF-1.4 fake", "bao-cao.pdf", "chỉ nhận tệp .xlsx, .xls, .csv"),
])
def test_files_that_are_not_spreadsheets_get_a_clear_message(data, name, message):
    with pytest.raises(FileRefused, match=message):
        parse_file(data, name)


def test_a_word_document_renamed_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileRefused, match="tài liệu Word"):
        parse_file(buffer.getvalue(), "danh-sach.xlsx")


def test_a_password_protected_workbook_is_refused():
    with pytest.raises(FileRefused, match="đặt mật khẩu"):
        parse_file(build.encrypted_xlsx(), "mat-khau.xlsx")


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_any_parser_inflates_it():
    bomb = build.zip_bomb(200)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(FileRefused, match="zip bomb"):
        parse_file(bomb, "bom.xlsx")


def test_an_archive_lying_about_its_sizes_is_stopped_while_inflating():
    honest = build.zip_bomb(30)
    with pytest.raises(FileRefused):
        parse_file(honest, "bom.xlsx", limits=Limits(max_unzipped=10 * 1024 * 1024, max_ratio=10**9))


def test_a_sheet_without_a_recognisable_header_is_explained():
    data = build.xlsx_of([["Họ tên", "Ngày sinh"], ["Nguyễn Văn An", "01/01/1980"]])
    with pytest.raises(FileRefused, match="không tìm thấy dòng tiêu đề cột"):
        parse_file(data, "nhan-su.xlsx")


def test_a_workbook_with_only_a_header_has_nothing_to_import():
    with pytest.raises(FileRefused, match="không có dòng tài sản nào"):
        parse_file(build.xlsx_of([HEADER]), "trong.xlsx")



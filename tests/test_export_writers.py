"""The writers alone (no database): formula neutralisation, CSV with BOM, .xlsx layout and totals."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from tracker.exports.writers import BOM, Column, Table, csv_stream, neutralise, sheet_name, write_xlsx


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-5 bàn ghế", "@SUM(A1)", "\t=cmd", "\r=cmd",
                                  '=HYPERLINK("http://x","bấm")'])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Máy vi tính", "12.500.000", "", " =not first", "Phông UBND = 5", None])
def test_ordinary_text_is_left_as_it_is(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("number", [-5, -12_500_000, Decimal("-1.5"), -0.25, 0])
def test_real_numbers_stay_numbers_even_when_negative(number):
    assert neutralise(number) is number


def test_csv_starts_with_the_bom_and_streams_in_chunks():
    rows = ([i, f"Máy {i}", "=cmd()"] for i in range(5))
    chunks = list(csv_stream(["STT", "Tên", "Ghi chú"], ([r[0], r[1], neutralise(r[2])] for r in rows), chunk_rows=2))
    # The header goes at once (the download starts before the first rows are read), then 2 + 2 + 1 rows.
    assert [chunk.count(b"\r\n") for chunk in chunks] == [1, 2, 2, 1]
    data = b"".join(chunks)
    assert data.startswith(BOM.encode("utf-8"))
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == ["STT", "Tên", "Ghi chú"]
    assert parsed[3] == ["2", "Máy 2", "'=cmd()"]
    assert len(parsed) == 6


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_name("Máy móc, thiết bị", taken) == "Máy móc, thiết bị"
    assert sheet_name("Máy móc, thiết bị", taken) == "Máy móc, thiết bị (2)"
    long = sheet_name("Hộp tài liệu lưu trữ: [phông]/*?" * 2, taken)
    assert len(long) <= 31 and not set("[]:*?/\\") & set(long)


def test_xlsx_has_title_notes_frozen_header_numbers_and_exact_totals(tmp_path):
    columns = [Column("name", "Tên tài sản"), Column("quantity", "Số lượng", "int", total=True),
               Column("original_cost", "Nguyên giá (đồng)", "money", total=True),
               Column("land_area", "Diện tích đất (m²)", "decimal", total=True)]
    rows = [["Trụ sở A", 1, 5_000_000_001, Decimal("120.25")], ["'=1+1", 2, 7, Decimal("0.10")],
            ["Xe", 3, None, None]]
    path = tmp_path / "out.xlsx"
    [table] = write_xlsx(str(path), [Table("Trụ sở làm việc", "DANH MỤC", columns, iter(rows),
                                           ["Bộ lọc: Loại tài sản: Trụ sở", "Xuất lúc 05/07/2025 14:30"])])
    assert table.row_count == 3
    assert table.totals == {"quantity": 6, "original_cost": 5_000_000_008, "land_area": Decimal("120.35")}

    book = openpyxl.load_workbook(path, data_only=True)
    sheet = book["Trụ sở làm việc"]
    assert sheet["A1"].value == "DANH MỤC"
    assert sheet["A2"].value == "Bộ lọc: Loại tài sản: Trụ sở"
    assert sheet["A3"].value == "Xuất lúc 05/07/2025 14:30"
    assert [c.value for c in sheet[5]] == ["Tên tài sản", "Số lượng", "Nguyên giá (đồng)", "Diện tích đất (m²)"]
    assert sheet.freeze_panes == "A6"
    assert sheet["C6"].value == 5_000_000_001 and "đ" in sheet["C6"].number_format
    assert sheet["A7"].value == "'=1+1" and sheet["A7"].data_type == "s"
    assert sheet["A9"].value == "Cộng"
    assert sheet["B9"].value == 6 and sheet["C9"].value == 5_000_000_008
    assert sheet["D9"].value == pytest.approx(120.35)
    formulas = openpyxl.load_workbook(path)["Trụ sở làm việc"]
    assert formulas["C9"].value == "=SUBTOTAL(9,C6:C8)"
    assert sheet.auto_filter.ref == "A5:D8"


def test_an_empty_export_still_opens_and_says_so(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_xlsx(str(path), [], empty_message="Không có tài sản nào khớp bộ lọc.") == []
    book = openpyxl.load_workbook(path)
    assert book.active["A1"].value == "Không có tài sản nào khớp bộ lọc."


TRICKY = ["Máy vi tính", "A & B <c> \"d\" 'e'", "  khoảng trắng đầu", "cuối ", "xuống\ndòng", "tab\tgiữa",
          "điều khiển \x01\x1f", "_x0041_ giữ nguyên", "🙂 emoji", "=không phải công thức", ""]


def test_fast_rows_read_back_exactly_like_cells_written_one_by_one(tmp_path):
    """``StreamingWorksheet.append_rows`` (xlsxwriter internals) agrees with xlsxwriter's own writer."""
    import xlsxwriter

    from tracker.exports.xlsx_rows import StreamingWorksheet

    rows = [[text, i, -12_500_000 + i, Decimal("1250.125"), 0.1 + 0.2, None, i % 2 == 0]
            for i, text in enumerate(TRICKY)]
    paths = {}
    for mode in ("plain", "fast"):
        paths[mode] = tmp_path / f"{mode}.xlsx"
        book = xlsxwriter.Workbook(str(paths[mode]), {"constant_memory": True, "strings_to_formulas": False,
                                                      "strings_to_urls": False})
        money = book.add_format({"num_format": '#,##0" đ"'})
        sheet = book.add_worksheet("S", worksheet_class=StreamingWorksheet)
        sheet.set_column(2, 2, 14, money)
        sheet.write_string(0, 0, "Tiêu đề")
        if mode == "plain":
            for r, cells in enumerate(rows, start=1):
                sheet.write_row(r, 0, cells)
        else:
            count, sums = sheet.append_rows(1, rows, [None, None, money._get_xf_index(), None, None, None, None],
                                            summed=[1, 2])
            assert count == len(rows) and sums == [sum(range(len(rows))), sum(r[2] for r in rows)]
        sheet.write_string(len(rows) + 1, 0, "Cộng")
        book.close()
    plain, fast = (openpyxl.load_workbook(paths[m])["S"] for m in ("plain", "fast"))
    assert [[c.value for c in r] for r in fast.iter_rows()] == [[c.value for c in r] for r in plain.iter_rows()]
    assert [[c.number_format for c in r] for r in fast.iter_rows()] == \
        [[c.number_format for c in r] for r in plain.iter_rows()]
    assert fast.max_row == plain.max_row == len(rows) + 2 and fast.dimensions == plain.dimensions


def test_fast_rows_cut_text_at_excels_cell_limit(tmp_path):
    import xlsxwriter

    from tracker.exports.xlsx_rows import MAX_TEXT, StreamingWorksheet

    book = xlsxwriter.Workbook(str(tmp_path / "long.xlsx"), {"constant_memory": True})
    book.add_worksheet("S", worksheet_class=StreamingWorksheet).append_rows(0, [["x" * 40_000, "&" * 40_000, 7]],
                                                                            [None] * 3)
    book.close()
    cells = [c.value for c in next(openpyxl.load_workbook(tmp_path / "long.xlsx")["S"].iter_rows())]
    assert [len(cells[0]), len(cells[1]), cells[2]] == [MAX_TEXT, MAX_TEXT, 7]



def test_the_converter_neutralises_exactly_the_cells_a_spreadsheet_would_run():
    """Whole columns are scanned at once; the one formula among 2,000 clean values is still caught,
    and a formula on the second line of a cell (not its start) is left alone, as neutralise does."""
    from tracker.exports.columns import Column as ExportColumn
    from tracker.exports.columns import converter

    columns = [ExportColumn("name", "Tên"), ExportColumn("notes", "Ghi chú"), ExportColumn("quantity", "SL", "int")]
    clean = [[f"Máy {i}", None if i % 3 else "", i] for i in range(2000)]
    tricky = [*clean[:1500], ["=cmd()", "dòng một\n=SUM(A1)", -5], ["Máy", "\t@x", 7], *clean[1500:]]
    rows = [list(r) for r in converter(columns, {}, for_xlsx=False)(tricky)]
    assert rows[1500] == ["'=cmd()", "dòng một\n=SUM(A1)", -5]  # numbers stay numbers
    assert rows[1501] == ["Máy", "'\t@x", 7]
    assert [r for i, r in enumerate(rows) if i not in (1500, 1501)] == clean
    assert [neutralise(v) for v in ("=cmd()", "dòng một\n=SUM(A1)", "\t@x")] == ["'=cmd()", "dòng một\n=SUM(A1)",
                                                                                 "'\t@x"]

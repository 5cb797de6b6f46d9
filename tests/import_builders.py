"""Spreadsheets as districts make them by hand, built in the tests (not only from the templates).

Each builder returns the file's bytes and what a correct import must find in it, so a test can
check counts and money to the đồng. The sample inventories kept in ``imports/`` are lists of the
corpus in ``tests/corpus/`` (``build_corpus.py``).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def nfd(text: str) -> str:
    """The same words in decomposed Unicode, as some old Windows keyboards type them."""
    return unicodedata.normalize("NFD", text)


def windows_vietnamese(text: str) -> str:
    """Letters as Windows-1258 holds them: ă, ơ, ư… precomposed, the five tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out)


# Equipment of two old units of Sông Công, with every way of writing money the lists use.
EQUIPMENT_THANG_LOI = [  # (code, name, type, serial, unit of measure, qty, cost as written, cost in đồng, remaining as written, remaining, condition)
    ("TL-001", "Máy vi tính để bàn Dell", "Máy vi tính", "CN0F7K2", "bộ", 1, 15_600_000, 15_600_000, "3.120.000", 3_120_000, "Đang sử dụng"),
    ("TL-002", nfd("  Máy in   Canon LBP 2900 "), "Máy in", "", "cái", 1, "4.590.000", 4_590_000, "0", 0, "hu hong"),
    ("TL-003", "Máy photocopy Ricoh", "Máy photocopy", "RC-88", "chiếc", 1, "52,800,000", 52_800_000, 10_560_000, 10_560_000, "Tốt"),
    ("TL-004", "Điều hòa Daikin 12000BTU", nfd("Điều hòa"), "", "bộ", 2, "12.500.000 đ", 12_500_000, "2.500.000 đ", 2_500_000, "can sua chua"),
]
EQUIPMENT_TAN_QUANG = [
    ("TQ-001", "Bộ bàn ghế họp", "Bàn ghế", "", "bộ", 1, "8.000.000", 8_000_000, "1.600.000", 1_600_000, "Đang sử dụng"),
    ("TQ-002", "Tủ tài liệu sắt", "Tủ", "", "cái", 3, "3.300.000 VNĐ", 3_300_000, 990_000, 990_000, "Tốt"),
    ("", "Máy chiếu Epson", "Máy chiếu", "EP-1", "cái", 1, 14_000_000, 14_000_000, "7.000.000", 7_000_000, "Đang sử dụng"),
]


def handmade_equipment(*, wrong_subtotal: bool = True, extra_rows: list[tuple] = (), section_two: str = "UBND xã Tân Quang"
                       ) -> tuple[bytes, dict]:
    """An equipment list of a dissolved city: motto, titles, merged two-row header, column numbers,
    sections naming units, subtotals (one wrong), a grand total, blank rows and signatures."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, "UBND THÀNH PHỐ SÔNG CÔNG")
    sheet.write(0, 8, MOTTO[0], bold)
    sheet.write(1, 0, "PHÒNG TÀI CHÍNH - KẾ HOẠCH", bold)
    sheet.write(1, 8, MOTTO[1], bold)
    sheet.merge_range(3, 0, 3, 11, "DANH SÁCH MÁY MÓC, THIẾT BỊ BÀN GIAO KHI SẮP XẾP ĐƠN VỊ HÀNH CHÍNH", bold)
    sheet.write(4, 3, "(Kèm theo Biên bản bàn giao ngày 05/07/2025)")
    # Two header rows; merged cells leave the value in the first cell and blanks after.
    top = ["STT", "Mã TS", "Tên tài sản", "Chủng loại", "Số serial", "ĐVT", "Số lượng", "Giá trị theo sổ kế toán",
           "", "Tình trạng", "Ghi chú"]
    for col, text in enumerate(top):
        if col in (7, 8):
            continue
        sheet.merge_range(6, col, 7, col, text, bold)
    sheet.merge_range(6, 7, 6, 8, top[7], bold)
    sheet.write(7, 7, "NGUYÊN GIÁ (đồng)", bold)
    sheet.write(7, 8, "Giá trị còn lại (VNĐ)", bold)
    sheet.write_row(8, 0, [f"({n})" for n in range(1, 12)])
    row = 9
    expected = {"created": 0, "cost": 0, "remaining": 0, "by_unit": {}}

    def section(number: str, unit_text: str, unit_name: str, items: list[tuple], subtotal_error: int = 0) -> None:
        nonlocal row
        sheet.write(row, 0, number)
        sheet.write(row, 1, unit_text)
        row += 1
        cost = remaining = 0
        for i, (code, name, typ, serial, uom, qty, cost_w, cost_v, rem_w, rem_v, cond) in enumerate(items, 1):
            sheet.write_row(row, 0, [i, code, name, typ, serial, uom, qty, cost_w, rem_w, cond, ""])
            row += 1
            cost += cost_v
            remaining += rem_v
            expected["by_unit"].setdefault(unit_name, []).append((code, cost_v))
        sheet.write_row(row, 0, ["", "", "Cộng", "", "", "", "", cost + subtotal_error, remaining])
        row += 2  # a blank row after each section
        expected["created"] += len(items)
        expected["cost"] += cost
        expected["remaining"] += remaining

    section("I", "UBND phường Thắng Lợi", "Phường Thắng Lợi", EQUIPMENT_THANG_LOI)
    section("II", section_two, "Xã Tân Quang", EQUIPMENT_TAN_QUANG + list(extra_rows),
            subtotal_error=1_000 if wrong_subtotal else 0)
    sheet.write_row(row, 0, ["", "", "TỔNG CỘNG", "", "", "", "", expected["cost"], expected["remaining"]])
    row += 2
    sheet.write(row, 8, "Sông Công, ngày 05 tháng 07 năm 2025")
    row += 1
    sheet.write_row(row, 0, ["", "NGƯỜI LẬP BIỂU", "", "", "KẾ TOÁN TRƯỞNG", "", "", "", "THỦ TRƯỞNG ĐƠN VỊ"])
    sheet.write_row(row + 1, 0, ["", "(Ký, ghi rõ họ tên)", "", "", "(Ký, ghi rõ họ tên)", "", "", "",
                                 "(Ký tên, đóng dấu)"])
    sheet.write_row(row + 5, 0, ["", "Nguyễn Văn An", "", "", "Trần Thị Bình", "", "", "", "Lê Văn Cường"])
    book.close()
    return buffer.getvalue(), expected


VEHICLES = [  # (plate as written, canonical, make, seats, year as written, year)
    ("20A-123.45", "20A-123.45", "Toyota Innova", 7, 2016, 2016),
    ("20A12346", "20A-123.46", "Ford Everest", 7, "2018", 2018),
    ("20a - 123.47", "20A-123.47", "Mitsubishi Pajero", 7, "05/07/2012", 2012),
    ("20B-00568", "20B-005.68", "Toyota Hiace", 16, dt.date(2010, 3, 1), 2010),
]
BOXES = [  # (box, files, span, arrangement as written, canonical)
    ("1", 12, "2010-2012", "chua chinh ly", "unsorted"),
    ("2", 15, "2012 – 2015", "Đã chỉnh lý", "sorted"),
    ("3", 9, "2016", "CHƯA CHỈNH LÝ", "unsorted"),
]
HEADQUARTERS = [  # (name, address, land area as written, land area, year as written, year, cost as written, cost)
    ("Trụ sở UBND phường Thắng Lợi", "Tổ 5, phường Thắng Lợi", "1.250,5", "1250.50", "05/07/2005", 2005,
     "2.350.000.000", 2_350_000_000),
    ("Nhà văn hóa tổ 3", "Tổ 3, phường Thắng Lợi", 320, "320.00", 2011, 2011, 480_000_000, 480_000_000),
]


def multi_kind_workbook(plate_header: str = "Biển số xe", cost_header: str = "Nguyên giá (VNĐ)") -> tuple[bytes, dict]:
    """One workbook, one sheet per kind, each with its own wording and a unit line above the header."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    cars = book.add_worksheet("Xe ô tô")
    cars.write(0, 0, "DANH SÁCH XE Ô TÔ")
    cars.write(1, 0, "Đơn vị: UBND phường Thắng Lợi")
    cars.write_row(3, 0, ["TT", plate_header, "Tên tài sản", "Nhãn hiệu", "Số chỗ", "Năm SX", cost_header,
                          "Giá trị còn lại", "Tình trạng"])
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for i, (plate, _canon, make, seats, year, _y) in enumerate(VEHICLES, 1):
        cars.write_row(3 + i, 0, [i, plate, f"Xe {make}", make, seats])
        if isinstance(year, dt.date):
            cars.write_datetime(3 + i, 5, dt.datetime(year.year, year.month, year.day), date_format)
        else:
            cars.write(3 + i, 5, year)
        cars.write_row(3 + i, 6, [f"{700 + i}.000.000", f"{100 + i}.000.000", "Đang sử dụng"])
    boxes = book.add_worksheet("Lưu trữ")
    boxes.write(0, 0, "MỤC LỤC HỘP TÀI LIỆU")
    boxes.write(1, 0, "Phông: Phông UBND phường Thắng Lợi")
    boxes.write(2, 0, "Đơn vị: Phường Thắng Lợi")
    boxes.write_row(4, 0, ["STT", "Hộp số", "Tiêu đề", "Số hồ sơ", "Thời gian tài liệu", "Tình trạng chỉnh lý",
                           "Thời hạn bảo quản"])
    for i, (box, files, span, state, _c) in enumerate(BOXES, 1):
        boxes.write_row(4 + i, 0, [i, box, f"Hồ sơ hành chính hộp {box}", files, span, state, "Vĩnh viễn"])
    offices = book.add_worksheet("Trụ sở")
    offices.write_row(0, 0, ["STT", "Đơn vị", "Tên tài sản", "Địa chỉ", "Diện tích đất (m2)", "Năm xây dựng",
                             "NGUYÊN GIÁ"])
    for i, (name, address, land, _l, year, _y, cost, _c) in enumerate(HEADQUARTERS, 1):
        offices.write_row(i, 0, [i, "P. Thắng Lợi", name, address, land, year, cost])
    book.close()
    return buffer.getvalue(), {"vehicles": len(VEHICLES), "boxes": len(BOXES), "headquarters": len(HEADQUARTERS)}


def csv_file(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    """A CSV as Excel saves it (semicolons in Vietnamese locales)."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    content = text.getvalue()
    if encoding == "cp1258":
        content = windows_vietnamese(content)
    return content.encode(encoding)


def xls_file(rows: list[list], sheet: str = "Sheet1") -> bytes:
    """An old-format .xls workbook."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                page.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def simple_equipment_rows(count: int = 3, unit: str = "Phường Thắng Lợi", prefix: str = "SE") -> list[list]:
    rows = [["STT", "Đơn vị", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá", "Tình trạng"]]
    for i in range(1, count + 1):
        rows.append([i, unit, f"{prefix}-{i:03d}", f"Máy tính số {i}", "Máy vi tính", 10_000_000 + i, "Tốt"])
    return rows


def formula_without_value() -> bytes:
    """openpyxl writes formulas without their computed value, as some generators do."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in simple_equipment_rows(2):
        sheet.append(row)
    sheet["F3"] = "=F2*2"
    sheet.append(["", "", "", "Cộng", "", "=SUM(F2:F3)", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_of(rows: list[list]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def encrypted_xlsx() -> bytes:
    """A real password-protected workbook (Excel's agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_of(simple_equipment_rows(2)))).encrypt("matkhau", out)
    return out.getvalue()


def zip_bomb(inflated_mb: int = 200) -> bytes:
    """A workbook whose sheet inflates from a few hundred kilobytes to ``inflated_mb`` megabytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            block = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                entry.write(block)
    return buffer.getvalue()

"""Hand-made inventory lists of former Sông Công city, typed as officers type them, and what each holds.

Every list is built here from plain Python rows, written to a file the way a district or ward
officer lays one out in Excel in June 2025 (letterhead, motto, title, odd headers, numbered
columns, sections by agency, subtotals, notes, signatures, money as text, vertical merges, NFD
text, old .xls, CSV in three encodings), and ``expected.json`` records, asset by asset, what a
person reading the list says it holds: its unit and agency, name, condition, money. The
expectations come from the same rows as the cells, never from the importer.

    .venv/bin/python tests/corpus/build_corpus.py        # rewrites the files and expected.json

The files are committed; the tests import them unchanged (``tests/test_import_corpus.py``). A
workbook written again differs in its saved-at time only; keep the committed one unless its rows
change (``imports/vi-du-tu-lap/`` holds byte-identical copies of some).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.import_builders import MOTTO, csv_file, nfd  # noqa: E402  (run as a script too)

HERE = Path(__file__).resolve().parent
CITY = "Thành phố Sông Công"
USE, GOOD, REPAIR, BROKEN, UNUSABLE = "Đang sử dụng", "Tốt", "Cần sửa chữa", "Hư hỏng", "Không sử dụng được"


@dataclass
class Asset:
    """One asset as a person reading the list says it is."""

    kind: str  # headquarters, vehicle, equipment, archive_box
    key: str  # 'code:TL-01', 'plate:20A-649.55', 'box:<fonds>|<box>', 'name:<name>'
    name: str
    unit: str
    agency: str = ""
    condition: str = USE
    original_cost: int = 0
    remaining_value: int = 0
    quantity: int = 1
    extra: dict = field(default_factory=dict)  # other fields to check: year_in_use, arrangement label…


@dataclass
class Entry:
    path: str
    classes: list[str]
    assets: list[Asset]
    default_unit: str = ""
    mapping: str = ""


ENTRIES: list[Entry] = []


def dots(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def commas(amount: int) -> str:
    return f"{amount:,}"


class Sheet:
    """An openpyxl worksheet written row by row, with the officer's habits as helpers."""

    def __init__(self, book, title: str):
        from openpyxl.styles import Alignment, Font

        self.ws = book.create_sheet(title)
        self.row = 1
        self.bold, self.wrap = Font(name="Times New Roman", bold=True), Alignment(wrap_text=True, vertical="center")

    def put(self, values, row: int | None = None, bold: bool = False, start: int = 1) -> int:
        row = row or self.row
        for offset, value in enumerate(values):
            if value is None or value == "":
                continue
            cell = self.ws.cell(row=row, column=start + offset, value=value)
            if bold:
                cell.font = self.bold
        self.row = max(self.row, row + 1)
        return row

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def letterhead(self, parent: str, issuing: str, width: int, number: str = "", place_date: str = "") -> None:
        self.put([parent], row=1)
        self.ws.cell(row=1, column=width - 3, value=MOTTO[0]).font = self.bold
        self.put([issuing], row=2, bold=True)
        self.ws.cell(row=2, column=width - 3, value=MOTTO[1]).font = self.bold
        if number or place_date:
            self.put([number], row=3)
            if place_date:
                self.ws.cell(row=3, column=width - 3, value=place_date)
        self.row = 5

    def title(self, text: str, width: int, *subtitles: str) -> None:
        row = self.put([text], bold=True)
        self.merge(row, 1, row, width)
        for sub in subtitles:
            row = self.put([sub])
            self.merge(row, 1, row, width)
        self.row += 1

    def signatures(self, place_date: str, width: int, *blocks: tuple[str, str]) -> None:
        self.row += 1
        self.ws.cell(row=self.row, column=max(1, width - 3), value=place_date)
        self.row += 1
        columns = [2, max(3, width // 2), max(4, width - 2)][:len(blocks)]
        for col, (title, name) in zip(columns, blocks):
            self.ws.cell(row=self.row, column=col, value=title).font = self.bold
            self.ws.cell(row=self.row + 1, column=col, value="(Ký, ghi rõ họ tên)")
            self.ws.cell(row=self.row + 5, column=col, value=name).font = self.bold
        self.row += 6


def new_book():
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    return book


def save(book, name: str) -> None:
    book.save(HERE / name)


# -------------------------------------------------------------------------------------------
# 01: the city's equipment by agency, under a letterhead that folds to "...pho song cong"
def city_equipment_by_agency() -> None:
    sections = [
        ("I", "Văn phòng HĐND và UBND thành phố", [
            ("Máy vi tính để bàn Dell Optiplex 3080", "bộ", "03", 15_600_000, 3_120_000, "Tốt", GOOD),
            ("Máy vi tính để bàn FPT Elead T8400i", "bộ", "02", 12_500_000, 2_500_000, "Xuống cấp", REPAIR),
            ("Máy in laser Canon LBP 2900", "cái", "04", 4_590_000, 0, "Hỏng", BROKEN),
            ("Máy photocopy Ricoh MP 3055", "chiếc", "01", 52_800_000, 10_560_000, "Còn sử dụng được", USE),
            ("Điều hòa Daikin 18.000 BTU", "bộ", "05", 18_900_000, 5_670_000, "Tốt", GOOD),
            ("Bộ bàn ghế họp 20 chỗ", "bộ", "01", 35_000_000, 7_000_000, "Cần sửa chữa", REPAIR),
            ("Máy chiếu Epson EB-X06", "cái", "01", 14_200_000, 4_260_000, "Hỏng không sửa được", UNUSABLE),
            ("Tủ tài liệu sắt 4 cánh", "cái", "06", 3_300_000, 990_000, "Tốt", GOOD),
        ]),
        ("II", "Phòng Tài chính - Kế hoạch", [
            ("Máy vi tính xách tay HP ProBook 450", "chiếc", "02", 18_750_000, 5_625_000, "Tốt", GOOD),
            ("Máy in HP LaserJet Pro M404dn", "cái", "02", 7_490_000, 2_247_000, "Đang sử dụng", USE),
            ("Két sắt Hòa Phát KS 90", "cái", "01", 9_800_000, 2_940_000, "Tốt", GOOD),
            ("Máy hủy tài liệu Silicon PS-812C", "cái", "01", 5_200_000, 0, "Hư hỏng nhẹ", REPAIR),
        ]),
        ("III", "Thành ủy Sông Công", [
            ("Máy vi tính để bàn Lenovo ThinkCentre", "bộ", "04", 16_300_000, 4_890_000, "Tốt", GOOD),
            ("Máy photocopy Toshiba e-Studio 2508A", "chiếc", "01", 48_500_000, 9_700_000, "Xuống cấp", REPAIR),
            ("Hệ thống âm thanh hội trường", "bộ", "01", 65_000_000, 13_000_000, "Bình thường", GOOD),
            ("Điều hòa Panasonic 12.000 BTU", "bộ", "03", 11_900_000, 3_570_000, "Hỏng", BROKEN),
            ("Ti vi Samsung 55 inch", "chiếc", "01", 16_990_000, 8_495_000, "Tốt", GOOD),
        ]),
        ("IV", "Trung tâm Văn hóa, Thể thao và Truyền thông", [
            ("Máy phát điện Honda 5 kVA", "cái", "01", 28_000_000, 8_400_000, "Còn sử dụng được", USE),
            ("Loa kéo di động JBL", "bộ", "02", 9_500_000, 0, "Không sử dụng được", UNUSABLE),
            ("Máy quay phim Sony HXR-NX100", "chiếc", "01", 42_000_000, 12_600_000, "Tốt", GOOD),
            ("Bàn làm việc gỗ công nghiệp", "cái", "08", 2_450_000, 735_000, "Đang sử dụng", USE),
        ]),
    ]
    book = new_book()
    s = Sheet(book, "Thiết bị")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 9, "Số: 125/BC-TCKH",
                 "Sông Công, ngày 20 tháng 6 năm 2025")
    s.title("DANH MỤC MÁY MÓC, THIẾT BỊ CỦA CÁC CƠ QUAN CẤP HUYỆN BÀN GIAO KHI SẮP XẾP ĐƠN VỊ HÀNH CHÍNH", 9,
            "(Kèm theo Báo cáo số 125/BC-TCKH ngày 20/6/2025 của Phòng Tài chính - Kế hoạch)")
    header = s.put(["STT", "Tên tài sản", "ĐVT", "Số lượng", "Nguyên giá\n(đồng)", "Giá trị còn lại\n(đồng)",
                    "Hiện trạng", "Ghi chú"], bold=True)
    s.put([f"({n})" for n in range(1, 9)])
    assert header
    assets, total_cost, total_rem = [], 0, 0
    for number, agency, items in sections:
        s.put([number, agency], bold=True)
        cost = rem = 0
        for i, (name, uom, qty, c, r, written, condition) in enumerate(items, 1):
            s.put([i, name, uom, qty, dots(c), dots(r), written, ""])
            cost, rem = cost + c, rem + r
            assets.append(Asset("equipment", f"name:{name}", name, CITY, agency, condition, c, r, int(qty)))
        s.put(["", f"Cộng {number}", "", "", dots(cost), dots(rem)], bold=True)
        total_cost, total_rem = total_cost + cost, total_rem + rem
    s.put(["", "TỔNG CỘNG", "", "", dots(total_cost), dots(total_rem)], bold=True)
    s.row += 1
    s.put(["Ghi chú:"])
    s.put(["- Nguyên giá, giá trị còn lại theo sổ kế toán đến ngày 30/6/2025 của từng cơ quan."])
    s.put(["- Thiết bị hỏng không sửa được đề nghị thanh lý theo quy định."])
    s.signatures("Sông Công, ngày 20 tháng 6 năm 2025", 9, ("NGƯỜI LẬP BIỂU", "Nguyễn Thị Hoa"),
                 ("TRƯỞNG PHÒNG", "Trần Văn Bình"))
    save(book, "01-thiet-bi-tp-song-cong-theo-co-quan.xlsx")
    ENTRIES.append(Entry("01-thiet-bi-tp-song-cong-theo-co-quan.xlsx",
                         ["letterhead-trap (ho so inside pho song)", "no type column", "sections by agency",
                          "conditions in «Hiện trạng» incl. Xuống cấp", "column numbers row", "subtotals and total",
                          "notes block", "money as text with dots", "quantities 02", "header with line breaks"],
                         assets))


# 02: the district-level cars, named by make and plate, held by agencies given in a column
def city_cars() -> None:
    cars = [  # holder as written, unit, agency, make, plate as written, canonical, year made, year in use, seats, cost, rem, state, condition
        ("Thành ủy Sông Công", CITY, "Thành ủy Sông Công", "Toyota Fortuner", "20A-649.55", "20A-649.55", 2017, 2017, 7,
         1_120_000_000, 336_000_000, "Tốt", GOOD),
        ("Thành ủy Sông Công", CITY, "Thành ủy Sông Công", "Toyota Innova", "20A 00318", "20A-003.18", 2012, 2013, 8,
         780_000_000, 0, "Xuống cấp", REPAIR),
        ("Thành ủy Sông Công", CITY, "Thành ủy Sông Công", "Ford Everest", "20a-711.20", "20A-711.20", 2019, 2019, 7,
         1_250_000_000, 625_000_000, "Tốt", GOOD),
        ("Thành ủy Sông Công", CITY, "Thành ủy Sông Công", "Mitsubishi Pajero Sport", "20A.555.76", "20A-555.76",
         2015, 2016, 7, 990_000_000, 198_000_000, "Đang sử dụng", USE),
        ("UBND thành phố", CITY, "", "Toyota Camry 2.5Q", "20A-868.68", "20A-868.68", 2018, 2018, 5,
         1_480_000_000, 592_000_000, "Tốt", GOOD),
        ("UBND thành phố", CITY, "", "Toyota Hiace 16 chỗ", "20B-005.68", "20B-005.68", 2010, 2010, 16,
         850_000_000, 0, "Hư hỏng", BROKEN),
        ("UBND thành phố", CITY, "", "Kia Carnival", "20A-902.11", "20A-902.11", 2022, 2022, 7, 1_390_000_000,
         1_112_000_000, "Tốt", GOOD),
        ("Văn phòng HĐND và UBND thành phố", CITY, "Văn phòng HĐND và UBND thành phố", "Toyota Corolla Altis",
         "20A-431.07", "20A-431.07", 2014, 2014, 5, 760_000_000, 76_000_000, "Cần sửa chữa", REPAIR),
        ("Văn phòng HĐND và UBND thành phố", CITY, "Văn phòng HĐND và UBND thành phố", "Ford Transit", "20B00922",
         "20B-009.22", 2016, 2017, 16, 920_000_000, 184_000_000, "Còn sử dụng được", USE),
        ("Phòng Giáo dục và Đào tạo", CITY, "Phòng Giáo dục và Đào tạo", "Suzuki Ertiga", "20A-377.19", "20A-377.19",
         2020, 2020, 7, 610_000_000, 305_000_000, "Tốt", GOOD),
        ("Phòng Giáo dục và Đào tạo", CITY, "Phòng Giáo dục và Đào tạo", "Toyota Vios", "20A-123.90", "20A-123.90",
         2011, 2011, 5, 540_000_000, 0, "Không sử dụng được", UNUSABLE),
        ("Trung tâm Phát triển quỹ đất", CITY, "Trung tâm Phát triển quỹ đất", "Mitsubishi Triton", "20C-046.55",
         "20C-046.55", 2018, 2019, 5, 720_000_000, 288_000_000, "Đang sử dụng", USE),
        ("Trung tâm Phát triển quỹ đất", CITY, "Trung tâm Phát triển quỹ đất", "Nissan Navara", "20C-051.03",
         "20C-051.03", 2021, 2021, 5, 790_000_000, 553_000_000, "Tốt", GOOD),
    ]
    book = new_book()
    s = Sheet(book, "Xe ô tô")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "VĂN PHÒNG HĐND VÀ UBND", 12)
    s.title("DANH SÁCH XE Ô TÔ CÔNG CỦA CÁC CƠ QUAN, ĐƠN VỊ CẤP HUYỆN", 12, "Tính đến ngày 30 tháng 6 năm 2025")
    s.put(["STT", "Đơn vị đang quản lý", "Loại xe, nhãn hiệu", "Biển kiểm soát", "Năm SX", "Năm đưa vào sử dụng",
           "Số chỗ ngồi", "Nguyên giá (đồng)", "Giá trị còn lại (đồng)", "Hiện trạng", "Ghi chú"], bold=True)
    assets = []
    for i, (holder, unit, agency, make, plate, canon, made, in_use, seats, cost, rem, written, cond) in \
            enumerate(cars, 1):
        s.put([i, holder, make, plate, made, str(in_use), seats, cost, rem, written, ""])
        assets.append(Asset("vehicle", f"plate:{canon}", f"Xe ô tô {make} {canon}", unit, agency, cond, cost, rem,
                            extra={"year_made": made, "year_in_use": in_use, "seats": seats}))
    s.put(["", "Tổng cộng", "", "", "", "", "", sum(c[9] for c in cars), sum(c[10] for c in cars)], bold=True)
    s.signatures("Sông Công, ngày 25 tháng 6 năm 2025", 12, ("NGƯỜI LẬP", "Lê Thị Mai"),
                 ("CHÁNH VĂN PHÒNG", "Phạm Quốc Hùng"))
    save(book, "02-xe-o-to-cap-huyen.xlsx")
    ENTRIES.append(Entry("02-xe-o-to-cap-huyen.xlsx",
                         ["no name column (derived from make and plate)", "units column with agencies",
                          "«UBND thành phố» meaning the list's own city", "Năm đưa vào sử dụng",
                          "plates written every way", "conditions in «Hiện trạng»"], assets))


# 03: headquarters, each naming its holder in its own name
def city_headquarters() -> None:
    offices = [  # name, unit, agency, address, land, land as written, floor, year, cert, cost, rem, use, plan
        ("Trụ sở Thành ủy", CITY, "Thành ủy", "Số 2 đường Thắng Lợi, phường Thắng Lợi", "3.450,5", "1.820", 2004,
         "BK 456789", 18_500_000_000, 7_400_000_000, "Đang làm trụ sở Thành ủy",
         "Trụ sở Đảng ủy, HĐND, UBND phường Sông Công"),
        ("Trụ sở HĐND-UBND thành phố", CITY, "", "Số 1 đường Cách mạng tháng Mười, phường Thắng Lợi", "5.200",
         "2.640,75", 2008, "BK 456790", 26_300_000_000, 13_150_000_000, "Đang làm trụ sở UBND thành phố",
         "Trụ sở Công an phường Sông Công"),
        ("Trụ sở UBND phường Phố Cò", "Phường Phố Cò", "", "Tổ dân phố 5, phường Phố Cò", "1.250,5", "640", 2011,
         "CĐ 112233", 4_800_000_000, 2_880_000_000, "Đang làm trụ sở UBND phường", "Công an phường, đơn vị sự nghiệp"),
        ("Trụ sở UBND phường Thắng Lợi", "Phường Thắng Lợi", "", "Tổ dân phố 9, phường Thắng Lợi", "980", "512,4",
         2009, "CĐ 112240", 3_950_000_000, 1_975_000_000, "Đang làm trụ sở UBND phường",
         "Khối Mặt trận và Trung tâm phục vụ hành chính công"),
        ("Trụ sở UBND xã Tân Quang", "Xã Tân Quang", "", "Xóm Hương Sơn, xã Tân Quang", "2.100", "455", 2013,
         "CH 009876", 3_200_000_000, 2_240_000_000, "Đang làm trụ sở UBND xã", "Dôi dư, đề nghị chuyển trường học"),
        ("Kho lưu trữ thành phố", CITY, "", "Tổ dân phố 2, phường Cải Đan", "600", "380", 1998, "",
         850_000_000, 0, "Kho chứa tài liệu lưu trữ", "Giữ làm kho lưu trữ"),
    ]
    book = new_book()
    s = Sheet(book, "Trụ sở")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 12)
    s.title("DANH MỤC TRỤ SỞ LÀM VIỆC (CƠ SỞ NHÀ, ĐẤT) CỦA CÁC CƠ QUAN, ĐƠN VỊ", 12)
    s.put(["STT", "Tên cơ sở nhà, đất", "Địa chỉ", "Diện tích đất (m2)", "Diện tích sàn xây dựng (m2)",
           "Năm xây dựng", "Số GCN QSDĐ", "Nguyên giá", "Giá trị còn lại", "Hiện trạng sử dụng",
           "Phương án sử dụng sau sắp xếp"], bold=True)
    assets = []
    for i, (name, unit, agency, address, land, floor, year, cert, cost, rem, use, plan) in enumerate(offices, 1):
        s.put([i, name, address, land, floor, year, cert, dots(cost), dots(rem), use, plan])
        assets.append(Asset("headquarters", f"name:{name}", name, unit, agency, USE, cost, rem,
                            extra={"address": address, "year_built": year, "current_use": use, "intended_use": plan}))
    s.signatures("Sông Công, ngày 22 tháng 6 năm 2025", 12, ("NGƯỜI LẬP", "Hoàng Văn Tú"),
                 ("TRƯỞNG PHÒNG", "Trần Văn Bình"))
    save(book, "03-tru-so-tp-song-cong.xlsx")
    ENTRIES.append(Entry("03-tru-so-tp-song-cong.xlsx",
                         ["holder in the HQ's own name", "agency named without its unit (Trụ sở Thành ủy)",
                          "free-text «Hiện trạng sử dụng» is not a condition", "areas with comma decimals",
                          "phương án sử dụng"], assets))


# 04: archive boxes by fonds, no title column
def city_archive_boxes() -> None:
    fonds_list = [
        ("Phông UBND phường Thắng Lợi", "Phường Thắng Lợi", "", [(12, "2010-2015", "Đã chỉnh lý"),
                                                                 (15, "2015 – 2020", "Chưa chỉnh lý"),
                                                                 (9, "2021", "chưa chỉnh lý"),
                                                                 (14, "2005-2009", "Đã chỉnh lý")]),
        ("Phông UBND phường Phố Cò", "Phường Phố Cò", "", [(20, "2012-2018", "Chưa chỉnh lý"),
                                                           (18, "2018-2024", "Chỉnh lý sơ bộ"),
                                                           (11, "2024-2025", "Chưa chỉnh lý")]),
        ("Phông Thành ủy Sông Công", CITY, "Thành ủy Sông Công", [(25, "1998-2005", "Đã chỉnh lý"),
                                                                  (22, "2006-2012", "Đã chỉnh lý"),
                                                                  (30, "2013-2020", "Chưa chỉnh lý")]),
    ]
    labels = {"Đã chỉnh lý": "Đã chỉnh lý", "Chưa chỉnh lý": "Chưa chỉnh lý", "chưa chỉnh lý": "Chưa chỉnh lý",
              "Chỉnh lý sơ bộ": "Chỉnh lý sơ bộ"}
    book = new_book()
    s = Sheet(book, "Lưu trữ")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG NỘI VỤ", 8)
    s.title("MỤC LỤC HỘP TÀI LIỆU LƯU TRỮ CỦA CÁC CƠ QUAN, ĐƠN VỊ GIẢI THỂ", 8)
    s.put(["STT", "Hộp số", "Số hồ sơ", "Thời gian tài liệu", "Tình trạng", "Thời hạn bảo quản", "Ghi chú"],
          bold=True)
    assets, number = [], 0
    for roman, (fonds, unit, agency, boxes) in zip(("I", "II", "III"), fonds_list):
        s.put([roman, fonds], bold=True)
        for box, (files, span, state) in enumerate(boxes, 1):
            number += 1
            s.put([number, box, files, span, state, "Vĩnh viễn"])
            start, end = (span.replace("–", "-").split("-") + [span])[:2]
            assets.append(Asset("archive_box", f"box:{fonds}|{box}", f"{fonds} — hộp {box}", unit, agency,
                                extra={"arrangement": labels[state], "files_count": files,
                                       "span_start": int(start.strip()), "span_end": int(end.strip())}))
    s.signatures("Sông Công, ngày 24 tháng 6 năm 2025", 8, ("NGƯỜI LẬP", "Đỗ Thị Lan"), ("TRƯỞNG PHÒNG", "Vũ Văn Hải"))
    save(book, "04-hop-luu-tru-theo-phong.xlsx")
    ENTRIES.append(Entry("04-hop-luu-tru-theo-phong.xlsx",
                         ["no title column (box named by fonds and number)", "fonds as section rows",
                          "unit from the fonds name", "«Tình trạng» holding arrangement states", "spans written 3 ways"],
                         assets))


# 05: a ward's list with a two-row merged header
def ward_two_row_header() -> None:
    items = [("PL-01", "Máy vi tính để bàn Dell Vostro", "Máy vi tính", "bộ", 2, 14_300_000, 2_860_000, "Tốt", GOOD),
             ("PL-02", "Máy in Brother HL-L2321D", "Máy in", "cái", 1, 3_890_000, 0, "Hư hỏng", BROKEN),
             ("PL-03", "Tủ đựng hồ sơ sắt", "Tủ", "cái", 3, 4_100_000, 1_230_000, "Đang sử dụng", USE),
             ("PL-04", "Điều hòa LG 9.000 BTU", "Điều hòa", "bộ", 2, 8_900_000, 2_670_000, "Cần sửa chữa", REPAIR),
             ("PL-05", "Bộ bàn ghế tiếp dân", "Bàn ghế", "bộ", 1, 6_500_000, 1_950_000, "Tốt", GOOD)]
    book = new_book()
    s = Sheet(book, "Sheet1")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "UBND PHƯỜNG LƯƠNG SƠN", 10)
    s.title("BẢNG KÊ MÁY MÓC, THIẾT BỊ BÀN GIAO", 10)
    top, bottom = s.row, s.row + 1
    heads = ["STT", "Mã tài sản", "Tên tài sản", "Chủng loại", "ĐVT", "Số lượng", "Giá trị theo sổ kế toán", "",
             "Tình trạng"]
    for col, text in enumerate(heads, 1):
        if col in (7, 8):
            continue
        s.ws.cell(row=top, column=col, value=text).font = s.bold
        s.merge(top, col, bottom, col)
    s.ws.cell(row=top, column=7, value=heads[6]).font = s.bold
    s.merge(top, 7, top, 8)
    s.ws.cell(row=bottom, column=7, value="Nguyên giá").font = s.bold
    s.ws.cell(row=bottom, column=8, value="Giá trị còn lại").font = s.bold
    s.row = bottom + 1
    assets = []
    for i, (code, name, typ, uom, qty, cost, rem, written, cond) in enumerate(items, 1):
        s.put([i, code, name, typ, uom, qty, cost, rem, written])
        assets.append(Asset("equipment", f"code:{code}", name, "Phường Lương Sơn", "", cond, cost, rem, qty,
                            extra={"equipment_type": typ}))
    s.put(["", "", "Cộng", "", "", sum(i[4] for i in items), sum(i[5] for i in items), sum(i[6] for i in items)])
    s.signatures("Lương Sơn, ngày 26 tháng 6 năm 2025", 10, ("KẾ TOÁN", "Ngô Thị Hạnh"), ("CHỦ TỊCH", "Đào Văn Minh"))
    save(book, "05-thiet-bi-phuong-luong-son-tieu-de-hai-dong.xlsx")
    ENTRIES.append(Entry("05-thiet-bi-phuong-luong-son-tieu-de-hai-dong.xlsx",
                         ["two header rows with merged cells", "issuing body (2nd letterhead line) is the unit",
                          "generic title «BẢNG KÊ»", "sheet named Sheet1"], assets))


# 06: an old .xls with a column-number row and sections by ward
def old_xls_by_ward() -> None:
    import xlwt

    sections = [("I", "UBND phường Mỏ Chè", "Phường Mỏ Chè",
                 [("MC-01", "Máy vi tính Asus", "Máy vi tính", 1, 11_200_000, 2_240_000, "Tốt", GOOD),
                  ("MC-02", "Máy in Canon 2900", "Máy in", 1, 3_600_000, 0, "Hỏng", BROKEN)]),
                ("II", "UBND phường Châu Sơn", "Phường Châu Sơn",
                 [("CS-01", "Máy photocopy Sharp", "Máy photocopy", 1, 39_000_000, 7_800_000, "Đang sử dụng", USE),
                  ("CS-02", "Ghế xoay văn phòng", "Ghế", 10, 1_150_000, 230_000, "Tốt", GOOD),
                  ("CS-03", "Máy scan Canon DR-C240", "Máy quét", 1, 17_400_000, 5_220_000, "Xuống cấp", REPAIR)])]
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("DS thiet bi")
    rows = [["UBND THÀNH PHỐ SÔNG CÔNG", None, None, None, None, MOTTO[0]],
            [None, None, None, None, None, MOTTO[1]], [],
            ["DANH SÁCH THIẾT BỊ CÁC PHƯỜNG BÀN GIAO"], [],
            ["STT", "Mã TS", "Tên tài sản", "Loại thiết bị", "SL", "Nguyên giá", "GTCL", "Tình trạng"],
            ["1", "2", "3", "4", "5", "6", "7", "8"]]
    assets = []
    for roman, section, unit, items in sections:
        rows.append([roman, section])
        for i, (code, name, typ, qty, cost, rem, written, cond) in enumerate(items, 1):
            rows.append([i, code, name, typ, qty, cost, rem, written])
            assets.append(Asset("equipment", f"code:{code}", name, unit, "", cond, cost, rem, qty,
                                extra={"equipment_type": typ}))
    rows += [[], [None, None, None, None, None, "Sông Công, ngày 27 tháng 6 năm 2025"],
             [None, "NGƯỜI LẬP", None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    book.save(str(HERE / "06-thiet-bi-cu-theo-phuong.xls"))
    ENTRIES.append(Entry("06-thiet-bi-cu-theo-phuong.xls",
                         ["old .xls", "column numbers as plain 1 2 3 text", "sections by ward"], assets))


# 07: semicolon CSV with a unit line and money with " đ"
def csv_semicolon_unit_line() -> None:
    items = [("BX-01", "Máy vi tính Dell Inspiron", "bộ", 2, 15_600_000, 3_120_000, "Tốt", GOOD),
             ("BX-02", "Máy in Epson L3210", "cái", 1, 4_200_000, 840_000, "Đang sử dụng", USE),
             ("BX-03", "Loa hội trường", "bộ", 1, 12_000_000, 0, "Hư hỏng", BROKEN),
             ("BX-04", "Tủ sắt đựng tài liệu", "cái", 2, 3_300_000, 990_000, "Tốt", GOOD)]
    rows = [["UBND XÃ BÁ XUYÊN", "", "", "", "", "", "", MOTTO[0]],
            ["DANH SÁCH MÁY MÓC, THIẾT BỊ"], ["Đơn vị: UBND xã Bá Xuyên"], [],
            ["STT", "Mã tài sản", "Tên tài sản", "ĐVT", "Số lượng", "Nguyên giá", "Giá trị còn lại", "Tình trạng"]]
    assets = []
    for i, (code, name, uom, qty, cost, rem, written, cond) in enumerate(items, 1):
        rows.append([i, code, name, uom, qty, f"{dots(cost)} đ", f"{dots(rem)} đ", written])
        assets.append(Asset("equipment", f"code:{code}", name, "Xã Bá Xuyên", "", cond, cost, rem, qty))
    rows += [["", "", "Tổng cộng", "", "", f"{dots(sum(i[4] for i in items))} đ"], [],
             ["", "", "", "", "", "Bá Xuyên, ngày 28 tháng 6 năm 2025"]]
    (HERE / "07-thiet-bi-xa-ba-xuyen.csv").write_bytes(csv_file(rows, delimiter=";", encoding="utf-8-sig"))
    ENTRIES.append(Entry("07-thiet-bi-xa-ba-xuyen.csv",
                         ["semicolon CSV, UTF-8 with BOM", "«Đơn vị:» line above the header", "money with « đ»"],
                         assets))


# 08: Windows-1258 CSV with a units column in every spelling
def csv_cp1258_units_column() -> None:
    items = [("P. Lương Sơn", "Phường Lương Sơn", "LS-11", "Máy vi tính HP ProDesk", 13_900_000, "Tốt", GOOD),
             ("Phường Bách Quang", "Phường Bách Quang", "BQ-01", "Máy in HP 107a", 2_890_000, "Hỏng", BROKEN),
             ("UBND xã Bình Sơn", "Xã Bình Sơn", "BS-01", "Máy photocopy Canon iR 2006N", 31_500_000, "Tốt", GOOD),
             ("xã Bình Sơn", "Xã Bình Sơn", "BS-02", "Điều hòa Casper 12.000 BTU", 7_800_000, "Cần sửa chữa",
              REPAIR),
             ("Bách Quang", "Phường Bách Quang", "BQ-02", "Máy chiếu ViewSonic", 10_500_000, "Đang sử dụng", USE)]
    rows = [["DANH SÁCH TÀI SẢN LÀ MÁY MÓC, THIẾT BỊ CỦA CÁC XÃ, PHƯỜNG"], [],
            ["TT", "Đơn vị", "Mã tài sản", "Tên tài sản", "Nguyên giá", "Tình trạng"]]
    assets = []
    for i, (written_unit, unit, code, name, cost, written, cond) in enumerate(items, 1):
        rows.append([i, written_unit, code, name, commas(cost), written])
        assets.append(Asset("equipment", f"code:{code}", name, unit, "", cond, cost, 0))
    (HERE / "08-thiet-bi-cac-phuong-windows-1258.csv").write_bytes(csv_file(rows, delimiter=",", encoding="cp1258"))
    ENTRIES.append(Entry("08-thiet-bi-cac-phuong-windows-1258.csv",
                         ["CSV in Windows-1258", "units column written every way", "money with commas",
                          "no «Loại thiết bị», no ĐVT"], assets))


# 09: Excel's "Unicode text": UTF-16, tab separated, saved as .txt
def unicode_text_tabs() -> None:
    items = [("CD-01", "Máy vi tính Lenovo V50t", "bộ", 1, 14_990_000, "Tốt", GOOD),
             ("CD-02", "Máy in Canon MF241d", "cái", 1, 6_490_000, "Xuống cấp", REPAIR)]
    rows = [["UBND PHƯỜNG CẢI ĐAN"], ["DANH MỤC THIẾT BỊ VĂN PHÒNG"], [],
            ["STT", "Mã tài sản", "Tên tài sản", "Đơn vị tính", "Số lượng", "Nguyên giá (đồng)", "Tình trạng"]]
    assets = []
    for i, (code, name, uom, qty, cost, written, cond) in enumerate(items, 1):
        rows.append([i, code, name, uom, qty, cost, written])
        assets.append(Asset("equipment", f"code:{code}", name, "Phường Cải Đan", "", cond, cost, 0, qty))
    (HERE / "09-thiet-bi-phuong-cai-dan-unicode.txt").write_bytes(csv_file(rows, delimiter="\t", encoding="utf-16"))
    ENTRIES.append(Entry("09-thiet-bi-phuong-cai-dan-unicode.txt",
                         ["Excel «Unicode text» (UTF-16, tabs, .txt)", "letterhead alone gives the unit"], assets))


# 10: money and quantities as typed text
def money_as_text() -> None:
    items = [("TQ-11", "Máy vi tính Dell", "bộ", "02", "15.600.000", 15_600_000, "3.120.000 đ", 3_120_000),
             ("TQ-12", "Máy photocopy Ricoh", "chiếc", "01", "52,800,000", 52_800_000, "10.560.000", 10_560_000),
             ("TQ-13", "Xe máy Honda Wave", "chiếc", "01", "18.500.000 VNĐ", 18_500_000, "-", 0),
             ("TQ-14", "Hệ thống camera an ninh", "bộ", "01", "1,2 tỷ", 1_200_000_000, "480 triệu", 480_000_000),
             ("TQ-15", "Bàn ghế hội trường", "bộ", "15", "2.350.000,00", 2_350_000, "0", 0),
             ("TQ-16", "Máy phát điện Kama", "cái", "1", "27 500 000", 27_500_000, "8.250.000đ", 8_250_000)]
    book = new_book()
    s = Sheet(book, "Tài sản xã Tân Quang")
    s.put(["ĐẢNG ỦY - HĐND - UBND XÃ TÂN QUANG"], row=1)
    s.put(["DANH SÁCH MÁY MÓC, TRANG THIẾT BỊ BÀN GIAO"], row=3)
    s.put(["STT", "Mã tài sản", "Tên tài sản", "ĐVT", "SL", "Nguyên giá (VNĐ)", "Giá trị còn lại (VNĐ)",
           "Tình trạng"], row=5, bold=True)
    assets = []
    for i, (code, name, uom, qty, cost_w, cost, rem_w, rem) in enumerate(items, 1):
        s.put([i, code, name, uom, qty, cost_w, rem_w, "Đang sử dụng"])
        assets.append(Asset("equipment", f"code:{code}", name, "Xã Tân Quang", "", USE, cost, rem, int(qty)))
    save(book, "10-tien-va-so-luong-dang-chu.xlsx")
    ENTRIES.append(Entry("10-tien-va-so-luong-dang-chu.xlsx",
                         ["money as text: dots, commas, VNĐ, đ, tỷ, triệu, spaces, ',00', '-'", "quantities 02",
                          "letterhead «ĐẢNG ỦY - HĐND - UBND XÃ» is the commune itself"], assets))


# 11: decomposed Unicode everywhere, headers included
def nfd_everywhere() -> None:
    items = [("MC-21", "Máy vi tính để bàn", "Máy vi tính", 9_900_000, "Tốt", GOOD),
             ("MC-22", "Điều hòa nhiệt độ Daikin", "Điều hòa", 12_400_000, "Hư hỏng", BROKEN),
             ("MC-23", "Tủ hồ sơ gỗ", "Tủ", 2_700_000, "Cần sửa chữa", REPAIR)]
    book = new_book()
    s = Sheet(book, nfd("Thiết bị"))
    s.put([nfd("UBND PHƯỜNG MỎ CHÈ")], row=1)
    s.put([nfd("DANH MỤC MÁY MÓC, THIẾT BỊ")], row=2)
    s.put([nfd(t) for t in ("STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá (đồng)",
                            "Tình trạng")], row=4)
    assets = []
    for i, (code, name, typ, cost, written, cond) in enumerate(items, 1):
        s.put([i, code, nfd(name), nfd(typ), cost, nfd(written)])
        assets.append(Asset("equipment", f"code:{code}", name, "Phường Mỏ Chè", "", cond, cost, 0,
                            extra={"equipment_type": typ}))
    save(book, "11-thiet-bi-phuong-mo-che-nfd.xlsx")
    ENTRIES.append(Entry("11-thiet-bi-phuong-mo-che-nfd.xlsx", ["NFD text, headers and letterhead included"],
                         assets))


# 12: one workbook, a sheet per kind, a notes sheet; the letterhead only on the first sheet
def ward_workbook_per_kind() -> None:
    unit = "Phường Phố Cò"
    book = new_book()
    hq = Sheet(book, "Trụ sở")
    hq.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "UBND PHƯỜNG PHỐ CÒ", 8)
    hq.title("DANH MỤC TRỤ SỞ LÀM VIỆC", 8)
    hq.put(["STT", "Tên tài sản", "Địa chỉ", "Diện tích đất", "Năm xây dựng", "Nguyên giá", "Giá trị còn lại"],
           bold=True)
    hq.put([1, "Nhà văn hóa tổ dân phố 7", "Tổ dân phố 7, phường Phố Cò", "410", 2015, 620_000_000, 372_000_000])
    assets = [Asset("headquarters", "name:Nhà văn hóa tổ dân phố 7", "Nhà văn hóa tổ dân phố 7", unit, "", USE,
                    620_000_000, 372_000_000, extra={"year_built": 2015})]
    cars = Sheet(book, "Xe ô tô")
    cars.put(["DANH SÁCH XE Ô TÔ"])
    cars.put(["TT", "Biển số", "Nhãn hiệu", "Năm sản xuất", "Nguyên giá", "Tình trạng"], bold=True)
    cars.put([1, "20A-388.01", "Toyota Innova", 2016, 760_000_000, "Tốt"])
    assets.append(Asset("vehicle", "plate:20A-388.01", "Xe ô tô Toyota Innova 20A-388.01", unit, "", GOOD,
                        760_000_000, 0))
    machines = Sheet(book, "Máy móc thiết bị")
    machines.put(["STT", "Tên tài sản", "ĐVT", "Số lượng", "Nguyên giá", "Tình trạng"], bold=True)
    for i, (name, qty, cost, written, cond) in enumerate([("Máy vi tính Acer", 3, 12_800_000, "Tốt", GOOD),
                                                           ("Máy in Canon", 1, 3_900_000, "Hỏng", BROKEN)], 1):
        machines.put([i, name, "bộ" if i == 1 else "cái", qty, cost, written])
        assets.append(Asset("equipment", f"name:{name}", name, unit, "", cond, cost, 0, qty))
    boxes = Sheet(book, "Hồ sơ lưu trữ")
    boxes.put(["Tên phông: UBND phường Phố Cò"])
    boxes.put(["Hộp số", "Số hồ sơ", "Thời gian", "Tình trạng chỉnh lý"], bold=True)
    for box, files, span, state in [("1", 16, "2008-2014", "Đã chỉnh lý"), ("2", 19, "2015-2025", "Chưa chỉnh lý")]:
        boxes.put([box, files, span, state])
        assets.append(Asset("archive_box", f"box:UBND phường Phố Cò|{box}", f"UBND phường Phố Cò — hộp {box}", unit,
                            extra={"arrangement": state, "files_count": files}))
    notes = Sheet(book, "Ghi chú")
    notes.put(["Số liệu theo sổ kế toán đến ngày 30/6/2025."])
    save(book, "12-tai-san-phuong-pho-co-moi-trang-mot-loai.xlsx")
    ENTRIES.append(Entry("12-tai-san-phuong-pho-co-moi-trang-mot-loai.xlsx",
                         ["a sheet per kind in one workbook", "a notes sheet", "letterhead only on the first sheet",
                          "«Tên phông:» line above the table", "«Biển số», «Nhãn hiệu»"], assets))


# 13: boxes with the fonds line above the table
def boxes_fonds_line() -> None:
    fonds = "UBND xã Bá Xuyên"
    boxes = [("01", 14, "2001 - 2008", "Đã chỉnh lý", "Vĩnh viễn", "Vĩnh viễn"),
             ("02", 12, "2009 - 2015", "Đã chỉnh lý", "10 năm", "Có thời hạn"),
             ("03", 17, "2016", "chưa chỉnh lý", "Vĩnh viễn", "Vĩnh viễn"),
             ("04", 21, "2017-2025", "Chưa chỉnh lý", "Có thời hạn", "Có thời hạn")]
    book = new_book()
    s = Sheet(book, "Mục lục hộp")
    s.put(["MỤC LỤC HỒ SƠ, TÀI LIỆU"], row=1)
    s.put(["Tên phông: UBND xã Bá Xuyên"], row=2)
    s.put(["Thời gian tài liệu: 2001 - 2025"], row=3)
    s.put(["STT", "Hộp số", "Số hồ sơ (ĐVBQ)", "Thời gian tài liệu", "Tình trạng chỉnh lý", "Thời hạn bảo quản"],
          row=5, bold=True)
    assets = []
    for i, (box, files, span, state, keep, keep_label) in enumerate(boxes, 1):
        s.put([i, box, files, span, state, keep])
        assets.append(Asset("archive_box", f"box:{fonds}|{box}", f"{fonds} — hộp {box}", "Xã Bá Xuyên",
                            extra={"arrangement": state.capitalize() if state.islower() else state,
                                   "retention": keep_label, "files_count": files}))
    save(book, "13-hop-luu-tru-xa-ba-xuyen.xlsx")
    ENTRIES.append(Entry("13-hop-luu-tru-xa-ba-xuyen.xlsx",
                         ["fonds line above the table names the unit", "box numbers like 01",
                          "retention «10 năm»"], assets))


# 14: a commune's list in thousands of đồng, sections by agency of the commune
def commune_in_thousands() -> None:
    sections = [("I", "UBND xã Tân Quang", "", [("Máy vi tính Dell", "bộ", 2, 15_600, 3_120, "Tốt", GOOD),
                                                ("Máy in Canon", "cái", 1, 3_890, 0, "Hỏng", BROKEN)]),
                ("II", "Đảng ủy xã Tân Quang", "Đảng ủy xã Tân Quang",
                 [("Máy vi tính HP", "bộ", 1, 13_500, 4_050, "Tốt", GOOD),
                  ("Tủ đựng tài liệu", "cái", 2, 3_200, 960, "Đang sử dụng", USE)]),
                ("III", "Ủy ban MTTQ xã Tân Quang", "Ủy ban MTTQ xã Tân Quang",
                 [("Máy in Brother", "cái", 1, 4_100, 1_230, "Xuống cấp", REPAIR)])]
    book = new_book()
    s = Sheet(book, "Tân Quang")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "UBND XÃ TÂN QUANG", 8)
    s.title("DANH SÁCH TÀI SẢN LÀ MÁY MÓC, THIẾT BỊ", 8)
    s.put(["ĐVT: 1.000 đồng"], start=6)
    s.row += 1
    s.put(["STT", "Tên tài sản", "Đơn vị tính", "Số lượng", "Nguyên giá", "Giá trị còn lại", "Tình trạng"], bold=True)
    assets = []
    for roman, section, agency, items in sections:
        s.put([roman, section], bold=True)
        for i, (name, uom, qty, cost, rem, written, cond) in enumerate(items, 1):
            s.put([i, name, uom, qty, dots(cost), dots(rem), written])
            assets.append(Asset("equipment", f"name:{name}", name, "Xã Tân Quang", agency, cond, cost * 1000,
                                rem * 1000, qty))
    total = sum(i[3] for _r, _s, _a, items in sections for i in items)
    s.put(["", "Tổng cộng", "", "", dots(total)], bold=True)
    save(book, "14-thiet-bi-xa-tan-quang-nghin-dong.xlsx")
    ENTRIES.append(Entry("14-thiet-bi-xa-tan-quang-nghin-dong.xlsx",
                         ["money in thousands of đồng («ĐVT: 1.000 đồng»)", "sections by agency of a commune",
                          "Đảng ủy and Ủy ban MTTQ as agencies"], assets))


# 15: a units column merged vertically over each agency's rows
def merged_units_column() -> None:
    groups = [("Phòng Nội vụ", [("Máy vi tính Dell", 14_000_000, "Tốt", GOOD), ("Máy in HP", 4_000_000, "Tốt", GOOD),
                                ("Máy scan Fujitsu", 9_000_000, "Hỏng", BROKEN)]),
              ("Phòng Tư pháp", [("Máy vi tính Asus", 12_000_000, "Xuống cấp", REPAIR),
                                 ("Máy photocopy Ricoh", 45_000_000, "Tốt", GOOD)]),
              ("Thanh tra thành phố", [("Máy vi tính Lenovo", 13_000_000, "Tốt", GOOD)])]
    book = new_book()
    s = Sheet(book, "Thiết bị các phòng")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 7)
    s.title("DANH MỤC THIẾT BỊ CỦA CÁC PHÒNG CHUYÊN MÔN", 7)
    s.put(["STT", "Đơn vị sử dụng", "Tên tài sản", "ĐVT", "Số lượng", "Nguyên giá", "Tình trạng"], bold=True)
    assets, number = [], 0
    for agency, items in groups:
        first = s.row
        for name, cost, written, cond in items:
            number += 1
            s.put([number, agency if s.row == first else None, name, "cái", 1, cost, written])
            assets.append(Asset("equipment", f"name:{name}", name, CITY, agency, cond, cost))
        if len(items) > 1:
            s.merge(first, 2, s.row - 1, 2)
    save(book, "15-thiet-bi-cac-phong-cot-don-vi-gop-o.xlsx")
    ENTRIES.append(Entry("15-thiet-bi-cac-phong-cot-don-vi-gop-o.xlsx",
                         ["units column merged vertically", "departments as agencies of the letterhead's city",
                          "Thanh tra thành phố"], assets))


# 16: three header rows
def three_header_rows() -> None:
    items = [("CS-21", "Máy vi tính Dell", 2, 15_000_000, 4_500_000, "Tốt", GOOD),
             ("CS-22", "Điều hòa Daikin", 1, 11_000_000, 0, "Hư hỏng", BROKEN),
             ("CS-23", "Bộ bàn ghế làm việc", 4, 3_500_000, 1_050_000, "Đang sử dụng", USE)]
    book = new_book()
    s = Sheet(book, "Sheet1")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "UBND PHƯỜNG CHÂU SƠN", 8)
    s.title("BÁO CÁO KÊ KHAI TÀI SẢN LÀ MÁY MÓC, THIẾT BỊ", 8)
    r1, r2, r3 = s.row, s.row + 1, s.row + 2
    for col, text in enumerate(["STT", "Mã tài sản", "Tên tài sản", "Số lượng"], 1):
        s.ws.cell(row=r1, column=col, value=text)
        s.merge(r1, col, r3, col)
    s.ws.cell(row=r1, column=5, value="Giá trị (đồng)")
    s.merge(r1, 5, r1, 6)
    s.ws.cell(row=r2, column=5, value="Theo sổ kế toán")
    s.merge(r2, 5, r2, 6)
    s.ws.cell(row=r3, column=5, value="Nguyên giá")
    s.ws.cell(row=r3, column=6, value="Giá trị còn lại")
    s.ws.cell(row=r1, column=7, value="Tình trạng")
    s.merge(r1, 7, r3, 7)
    s.row = r3 + 1
    assets = []
    for i, (code, name, qty, cost, rem, written, cond) in enumerate(items, 1):
        s.put([i, code, name, qty, cost, rem, written])
        assets.append(Asset("equipment", f"code:{code}", name, "Phường Châu Sơn", "", cond, cost, rem, qty))
    save(book, "16-thiet-bi-phuong-chau-son-ba-dong-tieu-de.xlsx")
    ENTRIES.append(Entry("16-thiet-bi-phuong-chau-son-ba-dong-tieu-de.xlsx",
                         ["three header rows with merged cells", "title «BÁO CÁO KÊ KHAI»"], assets))


# 17 and 18: what no importer can guess, told by the officer's mapping
def needs_a_mapping() -> None:
    items = [("Tổ công tác 389 thành phố", "Tổ công tác 389 thành phố", "Máy vi tính xách tay Dell", 21_000_000,
              "Tốt", GOOD),
             ("Tổ công tác 389 thành phố", "Tổ công tác 389 thành phố", "Máy in màu Epson", 8_900_000,
              "Thanh lý", UNUSABLE),
             ("Văn phòng HĐND và UBND thành phố", "Văn phòng HĐND và UBND thành phố", "Máy hủy giấy", 6_100_000,
              "Thanh lý", UNUSABLE),
             ("Văn phòng HĐND và UBND thành phố", "Văn phòng HĐND và UBND thành phố", "Máy vi tính Dell", 14_600_000,
              "Tốt", GOOD)]
    book = new_book()
    s = Sheet(book, "Thiết bị")
    s.letterhead("UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 6)
    s.title("DANH MỤC THIẾT BỊ THU HỒI", 6)
    s.put(["STT", "Đơn vị quản lý", "Tên tài sản", "Giá mua ban đầu", "Tình trạng"], bold=True)
    assets = []
    for i, (holder, agency, name, cost, written, cond) in enumerate(items, 1):
        s.put([i, holder, name, cost, written])
        assets.append(Asset("equipment", f"name:{name}", name, CITY, agency, cond, cost))
    save(book, "17-thiet-bi-thu-hoi-can-anh-xa.xlsx")
    mapping = {"columns": {"Giá mua ban đầu": "Nguyên giá (đồng)"},
               "values": {"Tình trạng": {"Thanh lý": "Không sử dụng được"}},
               "units": {"Tổ công tác 389 thành phố": {"unit": CITY, "agency": "Tổ công tác 389 thành phố"}}}
    (HERE / "17-thiet-bi-thu-hoi-can-anh-xa.mapping.json").write_text(
        json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ENTRIES.append(Entry("17-thiet-bi-thu-hoi-can-anh-xa.xlsx",
                         ["an unknown column header (mapped)", "an unknown condition value (mapped)",
                          "an unknown agency (mapped)"], assets, mapping="17-thiet-bi-thu-hoi-can-anh-xa.mapping.json"))

    cars = [("20A-777.01", "Hyundai Solati", 980_000_000), ("20A-777.02", "Toyota Hilux", 690_000_000)]
    book = new_book()
    s = Sheet(book, "Sheet2")
    s.put(["UBND PHƯỜNG BÁCH QUANG"], row=1)
    s.put(["BẢNG KÊ TÀI SẢN"], row=2)
    s.put(["STT", "Số đăng ký", "Tên tài sản", "Nguyên giá", "Ghi chú"], row=4)
    assets = []
    for i, (plate, name, cost) in enumerate(cars, 1):
        s.put([i, plate, name, cost, "Xe dùng chung"])
        assets.append(Asset("vehicle", f"plate:{plate}", name, "Phường Bách Quang", "", USE, cost))
    save(book, "18-xe-phuong-bach-quang-can-anh-xa.xlsx")
    mapping = {"kinds": {"Sheet2": "Xe ô tô"}, "columns": {"Số đăng ký": "Biển kiểm soát"}}
    (HERE / "18-xe-phuong-bach-quang-can-anh-xa.mapping.json").write_text(
        json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ENTRIES.append(Entry("18-xe-phuong-bach-quang-can-anh-xa.xlsx",
                         ["a sheet whose kind cannot be told (mapped)", "a plate under an unknown header (mapped)"],
                         assets, mapping="18-xe-phuong-bach-quang-can-anh-xa.mapping.json"))


BUILDERS = (city_equipment_by_agency, city_cars, city_headquarters, city_archive_boxes, ward_two_row_header,
            old_xls_by_ward, csv_semicolon_unit_line, csv_cp1258_units_column, unicode_text_tabs, money_as_text,
            nfd_everywhere, ward_workbook_per_kind, boxes_fonds_line, commune_in_thousands, merged_units_column,
            three_header_rows, needs_a_mapping)


def main() -> None:
    ENTRIES.clear()
    for build in BUILDERS:
        build()
    manifest = []
    for entry in ENTRIES:
        data = asdict(entry)
        assets = entry.assets
        data["totals"] = {"created": len(assets), "original_cost": sum(a.original_cost for a in assets),
                          "remaining_value": sum(a.remaining_value for a in assets)}
        manifest.append(data)
    (HERE / "expected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(ENTRIES)} lists written to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Build the hand-made inventory corpus: files as tired district officers type them, plus
``expected.toml`` (what a correct import must give) and the officers' mapping files.

Run:  .venv/bin/python tests/corpus/independent/build_corpus.py

Every expected figure is computed from the same Python lists that write the cells; the unit,
agency and condition of each row are set by hand to what a person reading the file would say.
Nothing here reads or runs the app's importer.
"""
from __future__ import annotations

import csv
import io
import json
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

TP = "Thành phố Sông Công"
PB = "Huyện Phú Bình"
DT = "Huyện Đại Từ"
PY = "Thành phố Phổ Yên"
DH = "Huyện Định Hóa"
BB = "Huyện Ba Bể"

# The officer's words for a condition -> the app's condition label (from the brief, read by a human).
COND = {
    "Tốt": "Tốt", "tốt": "Tốt", "Bình thường": "Tốt",
    "Đang sử dụng": "Đang sử dụng", "đang sử dụng": "Đang sử dụng", "Còn sử dụng được": "Đang sử dụng",
    "": "Đang sử dụng", None: "Đang sử dụng",
    "Cần sửa chữa": "Cần sửa chữa", "Xuống cấp": "Cần sửa chữa", "Hư hỏng nhẹ": "Cần sửa chữa",
    "Hư hỏng": "Hư hỏng", "Hỏng": "Hư hỏng",
    "Không sử dụng được": "Không sử dụng được", "Hỏng không sửa được": "Không sử dụng được",
}


def clean(text: str) -> str:
    return " ".join(str(text).split())


# --------------------------------------------------------------------------------------------
# Expected assets
# --------------------------------------------------------------------------------------------
@dataclass
class A:
    kind: str                    # headquarters / vehicle / equipment / archive_box
    unit: str
    agency: str = ""
    name: str = ""               # as typed (cleaned when compared) or as derived
    code: str = ""
    plate: str = ""              # canonical
    cond_text: str | None = ""   # as written in the condition column
    cost: int = 0
    remain: int = 0
    qty: int = 1
    cond_override: str = ""      # the label when an officer's mapping says it
    extra: dict = field(default_factory=dict)

    @property
    def condition(self) -> str:
        return self.cond_override or COND[self.cond_text]

    @property
    def key(self) -> str:
        if self.kind == "vehicle":
            return self.plate
        if self.kind == "archive_box":
            return f"{self.extra['fonds']}|{self.extra['box_no']}"
        if self.code:
            return self.code
        return "name:" + clean(self.name)


FILES: list[dict] = []
ALL_PLATES: set[str] = set()
ALL_CODES: set[str] = set()
ALL_BOXES: set[str] = set()


def register(path, classes, assets, spots, default_unit="", mapping="", notes=""):
    keys = Counter(a.key for a in assets)
    for a in spots:
        assert keys[a.key] == 1, (path, a.key)
    for a in assets:
        if a.kind == "vehicle":
            assert a.plate not in ALL_PLATES, a.plate
            ALL_PLATES.add(a.plate)
        if a.kind == "archive_box":
            assert a.key not in ALL_BOXES, a.key
            ALL_BOXES.add(a.key)
        if a.code:
            assert a.code not in ALL_CODES, a.code
            ALL_CODES.add(a.code)
        assert a.remain <= a.cost or a.kind == "archive_box", (path, a.name)
        for y in ("year_in_use", "year_made", "span_end", "year_built"):
            assert a.extra.get(y, 0) <= 2025
    assert 2 <= len(spots) <= 5, path
    FILES.append(dict(path=path, classes=classes, assets=assets, spots=spots, default_unit=default_unit,
                      mapping=mapping, notes=notes))


def plate_canon(p: str) -> str:
    """Only to check my own typing: '20A 235.46' -> '20A-235.46'."""
    import re
    m = re.fullmatch(r"\s*(\d{2})\s*([A-Za-z]{1,2}\d?)\s*[-. ]?\s*(\d{3})\.?(\d{2})\s*", p)
    if m:
        return f"{m[1]}{m[2].upper()}-{m[3]}.{m[4]}"
    m = re.fullmatch(r"\s*(\d{2})\s*([A-Za-z]{1,2}\d?)\s*[-. ]?\s*(\d{4})\s*", p)
    assert m, p
    return f"{m[1]}{m[2].upper()}-{m[3]}"


# --------------------------------------------------------------------------------------------
# Writing money, quantities and years the way officers do
# --------------------------------------------------------------------------------------------
def dots(v: int) -> str:
    return f"{v:,}".replace(",", ".")


def commas(v: int) -> str:
    return f"{v:,}"


def money(v: int, style: str):
    """style: num | dot | comma | dot_d | vnd | dong ; 0 is written '-' unless style == 'num0'."""
    if v == 0 and style != "num0":
        return "-"
    return {"num": v, "num0": v, "dot": dots(v), "comma": commas(v), "dot_d": dots(v) + " đ",
            "vnd": dots(v) + " VNĐ", "dong": dots(v) + " đồng", "comma_d": commas(v) + "đ"}[style]


def qty2(q: int) -> str:
    return f"{q:02d}"


# --------------------------------------------------------------------------------------------
# A sheet as a grid of cells, rendered by xlsxwriter, openpyxl, xlwt or csv
# --------------------------------------------------------------------------------------------
class Grid:
    def __init__(self, ncols: int, widths=None):
        self.ncols = ncols
        self.rows: list[list] = []
        self.styles: list[str] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.widths = widths or {}

    def add(self, cells=(), style="data") -> int:
        row = list(cells) + [None] * (self.ncols - len(cells))
        self.rows.append(row)
        self.styles.append(style)
        return len(self.rows) - 1

    def put(self, r, c, value):
        self.rows[r][c] = value

    def line(self, text, c1=0, c2=None, style="bold"):
        """A line of text merged across columns c1..c2 (letterhead, title, notes)."""
        r = self.add([None] * c1 + [text], style)
        if c2 is not None and c2 > c1:
            self.merges.append((r, c1, r, c2))
        return r

    def merge(self, r1, c1, r2, c2):
        self.merges.append((r1, c1, r2, c2))

    def map_text(self, fn):
        self.rows = [[fn(v) if isinstance(v, str) else v for v in row] for row in self.rows]


def _xw_formats(wb):
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}

    def f(**kw):
        return wb.add_format({**base, **kw})
    return {
        "plain": f(), "bold": f(bold=True, align="center"), "boldleft": f(bold=True),
        "title": f(bold=True, align="center", font_size=14, text_wrap=True),
        "italic": f(italic=True, align="center"), "italicleft": f(italic=True),
        "header": f(bold=True, align="center", text_wrap=True, border=1),
        "colno": f(italic=True, align="center", border=1),
        "data": f(border=1, text_wrap=True), "section": f(bold=True, border=1),
        "group": f(bold=True, italic=True, border=1), "total": f(bold=True, border=1),
        "note": f(), "sign": f(bold=True, align="center"), "signi": f(italic=True, align="center"),
    }


def write_xlsxwriter(path: Path, sheets: list[tuple[str, Grid]]):
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": datetime(2025, 6, 25, 8, 0, 0), "author": "Phòng Tài chính - Kế hoạch"})
    fm = _xw_formats(wb)
    date_fmts = {}
    for name, g in sheets:
        ws = wb.add_worksheet(name)
        for c, w in g.widths.items():
            ws.set_column(c, c, w)
        merged_cells = {}
        for (r1, c1, r2, c2) in g.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    merged_cells[(r, c)] = (r1, c1, r2, c2)
        done = set()
        for r, (row, st) in enumerate(zip(g.rows, g.styles)):
            fmt = fm.get(st, fm["data"])
            for c, v in enumerate(row):
                if (r, c) in merged_cells:
                    m = merged_cells[(r, c)]
                    if m in done:
                        continue
                    done.add(m)
                    top = g.rows[m[0]][m[1]]
                    if isinstance(top, datetime):
                        top = top.strftime("%d/%m/%Y")
                    ws.merge_range(*m, top if top is not None else "", fmt)
                    continue
                if v is None:
                    if st in ("data", "section", "group", "total", "header", "colno"):
                        ws.write_blank(r, c, None, fmt)
                    continue
                if isinstance(v, datetime):
                    key = st
                    if key not in date_fmts:
                        date_fmts[key] = wb.add_format({"font_name": "Times New Roman", "font_size": 12,
                                                        "border": 1, "num_format": "dd/mm/yyyy"})
                    ws.write_datetime(r, c, v, date_fmts[key])
                elif isinstance(v, str):
                    ws.write_string(r, c, v, fmt)
                else:
                    ws.write_number(r, c, v, fmt)
    wb.close()


def write_openpyxl(path: Path, sheets: list[tuple[str, Grid]]):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for name, g in sheets:
        ws = wb.create_sheet(name)
        for c, w in g.widths.items():
            ws.column_dimensions[get_column_letter(c + 1)].width = w
        for r, (row, st) in enumerate(zip(g.rows, g.styles)):
            for c, v in enumerate(row):
                cell = ws.cell(row=r + 1, column=c + 1)
                if v is not None:
                    cell.value = v
                    if isinstance(v, datetime):
                        cell.number_format = "dd/mm/yyyy"
                bold = st in ("bold", "boldleft", "title", "header", "section", "total", "sign")
                italic = st in ("italic", "italicleft", "colno", "group", "signi")
                cell.font = Font(name="Times New Roman", size=14 if st == "title" else 12, bold=bold,
                                 italic=italic)
                if st in ("data", "section", "group", "total", "header", "colno"):
                    cell.border = box
                center = st in ("bold", "title", "italic", "header", "colno", "sign", "signi")
                cell.alignment = Alignment(horizontal="center" if center else None, vertical="center",
                                           wrap_text=st in ("header", "title", "data"))
        for (r1, c1, r2, c2) in g.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    wb.properties.created = wb.properties.modified = datetime(2025, 6, 25, 8, 0, 0)
    wb.properties.creator = "Phòng Tài chính - Kế hoạch"
    buf = io.BytesIO()
    wb.save(buf)
    _fixed_zip_times(buf.getvalue(), path)


def _fixed_zip_times(data: bytes, path: Path):
    """Rewrite a zip with fixed entry times, so that running the builder again changes no byte."""
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 6, 25, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                import re
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-06-25T08:00:00Z", body)
            dst.writestr(fixed, body)
    path.write_bytes(out.getvalue())


def write_xlwt(path: Path, sheets: list[tuple[str, Grid]]):
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    st_bold = xlwt.easyxf("font: name Times New Roman, bold on; align: horiz center")
    st_plain = xlwt.easyxf("font: name Times New Roman")
    st_hdr = xlwt.easyxf("font: name Times New Roman, bold on; align: horiz center, vert center, wrap on;"
                         " borders: left thin, right thin, top thin, bottom thin")
    st_data = xlwt.easyxf("font: name Times New Roman; borders: left thin, right thin, top thin, bottom thin")
    st_sec = xlwt.easyxf("font: name Times New Roman, bold on;"
                         " borders: left thin, right thin, top thin, bottom thin")
    st_it = xlwt.easyxf("font: name Times New Roman, italic on; align: horiz center")
    styles = {"bold": st_bold, "title": st_bold, "sign": st_bold, "header": st_hdr, "data": st_data,
              "section": st_sec, "total": st_sec, "group": st_sec, "italic": st_it, "signi": st_it,
              "colno": st_hdr}
    for name, g in sheets:
        ws = wb.add_sheet(name)
        for c, w in g.widths.items():
            ws.col(c).width = int(w * 256)
        merged = {}
        for m in g.merges:
            for r in range(m[0], m[2] + 1):
                for c in range(m[1], m[3] + 1):
                    merged[(r, c)] = m
        done = set()
        for r, (row, st) in enumerate(zip(g.rows, g.styles)):
            sty = styles.get(st, st_plain)
            for c, v in enumerate(row):
                if (r, c) in merged:
                    m = merged[(r, c)]
                    if m not in done:
                        done.add(m)
                        ws.write_merge(m[0], m[2], m[1], m[3], g.rows[m[0]][m[1]] or "", sty)
                    continue
                if v is None:
                    if st in ("data", "header", "section", "total"):
                        ws.write(r, c, "", sty)
                    continue
                ws.write(r, c, v, sty)
    wb.save(str(path))


def csv_text(g: Grid, delimiter: str) -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in g.rows:
        w.writerow(["" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, datetime) else str(v))
                    for v in row])
    return out.getvalue()


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258_text(s: str) -> str:
    """Precomposed base letters (ă â ê ô ơ ư đ) plus combining tone marks, as cp1258 holds them."""
    out = []
    cluster = ""
    marks: list[str] = []

    def flush():
        if cluster:
            base = unicodedata.normalize("NFC", cluster + "".join(m for m in marks if m not in TONES))
            out.append(base + "".join(m for m in marks if m in TONES))
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch):
            marks.append(ch)
        else:
            flush()
            cluster, marks = ch, []
    flush()
    return "".join(out)


def sig_block(g: Grid, place_date: str, left: list[str], right: list[str], lc=0, rc=None, ncols=None):
    """Place-and-date line then two signature blocks side by side."""
    ncols = ncols or g.ncols
    rc = rc if rc is not None else max(ncols - 4, 1)
    g.add()
    g.line(place_date, rc, ncols - 1, "signi")
    r = g.add([], "sign")
    g.put(r, lc, left[0])
    g.put(r, rc, right[0])
    r = g.add([], "signi")
    g.put(r, lc, "(Ký, ghi rõ họ tên)")
    g.put(r, rc, "(Ký tên, đóng dấu)")
    g.add([], "plain")
    g.add([], "plain")
    r = g.add([], "sign")
    g.put(r, lc, left[1])
    g.put(r, rc, right[1])


def motto(g: Grid, left1: str, left2: str | None, lc2: int, rc1: int, rc2: int):
    """Letterhead top-left (parent body, issuing body) and motto top-right."""
    r = g.add([], "bold")
    g.put(r, 0, left1)
    g.merge(r, 0, r, lc2)
    g.put(r, rc1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    g.merge(r, rc1, r, rc2)
    r = g.add([], "bold")
    if left2:
        g.put(r, 0, left2)
        g.merge(r, 0, r, lc2)
    g.put(r, rc1, "Độc lập - Tự do - Hạnh phúc")
    g.merge(r, rc1, r, rc2)


# --------------------------------------------------------------------------------------------
# Catalogue of equipment (name, unit of measure, price in đồng, life in years)
# --------------------------------------------------------------------------------------------
CATALOG = {
    "Máy vi tính": [
        ("Máy vi tính để bàn Dell Vostro 3020", "Bộ", 15_900_000, 5),
        ("Máy vi tính để bàn HP ProDesk 400 G9", "Bộ", 17_500_000, 5),
        ("Máy tính xách tay Lenovo ThinkPad E14", "Chiếc", 19_800_000, 5),
        ("Máy vi tính đồng bộ FPT Elead S500", "Bộ", 12_650_000, 5),
        ("Máy vi tính để bàn Dell Optiplex 3080", "Bộ", 16_200_000, 5),
        ("Máy vi tính để bàn CMS X-Media", "Bộ", 11_400_000, 5),
    ],
    "Máy in, máy photocopy, máy scan": [
        ("Máy in Canon LBP 2900", "Cái", 3_450_000, 5),
        ("Máy in HP LaserJet Pro M404dn", "Cái", 7_890_000, 5),
        ("Máy in màu Epson L805", "Cái", 6_200_000, 5),
        ("Máy in Canon LBP 6030", "Cái", 2_990_000, 5),
        ("Máy photocopy Ricoh MP 4055", "Cái", 68_500_000, 8),
        ("Máy photocopy Toshiba e-Studio 2518A", "Cái", 42_000_000, 8),
        ("Máy scan Canon DR-C240", "Cái", 18_700_000, 5),
    ],
    "Điều hòa nhiệt độ": [
        ("Điều hòa Daikin 18.000 BTU", "Bộ", 14_300_000, 8),
        ("Điều hòa Panasonic 12.000 BTU 2 chiều", "Bộ", 11_900_000, 8),
        ("Điều hòa cây LG 48.000 BTU", "Bộ", 52_800_000, 8),
        ("Điều hòa Casper 9.000 BTU", "Bộ", 6_850_000, 8),
    ],
    "Bàn ghế, tủ": [
        ("Bàn làm việc gỗ công nghiệp 1m4", "Cái", 2_850_000, 8),
        ("Ghế xoay văn phòng", "Cái", 1_150_000, 8),
        ("Tủ sắt đựng tài liệu 4 cánh", "Cái", 4_200_000, 8),
        ("Tủ gỗ đựng hồ sơ", "Cái", 5_600_000, 8),
        ("Bộ bàn ghế họp 20 chỗ", "Bộ", 38_500_000, 8),
        ("Bộ bàn ghế tiếp khách", "Bộ", 9_800_000, 8),
        ("Giá sắt để hồ sơ 5 tầng", "Cái", 2_400_000, 8),
    ],
    "Thiết bị khác": [
        ("Máy chiếu Panasonic PT-LB383", "Cái", 16_900_000, 8),
        ("Màn chiếu điện 120 inch", "Cái", 4_300_000, 8),
        ("Tivi Samsung 55 inch", "Cái", 13_990_000, 8),
        ("Hệ thống âm thanh hội trường", "Hệ thống", 86_000_000, 8),
        ("Máy hủy tài liệu Silicon PS-836C", "Cái", 7_300_000, 8),
        ("Bộ lưu điện UPS Santak 1KVA", "Bộ", 2_950_000, 5),
        ("Máy ảnh Canon EOS 850D", "Cái", 21_000_000, 5),
        ("Máy bộ đàm Motorola", "Cái", 3_800_000, 5),
    ],
}

COND_POOL_NEW = ["Tốt", "Tốt", "Đang sử dụng", "Đang sử dụng", "Bình thường", "", "Còn sử dụng được"]
COND_POOL_OLD = ["Đang sử dụng", "Xuống cấp", "Cần sửa chữa", "Hư hỏng", "Hỏng", "Hư hỏng nhẹ",
                 "Còn sử dụng được", "Không sử dụng được", "Hỏng không sửa được", ""]


def depreciate(cost: int, year: int, life: int, at: int = 2025) -> int:
    left = max(0, life - (at - year))
    return (cost * left // life) // 1000 * 1000


def gen_items(rng: random.Random, n: int, groups=None, year_lo=2008, year_hi=2024, taken=()):
    """n equipment rows: dicts name, uom, qty, cost, remain, year, cond, group."""
    groups = groups or list(CATALOG)
    items = []
    for _ in range(n):
        g = rng.choice(groups)
        name, uom, price, life = rng.choice(CATALOG[g])
        qty = 1
        if uom in ("Cái",) and g == "Bàn ghế, tủ" and rng.random() < 0.5:
            qty = rng.choice([2, 4, 5, 6, 10, 12])
        elif g == "Máy vi tính" and rng.random() < 0.25:
            qty = rng.choice([2, 3])
        year = rng.randint(year_lo, year_hi)
        cost = price * qty
        remain = depreciate(cost, year, life)
        old = 2025 - year >= life
        cond = rng.choice(COND_POOL_OLD if old else COND_POOL_NEW)
        items.append(dict(name=name, uom=uom, qty=qty, cost=cost, remain=remain, year=year, cond=cond, group=g))
    order = list(CATALOG)
    items.sort(key=lambda it: (order.index(it["group"]), it["year"]))
    return items


# ============================================================================================
# 01 — equipment of the whole city, by agency (200–400 rows)
# ============================================================================================
def f01():
    path = "01-thiet-bi-tp-song-cong-theo-co-quan.xlsx"
    rng = random.Random(2025_06_01)
    blocks = [
        ("A. KHỐI ĐẢNG, ĐOÀN THỂ", [("I", "Thành ủy Sông Công", 24, "TT"),
                                    ("II", "Ủy ban MTTQ Việt Nam thành phố", 12, "inline")]),
        ("B. KHỐI QUẢN LÝ NHÀ NƯỚC", [("III", "Văn phòng HĐND và UBND thành phố", 46, "TT"),
                                       ("IV", "Phòng Tài chính - Kế hoạch", 22, "TT"),
                                       ("V", "Phòng Nội vụ", 18, "TT"),
                                       ("VI", "Phòng Giáo dục và Đào tạo", 20, "inline"),
                                       ("VII", "Phòng Tài nguyên và Môi trường", 16, "TT"),
                                       ("VIII", "Phòng Quản lý đô thị", 15, "TT"),
                                       ("IX", "Phòng Văn hóa và Thông tin", 14, "TT")]),
        ("C. CÁC ĐƠN VỊ SỰ NGHIỆP", [("X", "Trung tâm Văn hóa, Thể thao và Truyền thông", 26, "TT"),
                                     ("XI", "Trung tâm Phát triển quỹ đất", 14, "TT"),
                                     ("XII", "Ban Quản lý dự án đầu tư xây dựng thành phố", 17, "TT")]),
    ]
    specials = {
        "I": [dict(name="Máy vi tính  để bàn Dell Optiplex 7090 (phòng Thường trực)", uom="Bộ", qty=1,
                   cost=21_500_000, remain=12_900_000, year=2022, cond="Tốt", group="Máy vi tính")],
        "III": [dict(name="Máy photocopy Ricoh IM 4000 (Bộ phận một cửa)", uom="Cái", qty=1, cost=98_600_000,
                     remain=24_650_000, year=2019, cond="Xuống cấp", group="Máy in, máy photocopy, máy scan")],
        "IV": [dict(name="Tủ gỗ đựng hồ sơ lưu trữ kế toán", uom="Cái", qty=5, cost=28_000_000, remain=0,
                    year=2011, cond="Còn sử dụng được", group="Bàn ghế, tủ")],
        "X": [dict(name="Máy phát điện Honda EP6500CX (sân vận động)", uom="Cái", qty=1, cost=36_800_000,
                   remain=0, year=2009, cond="Hỏng không sửa được", group="Thiết bị khác")],
    }
    ncols = 9
    g = Grid(ncols, widths={0: 6, 1: 46, 2: 8, 3: 8, 4: 12, 5: 16, 6: 16, 7: 16, 8: 22})
    motto(g, "UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 2, 4, 8)
    g.add([], "plain")
    g.line("DANH MỤC MÁY MÓC, THIẾT BỊ BÀN GIAO CỦA CÁC CƠ QUAN, ĐƠN VỊ THUỘC THÀNH PHỐ SÔNG CÔNG", 0, 8, "title")
    g.line("(Kèm theo Biên bản bàn giao, tiếp nhận tài sản công ngày 25/6/2025)", 0, 8, "italic")
    r = g.add([], "italicleft")
    g.put(r, 7, "Đơn vị tính: đồng")
    g.add(["TT", "Tên tài sản", "ĐVT", "Số lượng", "Năm đưa vào sử dụng", "Nguyên giá\n(đồng)",
           "Giá trị còn lại\n(đồng)", "Hiện trạng", "Ghi chú"], "header")
    g.add([f"({i})" for i in range(1, 10)], "colno")
    assets = []
    spots = []
    grand = [0, 0, 0]
    wrong_done = False
    for bname, secs in blocks:
        g.add(["", bname], "section")
        for roman, agency, n, form in secs:
            if form == "TT":
                g.add([roman, agency], "section")
            else:
                g.add(["", f"{roman}. {agency}"], "section")
            items = gen_items(rng, n)
            sp = specials.get(roman, [])
            # put the special where the notes say (asset no. 5 of section X) or near the top
            for s in sp:
                pos = 4 if roman == "X" else 1
                # keep it in its group: insert and re-sort by group only (stable)
                items.insert(pos, s)
            order = list(CATALOG)
            items.sort(key=lambda it: order.index(it["group"]))
            if roman == "X":
                # the generator made other "Thiết bị khác" rows; place the special as asset no. 5
                items.remove(sp[0])
                items.insert(4, sp[0])
                assert sp[0]["group"] == items[5]["group"] or True
            tt = 0
            group = None
            sums = [0, 0, 0]
            gi = 0
            for it in items:
                if it["group"] != group and roman != "X":
                    group = it["group"]
                    gi += 1
                    g.add(["", f"{gi}. {group}"], "group")
                tt += 1
                note = ""
                if it["cond"] in ("Hỏng không sửa được", "Không sử dụng được") and rng.random() < 0.5:
                    note = "Đề nghị thanh lý"
                elif rng.random() < 0.08:
                    note = rng.choice(["Phòng họp tầng 2", "Nguồn kinh phí CCHC", "Bộ phận một cửa",
                                       "Mua năm " + str(it["year"])])
                g.add([tt, it["name"], it["uom"], it["qty"], it["year"], it["cost"],
                       money(it["remain"], "num"), it["cond"], note])
                a = A("equipment", TP, agency, name=it["name"], cond_text=it["cond"], cost=it["cost"],
                      remain=it["remain"], qty=it["qty"], extra={"year_in_use": it["year"]})
                assets.append(a)
                if it in sp:
                    spots.append(a)
                sums[0] += it["qty"]
                sums[1] += it["cost"]
                sums[2] += it["remain"]
            shown_cost = sums[1]
            if roman == "IV" and not wrong_done:
                shown_cost += 1000   # the officer's slip: subtotal 1.000 đ too high
                wrong_done = True
            label = {"II": "Cộng khoản II", "VI": "Cộng mục VI"}.get(roman, f"Cộng {roman}")
            g.add(["", label, "", sums[0], "", shown_cost, sums[2], "", ""], "total")
            for i in range(3):
                grand[i] += sums[i]
        g.add([], "data")  # blank row between blocks
    g.add(["", "TỔNG CỘNG", "", grand[0], "", grand[1], grand[2], "", ""], "total")
    g.add([], "plain")
    g.line("Ghi chú:", 0, 3, "boldleft")
    g.line("- Giá trị còn lại tính đến ngày 30/6/2025.", 0, 8, "note")
    g.line("- Tài sản có giá trị còn lại bằng 0 ghi \"-\".", 0, 8, "note")
    g.line("* Tài sản số 5 mục X đang chờ thanh lý.", 0, 8, "note")
    sig_block(g, "Sông Công, ngày 25 tháng 6 năm 2025", ["NGƯỜI LẬP BIỂU", "Nguyễn Thị Thu Hà"],
              ["TRƯỞNG PHÒNG", "Trần Văn Nam"], lc=1, rc=6)
    write_xlsxwriter(HERE / path, [("Danh muc TB", g)])
    register(path, ["letterhead-trap", "no-type-column", "sections-by-agency", "block-headings", "group-headings",
                    "condition-in-hien-trang", "loose-condition-words", "column-numbers-row", "header-line-breaks",
                    "subtotals", "wrong-subtotal", "grand-total", "dash-for-zero", "notes-block", "signatures",
                    "archive-word-in-name", "double-spaces", "large"],
             assets, spots)


# ============================================================================================
# 02 — cars of the city: no name column, units column merged vertically, Thành ủy has 4 of 13
# ============================================================================================
def f02():
    path = "02-xe-o-to-tp-song-cong-theo-don-vi.xlsx"
    # (agency as written, make as written, plate as written, seats, year made, year in use, cost, remain,
    #  condition as written, cost style, remain style, note)
    groups = [
        ("Văn phòng HĐND và UBND thành phố", [
            ("Toyota Camry 2.5Q", "20A-012.68", 5, 2016, 2016, 1_235_000_000, 370_500_000, "Đang sử dụng", "dot", "dot", ""),
            ("Ford Everest Titanium", "20A 235.46", 7, 2019, 2019, 1_399_000_000, 699_500_000, "Tốt", "num", "num", ""),
            ("Toyota Innova 2.0E", "20A-00579", 8, 2012, 2013, 748_000_000, 0, "Xuống cấp", "dot_d", "dot", ""),
            ("Mitsubishi Pajero Sport", "20A-118.27", 7, 2017, 2017, 1_062_000_000, 212_400_000, "Còn sử dụng được", "dot", "dot", ""),
            ("Ford Transit 16 chỗ", "20B-0568", 16, 2008, 2010, 835_000_000, 0, "Hư hỏng", "num", "num", "Hết niên hạn"),
        ]),
        ("Thành ủy Sông Công", [
            ("Toyota Fortuner", "20A-649.55", 7, 2020, 2020, 850_000_000, 425_000_000, "Tốt", "dot", "dot", ""),
            ("Toyota Camry 2.0E", "20A-03312", 5, 2014, 2014, 1_054_000_000, 0, "Cần sửa chữa", "num", "num", ""),
            ("Kia Sedona 3.3 GATH", "20A 297.01", 7, 2018, 2018, 1_179_000_000, 353_700_000, "Tốt", "dot_d", "dot_d", ""),
            ("Toyota Innova G", "20A-0842", 8, 2008, 2009, 612_000_000, 0, "Hỏng", "dot", "dot", "Đề nghị thanh lý"),
        ]),
        ("Trung tâm Phát triển quỹ đất", [
            ("Mitsubishi Triton 4x4", "20C-056.19", 5, 2015, 2015, 688_000_000, 137_600_000, "Đang sử dụng", "num", "num", ""),
        ]),
        ("Ban QLDA đầu tư xây dựng thành phố", [
            ("Toyota Hilux 2.4E", "20C-108.44", 5, 2018, 2018, 795_000_000, 318_000_000, "Tốt", "dot", "dot", ""),
            ("Ford Ranger XLS", "20C-07725", 5, 2011, 2013, 615_000_000, 0, "Hỏng không sửa được", "dot", "dot", ""),
        ]),
        ("Phòng Giáo dục và Đào tạo", [
            ("Toyota Vios 1.5G", "20A-156.30", 5, 2016, 2016, 565_000_000, 113_000_000, "Bình thường", "vnd", "vnd", ""),
        ]),
    ]
    ncols = 11
    g = Grid(ncols, widths={0: 5, 1: 26, 2: 24, 3: 14, 4: 8, 5: 8, 6: 10, 7: 18, 8: 18, 9: 16, 10: 18})
    motto(g, "UBND THÀNH PHỐ SÔNG CÔNG", "VĂN PHÒNG HĐND VÀ UBND", 2, 6, 10)
    g.add([], "plain")
    g.line("DANH SÁCH XE Ô TÔ CÔNG CỦA CÁC CƠ QUAN, ĐƠN VỊ THÀNH PHỐ SÔNG CÔNG BÀN GIAO", 0, 10, "title")
    g.line("(Kèm theo Biên bản số 05/BB-VP ngày 27/6/2025)", 0, 10, "italic")
    h1 = g.add(["TT", "Đơn vị đang quản lý", "Loại xe, nhãn hiệu", "Biển kiểm soát", "Số chỗ ngồi", "Năm SX",
                "Năm đưa vào sử dụng", "Giá trị theo sổ kế toán (đồng)", None, "Hiện trạng", "Ghi chú"], "header")
    h2 = g.add([None] * 7 + ["Nguyên giá", "Giá trị còn lại", None, None], "header")
    for c in list(range(7)) + [9, 10]:
        g.merge(h1, c, h2, c)
    g.merge(h1, 7, h1, 8)
    assets, tt, tot = [], 0, [0, 0]
    spots = []
    for agency, cars in groups:
        first = None
        for (make, plate, seats, ymade, yuse, cost, remain, cond, cs, rs, note) in cars:
            tt += 1
            r = g.add([tt, agency if first is None else None, make, plate, seats, ymade, yuse, money(cost, cs),
                       money(remain, rs), cond, note])
            first = r if first is None else first
            canon = plate_canon(plate)
            a = A("vehicle", TP, agency, name=f"Xe ô tô {make} {canon}", plate=canon, cond_text=cond, cost=cost,
                  remain=remain, extra={"year_made": ymade, "year_in_use": yuse})
            assets.append(a)
            tot[0] += cost
            tot[1] += remain
        if len(cars) > 1:
            g.merge(first, 1, first + len(cars) - 1, 1)
    g.add(["", "TỔNG CỘNG", f"{tt} xe", "", "", "", "", tot[0], tot[1], "", ""], "total")
    g.add([], "plain")
    g.line("Ghi chú: Xe 20B-0568 và xe 20A-0842 đã hết niên hạn sử dụng, đề nghị thanh lý theo quy định.", 0, 10, "note")
    sig_block(g, "Sông Công, ngày 27 tháng 6 năm 2025", ["NGƯỜI LẬP", "Lê Thị Hồng"], ["CHÁNH VĂN PHÒNG", "Đỗ Mạnh Hùng"],
              lc=1, rc=7)
    write_openpyxl(HERE / path, [("Xe o to", g)])
    by = {a.plate: a for a in assets}
    spots = [by["20A-649.55"], by["20A-005.79"], by["20B-0568"], by["20C-077.25"], by["20A-156.30"]]
    register(path, ["vehicle-no-name-column", "derived-vehicle-name", "plate-forms", "plate-4-digits",
                    "units-column", "merged-units-column", "thanh-uy-cars", "two-row-merged-header",
                    "money-as-text", "money-with-dong-suffix", "dash-for-zero", "loose-condition-words",
                    "notes-block", "signatures"], assets, spots)


# ============================================================================================
# 03 — headquarters under the city letterhead; the row's own name gives the unit
# ============================================================================================
def f03():
    path = "03-tru-so-tp-song-cong-va-cac-phuong-xa.xlsx"
    rows = [  # (unit, agency, name, address, year, land, floor, gcn, cost, remain, current, intended, cost style)
        ("I", "KHỐI THÀNH PHỐ"),
        (TP, "", "Trụ sở HĐND và UBND thành phố", "Số 1 đường Cách Mạng Tháng Tám, phường Thắng Lợi", 2005, 12500, 6850,
         "AĐ 512345", 45_800_000_000, 18_320_000_000, "Đang làm trụ sở HĐND và UBND thành phố",
         "Trụ sở các cơ quan chuyên môn của tỉnh đặt tại khu vực Sông Công", "num"),
        (TP, "Thành ủy Sông Công", "Trụ sở Thành ủy Sông Công", "Đường Thắng Lợi, tổ dân phố 6, phường Thắng Lợi", 2008,
         8200, 4120, "BC 061234", 32_600_000_000, 15_648_000_000, "Đang làm trụ sở làm việc của Thành ủy",
         "Trụ sở Đảng ủy, HĐND, UBND phường Sông Công", "num"),
        (TP, "Trung tâm Văn hóa, Thể thao và Truyền thông", "Trụ sở Trung tâm Văn hóa, Thể thao và Truyền thông",
         "Tổ dân phố 5, phường Mỏ Chè", 2012, 3150, 1480, "BĐ 778120", 9_450_000_000, 5_670_000_000,
         "Đang sử dụng làm nơi làm việc và nhà tập luyện", "Giữ nguyên, giao phường Sông Công quản lý", "vnd"),
        ("II", "CÁC PHƯỜNG, XÃ"),
        ("Phường Thắng Lợi", "", "Trụ sở UBND phường Thắng Lợi", "Tổ dân phố 2, phường Thắng Lợi", 2010, 2450, 1320,
         "BE 102398", 7_860_000_000, 3_930_000_000, "Đang làm trụ sở UBND phường",
         "Trụ sở Ủy ban MTTQ và Trung tâm phục vụ hành chính công phường Sông Công", "num"),
        ("Phường Thắng Lợi", "", "Nhà làm việc Bộ phận một cửa phường Thắng Lợi", "Tổ dân phố 2, phường Thắng Lợi", 2018,
         0, 260, "", 1_240_000_000, 868_000_000, "Đang làm Bộ phận tiếp nhận và trả kết quả",
         "Trung tâm phục vụ hành chính công phường Sông Công", "num"),
        ("Phường Phố Cò", "", "Trụ sở UBND phường Phố Cò", "Tổ dân phố Phố Cò 1, phường Phố Cò", 2007, 2980, 1150,
         "AK 448812", 6_120_000_000, 2_142_000_000, "Đang làm trụ sở Đảng ủy, HĐND, UBND phường",
         "Trụ sở Công an phường và các đơn vị sự nghiệp phường Sông Công", "num"),
        ("Phường Cải Đan", "", "Trụ sở UBND phường Cải Đan", "Tổ dân phố Cải Đan, phường Cải Đan", 2004, 1870, 760,
         "AĐ 300517", 3_980_000_000, 796_000_000, "Đang làm trụ sở UBND phường", "Dôi dư, đề nghị tỉnh xử lý", "num"),
        ("Phường Mỏ Chè", "", "Trụ sở Đảng ủy - HĐND - UBND phường Mỏ Chè", "Tổ dân phố 3, phường Mỏ Chè", 2009, 2210,
         980, "BA 615273", 5_430_000_000, 2_172_000_000, "Đang làm trụ sở làm việc",
         "Trụ sở Công an phường Bá Xuyên", "num"),
        ("Phường Lương Sơn", "", "Trụ sở UBND phường Lương Sơn", "Tổ dân phố Xuân Gáo, phường Lương Sơn", 2011, 3020,
         1210, "BG 220941", 6_750_000_000, 3_375_000_000, "Đang làm trụ sở UBND phường",
         "Trụ sở bộ phận một cửa phường Bách Quang", "num"),
        ("Phường Châu Sơn", "", "Trụ sở UBND phường Châu Sơn", "Tổ dân phố Kè, phường Châu Sơn", 2013, 2640, 1030,
         "BK 093355", 5_960_000_000, 3_576_000_000, "Đang làm trụ sở UBND phường", "Dôi dư, bố trí làm nhà văn hóa",
         "num"),
        ("Xã Tân Quang", "", "Trụ sở UBND xã Tân Quang", "Xóm Trung, xã Tân Quang", 2006, 3540, 890, "AH 716204",
         3_420_000_000, 855_000_000, "Bỏ trống từ tháng 5/2025", "Dôi dư, đề nghị tỉnh xử lý", "num"),
        ("Xã Bình Sơn", "", "Trụ sở UBND xã Bình Sơn", "Xóm Chiễn, xã Bình Sơn", 2008, 4100, 950, "AK 810933",
         3_770_000_000, 1_131_000_000, "Cho Công an xã mượn tạm một phần", "Điểm tiếp nhận hồ sơ của xã Tân Cương", "num"),
        ("Xã Bá Xuyên", "", "Trụ sở Đảng ủy - HĐND - UBND xã Bá Xuyên", "Xóm Ao Cang, xã Bá Xuyên", 2015, 3860, 1420,
         "CĐ 150762", 8_940_000_000, 6_258_000_000, "Đang làm trụ sở Đảng ủy, HĐND, UBND xã",
         "Trụ sở Đảng ủy, HĐND, UBND phường Bá Xuyên", "num"),
    ]
    ncols = 12
    g = Grid(ncols, widths={0: 5, 1: 36, 2: 34, 3: 8, 4: 10, 5: 10, 6: 12, 7: 18, 8: 18, 9: 30, 10: 36, 11: 14})
    motto(g, "UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 2, 7, 11)
    g.add([], "plain")
    g.line("DANH MỤC TRỤ SỞ LÀM VIỆC, CƠ SỞ NHÀ, ĐẤT CỦA CÁC CƠ QUAN, ĐƠN VỊ TRÊN ĐỊA BÀN THÀNH PHỐ SÔNG CÔNG",
           0, 11, "title")
    g.line("(Phục vụ sắp xếp, bàn giao khi kết thúc hoạt động cấp huyện)", 0, 11, "italic")
    g.add(["STT", "Tên cơ sở nhà, đất", "Địa chỉ", "Năm xây dựng", "Diện tích đất (m2)", "Diện tích sàn xây dựng (m2)",
           "Số GCN QSDĐ", "Nguyên giá (đồng)", "Giá trị còn lại (đồng)", "Hiện trạng sử dụng",
           "Phương án sử dụng sau sắp xếp", "Ghi chú"], "header")
    assets, tt, tot = [], 0, [0, 0]
    for row in rows:
        if len(row) == 2:
            g.add(list(row), "section")
            continue
        unit, agency, name, addr, year, land, floor, gcn, cost, remain, cur, plan, cs = row
        tt += 1
        g.add([tt, name, addr, year, land or "", floor, gcn, money(cost, cs), money(remain, cs), cur, plan, ""])
        assets.append(A("headquarters", unit, agency, name=name, cost=cost, remain=remain,
                        extra={"year_built": year}))
        tot[0] += cost
        tot[1] += remain
    g.add(["", "Tổng cộng", "", "", "", "", "", tot[0], tot[1], "", "", ""], "total")
    g.add([], "plain")
    g.line("Ghi chú: Diện tích đất của Nhà làm việc Bộ phận một cửa nằm trong khuôn viên trụ sở UBND phường "
           "Thắng Lợi.", 0, 11, "note")
    sig_block(g, "Sông Công, ngày 24 tháng 6 năm 2025", ["NGƯỜI LẬP BIỂU", "Phạm Thu Trang"],
              ["KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG", "Hoàng Văn Quý"], lc=1, rc=8)
    write_xlsxwriter(HERE / path, [("Tru so", g)])
    by = {a.name: a for a in assets}
    spots = [by["Trụ sở UBND phường Phố Cò"], by["Trụ sở Thành ủy Sông Công"],
             by["Trụ sở UBND xã Tân Quang"], by["Trụ sở Trung tâm Văn hóa, Thể thao và Truyền thông"]]
    register(path, ["headquarters", "unit-from-hq-name", "address-names-other-unit", "hien-trang-su-dung-free-text",
                    "no-condition-column", "level-section-rows", "letterhead-trap", "notes-block", "signatures"],
             assets, spots)


# ============================================================================================
# 04 — archive boxes of xã Bá Xuyên, fonds in a line above the table, no title column
# ============================================================================================
def f04():
    path = "04-muc-luc-hop-tai-lieu-xa-ba-xuyen.xlsx"
    fonds = "UBND xã Bá Xuyên"
    rng = random.Random(4)
    spans = []
    for b in range(1, 31):
        if b <= 8:
            s = ("2005-2010", 2005, 2010)
        elif b <= 14:
            s = ("2010 – 2015", 2010, 2015)
        elif b <= 20:
            s = ("2010-2020", 2010, 2020)
        elif b <= 23:
            s = ("2016", 2016, 2016)
        else:
            y = 2017 + (b - 24) // 2
            s = (f"{y} - {y + 3}", y, y + 3)
        spans.append(s)
    arr = (["Đã chỉnh lý"] * 18 + ["Chỉnh lý sơ bộ"] * 6 + ["Chưa chỉnh lý"] * 3 + ["chưa chỉnh lý"] * 3)
    ret = ["Vĩnh viễn", "Có thời hạn", "10 năm"]
    ncols = 7
    g = Grid(ncols, widths={0: 6, 1: 8, 2: 12, 3: 16, 4: 16, 5: 18, 6: 24})
    motto(g, "UBND XÃ BÁ XUYÊN", None, 2, 3, 6)
    g.add([], "plain")
    g.line("MỤC LỤC HỘP TÀI LIỆU LƯU TRỮ BÀN GIAO", 0, 6, "title")
    g.line("(Kèm theo Biên bản giao nhận hồ sơ, tài liệu ngày 28/6/2025)", 0, 6, "italic")
    g.line("Tên phông: UBND xã Bá Xuyên", 0, 6, "boldleft")
    g.line("Thời gian tài liệu: 2005 - 2025", 0, 6, "italicleft")
    g.add([], "plain")
    g.add(["STT", "Hộp số", "Số lượng hồ sơ", "Thời gian tài liệu", "Thời hạn bảo quản", "Tình trạng chỉnh lý",
           "Ghi chú"], "header")
    assets, files_total = [], 0
    for b in range(1, 31):
        nfiles = rng.randint(8, 26)
        span, y1, y2 = spans[b - 1]
        rt = ret[0] if b <= 12 else (ret[1] if b <= 22 else ret[2])
        note = "Hồ sơ địa chính" if b in (3, 4) else ("Tài liệu bị ẩm, mốc" if b == 27 else "")
        g.add([b, b, nfiles, span, rt, arr[b - 1], note])
        files_total += nfiles
        arrangement = {"Đã chỉnh lý": "Đã chỉnh lý", "Chỉnh lý sơ bộ": "Chỉnh lý sơ bộ"}.get(arr[b - 1], "Chưa chỉnh lý")
        assets.append(A("archive_box", "Xã Bá Xuyên", name=f"{fonds} — hộp {b}",
                        extra={"fonds": fonds, "box_no": str(b), "files_count": nfiles, "span_start": y1,
                               "span_end": y2, "arrangement": arrangement}))
    g.add(["Cộng", "30 hộp", files_total, "", "", "", ""], "total")
    g.add([], "plain")
    g.line("Tổng số: 30 hộp, tương đương 3,75 mét giá.", 0, 6, "note")
    sig_block(g, "Bá Xuyên, ngày 28 tháng 6 năm 2025", ["BÊN GIAO", "Ngô Thị Lan"], ["BÊN NHẬN", "Vũ Đức Thịnh"],
              lc=1, rc=4)
    write_openpyxl(HERE / path, [("Muc luc", g)])
    spots = [assets[0], assets[10], assets[21], assets[28]]
    register(path, ["archive-boxes", "fonds-in-line-above", "no-title-column", "derived-box-name", "span-forms",
                    "arrangement-forms", "retention-forms", "letterhead-unit", "signatures"], assets, spots)


# ============================================================================================
# 05 — boxes of two wards under the city letterhead, fonds as section rows
# ============================================================================================
def f05():
    path = "05-hop-tai-lieu-phuong-thang-loi-pho-co-theo-phong.xlsx"
    secs = [
        ("I. Phông UBND phường Thắng Lợi", "Phông UBND phường Thắng Lợi", "Phường Thắng Lợi", "", 14, 1998),
        ("II. Phông: Đảng ủy phường Phố Cò", "Đảng ủy phường Phố Cò", "Phường Phố Cò", "Đảng ủy phường Phố Cò", 6, 2005),
        ("III. Phông UBND phường Phố Cò", "Phông UBND phường Phố Cò", "Phường Phố Cò", "", 12, 2000),
    ]
    rng = random.Random(5)
    ncols = 7
    g = Grid(ncols, widths={0: 6, 1: 16, 2: 8, 3: 10, 4: 16, 5: 18, 6: 22})
    motto(g, "UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG NỘI VỤ", 2, 3, 6)
    g.add([], "plain")
    g.line("MỤC LỤC HỘP TÀI LIỆU CỦA PHƯỜNG THẮNG LỢI, PHƯỜNG PHỐ CÒ", 0, 6, "title")
    g.line("BÀN GIAO CHO PHƯỜNG SÔNG CÔNG", 0, 6, "title")
    g.add([], "plain")
    g.add(["TT", "Thời gian tài liệu", "Hộp số", "Số hồ sơ", "Thời hạn bảo quản", "Tình trạng chỉnh lý", "Ghi chú"],
          "header")
    g.add(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"], "colno")
    assets = []
    tt = 0
    for title, fonds, unit, agency, n, y0 in secs:
        g.add([title], "section")
        g.merge(len(g.rows) - 1, 0, len(g.rows) - 1, 6)
        files = 0
        for b in range(1, n + 1):
            tt += 1
            y1 = y0 + (b - 1) * 2
            y2 = min(y1 + rng.choice([0, 1, 2, 4]), 2025)
            span = str(y1) if y1 == y2 else rng.choice([f"{y1}-{y2}", f"{y1} – {y2}", f"{y1} - {y2}"])
            if b <= n - 4:
                arr_t, arr = "Đã chỉnh lý", "Đã chỉnh lý"
            elif b <= n - 2:
                arr_t, arr = "Chỉnh lý sơ bộ", "Chỉnh lý sơ bộ"
            else:
                arr_t, arr = rng.choice(["Chưa chỉnh lý", "chưa chỉnh lý"]), "Chưa chỉnh lý"
            rt = "Vĩnh viễn" if b % 3 else "Có thời hạn"
            nf = rng.randint(6, 22)
            files += nf
            g.add([tt, span, b, nf, rt, arr_t, ""])
            assets.append(A("archive_box", unit, agency, name=f"{fonds} — hộp {b}",
                            extra={"fonds": fonds, "box_no": str(b), "files_count": nf, "span_start": y1,
                                   "span_end": y2, "arrangement": arr}))
        g.add(["", "Cộng", f"{n} hộp", files, "", "", ""], "total")
    g.add([], "plain")
    g.line("Ghi chú: Tài liệu phông Đảng ủy phường Phố Cò bàn giao cho Đảng ủy phường Sông Công.", 0, 6, "note")
    sig_block(g, "Sông Công, ngày 29 tháng 6 năm 2025", ["NGƯỜI LẬP", "Đặng Thị Mai"], ["TRƯỞNG PHÒNG", "Lưu Văn Cường"],
              lc=1, rc=4)
    write_xlsxwriter(HERE / path, [("Muc luc hop", g)])
    by = {a.key: a for a in assets}
    spots = [by["Phông UBND phường Thắng Lợi|12"], by["Phông UBND phường Phố Cò|3"],
             by["Phông UBND phường Phố Cò|12"], by["Phông UBND phường Thắng Lợi|1"]]
    register(path, ["archive-boxes", "fonds-as-section-rows", "unit-from-fonds", "agency-from-fonds",
                    "derived-box-name", "no-title-column", "column-numbers-row", "span-forms", "arrangement-forms",
                    "subtotals", "letterhead-other-unit", "column-order", "notes-block", "signatures"],
             assets, spots)


# ============================================================================================
# 06 — old .xls: equipment of phường Thắng Lợi, codes, "02" quantities, money as dotted text
# ============================================================================================
def f06():
    path = "06-thiet-bi-phuong-thang-loi.xls"
    users = ["UBND phường", "Đảng ủy phường", "Ủy ban MTTQ phường Thắng Lợi", "Hội Cựu chiến binh phường"]
    agency_of = {"UBND phường": "", "Đảng ủy phường": "Đảng ủy phường",
                 "Ủy ban MTTQ phường Thắng Lợi": "Ủy ban MTTQ phường Thắng Lợi",
                 "Hội Cựu chiến binh phường": "Hội Cựu chiến binh phường"}
    # (name, type, uom, qty, cost, remain, user idx, condition)
    rows = [
        ("Máy vi tính để bàn Dell Vostro 3888", "Máy vi tính", "Bộ", 2, 31_800_000, 12_720_000, 0, "Tốt"),
        ("Máy vi tính để bàn HP 280 G4", "Máy vi tính", "Bộ", 3, 41_400_000, 8_280_000, 0, "Đang sử dụng"),
        ("Máy tính xách tay Dell Latitude 3420", "Máy vi tính", "Chiếc", 1, 18_900_000, 11_340_000, 0, "Tốt"),
        ("Máy vi tính đồng bộ FPT Elead", "Máy vi tính", "Bộ", 1, 11_200_000, 0, 1, "Hỏng"),
        ("Máy vi tính để bàn Dell Vostro 3681", "Máy vi tính", "Bộ", 1, 14_650_000, 2_930_000, 1, "Bình thường"),
        ("Máy vi tính để bàn CMS", "Máy vi tính", "Bộ", 1, 10_800_000, 0, 2, "Hư hỏng"),
        ("Máy in Canon LBP 2900", "Máy in", "Cái", 4, 13_800_000, 0, 0, "Đang sử dụng"),
        ("Máy in HP LaserJet M211dw", "Máy in", "Cái", 1, 5_490_000, 3_294_000, 1, "Tốt"),
        ("Máy in Brother HL-L2321D", "Máy in", "Cái", 1, 3_150_000, 630_000, 2, "Bình thường"),
        ("Máy photocopy Ricoh MP 3054", "Máy photocopy", "Cái", 1, 56_000_000, 11_200_000, 0, "Cần sửa chữa"),
        ("Máy scan Canon DR-M260", "Máy scan", "Cái", 1, 24_500_000, 14_700_000, 0, "Tốt"),
        ("Điều hòa Daikin 18.000 BTU", "Điều hòa", "Bộ", 3, 42_900_000, 10_725_000, 0, "Đang sử dụng"),
        ("Điều hòa Panasonic 12.000 BTU", "Điều hòa", "Bộ", 1, 11_900_000, 0, 1, "Hỏng"),
        ("Điều hòa Funiki 9.000 BTU", "Điều hòa", "Bộ", 1, 6_400_000, 0, 3, "Không sử dụng được"),
        ("Máy chiếu Epson EB-X51", "Máy chiếu", "Cái", 1, 14_200_000, 5_680_000, 0, "Đang sử dụng"),
        ("Loa kéo di động Temeisheng", "Thiết bị âm thanh", "Cái", 1, 4_600_000, 0, 2, "Hư hỏng"),
        ("Bộ bàn ghế họp 16 chỗ", "Bàn ghế", "Bộ", 1, 26_500_000, 6_625_000, 0, "Tốt"),
        ("Bàn làm việc gỗ công nghiệp", "Bàn ghế", "Cái", 10, 28_500_000, 0, 0, "Còn sử dụng được"),
        ("Ghế xoay văn phòng", "Bàn ghế", "Cái", 12, 13_800_000, 3_450_000, 0, "Đang sử dụng"),
        ("Tủ sắt đựng tài liệu", "Tủ", "Cái", 6, 25_200_000, 6_300_000, 0, "Đang sử dụng"),
        ("Tủ gỗ đựng hồ sơ Đảng", "Tủ", "Cái", 2, 11_200_000, 2_800_000, 1, "Tốt"),
        ("Bàn ghế tiếp dân", "Bàn ghế", "Bộ", 2, 9_600_000, 0, 0, "Xuống cấp"),
        ("Tivi LG 50 inch", "Tivi", "Cái", 1, 12_490_000, 7_494_000, 2, "Tốt"),
        ("Máy bộ đàm Kenwood", "Thiết bị thông tin", "Cái", 2, 7_600_000, 0, 3, "Hư hỏng nhẹ"),
    ]
    ncols = 11
    g = Grid(ncols, widths={0: 5, 1: 12, 2: 34, 3: 16, 4: 7, 5: 6, 6: 15, 7: 15, 8: 26, 9: 16, 10: 16})
    motto(g, "UBND PHƯỜNG THẮNG LỢI", None, 3, 6, 10)
    g.add([], "plain")
    g.line("DANH MỤC MÁY MÓC, THIẾT BỊ BÀN GIAO", 0, 10, "title")
    r = g.add([], "italic")
    g.put(r, 8, "ĐVT: đồng")
    g.add(["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "ĐVT", "SL", "Nguyên giá", "Giá trị còn lại",
           "Bộ phận sử dụng", "Tình trạng", "Ghi chú"], "header")
    assets, tot = [], [0, 0, 0]
    for i, (name, typ, uom, q, cost, remain, ui, cond) in enumerate(rows, 1):
        code = f"TSTL-{i:03d}"
        cost_cell = dots(cost) if i % 3 else cost
        rem_cell = money(remain, "dot") if i % 3 else (remain if remain else "-")
        g.add([i, code, name, typ, uom, qty2(q), cost_cell, rem_cell, users[ui], cond, ""])
        assets.append(A("equipment", "Phường Thắng Lợi", agency_of[users[ui]], name=name, code=code, cond_text=cond,
                        cost=cost, remain=remain, qty=q))
        tot[0] += q
        tot[1] += cost
        tot[2] += remain
    g.add(["", "", "Cộng", "", "", tot[0], dots(tot[1]), dots(tot[2]), "", "", ""], "total")
    sig_block(g, "Thắng Lợi, ngày 26 tháng 6 năm 2025", ["KẾ TOÁN", "Trịnh Thị Nga"], ["CHỦ TỊCH", "Bùi Quang Huy"],
              lc=2, rc=7)
    write_xlwt(HERE / path, [("Sheet1", g)])
    by = {a.code: a for a in assets}
    spots = [by["TSTL-001"], by["TSTL-004"], by["TSTL-014"], by["TSTL-021"], by["TSTL-024"]]
    register(path, ["old-xls", "letterhead-unit", "codes", "type-column", "quantity-leading-zero", "money-as-text",
                    "users-column", "agency-without-unit-name", "unit-itself-not-agency", "loose-condition-words",
                    "signatures"], assets, spots)


# ============================================================================================
# 07 — Huyện Phú Bình: one workbook, one sheet per kind, plus a "Hướng dẫn" sheet first
# ============================================================================================
def f07():
    path = "07-tai-san-huyen-phu-binh-moi-sheet-mot-loai.xlsx"
    sheets = []
    # --- guidance sheet (not a list)
    gh = Grid(6, widths={0: 100})
    for t in ["HƯỚNG DẪN LẬP DANH MỤC TÀI SẢN BÀN GIAO",
              "1. Mỗi loại tài sản (trụ sở, xe ô tô, máy móc thiết bị, hộp tài liệu) lập trên một sheet riêng.",
              "2. Cột Tình trạng ghi một trong: Tốt, Đang sử dụng, Cần sửa chữa, Hư hỏng, Không sử dụng được.",
              "3. Nguyên giá, giá trị còn lại ghi theo sổ kế toán, đơn vị tính: đồng.",
              "4. Hộp tài liệu ghi rõ phông, số hộp, số hồ sơ, thời gian tài liệu, tình trạng chỉnh lý.",
              "5. Hạn gửi Phòng Tài chính - Kế hoạch: ngày 25/6/2025."]:
        gh.add([t], "boldleft" if t.startswith("HƯỚNG") else "note")
    sheets.append(("Hướng dẫn", gh))

    def head(g, title, lc2, rc1, rc2):
        motto(g, "UBND HUYỆN PHÚ BÌNH", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", lc2, rc1, rc2)
        g.add([], "plain")
        g.line(title, 0, rc2, "title")
        g.add([], "plain")

    assets = []
    # --- headquarters
    hq = [  # unit, agency, name, address, year, land, floor, cost, remain, condition, current use, plan
        (PB, "", "Trụ sở HĐND và UBND huyện", "Tổ dân phố Ga, thị trấn Hương Sơn", 2003, 15800, 7200, 38_500_000_000,
         11_550_000_000, "Xuống cấp", "Đang làm trụ sở HĐND và UBND huyện", "Trụ sở Đảng ủy, HĐND, UBND xã Phú Bình"),
        (PB, "Huyện ủy Phú Bình", "Trụ sở Huyện ủy Phú Bình", "Tổ dân phố Đình, thị trấn Hương Sơn", 2010, 9600, 3900,
         27_200_000_000, 13_600_000_000, "Tốt", "Đang làm trụ sở Huyện ủy", "Trụ sở Ủy ban MTTQ và các đoàn thể xã Phú Bình"),
        ("Thị trấn Hương Sơn", "", "Trụ sở UBND thị trấn Hương Sơn", "Tổ dân phố Hòa Bình, thị trấn Hương Sơn", 2008,
         2600, 1100, 5_900_000_000, 2_360_000_000, "Đang sử dụng", "Đang làm trụ sở UBND thị trấn",
         "Trung tâm phục vụ hành chính công xã Phú Bình"),
        ("Xã Bảo Lý", "", "Trụ sở UBND xã Bảo Lý", "Xóm Na Chặng, xã Bảo Lý", 2012, 3100, 820, 4_250_000_000,
         2_550_000_000, "Tốt", "Đang làm trụ sở UBND xã", "Dôi dư, chuyển làm trường mầm non"),
        ("Xã Úc Kỳ", "", "Trụ sở UBND xã Úc Kỳ", "Xóm Chợ, xã Úc Kỳ", 2005, 2900, 760, 3_180_000_000, 636_000_000,
         "Cần sửa chữa", "Đang làm trụ sở UBND xã", "Dôi dư, đề nghị tỉnh xử lý"),
        ("Xã Nga My", "", "Trụ sở UBND xã Nga My", "Xóm Ngọc Sơn, xã Nga My", 2014, 3350, 900, 4_780_000_000,
         3_346_000_000, "", "Đang làm trụ sở UBND xã", "Trụ sở Công an xã Điềm Thụy"),
        ("Xã Tân Đức", "", "Trụ sở UBND xã Tân Đức", "Xóm Tân Lập, xã Tân Đức", 2009, 2750, 700, 3_600_000_000,
         1_440_000_000, "Hư hỏng nhẹ", "Đang làm trụ sở UBND xã", "Trụ sở Công an xã Kha Sơn"),
    ]
    g = Grid(11, widths={0: 5, 1: 34, 2: 34, 3: 10, 4: 10, 5: 10, 6: 18, 7: 18, 8: 14, 9: 28, 10: 34})
    head(g, "DANH MỤC TRỤ SỞ LÀM VIỆC BÀN GIAO", 2, 6, 10)
    g.add(["STT", "Tên tài sản", "Địa chỉ", "Năm xây dựng", "Diện tích đất (m2)", "Diện tích sàn (m2)",
           "Nguyên giá", "Giá trị còn lại", "Tình trạng", "Hiện trạng sử dụng", "Phương án sử dụng sau sắp xếp"],
          "header")
    hq_assets = []
    for i, (unit, ag, name, addr, year, land, floor, cost, rem, cond, cur, plan) in enumerate(hq, 1):
        g.add([i, name, addr, year, land, floor, cost, rem, cond, cur, plan])
        hq_assets.append(A("headquarters", unit, ag, name=name, cond_text=cond, cost=cost, remain=rem,
                           extra={"year_built": year}))
    g.add(["", "Cộng", "", "", "", "", sum(a.cost for a in hq_assets), sum(a.remain for a in hq_assets), "", "", ""],
          "total")
    sheets.append(("1. Trụ sở", g))
    assets += hq_assets

    # --- vehicles, with a name column
    cars = [  # name, plate as written, make, year made, cost, remain, user, unit, agency, condition
        ("Xe ô tô Toyota Innova 2.0E", "20A-301.22", "Toyota Innova", 2017, 785_000_000, 235_500_000,
         "Văn phòng HĐND và UBND huyện", PB, "Văn phòng HĐND và UBND huyện", "Tốt"),
        ("Xe ô tô Ford Everest", "20A-301.89", "Ford Everest", 2019, 1_265_000_000, 632_500_000,
         "Văn phòng HĐND và UBND huyện", PB, "Văn phòng HĐND và UBND huyện", "Đang sử dụng"),
        ("Xe ô tô Toyota Camry", "20A-08813", "Toyota Camry 2.5G", 2013, 1_098_000_000, 0,
         "Huyện ủy Phú Bình", PB, "Huyện ủy Phú Bình", "Xuống cấp"),
        ("Xe ô tô Mitsubishi Pajero", "20A-1276", "Mitsubishi Pajero", 2007, 920_000_000, 0,
         "Huyện ủy Phú Bình", PB, "Huyện ủy Phú Bình", "Hỏng"),
        ("Xe ô tô bán tải Toyota Hilux", "20C-061.35", "Toyota Hilux", 2016, 712_000_000, 142_400_000,
         "UBND thị trấn Hương Sơn", "Thị trấn Hương Sơn", "", "Đang sử dụng"),
        ("Xe ô tô Kia Carnival", "20A 244.70", "Kia Carnival", 2021, 1_339_000_000, 937_300_000,
         "UBND huyện", PB, "", "Tốt"),
    ]
    g = Grid(10, widths={0: 5, 1: 30, 2: 14, 3: 20, 4: 8, 5: 16, 6: 16, 7: 28, 8: 14, 9: 14})
    head(g, "DANH SÁCH XE Ô TÔ BÀN GIAO", 2, 5, 9)
    g.add(["STT", "Tên tài sản", "BKS", "Nhãn hiệu", "Năm SX", "Nguyên giá (đồng)", "GTCL (đồng)",
           "Đơn vị sử dụng", "Tình trạng", "Ghi chú"], "header")
    car_assets = []
    for i, (name, plate, make, ym, cost, rem, user, unit, ag, cond) in enumerate(cars, 1):
        g.add([i, name, plate, make, ym, money(cost, "dot"), money(rem, "dot"), user, cond, ""])
        car_assets.append(A("vehicle", unit, ag, name=name, plate=plate_canon(plate), cond_text=cond, cost=cost,
                            remain=rem, extra={"year_made": ym}))
    g.add(["", "Cộng", "", "", "", dots(sum(a.cost for a in car_assets)), dots(sum(a.remain for a in car_assets)),
           "", "", ""], "total")
    sheets.append(("2. Xe ô tô", g))
    assets += car_assets

    # --- equipment, section rows naming units and agencies
    rng = random.Random(7)
    secs = [("1", "Văn phòng HĐND và UBND huyện", PB, "Văn phòng HĐND và UBND huyện", 8),
            ("2", "Huyện ủy Phú Bình", PB, "Huyện ủy Phú Bình", 5),
            ("3", "UBND thị trấn Hương Sơn", "Thị trấn Hương Sơn", "", 5),
            ("4", "UBND xã Bảo Lý", "Xã Bảo Lý", "", 4),
            ("5", "Đảng ủy xã Úc Kỳ", "Xã Úc Kỳ", "Đảng ủy xã Úc Kỳ", 3)]
    g = Grid(10, widths={0: 6, 1: 40, 2: 16, 3: 7, 4: 6, 5: 16, 6: 16, 7: 10, 8: 14, 9: 14})
    head(g, "DANH MỤC MÁY MÓC, THIẾT BỊ BÀN GIAO", 2, 5, 9)
    g.add(["STT", "Tên tài sản", "Loại thiết bị", "ĐVT", "SL", "Nguyên giá", "Giá trị còn lại",
           "Năm sử dụng", "Tình trạng", "Ghi chú"], "header")
    types = {"Máy vi tính": "Máy vi tính", "Máy in, máy photocopy, máy scan": "Máy in", "Điều hòa nhiệt độ": "Điều hòa",
             "Bàn ghế, tủ": "Bàn ghế, tủ", "Thiết bị khác": "Khác"}
    eq_assets = []
    for num, title, unit, ag, n in secs:
        g.add([num, title], "section")
        for j, it in enumerate(gen_items(rng, n), 1):
            typ = types[it["group"]]
            if typ == "Máy in" and "photocopy" in it["name"]:
                typ = "Máy photocopy"
            g.add([f"{num}.{j}", it["name"], typ, it["uom"], it["qty"], it["cost"], it["remain"], it["year"],
                   it["cond"], ""])
            eq_assets.append(A("equipment", unit, ag, name=it["name"], cond_text=it["cond"], cost=it["cost"],
                               remain=it["remain"], qty=it["qty"], extra={"year_in_use": it["year"]}))
    g.add(["", "Tổng cộng", "", "", sum(a.qty for a in eq_assets), sum(a.cost for a in eq_assets),
           sum(a.remain for a in eq_assets), "", "", ""], "total")
    sheets.append(("3. Máy móc TB", g))
    assets += eq_assets

    # --- archive boxes, fonds column
    g = Grid(8, widths={0: 5, 1: 30, 2: 8, 3: 10, 4: 14, 5: 18, 6: 16, 7: 16})
    head(g, "MỤC LỤC HỘP TÀI LIỆU LƯU TRỮ BÀN GIAO", 2, 4, 7)
    g.add(["STT", "Phông", "Hộp số", "Số hồ sơ", "Thời gian tài liệu", "Tình trạng chỉnh lý", "Thời hạn bảo quản",
           "Ghi chú"], "header")
    box_assets = []
    plan = [("Phông UBND huyện Phú Bình", PB, "", 10), ("Phông Huyện ủy Phú Bình", PB, "Huyện ủy Phú Bình", 6)]
    i = 0
    for fonds, unit, ag, n in plan:
        for b in range(1, n + 1):
            i += 1
            y1 = 2000 + b * 2
            y2 = y1 + 1
            arr = "Đã chỉnh lý" if b <= n - 2 else ("Chưa chỉnh lý" if b == n else "Chỉnh lý sơ bộ")
            nf = 10 + (b * 7) % 13
            g.add([i, fonds, b, nf, f"{y1}-{y2}", arr, "Vĩnh viễn" if b % 2 else "Có thời hạn", ""])
            box_assets.append(A("archive_box", unit, ag, name=f"{fonds} — hộp {b}",
                                extra={"fonds": fonds, "box_no": str(b), "files_count": nf, "span_start": y1,
                                       "span_end": y2, "arrangement": arr}))
    sheets.append(("4. Hộp tài liệu", g))
    assets += box_assets
    write_openpyxl(HERE / path, sheets)
    spots = [car_assets[2], car_assets[4], hq_assets[4], box_assets[12], eq_assets[-1]]
    # the last equipment row must have a unique name for its spot check
    register(path, ["sheet-per-kind", "guidance-sheet", "headquarters", "vehicle-with-name-column", "plate-forms",
                    "plate-4-digits", "equipment", "sections-by-unit", "sections-by-agency", "dotted-row-numbers",
                    "archive-boxes", "fonds-column", "condition-column-on-hq", "ambiguous-name-with-district",
                    "huyen-uy", "money-as-text"], assets, spots)


# ============================================================================================
# 08 — semicolon CSV, UTF-8 with BOM: equipment of xã Tân Quang (letterhead exported as lines)
# ============================================================================================
def f08():
    path = "08-thiet-bi-xa-tan-quang-cham-phay.csv"
    users = {"UBND xã": ("", ), "Đảng ủy xã Tân Quang": ("Đảng ủy xã Tân Quang",),
             "Hội Nông dân xã Tân Quang": ("Hội Nông dân xã Tân Quang",)}
    rows = [  # name, uom, qty, year as written, year, cost, remain, condition, user
        ("Máy vi tính để bàn Dell Vostro 3910", "Bộ", 2, "2022", 2022, 32_400_000, 19_440_000, "Tốt", "UBND xã"),
        ("Máy vi tính để bàn HP 280 Pro G6", "Bộ", 3, "2020", 2020, 44_700_000, 8_940_000, "Đang sử dụng", "UBND xã"),
        ("Máy vi tính đồng bộ Vietcom", "Bộ", 1, "15/03/2014", 2014, 9_850_000, 0, "Hỏng", "UBND xã"),
        ("Máy tính xách tay Asus VivoBook", "Chiếc", 1, "2021", 2021, 16_300_000, 6_520_000, "Tốt", "Đảng ủy xã Tân Quang"),
        ("Máy in Canon LBP 2900", "Cái", 3, "2016", 2016, 10_350_000, 0, "Còn sử dụng được", "UBND xã"),
        ("Máy in Canon MF 3010", "Cái", 1, "2019", 2019, 5_950_000, 1_190_000, "Xuống cấp", "Đảng ủy xã Tân Quang"),
        ("Máy photocopy Toshiba e-Studio 2309A", "Cái", 1, "2017", 2017, 39_800_000, 0, "Cần sửa chữa", "UBND xã"),
        ("Điều hòa Daikin 12.000 BTU", "Bộ", 2, "2018", 2018, 23_600_000, 2_950_000, "Đang sử dụng", "UBND xã"),
        ("Điều hòa Nagakawa 18.000 BTU", "Bộ", 1, "2015", 2015, 12_800_000, 0, "Hư hỏng", "Hội Nông dân xã Tân Quang"),
        ("Bộ bàn ghế hội trường", "Bộ", 1, "2012", 2012, 48_000_000, 0, "Bình thường", "UBND xã"),
        ("Ghế gấp inox", "Cái", 60, "2012", 2012, 21_000_000, 0, "Hư hỏng nhẹ", "UBND xã"),
        ("Tủ sắt đựng hồ sơ địa chính", "Cái", 4, "2013", 2013, 16_800_000, 0, "Đang sử dụng", "UBND xã"),
        ("Bàn làm việc", "Cái", 8, "2016", 2016, 20_000_000, 0, "Còn sử dụng được", "UBND xã"),
        ("Loa truyền thanh không dây", "Bộ", 6, "2020", 2020, 54_000_000, 27_000_000, "Tốt", "UBND xã"),
        ("Máy chiếu Sony VPL-DX221", "Cái", 1, "2019", 2019, 13_500_000, 3_375_000, "Đang sử dụng", "UBND xã"),
        ("Tivi Sony 43 inch", "Cái", 1, "2021", 2021, 9_990_000, 4_995_000, "", "Hội Nông dân xã Tân Quang"),
        ("Máy phát điện Elemax 3KVA", "Cái", 1, "2010", 2010, 18_500_000, 0, "Hỏng không sửa được", "UBND xã"),
        ("Máy bơm chữa cháy Tohatsu", "Cái", 1, "2018", 2018, 27_500_000, 10_312_000, "Tốt", "UBND xã"),
    ]
    ncols = 10
    g = Grid(ncols)
    r = g.add([], "bold")
    g.put(r, 0, "UBND XÃ TÂN QUANG")
    g.put(r, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r = g.add([], "bold")
    g.put(r, 6, "Độc lập - Tự do - Hạnh phúc")
    g.add()
    g.add(["", "", "DANH MỤC MÁY MÓC, THIẾT BỊ BÀN GIAO CHO PHƯỜNG BÁCH QUANG"])
    g.add(["", "", "(Kèm theo Biên bản bàn giao ngày 30/6/2025)"])
    g.add()
    g.add(["STT", "Tên tài sản", "ĐVT", "Số lượng", "Năm đưa vào sử dụng", "Nguyên giá (đồng)",
           "Giá trị còn lại (đồng)", "Bộ phận quản lý", "Hiện trạng", "Ghi chú"], "header")
    assets, tot = [], [0, 0, 0]
    for i, (name, uom, q, yw, y, cost, rem, cond, user) in enumerate(rows, 1):
        g.add([i, name, uom, qty2(q), yw, dots(cost), money(rem, "dot"), user, cond, ""])
        assets.append(A("equipment", "Xã Tân Quang", users[user][0], name=name, cond_text=cond, cost=cost, remain=rem,
                        qty=q, extra={"year_in_use": y}))
        tot[0] += q
        tot[1] += cost
        tot[2] += rem
    g.add(["", "Cộng", "", tot[0], "", dots(tot[1]), dots(tot[2]), "", "", ""])
    g.add()
    g.add(["", "", "", "", "", "", "Tân Quang, ngày 30 tháng 6 năm 2025"])
    g.add(["", "NGƯỜI LẬP", "", "", "", "", "CHỦ TỊCH UBND XÃ"])
    g.add()
    g.add(["", "Dương Văn Toàn", "", "", "", "", "Nguyễn Hữu Phúc"])
    (HERE / path).write_bytes(csv_text(g, ";").encode("utf-8-sig"))
    by = {a.name: a for a in assets}
    spots = [by["Máy vi tính đồng bộ Vietcom"], by["Ghế gấp inox"], by["Tivi Sony 43 inch"],
             by["Máy bơm chữa cháy Tohatsu"]]
    register(path, ["csv-semicolon", "utf8-bom", "letterhead-lines-in-csv", "letterhead-unit", "money-as-text",
                    "quantity-leading-zero", "year-as-text", "year-as-date-text", "condition-in-hien-trang",
                    "loose-condition-words", "blank-condition", "users-column", "archive-word-in-name",
                    "no-type-column", "signatures"], assets, spots)


# ============================================================================================
# 09 — CSV in Windows-1258 (precomposed letters + combining tones), bare table: officer picks unit
# ============================================================================================
def f09():
    path = "09-thiet-bi-thi-tran-hung-son-cp1258.csv"
    rows = [  # name, uom, qty, cost, remain, condition, note
        ("Máy vi tính để bàn Dell Inspiron 3020", "Bộ", 2, 29_600_000, 17_760_000, "Tốt", ""),
        ("Máy vi tính để bàn HP ProDesk 280", "Bộ", 4, 52_800_000, 10_560_000, "Đang sử dụng", ""),
        ("Máy vi tính đồng bộ Robo", "Bộ", 2, 18_400_000, 0, "Hỏng", "Đề nghị thanh lý"),
        ("Máy in HP LaserJet 107a", "Cái", 3, 8_370_000, 1_674_000, "Bình thường", ""),
        ("Máy in màu Canon G3010", "Cái", 1, 4_690_000, 2_814_000, "Tốt", ""),
        ("Máy photocopy Sharp AR-6023N", "Cái", 1, 45_500_000, 9_100_000, "Xuống cấp", ""),
        ("Điều hòa LG 12.000 BTU", "Bộ", 4, 41_200_000, 15_450_000, "Đang sử dụng", ""),
        ("Điều hòa Sumikura 18.000 BTU", "Bộ", 1, 13_100_000, 0, "Hư hỏng", ""),
        ("Bộ bàn ghế họp", "Bộ", 1, 22_000_000, 5_500_000, "Còn sử dụng được", ""),
        ("Tủ tài liệu gỗ", "Cái", 5, 17_500_000, 4_375_000, "Đang sử dụng", ""),
        ("Ghế tựa gỗ", "Cái", 20, 14_000_000, 0, "Hư hỏng nhẹ", ""),
        ("Máy chiếu ViewSonic PA503S", "Cái", 1, 11_900_000, 4_760_000, "", ""),
        ("Hệ thống loa hội trường", "Hệ thống", 1, 62_000_000, 15_500_000, "Cần sửa chữa", ""),
        ("Camera an ninh Hikvision", "Bộ", 1, 19_800_000, 11_880_000, "Tốt", "8 mắt"),
        ("Máy phát điện Kama 5KVA", "Cái", 1, 24_300_000, 0, "Không sử dụng được", ""),
    ]
    g = Grid(8)
    g.add(["TT", "Tên tài sản", "Đơn vị tính", "Số lượng", "Nguyên giá", "Giá trị còn lại", "Tình trạng", "Ghi chú"])
    assets, tot = [], [0, 0, 0]
    for i, (name, uom, q, cost, rem, cond, note) in enumerate(rows, 1):
        g.add([i, name, uom, q, commas(cost), commas(rem) if rem else "-", cond, note])
        assets.append(A("equipment", "Thị trấn Hùng Sơn", "", name=name, cond_text=cond, cost=cost, remain=rem, qty=q))
        tot[0] += q
        tot[1] += cost
        tot[2] += rem
    g.add(["", "Cộng", "", tot[0], commas(tot[1]), commas(tot[2]), "", ""])
    text = csv_text(g, ",")
    raw = to_cp1258_text(text).encode("cp1258")
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == unicodedata.normalize("NFC", text)
    assert raw != unicodedata.normalize("NFC", text).encode("cp1258", errors="replace")
    (HERE / path).write_bytes(raw)
    by = {a.name: a for a in assets}
    spots = [by["Máy vi tính để bàn HP ProDesk 280"], by["Ghế tựa gỗ"], by["Máy chiếu ViewSonic PA503S"]]
    register(path, ["csv-comma", "windows-1258", "combining-tone-marks", "bare-table", "default-unit",
                    "money-with-commas-quoted", "dash-for-zero", "loose-condition-words", "blank-condition",
                    "subtotals", "no-type-column"],
             assets, spots, default_unit="Thị trấn Hùng Sơn")


# ============================================================================================
# 10 — "Unicode text" as Excel saves it: UTF-16 LE with BOM, tab-separated; boxes of phường Ba Hàng
# ============================================================================================
def f10():
    path = "10-hop-tai-lieu-phuong-ba-hang-unicode-text.csv"
    fonds = "Phông UBND phường Ba Hàng"
    rng = random.Random(10)
    g = Grid(8)
    r = g.add()
    g.put(r, 0, "UBND THÀNH PHỐ PHỔ YÊN")
    g.put(r, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r = g.add()
    g.put(r, 0, "UBND PHƯỜNG BA HÀNG")
    g.put(r, 4, "Độc lập - Tự do - Hạnh phúc")
    g.add()
    g.add(["", "", "DANH MỤC HỘP TÀI LIỆU LƯU TRỮ BÀN GIAO"])
    g.add()
    g.add(["STT", "Phông", "Hộp số", "Số hồ sơ", "Thời gian tài liệu", "Tình trạng chỉnh lý", "Thời hạn bảo quản",
           "Ghi chú"])
    assets = []
    for b in range(101, 123):  # the ward numbers its boxes from 101 after the 2018 transfer
        y1 = 2008 + (b - 101) // 2
        y2 = y1 + rng.choice([0, 1, 3])
        span = str(y1) if y1 == y2 else f"{y1}-{y2}"
        if b <= 112:
            arr_t, arr = "Đã chỉnh lý", "Đã chỉnh lý"
        elif b <= 117:
            arr_t, arr = "Chỉnh lý sơ bộ", "Chỉnh lý sơ bộ"
        else:
            arr_t, arr = ("chưa chỉnh lý" if b % 2 else "Chưa chỉnh lý"), "Chưa chỉnh lý"
        ret = "Vĩnh viễn" if b % 4 else "10 năm"
        nf = rng.randint(5, 30)
        note = "Hồ sơ, tài liệu về đất đai" if b == 105 else ('Có bản đồ khổ lớn, "gấp đôi"' if b == 119 else "")
        g.add([b - 100, fonds, b, nf, span, arr_t, ret, note])
        assets.append(A("archive_box", "Phường Ba Hàng", "", name=f"{fonds} — hộp {b}",
                        extra={"fonds": fonds, "box_no": str(b), "files_count": nf, "span_start": y1, "span_end": y2,
                               "arrangement": arr}))
    g.add()
    g.add(["", "Tổng số: 22 hộp"])
    text = csv_text(g, "\t")
    (HERE / path).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    by = {a.key: a for a in assets}
    spots = [by[f"{fonds}|101"], by[f"{fonds}|115"], by[f"{fonds}|122"]]
    register(path, ["utf16-tab-text", "archive-boxes", "fonds-column", "derived-box-name", "no-title-column",
                    "letterhead-lines-in-csv", "parent-and-issuer-letterhead", "arrangement-forms",
                    "retention-forms", "quoted-field"], assets, spots)


# ============================================================================================
# 11 — NFD (decomposed) text everywhere, headers included: equipment of xã Bảo Lý, with codes
# ============================================================================================
def f11():
    path = "11-thiet-bi-xa-bao-ly-unicode-to-hop.xlsx"
    rows = [  # name, uom, qty, cost, remain, cond, year
        ("Máy vi tính để bàn Dell Vostro 3710", "Bộ", 2, 33_000_000, 19_800_000, "Tốt", 2022),
        ("Máy vi tính để bàn Lenovo V50t", "Bộ", 2, 28_600_000, 5_720_000, "Đang sử dụng", 2020),
        ("Máy vi tính đồng bộ Mê Kông", "Bộ", 1, 9_600_000, 0, "Hư hỏng", 2013),
        ("Máy in Canon LBP 6030w", "Cái", 2, 6_580_000, 1_316_000, "Bình thường", 2020),
        ("Máy in Epson L3150", "Cái", 1, 4_390_000, 2_634_000, "Tốt", 2022),
        ("Máy photocopy Ricoh MP 2014", "Cái", 1, 26_800_000, 0, "Hư hỏng nhẹ", 2016),
        ("Máy scan Plustek PS186", "Cái", 1, 9_200_000, 3_680_000, "Còn sử dụng được", 2021),
        ("Điều hòa Daikin 9.000 BTU", "Bộ", 2, 17_600_000, 4_400_000, "Đang sử dụng", 2019),
        ("Điều hòa Gree 18.000 BTU", "Bộ", 1, 14_900_000, 0, "Hỏng", 2015),
        ("Bộ bàn ghế họp 12 chỗ", "Bộ", 1, 18_500_000, 2_312_000, "Xuống cấp", 2018),
        ("Bàn làm việc gỗ tự nhiên", "Cái", 6, 19_800_000, 0, "Đang sử dụng", 2014),
        ("Ghế tựa đệm nỉ", "Cái", 12, 7_200_000, 1_800_000, "Tốt", 2019),
        ("Tủ hồ sơ sắt 2 cánh", "Cái", 4, 12_400_000, 3_100_000, "Đang sử dụng", 2019),
        ("Loa phóng thanh Toa", "Bộ", 3, 21_600_000, 0, "Hỏng không sửa được", 2011),
        ("Tivi TCL 55 inch", "Cái", 1, 10_990_000, 6_594_000, "", 2022),
        ("Máy ảnh Nikon D3500", "Cái", 1, 12_500_000, 5_000_000, "Tốt", 2021),
        ("Máy bơm nước Pentax", "Cái", 1, 8_700_000, 0, "Không sử dụng được", 2012),
        ("Bộ lưu điện Santak 2KVA", "Bộ", 1, 6_900_000, 2_760_000, "Cần sửa chữa", 2021),
    ]
    ncols = 10
    g = Grid(ncols, widths={0: 5, 1: 10, 2: 36, 3: 7, 4: 8, 5: 16, 6: 16, 7: 16, 8: 10, 9: 14})
    motto(g, "UBND HUYỆN PHÚ BÌNH", "UBND XÃ BẢO LÝ", 2, 5, 9)
    g.add([], "plain")
    g.line("DANH MỤC TÀI SẢN LÀ MÁY MÓC, THIẾT BỊ BÀN GIAO", 0, 9, "title")
    r = g.add([], "italicleft")
    g.put(r, 7, "Đơn vị tính: đồng")
    g.add(["STT", "Mã TS", "Tên tài sản", "ĐVT", "Số lượng", "Nguyên giá (đồng)", "Giá trị còn lại (đồng)",
           "Tình trạng", "Năm đưa vào sử dụng", "Ghi chú"], "header")
    assets, tot = [], [0, 0, 0]
    for i, (name, uom, q, cost, rem, cond, y) in enumerate(rows, 1):
        code = f"BLY-TB-{i:02d}"
        g.add([i, code, name, uom, q, cost, money(rem, "num"), cond, y, ""])
        assets.append(A("equipment", "Xã Bảo Lý", "", name=name, code=code, cond_text=cond, cost=cost, remain=rem,
                        qty=q, extra={"year_in_use": y}))
        tot[0] += q
        tot[1] += cost
        tot[2] += rem
    g.add(["", "", "Cộng", "", tot[0], tot[1], tot[2], "", "", ""], "total")
    sig_block(g, "Bảo Lý, ngày 27 tháng 6 năm 2025", ["KẾ TOÁN", "Lò Thị Hiền"], ["CHỦ TỊCH", "Hà Văn Quyết"],
              lc=2, rc=6)
    g.map_text(lambda s: unicodedata.normalize("NFD", s))
    write_xlsxwriter(HERE / path, [(unicodedata.normalize("NFD", "Danh mục"), g)])
    by = {a.code: a for a in assets}
    spots = [by["BLY-TB-03"], by["BLY-TB-10"], by["BLY-TB-14"], by["BLY-TB-15"]]
    register(path, ["nfd-text", "nfd-headers", "codes", "parent-and-issuer-letterhead", "letterhead-unit",
                    "loose-condition-words", "blank-condition", "no-type-column", "signatures"], assets, spots)


# ============================================================================================
# 12 — headquarters of Phổ Yên's wards: "P. Trung Thành" only makes sense with the letterhead
# ============================================================================================
def f12():
    path = "12-tru-so-cac-phuong-xa-tp-pho-yen.xlsx"
    rows = [  # units cell (None = merged above), unit, name, address, year, land, floor, cost, remain, cond, cur, plan
        ("P. Ba Hàng", "Phường Ba Hàng", "Trụ sở UBND phường Ba Hàng", "Tổ dân phố 3, phường Ba Hàng", 2009, 3200, 1450,
         7_650_000_000, 3_060_000_000, "Tốt", "Đang làm trụ sở Đảng ủy, HĐND, UBND phường",
         "Trụ sở Đảng ủy, HĐND, UBND phường Phổ Yên"),
        (None, "Phường Ba Hàng", "Nhà làm việc Ban Chỉ huy quân sự phường Ba Hàng", "Tổ dân phố 3, phường Ba Hàng", 2016,
         0, 320, 1_480_000_000, 888_000_000, "", "Đang làm nhà làm việc Ban CHQS", "Giữ nguyên hiện trạng"),
        ("Bãi Bông", "Phường Bãi Bông", "Trụ sở UBND phường Bãi Bông", "Tổ dân phố 5, phường Bãi Bông", 2006, 2780, 990,
         4_920_000_000, 984_000_000, "Xuống cấp", "Đang làm trụ sở UBND phường", "Trụ sở Công an phường Phổ Yên"),
        ("P. Trung Thành", "Phường Trung Thành", "Trụ sở UBND phường Trung Thành", "Tổ dân phố Trung Thành 2", 2012,
         2950, 1180, 6_310_000_000, 3_155_000_000, "Đang sử dụng", "Đang làm trụ sở UBND phường",
         "Trụ sở Trung tâm phục vụ hành chính công phường Trung Thành"),
        ("Phường Đông Cao", "Phường Đông Cao", "Trụ sở UBND phường Đông Cao", "Tổ dân phố Đông Cao 1", 2008, 2500, 870,
         3_880_000_000, 1_164_000_000, "Cần sửa chữa", "Đang làm trụ sở UBND phường", "Dôi dư, đề nghị tỉnh xử lý"),
        ("Tân Hương", "Phường Tân Hương", "Trụ sở UBND phường Tân Hương", "Tổ dân phố Tân Thịnh, phường Tân Hương",
         2014, 3400, 1250, 6_980_000_000, 4_188_000_000, "Tốt", "Đang làm trụ sở UBND phường",
         "Trụ sở Ủy ban MTTQ và các đoàn thể phường Vạn Xuân"),
        ("xã Minh Đức", "Xã Minh Đức", "Trụ sở UBND xã Minh Đức", "Xóm Thanh Xuyên, xã Minh Đức", 2005, 4150, 820,
         2_960_000_000, 296_000_000, "Hư hỏng", "Một phần nhà cấp 4 đã xuống cấp, không sử dụng",
         "Dôi dư, đề nghị tỉnh xử lý"),
        (None, "Xã Minh Đức", "Hội trường UBND xã Minh Đức", "Xóm Thanh Xuyên, xã Minh Đức", 2011, 0, 380,
         1_150_000_000, 460_000_000, "", "Đang dùng làm hội trường", "Nhà văn hóa xóm Thanh Xuyên"),
        ("xã Phúc Thuận", "Xã Phúc Thuận", "Trụ sở Đảng ủy - HĐND - UBND xã Phúc Thuận", "Xóm Đồng Mỏ, xã Phúc Thuận",
         2017, 5200, 1620, 9_840_000_000, 7_380_000_000, "Tốt", "Đang làm trụ sở Đảng ủy, HĐND, UBND xã",
         "Trụ sở Đảng ủy, HĐND, UBND phường Phúc Thuận"),
    ]
    ncols = 13
    g = Grid(ncols, widths={0: 5, 1: 16, 2: 36, 3: 30, 4: 9, 5: 9, 6: 9, 7: 17, 8: 17, 9: 14, 10: 30, 11: 34, 12: 12})
    motto(g, "UBND THÀNH PHỐ PHỔ YÊN", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 2, 7, 12)
    g.add([], "plain")
    g.line("DANH MỤC TRỤ SỞ LÀM VIỆC CỦA CÁC PHƯỜNG, XÃ BÀN GIAO", 0, 12, "title")
    g.line("(Kèm theo Báo cáo số 87/BC-TCKH ngày 20/6/2025 của Phòng Tài chính - Kế hoạch)", 0, 12, "italic")
    g.add([], "plain")
    h1 = g.add(["STT", "Đơn vị", "Tên cơ sở nhà, đất", "Địa chỉ", "Năm xây dựng", "Diện tích (m2)", None,
                "Giá trị theo sổ kế toán (đồng)", None, "Tình trạng", "Hiện trạng sử dụng",
                "Phương án sử dụng sau sắp xếp", "Ghi chú"], "header")
    h2 = g.add([None] * 5 + ["Đất", "Sàn XD", "Nguyên giá", "GTCL", None, None, None, None], "header")
    for c in (0, 1, 2, 3, 4, 9, 10, 11, 12):
        g.merge(h1, c, h2, c)
    g.merge(h1, 5, h1, 6)
    g.merge(h1, 7, h1, 8)
    g.add([f"({i})" for i in range(1, 14)], "colno")
    assets, tot = [], [0, 0]
    first = None
    for i, (ucell, unit, name, addr, year, land, floor, cost, rem, cond, cur, plan) in enumerate(rows, 1):
        r = g.add([i, ucell, name, addr, year, land or None, floor, cost, rem, cond, cur, plan, ""])
        if ucell is None:
            g.merge(first, 1, r, 1)
        else:
            first = r
        assets.append(A("headquarters", unit, "", name=name, cond_text=cond, cost=cost, remain=rem,
                        extra={"year_built": year}))
        tot[0] += cost
        tot[1] += rem
    g.add(["", "", "TỔNG CỘNG", "", "", "", "", tot[0], tot[1], "", "", "", ""], "total")
    sig_block(g, "Phổ Yên, ngày 20 tháng 6 năm 2025", ["NGƯỜI LẬP", "Tạ Thị Vân"], ["TRƯỞNG PHÒNG", "Cao Văn Thắng"],
              lc=2, rc=9)
    write_openpyxl(HERE / path, [("Tru so", g)])
    by = {a.name: a for a in assets}
    spots = [by["Trụ sở UBND phường Trung Thành"], by["Nhà làm việc Ban Chỉ huy quân sự phường Ba Hàng"],
             by["Trụ sở UBND xã Minh Đức"], by["Hội trường UBND xã Minh Đức"]]
    register(path, ["headquarters", "ambiguous-name-with-district", "units-column", "merged-units-column",
                    "unit-short-forms", "two-row-merged-header", "column-numbers-row", "condition-column-on-hq",
                    "hien-trang-su-dung-free-text", "signatures"], assets, spots)


# ============================================================================================
# 13 — needs the officer: "Giá mua ban đầu" is the original cost, "Thanh lý" means unusable
# ============================================================================================
def f13():
    path = "13-bang-ke-thiet-bi-huyen-dinh-hoa-can-anh-xa.xlsx"
    mapping_name = "13-bang-ke-thiet-bi-huyen-dinh-hoa-can-anh-xa.mapping.json"
    rng = random.Random(13)
    secs = [("I", "Văn phòng HĐND và UBND huyện", DH, "Văn phòng HĐND và UBND huyện", 10),
            ("II", "UBND thị trấn Chợ Chu", "Thị trấn Chợ Chu", "", 7),
            ("III", "UBND xã Bảo Linh", "Xã Bảo Linh", "", 5)]
    mapped = {"Thanh lý": "Không sử dụng được", "Chờ thanh lý": "Không sử dụng được"}
    ncols = 9
    g = Grid(ncols, widths={0: 6, 1: 42, 2: 8, 3: 9, 4: 9, 5: 17, 6: 17, 7: 16, 8: 20})
    motto(g, "UBND HUYỆN ĐỊNH HÓA", "VĂN PHÒNG HĐND VÀ UBND", 2, 4, 8)
    g.add([], "plain")
    g.line("BẢNG KÊ MÁY MÓC, THIẾT BỊ BÀN GIAO KHI KẾT THÚC HOẠT ĐỘNG CẤP HUYỆN", 0, 8, "title")
    g.add([], "plain")
    g.add(["STT", "Tên máy móc, thiết bị", "ĐVT", "Số lượng", "Năm mua", "Giá mua ban đầu", "Giá trị còn lại",
           "Tình trạng", "Ghi chú"], "header")
    assets, tot = [], [0, 0, 0]
    forced = {("I", 3): "Thanh lý", ("I", 8): "Chờ thanh lý", ("II", 2): "Thanh lý", ("III", 4): "Chờ thanh lý"}
    renamed = {("I", 3): " (phòng Tiếp dân)", ("III", 4): " (hội trường xã)"}
    for roman, title, unit, ag, n in secs:
        g.add([roman, title], "section")
        for j, it in enumerate(gen_items(rng, n, year_lo=2006), 1):
            cond = forced.get((roman, j), it["cond"])
            if (roman, j) in renamed:
                it = dict(it, name=it["name"] + renamed[(roman, j)])
            rem = 0 if cond in mapped else it["remain"]
            g.add([j, it["name"], it["uom"], it["qty"], it["year"], it["cost"], money(rem, "num"), cond, ""])
            a = A("equipment", unit, ag, name=it["name"], cond_text=cond if cond not in mapped else "",
                  cond_override=mapped.get(cond, ""), cost=it["cost"], remain=rem, qty=it["qty"],
                  extra={"year_in_use": it["year"]})
            assets.append(a)
            tot[0] += it["qty"]
            tot[1] += it["cost"]
            tot[2] += rem
    g.add(["", "Tổng cộng", "", tot[0], "", tot[1], tot[2], "", ""], "total")
    sig_block(g, "Định Hóa, ngày 26 tháng 6 năm 2025", ["NGƯỜI LẬP", "Ma Thị Lụa"], ["CHÁNH VĂN PHÒNG", "Hoàng Đình Khải"],
              lc=1, rc=5)
    write_xlsxwriter(HERE / path, [("Bang ke", g)])
    mapping = {"columns": {"Giá mua ban đầu": "Nguyên giá (đồng)", "Năm mua": "Năm đưa vào sử dụng"},
               "values": {"Tình trạng": mapped}, "units": {}, "kinds": {}}
    (HERE / mapping_name).write_text(json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    keys = Counter(a.key for a in assets)
    uniq = [a for a in assets if keys[a.key] == 1]
    spots = [next(a for a in uniq if a.cond_override), next(a for a in uniq if a.unit == "Xã Bảo Linh"),
             next(a for a in uniq if a.unit == "Thị trấn Chợ Chu")]
    register(path, ["needs-mapping", "cost-column-unusual-name", "year-column-unusual-name", "thanh-ly-condition",
                    "sections-by-unit", "sections-by-agency", "no-type-column", "signatures"],
             assets, spots, mapping=mapping_name)


# ============================================================================================
# 14 — needs the officer: a provincial car list with "Tổ công tác 389 thành phố" and "Chờ thanh lý"
# ============================================================================================
def f14():
    path = "14-xe-o-to-doi-du-cac-huyen-can-anh-xa.xlsx"
    mapping_name = "14-xe-o-to-doi-du-cac-huyen-can-anh-xa.mapping.json"
    cars = [  # holder as written, unit, agency, make, plate as written, seats, year made, cost, remain, cond
        ("Huyện ủy Phú Bình", PB, "Huyện ủy Phú Bình", "Toyota Innova 2.0G", "20A-055.81", 8, 2011, 728_000_000, 0,
         "Chờ thanh lý"),
        ("Văn phòng HĐND và UBND huyện Đại Từ", DT, "Văn phòng HĐND và UBND huyện Đại Từ", "Ford Everest 2.5L",
         "20A-09127", 7, 2012, 965_000_000, 0, "Xuống cấp"),
        ("Văn phòng HĐND và UBND huyện Đại Từ", DT, "Văn phòng HĐND và UBND huyện Đại Từ", "Toyota Fortuner 2.7V",
         "20A-402.13", 7, 2019, 1_150_000_000, 575_000_000, "Tốt"),
        ("Huyện ủy Đại Từ", DT, "Huyện ủy Đại Từ", "Mitsubishi Outlander 2.0", "20A-388.60", 7, 2020, 825_000_000,
         453_750_000, "Tốt"),
        ("Tổ công tác 389 thành phố", TP, "Tổ công tác 389 thành phố", "Toyota Hilux 2.8G", "20C-112.07", 5, 2019,
         879_000_000, 395_550_000, "Đang sử dụng"),
        ("Tổ công tác 389 thành phố", TP, "Tổ công tác 389 thành phố", "Ford Ranger Wildtrak", "20C-09846", 5, 2015,
         918_000_000, 91_800_000, "Cần sửa chữa"),
        ("Thành ủy Sông Công", TP, "Thành ủy Sông Công", "Toyota Corolla Altis 1.8", "20A-07731", 5, 2010, 846_000_000,
         0, "Thanh lý"),
        ("UBND huyện Định Hóa", DH, "", "Toyota Land Cruiser Prado", "20A-277.94", 7, 2017, 2_340_000_000,
         702_000_000, "Đang sử dụng"),
        ("Huyện ủy Ba Bể", BB, "Huyện ủy Ba Bể", "Toyota Innova 2.0E", "97A-015.32", 8, 2016, 789_000_000,
         157_800_000, "Hư hỏng"),
        ("UBND huyện Ba Bể", BB, "", "Mitsubishi Pajero Sport 2.5", "97A-0716", 7, 2009, 905_000_000, 0,
         "Chờ thanh lý"),
    ]
    mapped = {"Thanh lý": "Không sử dụng được", "Chờ thanh lý": "Không sử dụng được"}
    ncols = 10
    g = Grid(ncols, widths={0: 5, 1: 36, 2: 28, 3: 14, 4: 8, 5: 8, 6: 18, 7: 18, 8: 14, 9: 24})
    motto(g, "UBND TỈNH THÁI NGUYÊN", "SỞ TÀI CHÍNH", 2, 5, 9)
    g.add([], "plain")
    g.line("DANH SÁCH XE Ô TÔ DÔI DƯ CỦA CÁC HUYỆN, THÀNH PHỐ ĐỀ NGHỊ ĐIỀU CHUYỂN, XỬ LÝ", 0, 9, "title")
    g.line("(Tổng hợp từ báo cáo của các huyện, thành phố đến ngày 28/6/2025)", 0, 9, "italic")
    g.add(["TT", "Đơn vị đang quản lý", "Nhãn hiệu", "Biển số", "Số chỗ", "Năm SX", "Nguyên giá (đồng)",
           "Giá trị còn lại (đồng)", "Tình trạng", "Đề xuất"], "header")
    assets, tot = [], [0, 0]
    for i, (holder, unit, ag, make, plate, seats, ym, cost, rem, cond) in enumerate(cars, 1):
        plan = "Thanh lý" if cond in mapped else "Điều chuyển cho xã"
        g.add([i, holder, make, plate, seats, ym, money(cost, "comma"), money(rem, "comma"), cond, plan])
        canon = plate_canon(plate)
        assets.append(A("vehicle", unit, ag, name=f"Xe ô tô {make} {canon}", plate=canon,
                        cond_text=cond if cond not in mapped else "", cond_override=mapped.get(cond, ""), cost=cost,
                        remain=rem, extra={"year_made": ym}))
        tot[0] += cost
        tot[1] += rem
    g.add(["", "Cộng: 10 xe", "", "", "", "", commas(tot[0]), commas(tot[1]), "", ""], "total")
    g.add([], "plain")
    g.line("Ghi chú: Cột Đề xuất do các huyện, thành phố đề nghị; Sở Tài chính sẽ thẩm định.", 0, 9, "note")
    sig_block(g, "Thái Nguyên, ngày 30 tháng 6 năm 2025", ["NGƯỜI TỔNG HỢP", "Lương Thị Thảo"],
              ["KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Nông Văn Bình"], lc=1, rc=6)
    write_xlsxwriter(HERE / path, [("Xe doi du", g)])
    mapping = {"columns": {}, "values": {"Tình trạng": mapped},
               "units": {"Tổ công tác 389 thành phố": {"unit": TP, "agency": "Tổ công tác 389 thành phố"}},
               "kinds": {}}
    (HERE / mapping_name).write_text(json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    by = {a.plate: a for a in assets}
    spots = [by["20C-112.07"], by["20A-077.31"], by["97A-0716"], by["20A-091.27"], by["20A-277.94"]]
    register(path, ["needs-mapping", "unknown-agency", "thanh-ly-condition", "provincial-letterhead",
                    "units-column-many-districts", "huyen-uy", "thanh-uy-cars", "vehicle-no-name-column",
                    "derived-vehicle-name", "plate-forms", "plate-4-digits", "bac-kan-plates", "money-with-commas",
                    "dash-for-zero", "notes-block", "signatures"], assets, spots, mapping=mapping_name)


# ============================================================================================
# 15 — Huyện Ba Bể: "ĐVT: 1.000 đồng", two-row merged header, codes, units column
# ============================================================================================
def f15():
    path = "15-thiet-bi-huyen-ba-be-nghin-dong.xlsx"
    rng = random.Random(15)
    holders = [("Văn phòng HĐND và UBND huyện", BB, "Văn phòng HĐND và UBND huyện", 10),
               ("Huyện ủy Ba Bể", BB, "Huyện ủy Ba Bể", 6),
               ("UBND thị trấn Chợ Rã", "Thị trấn Chợ Rã", "", 7),
               ("UBND xã Nam Mẫu", "Xã Nam Mẫu", "", 5),
               ("Hội Phụ nữ xã Nam Mẫu", "Xã Nam Mẫu", "Hội Phụ nữ xã Nam Mẫu", 2)]
    types = {"Máy vi tính": "Máy vi tính", "Máy in, máy photocopy, máy scan": "Máy in, photo",
             "Điều hòa nhiệt độ": "Điều hòa", "Bàn ghế, tủ": "Bàn ghế, tủ", "Thiết bị khác": "Thiết bị khác"}
    ncols = 11
    g = Grid(ncols, widths={0: 5, 1: 12, 2: 40, 3: 14, 4: 7, 5: 6, 6: 13, 7: 13, 8: 28, 9: 14, 10: 12})
    motto(g, "UBND HUYỆN BA BỂ", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 2, 6, 10)
    g.add([], "plain")
    g.line("DANH MỤC MÁY MÓC, THIẾT BỊ CỦA CÁC CƠ QUAN, ĐƠN VỊ HUYỆN BA BỂ BÀN GIAO", 0, 10, "title")
    g.line("(Kèm theo Biên bản bàn giao ngày 29/6/2025)", 0, 10, "italic")
    r = g.add([], "italicleft")
    g.put(r, 8, "ĐVT: 1.000 đồng")
    h1 = g.add(["TT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "ĐVT", "SL", "Giá trị theo sổ kế toán", None,
                "Đơn vị sử dụng", "Tình trạng", "Ghi chú"], "header")
    h2 = g.add([None] * 6 + ["Nguyên giá", "Giá trị còn lại", None, None, None], "header")
    for c in (0, 1, 2, 3, 4, 5, 8, 9, 10):
        g.merge(h1, c, h2, c)
    g.merge(h1, 6, h1, 7)
    g.add([str(i) for i in range(1, 12)], "colno")
    assets, tot = [], [0, 0, 0]
    i = 0
    for holder, unit, ag, n in holders:
        for it in gen_items(rng, n, year_lo=2010):
            i += 1
            code = f"BB-{2025}-{i:03d}"
            cost_k, rem_k = it["cost"] // 1000, it["remain"] // 1000
            assert cost_k * 1000 == it["cost"] and rem_k * 1000 == it["remain"]
            # most as numbers of thousands; some typed as text with a thousands dot ("12.500" = 12,5 triệu)
            cost_cell = dots(cost_k) if i % 4 == 0 else cost_k
            rem_cell = ("-" if rem_k == 0 else (dots(rem_k) if i % 4 == 0 else rem_k))
            g.add([i, code, it["name"], types[it["group"]], it["uom"], it["qty"], cost_cell, rem_cell, holder,
                   it["cond"], ""])
            assets.append(A("equipment", unit, ag, name=it["name"], code=code, cond_text=it["cond"], cost=it["cost"],
                            remain=it["remain"], qty=it["qty"]))  # the list has no year column
            tot[0] += it["qty"]
            tot[1] += cost_k
            tot[2] += rem_k
    g.add(["", "", "TỔNG CỘNG", "", "", tot[0], tot[1], tot[2], "", "", ""], "total")
    g.add([], "plain")
    g.line("Ghi chú: Số liệu nguyên giá, giá trị còn lại theo sổ kế toán đến 30/6/2025 (đơn vị nghìn đồng).", 0, 10,
           "note")
    sig_block(g, "Ba Bể, ngày 29 tháng 6 năm 2025", ["NGƯỜI LẬP BIỂU", "Triệu Thị Xuân"],
              ["TRƯỞNG PHÒNG", "Hoàng Văn Sinh"], lc=2, rc=7)
    write_xlsxwriter(HERE / path, [("TB Ba Be", g)])
    by = {a.code: a for a in assets}
    # pick: one typed as dotted text (i % 4 == 0), one plain number, the association, the town
    spots = [by["BB-2025-004"], by["BB-2025-001"], by["BB-2025-030"], by["BB-2025-017"]]
    register(path, ["money-in-thousands", "thousands-as-dotted-text", "two-row-merged-header", "column-numbers-row",
                    "codes", "type-column", "units-column", "huyen-uy", "bac-kan-units", "dash-for-zero",
                    "grand-total", "notes-block", "signatures"], assets, spots)


# ============================================================================================
# 16 — communes of Sông Công: units column first and merged, years in every form, header at row 9
# ============================================================================================
def f16():
    path = "16-thiet-bi-cac-phuong-xa-song-cong-nam-su-dung.xlsx"
    rng = random.Random(16)
    holders = [  # as written, unit, agency, count
        ("P. Mỏ Chè", "Phường Mỏ Chè", "", 6),
        ("Châu Sơn", "Phường Châu Sơn", "", 5),
        ("UBND xã Bình Sơn", "Xã Bình Sơn", "", 6),
        ("Lương Sơn", "Phường Lương Sơn", "", 5),
        ("Phường Cải Đan", "Phường Cải Đan", "", 6),
        ("Đảng ủy phường Phố Cò", "Phường Phố Cò", "Đảng ủy phường Phố Cò", 4),
        ("Ủy ban MTTQ phường Thắng Lợi", "Phường Thắng Lợi", "Ủy ban MTTQ phường Thắng Lợi", 3),
        ("Hội Nông dân xã Bá Xuyên", "Xã Bá Xuyên", "Hội Nông dân xã Bá Xuyên", 3),
        ("HĐND và UBND xã Tân Quang", "Xã Tân Quang", "", 4),
    ]
    ncols = 10
    g = Grid(ncols, widths={0: 24, 1: 5, 2: 40, 3: 14, 4: 6, 5: 8, 6: 18, 7: 18, 8: 16, 9: 14})
    motto(g, "UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", 1, 5, 9)
    g.add([], "plain")
    g.line("TỔNG HỢP MÁY MÓC, THIẾT BỊ CỦA CÁC PHƯỜNG, XÃ BÀN GIAO", 0, 9, "title")
    g.line("(Kèm theo Báo cáo số 112/BC-TCKH ngày 18/6/2025)", 0, 9, "italic")
    g.add([], "plain")
    g.add([], "plain")
    r = g.add([], "italicleft")
    g.put(r, 7, "Đơn vị tính: đồng")
    # header on Excel row 9
    g.add(["Đơn vị đang quản lý", "TT", "Danh mục", "Năm đưa vào sử dụng", "SL", "ĐVT", "Nguyên giá (VNĐ)",
           "GTCL (VNĐ)", "Tình trạng", "Ghi chú"], "header")
    assert len(g.rows) == 9
    assets = []
    i = 0
    tot = [0, 0, 0]
    for holder, unit, ag, n in holders:
        first = None
        items = gen_items(rng, n, year_lo=2010, year_hi=2023)
        for k, it in enumerate(items):
            i += 1
            y = it["year"]
            form = i % 4
            if form == 0:
                ycell = y
            elif form == 1:
                ycell = str(y)
            elif form == 2:
                ycell = f"{(i % 27) + 1:02d}/{(i % 12) + 1:02d}/{y}"
            else:
                ycell = datetime(y, (i % 12) + 1, (i % 27) + 1)
            cs = ["num", "dot_d", "dot", "vnd"][i % 4]
            r = g.add([holder if first is None else None, i, it["name"], ycell, it["qty"], it["uom"],
                       money(it["cost"], cs), money(it["remain"], cs), it["cond"], ""])
            first = r if first is None else first
            assets.append(A("equipment", unit, ag, name=it["name"], cond_text=it["cond"], cost=it["cost"],
                            remain=it["remain"], qty=it["qty"], extra={"year_in_use": y}))
            tot[0] += it["qty"]
            tot[1] += it["cost"]
            tot[2] += it["remain"]
        g.merge(first, 0, first + n - 1, 0)
    g.add(["Tổng cộng", "", "", "", tot[0], "", tot[1], tot[2], "", ""], "total")
    sig_block(g, "Sông Công, ngày 18 tháng 6 năm 2025", ["NGƯỜI LẬP BIỂU", "Đinh Thị Ngọc"],
              ["TRƯỞNG PHÒNG", "Trần Văn Nam"], lc=2, rc=6)
    write_openpyxl(HERE / path, [("Tong hop", g)])
    keys = Counter(a.key for a in assets)
    # one spot for each year form, with a unique name
    spots = []
    for form in (0, 1, 2, 3):
        for idx, a in enumerate(assets, 1):
            if idx % 4 == form and keys[a.key] == 1 and a not in spots:
                spots.append(a)
                break
    # and one held by an agency of a commune
    spots.append(next(a for a in assets if a.agency and keys[a.key] == 1 and a not in spots))
    spots = spots[:5]
    register(path, ["letterhead-trap", "units-column-first", "merged-units-column", "unit-short-forms",
                    "agency-of-commune", "unit-itself-not-agency", "year-as-number", "year-as-text",
                    "year-as-date-text", "year-as-excel-date", "money-with-dong-suffix", "money-vnd-suffix",
                    "dash-for-zero", "header-row-9", "column-order", "no-type-column", "signatures"],
             assets, spots)


# ============================================================================================
# 17 — Huyện Đại Từ: no letterhead, header on row 5, sections by unit, "Cộng khoản", "Ghi chú" sheet
# ============================================================================================
def f17():
    path = "17-thiet-bi-huyen-dai-tu-va-cac-xa.xlsx"
    rng = random.Random(17)
    secs = [("I", "Huyện ủy Đại Từ", DT, "Huyện ủy Đại Từ", 8),
            ("II", "Văn phòng HĐND và UBND huyện", DT, "Văn phòng HĐND và UBND huyện", 9),
            ("III", "UBND xã Bản Ngoại", "Xã Bản Ngoại", "", 5),
            ("IV", "UBND xã Cù Vân", "Xã Cù Vân", "", 4),
            ("V", "Hội Nông dân xã Phúc Lương", "Xã Phúc Lương", "Hội Nông dân xã Phúc Lương", 3)]
    types = {"Máy vi tính": "Máy vi tính", "Máy in, máy photocopy, máy scan": "Máy in",
             "Điều hòa nhiệt độ": "Điều hòa", "Bàn ghế, tủ": "Bàn ghế", "Thiết bị khác": "Khác"}
    ncols = 9
    g = Grid(ncols, widths={0: 6, 1: 40, 2: 14, 3: 8, 4: 8, 5: 16, 6: 16, 7: 16, 8: 16})
    g.line("DANH MỤC TÀI SẢN LÀ MÁY MÓC, THIẾT BỊ CỦA HUYỆN ĐẠI TỪ VÀ CÁC XÃ BÀN GIAO", 0, 8, "title")
    g.line("(Số liệu đến ngày 30/6/2025)", 0, 8, "italic")
    g.add([], "plain")
    r = g.add([], "italicleft")
    g.put(r, 7, "Đơn vị tính: đồng")
    g.add(["TT", "Tên tài sản", "Loại thiết bị", "ĐVT", "Số lượng", "Nguyên giá", "Giá trị còn lại", "Tình trạng",
           "Ghi chú"], "header")
    assert len(g.rows) == 5
    assets, grand = [], [0, 0, 0]
    for roman, title, unit, ag, n in secs:
        g.add([roman, title], "section")
        sums = [0, 0, 0]
        for j, it in enumerate(gen_items(rng, n, year_lo=2009), 1):
            typ = types[it["group"]]
            cs = "num" if j % 2 else "dong"
            g.add([j, it["name"], typ, it["uom"], it["qty"], money(it["cost"], cs), money(it["remain"], cs),
                   it["cond"], ""])
            assets.append(A("equipment", unit, ag, name=it["name"], cond_text=it["cond"], cost=it["cost"],
                            remain=it["remain"], qty=it["qty"]))  # the list has no year column
            sums[0] += it["qty"]
            sums[1] += it["cost"]
            sums[2] += it["remain"]
        g.add(["", f"Cộng khoản {roman}", "", "", sums[0], sums[1], sums[2], "", ""], "total")
        g.add([], "data")
        for k in range(3):
            grand[k] += sums[k]
    g.add(["", "TỔNG CỘNG (I+II+III+IV+V)", "", "", grand[0], grand[1], grand[2], "", ""], "total")
    sig_block(g, "Đại Từ, ngày 30 tháng 6 năm 2025", ["NGƯỜI LẬP", "Lý Văn Thành"],
              ["THỦ TRƯỞNG ĐƠN VỊ", "Phan Thị Hạnh"], lc=1, rc=5)
    notes = Grid(2, widths={0: 90})
    for t in ["GHI CHÚ", "- Danh mục do Phòng Tài chính - Kế hoạch huyện Đại Từ tổng hợp.",
              "- Tài sản của Hội Nông dân xã Phúc Lương do xã quản lý, sử dụng chung.",
              "- Các tài sản hư hỏng đề nghị Sở Tài chính cho thanh lý."]:
        notes.add([t], "note")
    write_xlsxwriter(HERE / path, [("Danh muc", g), ("Ghi chú", notes)])
    keys = Counter(a.key for a in assets)
    uniq = [a for a in assets if keys[a.key] == 1]
    spots = [next(a for a in uniq if a.agency == "Huyện ủy Đại Từ"), next(a for a in uniq if a.unit == "Xã Cù Vân"),
             next(a for a in uniq if a.unit == "Xã Phúc Lương")]
    register(path, ["no-letterhead", "header-row-5", "sections-by-unit", "sections-by-agency", "huyen-uy",
                    "subtotals", "grand-total", "blank-rows", "type-column", "money-dong-suffix", "notes-sheet",
                    "loose-condition-words", "signatures"], assets, spots)


# ============================================================================================
# 18 — city-level fonds under the city letterhead: fonds column per row, "10 năm" retention
# ============================================================================================
def f18():
    path = "18-hop-tai-lieu-cap-thanh-pho-song-cong.xlsx"
    plan = [("Phông UBND thành phố Sông Công", TP, "", 10, 2000),
            ("Phông Thành ủy Sông Công", TP, "Thành ủy Sông Công", 6, 2003),
            ("Phông Phòng Giáo dục và Đào tạo", TP, "Phòng Giáo dục và Đào tạo", 4, 2010)]
    rng = random.Random(18)
    ncols = 9
    g = Grid(ncols, widths={0: 5, 1: 34, 2: 8, 3: 10, 4: 14, 5: 10, 6: 18, 7: 16, 8: 20})
    motto(g, "UBND THÀNH PHỐ SÔNG CÔNG", "PHÒNG NỘI VỤ", 2, 5, 8)
    g.add([], "plain")
    g.line("DANH MỤC HỘP TÀI LIỆU LƯU TRỮ CỦA CÁC CƠ QUAN CẤP THÀNH PHỐ", 0, 8, "title")
    g.line("BÀN GIAO TRUNG TÂM LƯU TRỮ LỊCH SỬ TỈNH", 0, 8, "title")
    g.add([], "plain")
    g.add(["STT", "Phông", "Hộp số", "Số hồ sơ", "Thời gian tài liệu", "Số tờ", "Tình trạng chỉnh lý",
           "Thời hạn bảo quản", "Ghi chú"], "header")
    assets = []
    i = 0
    for fonds, unit, ag, n, y0 in plan:
        for b in range(1, n + 1):
            i += 1
            y1 = y0 + b
            y2 = min(y1 + 2, 2025)
            span = f"{y1} – {y2}" if b % 2 else f"{y1}-{y2}"
            arr = "Đã chỉnh lý" if b <= n - 2 else ("Chỉnh lý sơ bộ" if b == n - 1 else "Chưa chỉnh lý")
            ret = "Vĩnh viễn" if b % 3 else "10 năm"
            nf = rng.randint(10, 35)
            g.add([i, fonds, b + 200, nf, span, nf * rng.randint(18, 40), arr, ret, ""])
            assets.append(A("archive_box", unit, ag, name=f"{fonds} — hộp {b + 200}",
                            extra={"fonds": fonds, "box_no": str(b + 200), "files_count": nf, "span_start": y1,
                                   "span_end": y2, "arrangement": arr}))
    g.add(["", "Cộng: 20 hộp", "", sum(a.extra["files_count"] for a in assets), "", "", "", "", ""], "total")
    sig_block(g, "Sông Công, ngày 30 tháng 6 năm 2025", ["NGƯỜI LẬP", "Đặng Thị Mai"], ["TRƯỞNG PHÒNG", "Lưu Văn Cường"],
              lc=1, rc=5)
    write_xlsxwriter(HERE / path, [("Hop tai lieu", g)])
    by = {a.key: a for a in assets}
    spots = [by["Phông UBND thành phố Sông Công|203"], by["Phông Thành ủy Sông Công|206"],
             by["Phông Phòng Giáo dục và Đào tạo|201"]]
    register(path, ["archive-boxes", "fonds-column", "agency-from-fonds", "letterhead-trap", "derived-box-name",
                    "no-title-column", "span-forms", "retention-forms", "sheets-count-column", "signatures"],
             assets, spots)


# --------------------------------------------------------------------------------------------
# expected.toml
# --------------------------------------------------------------------------------------------
def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def spot_lines(a: A) -> list[str]:
    out = ["[[file.expect.assets]]", f"key = {q(a.key)}", f"name = {q(clean(a.name))}", f"unit = {q(a.unit)}",
           f"agency = {q(a.agency)}", f"condition = {q(a.condition)}", f"original_cost = {a.cost}"]
    if a.kind != "archive_box":
        out.append(f"remaining_value = {a.remain}")
        out.append(f"quantity = {a.qty}")
    for k in ("year_in_use", "year_made", "files_count", "span_start", "span_end"):
        if k in a.extra:
            out.append(f"{k} = {a.extra[k]}")
    for k in ("arrangement", "box_no", "fonds"):
        if k in a.extra:
            out.append(f"{k} = {q(a.extra[k])}")
    return out


def write_expected():
    lines = ["# What a correct import of each corpus file must give, written from what the file says",
             "# (built by build_corpus.py from the same lists that wrote the cells; never from the importer).", ""]
    for f in FILES:
        assets = f["assets"]
        lines += ["[[file]]", f"path = {q(f['path'])}",
                  "classes = [" + ", ".join(q(c) for c in f["classes"]) + "]",
                  f"default_unit = {q(f['default_unit'])}", f"mapping = {q(f['mapping'])}", "[file.expect]",
                  f"created = {len(assets)}"]
        kinds = Counter(a.kind for a in assets)
        lines.append("by_kind = { " + ", ".join(f"{k} = {v}" for k, v in sorted(kinds.items())) + " }")
        lines += [f"original_cost = {sum(a.cost for a in assets)}",
                  f"remaining_value = {sum(a.remain for a in assets)}",
                  f"quantity = {sum(a.qty for a in assets)}"]
        for title, counter in (
                ("by_unit", Counter(a.unit for a in assets)),
                ("by_agency", Counter(f"{a.unit} / {clean(a.agency)}" for a in assets if a.agency)),
                ("by_condition", Counter(a.condition for a in assets)),
                ("by_arrangement", Counter(a.extra["arrangement"] for a in assets if a.kind == "archive_box"))):
            lines.append(f"[file.expect.{title}]")
            for k, v in sorted(counter.items()):
                lines.append(f"{q(k)} = {v}")
        for a in f["spots"]:
            lines += spot_lines(a)
        lines.append("")
    (HERE / "expected.toml").write_text("\n".join(lines), encoding="utf-8")


README_LINES = {
    "01": "Equipment of the whole city (248 assets on ≈350 sheet rows) by agency under «UBND THÀNH PHỐ SÔNG CÔNG / PHÒNG TÀI CHÍNH - KẾ HOẠCH» "
          "(folds to «…pho song cong», holds «ho so»); A/B/C block rows, roman agency sections (some inline «II. …»), "
          "group headings «1. Máy vi tính», «Cộng I»/«Cộng khoản II» subtotals (Cộng IV is 1.000 đ too high), TỔNG "
          "CỘNG, column numbers row, line breaks in headers, no type column, conditions and loose words in «Hiện "
          "trạng», «-» for zero, «Tủ gỗ đựng hồ sơ» names, a double space in a name, notes block, signatures.",
    "02": "13 city cars with no name column (named from «Loại xe, nhãn hiệu» + plate), plates typed in five ways "
          "incl. 4-digit ones, «Đơn vị đang quản lý» merged vertically (Thành ủy Sông Công holds 4), two-row merged "
          "header «Giá trị theo sổ kế toán», money as dotted text / « đ» / «VNĐ», «-», loose conditions, notes.",
    "03": "Headquarters under the city letterhead: each row's own name gives the unit («Trụ sở UBND phường Phố Cò» → "
          "Phường Phố Cò) while the address may name another ward; «Hiện trạng sử dụng» is free text, no condition "
          "column (all Đang sử dụng); level rows «I / KHỐI THÀNH PHỐ», «II / CÁC PHƯỜNG, XÃ»; Thành ủy and Trung tâm "
          "VH-TT-TT HQs give their agency.",
    "04": "30 boxes of xã Bá Xuyên, fonds only in the line «Tên phông: UBND xã Bá Xuyên», no title column (names "
          "derived), spans «2005-2010», «2010 – 2015», «2016», arrangements incl. «chưa chỉnh lý», retention "
          "«Vĩnh viễn/Có thời hạn/10 năm», «Cộng 30 hộp» row.",
    "05": "Boxes of two wards under the city's Phòng Nội vụ letterhead, fonds as section rows («I. Phông UBND phường "
          "Thắng Lợi», «II. Phông: Đảng ủy phường Phố Cò»), unit from the fonds not the letterhead, column numbers, "
          "per-fonds «Cộng», time span column before box number.",
    "06": "Old .xls (BIFF8) of phường Thắng Lợi equipment: codes, «Loại thiết bị», quantities «02», money as «12.500.000» "
          "text, «Bộ phận sử dụng» with «UBND phường» (the unit) / «Đảng ủy phường» (agency named without its unit).",
    "07": "Huyện Phú Bình workbook, a sheet per kind (HQ with a condition column, cars with a name column, equipment "
          "in sections naming units and agencies with «1.1» numbering, boxes with a fonds column) and a leading "
          "«Hướng dẫn» sheet; «Thị trấn Hương Sơn» stated under Phú Bình's letterhead; Huyện ủy Phú Bình.",
    "08": "Semicolon CSV, UTF-8 with BOM, of xã Tân Quang: letterhead/title/signature lines exported with the table, "
          "money «12.500.000», quantities «02», years «2016» and «15/03/2014», «Hiện trạng» conditions, a users column "
          "with Đảng ủy / Hội Nông dân.",
    "09": "Comma CSV in Windows-1258 (precomposed base letters + combining tone marks), a bare table with nothing about "
          "its unit: the officer picks Thị trấn Hùng Sơn on upload; money «52,800,000» quoted, «-».",
    "10": "Excel «Unicode text»: UTF-16 LE with BOM, tab-separated; boxes 101–122 of phường Ba Hàng with a fonds column, "
          "parent + issuer letterhead lines, a quoted note with quotes.",
    "11": "NFD (decomposed) text everywhere incl. headers and sheet name; xã Bảo Lý equipment with codes, letterhead "
          "«UBND HUYỆN PHÚ BÌNH / UBND XÃ BẢO LÝ».",
    "12": "Headquarters of Phổ Yên wards/communes: units column in short forms («P. Ba Hàng», «Bãi Bông», «xã Minh Đức»), "
          "merged over two HQs, «P. Trung Thành» only resolvable by the Phổ Yên letterhead; two-row merged header "
          "(area, book values), column numbers, a «Tình trạng» column beside free-text «Hiện trạng sử dụng».",
    "13": "Needs the officer's mapping: «Giá mua ban đầu» is the original cost, «Năm mua» the year in use, «Thanh lý» / "
          "«Chờ thanh lý» mean Không sử dụng được; Định Hóa sections by unit and agency.",
    "14": "Needs the officer's mapping: the provincial Sở Tài chính's list of surplus cars across districts; «Tổ công tác "
          "389 thành phố» belongs to Thành phố Sông Công; «Thanh lý»/«Chờ thanh lý»; Huyện ủy / UBND huyện of several "
          "districts, Bắc Kạn plates 97A, commas in money, no name column.",
    "15": "Ba Bể (old Bắc Kạn) equipment in «ĐVT: 1.000 đồng» — money in thousands, some typed as «12.500» text; two-row "
          "merged header, column numbers «1…11», codes, type column, units column incl. Huyện ủy Ba Bể and an "
          "association of xã Nam Mẫu.",
    "16": "Equipment of the city's wards and communes, header on Excel row 9, units column first and merged vertically "
          "(«P. Mỏ Chè», «Châu Sơn», «Lương Sơn», agencies of communes, «HĐND và UBND xã Tân Quang» = the unit), "
          "years as number, text, «dd/mm/yyyy» text and real Excel dates, money with « đ», «VNĐ», «-».",
    "17": "Huyện Đại Từ with no letterhead, header on row 5, sections naming Huyện ủy / Văn phòng / communes / a commune "
          "association, «Cộng khoản I…V», blank rows, «TỔNG CỘNG (I+II+…)», money with «đồng», a second «Ghi chú» sheet.",
    "18": "City-level fonds boxes under «UBND THÀNH PHỐ SÔNG CÔNG / PHÒNG NỘI VỤ»: fonds column (UBND thành phố, Thành ủy, "
          "Phòng GD&ĐT → agencies), boxes 201–210, «Số tờ» column, retention «10 năm», spans with en dash.",
}


def write_readme():
    out = ["# Hand-made inventory corpus", "",
           "Files typed the way district and commune officers really type them in June 2025, with what a correct "
           "import must give in `expected.toml` (one `[[file]]` per file) and the officer's corrections for the two "
           "files that need them in `*.mapping.json`. `build_corpus.py` wrote everything here "
           "(`.venv/bin/python tests/corpus/independent/build_corpus.py`); the expectations come from its own lists, "
           "never from the importer. Each file is meant to be imported into its own fresh database loaded with new "
           "Thái Nguyên's unit map; paths in `expected.toml` are relative to this folder.", "",
           "This folder is separate from the earlier corpus in `tests/corpus/` (its own `build_corpus.py` and "
           "`expected.json`, used by `tests/test_import_corpus.py`); nothing here touches it.", "",
           "Conventions of the expectations (read by a person, not guessed from the app):",
           "- money in whole đồng; «-» or blank is 0; «ĐVT: 1.000 đồng» multiplies by 1 000;",
           "- a blank condition is «Đang sử dụng»; «Hiện trạng sử dụng» of a headquarters is use, not condition;",
           "- «UBND phường X» / «HĐND và UBND xã X» / «UBND phường» under X's letterhead is the unit itself, no agency;",
           "- vehicles without a name: «Xe ô tô {Loại xe, nhãn hiệu} {plate 20A-649.55}»; boxes: «{fonds} — hộp {n}», "
           "fonds as written after any «I.» numbering or «Tên phông:»/«Phông:» label;",
           "- box files count 1 each; headquarters and cars count 1 each.", "", "| file | what it is and what it exercises |",
           "|---|---|"]
    for f in FILES:
        out.append(f"| `{f['path']}` | {README_LINES[f['path'][:2]]} Classes: {', '.join(f['classes'])}. |")
    out.append("")
    (HERE / "README.md").write_text("\n".join(out), encoding="utf-8")


def main():
    for p in HERE.iterdir():
        if p.name[:2].isdigit() and p.suffix in (".xlsx", ".xls", ".csv", ".json"):
            p.unlink()
    for fn in (f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15, f16, f17, f18):
        fn()
    write_expected()
    write_readme()
    import tomllib
    data = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))
    assert len(data["file"]) == len(FILES) >= 17
    for f in data["file"]:
        assert (HERE / f["path"]).exists(), f["path"]
        if f["mapping"]:
            assert (HERE / f["mapping"]).exists()
    print(f"{len(FILES)} files, {sum(len(f['assets']) for f in FILES)} assets")


if __name__ == "__main__":
    main()

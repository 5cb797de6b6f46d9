"""The importer fuzzed (Hypothesis): whatever a district sends, reading and planning answer in words.

Random cells (Vietnamese text, control characters, huge numbers, money and dates written every
way, formulas, blanks), random shapes (no header, a header far down, blank runs, one column or
many, section rows, subtotals, signatures) and random files (CSV in five encodings and four
separators, .xlsx from xlsxwriter or openpyxl, .xls from xlwt, truncated or garbage bytes). The
property: ``parse_file`` gives a parsed file or refuses it with ``FileRefused`` and a message,
and ``build_plan`` gives a plan whose refused rows and sheets each carry a message, never an
unexpected exception. The pure half runs without a database; the planning half on both.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import pickle
import tempfile
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests import import_builders as build
from tracker.importing import describe
from tracker.importing import headers as h
from tracker.importing.parse import ParsedFile, parse_file
from tracker.importing.plan import build_plan
from tracker.importing.safety import FileRefused
from tracker.models import Role

# Hypothesis caches (unicode tables, constants) outside the work tree: .gitignore has no .hypothesis/
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "tracker-hypothesis"))
# FUZZ_EXAMPLES=5000 for a longer hunt by hand; the suite keeps to about half a minute a database
PURE_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 200))
PLAN_EXAMPLES = PURE_EXAMPLES // 2
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])

# ---------------------------------------------------------------- cells
HEADERS = sorted({"STT", "Số TT", "Mã tài sản", "Mã TS", "Tên tài sản", "Loại thiết bị", "Chủng loại", "Số serial",
                  "ĐVT", "Đơn vị tính", "Số lượng", "Nguyên giá", "NGUYÊN GIÁ (đồng)", "Nguyên giá (VNĐ)",
                  "Giá trị còn lại", "Giá trị theo sổ kế toán", "Tình trạng", "Hiện trạng", "Ghi chú", "Đơn vị",
                  "Tên đơn vị", "Đơn vị dự kiến nhận", "Biển kiểm soát", "Biển số xe", "Nhãn hiệu", "Số chỗ",
                  "Năm SX", "Năm đưa vào sử dụng", "Địa chỉ", "Diện tích đất (m2)", "Diện tích sàn", "Năm xây dựng",
                  "Hộp số", "Số hộp", "Tiêu đề", "Số hồ sơ", "Thời gian tài liệu", "Tình trạng chỉnh lý",
                  "Thời hạn bảo quản", "Phông lưu trữ", "Số mét giá", "Đã số hóa", "(1)", "Cổng"}
                 | {synonym for synonyms in h.SYNONYMS.values() for synonym in synonyms[:2]})
WORDS = ["Máy vi tính để bàn Dell", "Máy in Canon LBP 2900", "Điều hòa Daikin 12000BTU", "Bộ bàn ghế họp",
         "Xe ô tô Toyota Innova", "Trụ sở UBND phường Phố Cò", "Nhà văn hóa tổ 3", "Hồ sơ hành chính hộp 1",
         "Tốt", "Hư hỏng", "hu hong", "Cần sửa chữa", "Xuống cấp", "Đang sử dụng", "Đã chỉnh lý", "CHƯA CHỈNH LÝ",
         "Vĩnh viễn", "bộ", "cái", "chiếc", "Toyota Fortuner", "Phông UBND phường Thắng Lợi", "Tổ 5, phường Thắng Lợi"]
UNITS = ["UBND phường Thắng Lợi", "Phường Thắng Lợi", "P. Thắng Lợi", "UBND xã Tân Quang", "Xã Tân Quang",
         "Phường Phố Cò", "Thành phố Sông Công", "Thành ủy Sông Công", "Phòng Tài chính - Kế hoạch",
         "Văn phòng HĐND và UBND thành phố", "Đảng ủy phường Thắng Lợi", "Ủy ban MTTQ xã Tân Quang",
         "Trung tâm Y tế", "Xã Không Có Thật", "Phường Sông Công", "Tổ công tác 389"]
ROWS = ["I", "II", "A", "Cộng", "TỔNG CỘNG", "Tổng cộng", "Cộng mục I", "Ghi chú:", "NGƯỜI LẬP BIỂU",
        "(Ký, ghi rõ họ tên)", "Sông Công, ngày 05 tháng 07 năm 2025", "Máy móc văn phòng"]
TITLES = ["UBND THÀNH PHỐ SÔNG CÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "DANH SÁCH MÁY MÓC, THIẾT BỊ BÀN GIAO", "DANH SÁCH XE Ô TÔ", "MỤC LỤC HỘP TÀI LIỆU",
          "(Kèm theo Biên bản bàn giao ngày 05/07/2025)", "Đơn vị: UBND phường Thắng Lợi", "Đơn vị: Xã Không Có",
          "Tên phông: Phông UBND phường Thắng Lợi", "Đơn vị tính: 1.000 đồng", "Đơn vị tính: triệu đồng",
          "PHÒNG TÀI CHÍNH - KẾ HOẠCH"]
CONTROL = "".join(map(chr, range(1, 32)))  # NUL makes a CSV binary: the stray bytes below try that + "\x7f\u0085\u00a0\u200b\u200e\u2028\ufeff\ufffd\u0300\u0301\u0323"

texts = st.one_of(
    st.sampled_from(WORDS + UNITS + ROWS + TITLES + HEADERS),
    st.sampled_from(WORDS + UNITS).map(lambda t: unicodedata.normalize("NFD", t)),  # old Windows keyboards
    st.sampled_from(WORDS + UNITS).map(build.windows_vietnamese),
    st.sampled_from(WORDS + UNITS).map(lambda t: f"  {t.upper()}  "),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30),
    st.text(st.sampled_from(CONTROL + "aăâđơư ;,\"'\t"), max_size=12),
    st.sampled_from(["x" * 300, "Máy " * 200]),  # longer than any field allows
)
numbers = st.one_of(
    st.integers(-10, 10), st.integers(-(10**15), 10**15), st.integers(-(10**300), 10**300),
    st.floats(allow_nan=False, allow_infinity=False), st.floats(0, 1e12).map(lambda f: round(f, 2)),
)
money_texts = st.one_of(
    st.builds(lambda n, sep, suffix: f"{n:,}".replace(",", sep) + suffix, st.integers(0, 10**13),
              st.sampled_from([".", ",", " ", ""]), st.sampled_from(["", " đ", " đồng", " VNĐ", "đ", " vnd", ",00"])),
    st.sampled_from(["-", "--", "0", "1,2 tỷ", "3 triệu", "12.500.000 đ", "52,800,000", "1.250,5", "1e9",
                     "(1.000.000)", "-5.000", "12.5OO.OOO", "∞", "NaN", "không", "12.500.000đ/bộ"]),
)
date_texts = st.one_of(
    st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)).flatmap(lambda d: st.sampled_from([
        d.strftime("%d/%m/%Y"), d.strftime("%Y-%m-%d"), d.strftime("%d-%m-%y"), d.strftime("%m/%Y"),
        str(d.year), f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}", d.strftime("%d.%m.%Y")])),
    st.sampled_from(["31/02/2020", "00/00/0000", "2010-2012", "2012 – 2015", "từ 2010 đến 2020", "1899", "20166"]),
)
cells = st.one_of(
    st.just(""), st.just(None), st.just("   "), texts, numbers, money_texts, date_texts, st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2099, 12, 31)),
    st.sampled_from(["=1+1", "=SUM(F2:F3)", "= A1*2", "=HYPERLINK(\"x\")", "=", "=-", "==", "+1", "@SUM(A1)"]),
)
KIND_HEADERS = [
    ["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "ĐVT", "Số lượng", "Nguyên giá", "Giá trị còn lại",
     "Tình trạng", "Đơn vị"],
    ["TT", "Biển số xe", "Tên tài sản", "Nhãn hiệu", "Số chỗ", "Năm SX", "Nguyên giá (VNĐ)", "Tình trạng"],
    ["STT", "Hộp số", "Tiêu đề", "Số hồ sơ", "Thời gian tài liệu", "Tình trạng chỉnh lý", "Phông lưu trữ"],
    ["STT", "Đơn vị", "Tên tài sản", "Địa chỉ", "Diện tích đất (m2)", "Năm xây dựng", "NGUYÊN GIÁ"],
]
# A column's values as its header suggests, so rows get far enough to be planned, not only refused.
BY_FIELD = {
    "name": st.sampled_from(WORDS), "code": st.one_of(st.from_regex(r"[A-Z]{2}-\d{3}", fullmatch=True),
                                                      st.integers(1, 9999)),
    "_unit": st.sampled_from(UNITS), "_receiver": st.sampled_from(UNITS), "quantity": st.integers(-1, 50),
    "original_cost": st.one_of(money_texts, st.integers(0, 10**12)), "remaining_value": money_texts,
    "condition": st.sampled_from(["Tốt", "Hư hỏng", "Cần sửa chữa", "Đang sử dụng", "hu hong", "Chờ thanh lý"]),
    "plate": st.sampled_from(["20A-123.45", "20A12346", "20a - 123.47", "20B-00568", "99Z-000.00", "biển giả"]),
    "year_made": date_texts, "year_in_use": st.one_of(date_texts, st.integers(1900, 2100)),
    "year_built": st.integers(1800, 2200), "box_no": st.integers(1, 30), "fonds": st.sampled_from(WORDS[-2:]),
    "arrangement": st.sampled_from(["Đã chỉnh lý", "chua chinh ly", "Một phần"]),
    h.SPAN: date_texts, h.STT: st.integers(1, 100),
}


def for_header(text) -> st.SearchStrategy:
    name = h.match(text)[0] if isinstance(text, str) else None
    return st.one_of(BY_FIELD[name], BY_FIELD[name], cells) if name in BY_FIELD else cells


# ---------------------------------------------------------------- shapes
@st.composite
def sheet_rows(draw) -> list[list]:
    """A hand-made list: maybe lines above, maybe a header, data, sections, totals, blank runs, signatures."""
    width = draw(st.sampled_from([1, 2, 3, 5, 7, 8, 9, 10, 12, 40]))
    rows: list[list] = []
    for _ in range(draw(st.integers(0, 8))):  # letterhead, motto, titles; sometimes pushing the header far down
        rows.append([draw(st.one_of(st.sampled_from(TITLES), texts))] + [""] * draw(st.integers(0, 3)))
    if draw(st.booleans()):
        rows += [[]] * draw(st.integers(0, 40))
    header = None
    if draw(st.sampled_from([True] * 9 + [False])):  # most lists have one (Hypothesis favours 0 in integers): usually a kind's own columns, shuffled, among others
        own = draw(st.permutations(draw(st.sampled_from(KIND_HEADERS))))
        others = draw(st.lists(st.one_of(st.sampled_from(HEADERS), cells), min_size=width, max_size=width))
        header = (own + others)[:max(width, len(own))] if draw(st.sampled_from([True, True, True, False])) else others
        rows.append(header)
        if draw(st.booleans()):  # a second header row under a merged one
            rows.append(draw(st.lists(st.sampled_from(HEADERS + [""]), min_size=width, max_size=width)))
        if draw(st.booleans()):
            rows.append([f"({n})" for n in range(1, width + 1)])
    columns = [for_header(text) for text in header] if header else [cells] * width
    for _ in range(draw(st.integers(0, 15))):
        shape = draw(st.sampled_from(["data"] * 8 + ["section", "subtotal", "total", "blank", "footer", "ragged"]))
        if shape == "data":
            rows.append([draw(column) for column in columns])
        elif shape == "section":
            rows.append([draw(st.sampled_from(["I", "II", "A", "1", ""])), draw(st.sampled_from(UNITS + WORDS))])
        elif shape in ("subtotal", "total"):
            label = "Cộng" if shape == "subtotal" else draw(st.sampled_from(["TỔNG CỘNG", "Tổng cộng", "Cộng"]))
            rows.append([""] * min(2, width) + [label] + [draw(st.one_of(numbers, money_texts, st.just("")))
                                                          for _ in range(max(0, width - 3))])
        elif shape == "blank":
            rows += [[""] * width] * draw(st.integers(1, 5))  # what merged-looking blank runs read as
        elif shape == "footer":
            rows.append([""] * draw(st.integers(0, width)) + [draw(st.sampled_from(ROWS))])
        else:
            rows.append(draw(st.lists(cells, max_size=width + 5)))
    return rows


# ---------------------------------------------------------------- files
def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def csv_bytes(rows, delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([[as_text(v) for v in row] for row in rows])
    text = out.getvalue()
    if encoding == "cp1258":
        return build.windows_vietnamese(text).encode("cp1258", errors="replace")
    if encoding == "latin-1":
        return text.encode("latin-1", errors="replace")
    return text.encode(encoding, errors="surrogatepass" if encoding == "utf-16" else "strict")


def _for_excel(value):
    """What a spreadsheet program can hold: numbers Excel can store, text without lone surrogates."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1e300:
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", errors="replace").decode("utf-8")[:32767]
    return value


def xlsxwriter_bytes(rows, sheet_name: str, merge: bool) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet(sheet_name)
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            value = _for_excel(value)
            if value is None or value == "":
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                sheet.write_datetime(r, c, value, dates)
            else:
                sheet.write(r, c, value)  # text starting "=" goes in as a formula, as Excel would take it
        if merge and len(row) > 2 and r < 60:
            sheet.merge_range(r, 0, r, 1, None)
    book.close()
    return buffer.getvalue()


def openpyxl_bytes(rows, sheet_name: str) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for row in rows:
        # openpyxl keeps formulas without a computed value, as some generators do
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in map(_for_excel, row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlwt_bytes(rows, sheet_name: str) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet(sheet_name)
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row[:256]):
            value = _for_excel(value)
            if value is None or value == "":
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                page.write(r, c, value, dates)
            else:
                page.write(r, c, value if not isinstance(value, str) else value[:32767])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHEET_NAMES = st.sampled_from(["Sheet1", "Danh sách", "Xe ô tô", "Lưu trữ", "Trụ sở", "Hướng dẫn", "Máy móc"])


@dataclass
class Upload:
    data: bytes
    filename: str
    how: str  # how it was made, for the report of a failing example

    def __repr__(self) -> str:  # what Hypothesis prints for a failing example: enough to rebuild it
        return f"Upload({self.data!r}, {self.filename!r}, {self.how!r})"


@st.composite
def uploads(draw) -> Upload:
    rows = draw(sheet_rows())
    how = draw(st.sampled_from(["csv", "csv", "xlsxwriter", "xlsxwriter", "openpyxl", "xlwt", "truncated",
                                "garbage", "renamed"]))
    name = draw(SHEET_NAMES)
    if how == "csv":
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16", "latin-1"]))
        data = csv_bytes(rows, draw(st.sampled_from([",", ";", "\t", "|"])), encoding)
        if draw(st.integers(0, 9)) == 7:  # stray bytes no encoding expects (not 0: Hypothesis favours it)
            data += draw(st.binary(min_size=1, max_size=8))
        return Upload(data, draw(st.sampled_from(["danh-sach.csv", "DS.CSV", "list.txt"])), f"csv {encoding}")
    if how in ("xlsxwriter", "truncated"):
        data = xlsxwriter_bytes(rows, name, draw(st.booleans()))
        if how == "truncated":
            data = data[:draw(st.integers(0, len(data) - 1))]
        return Upload(data, "danh-sach.xlsx", how)
    if how == "openpyxl":
        return Upload(openpyxl_bytes(rows, name), "danh-sach.xlsx", how)
    if how == "xlwt":
        return Upload(xlwt_bytes(rows, name), "danh-sach.xls", how)
    if how == "renamed":  # a CSV, or a workbook of the other format, under the wrong name
        data = draw(st.sampled_from([csv_bytes(rows, ";", "utf-8"), xlwt_bytes(rows, name)]))
        return Upload(data, draw(st.sampled_from(["danh-sach.xlsx", "danh-sach.xls", "x.csv", "x.ods", "x"])), how)
    prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"\xff\xfe"]))
    return Upload(prefix + draw(st.binary(max_size=300)), draw(st.sampled_from(["x.xlsx", "x.xls", "x.csv"])), how)


# ---------------------------------------------------------------- the properties
def read_or_refuse(upload: Upload) -> ParsedFile | None:
    """Read as the upload page does: a parsed file, or None when refused with a message."""
    try:
        parsed = parse_file(upload.data, upload.filename)
    except FileRefused as exc:
        assert exc.message.strip()
        event(f"{upload.how}: file refused")
        return None
    event(f"{upload.how}: " + ("data rows" if any(s.rows for s in parsed.sheets) else "sheets refused"))
    for sheet in parsed.sheets:
        assert sheet.error is None or sheet.error.strip()
        for row in sheet.rows:
            assert len(row.values) == len(sheet.value_names)
            assert all(isinstance(message, str) and message for _name, message in row.errors or ())
    # the preview keeps the parsed file pickled between requests
    assert len(pickle.loads(pickle.dumps(parsed)).sheets) == len(parsed.sheets)
    return parsed


@settings(FUZZ, max_examples=PURE_EXAMPLES)
@given(upload=uploads())
def test_reading_any_file_gives_rows_or_a_refusal_in_words(upload):
    read_or_refuse(upload)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@settings(FUZZ, max_examples=PLAN_EXAMPLES, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(upload=uploads(), chosen_unit=st.sampled_from([None, "Phường Thắng Lợi", "Phường Sông Công"]))
def test_planning_any_readable_file_gives_a_plan_that_says_why_it_refuses(db, officer, unit_by_name, upload,
                                                                         chosen_unit):
    parsed = read_or_refuse(upload)
    if parsed is None:
        return
    unit = unit_by_name(chosen_unit) if chosen_unit else None
    plan = build_plan(parsed, officer, unit)
    event(f"planned: {'refused' if plan.problems else 'can commit' if plan.can_commit else 'nothing to write'}")
    assert all(problem.message.strip() for problem in plan.problems)
    assert plan.can_commit is (not plan.problems and bool(plan.creates or plan.updates or plan.held))
    # what the preview and the command print
    plan.counts(), plan.fingerprint(), plan.totals(), plan.skipped_labels()
    for group in describe.problem_groups(plan):
        assert group.where and group.message
    for sheet in parsed.sheets:
        describe.readings(sheet), describe.column_rows(sheet)
    db.session.rollback()


def test_a_utf16_csv_cut_short_is_refused_in_words():
    """Found by the fuzzer: an odd byte count after the UTF-16 mark raised UnicodeDecodeError."""
    for data in (b"\xff\xfe\x00", "STT;Tên tài sản\n".encode("utf-16")[:-1], b"\xff\xfe\x00\xd8"):
        with pytest.raises(FileRefused, match="UTF-16"):
            parse_file(data, "danh-sach.csv")


def test_numbers_beyond_what_a_field_holds_are_refused_in_words():
    """Found by the fuzzer: 1e300 in a decimal column raised decimal.InvalidOperation, infinity in a year
    or count column OverflowError; both are now the row's refusal."""
    import openpyxl

    from tracker.assets.parsing import parse_int, parse_year

    for parse in (parse_int, parse_year):
        for value in (float("inf"), float("-inf"), float("nan")):
            with pytest.raises(ValueError):
                parse(value)
    book = openpyxl.Workbook()
    book.active.title = "Trụ sở"
    book.active.append(["STT", "Tên tài sản", "Địa chỉ", "Diện tích đất (m2)", "Năm xây dựng"])
    book.active.append([1, "Trụ sở UBND phường Thắng Lợi", "Tổ 5", 1e300, 2005])
    buffer = io.BytesIO()
    book.save(buffer)
    [sheet] = parse_file(buffer.getvalue(), "tru-so.xlsx").sheets
    assert sheet.rows[0].errors == [("land_area", "Diện tích đất (m²): quá lớn.")]

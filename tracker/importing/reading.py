"""Reading a spreadsheet into plain rows: python-calamine for Excel, the csv module for text.

Rows come out as raw lists of cell values (str, int, float, bool, date, datetime; '' when
empty) with the position of the first one, so every message can point at the cell the officer
sees. ``normalise_cell`` turns a cell the importer uses into a plain value; it is applied only
to recognised columns because touching every cell of 100,000 rows costs a third of a second.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.importing.safety import FileRefused

CSV_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class SheetData:
    """One sheet: its rows (an iterator, read once), where they start, its merged cells."""

    name: str
    rows: Iterator[list]
    first_row: int = 0  # 0-based index of the first row ``rows`` yields
    first_col: int = 0  # 0-based index of the first column of every row
    height: int = 0  # number of rows, for progress
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    empty_formulas: set[tuple[int, int]] = field(default_factory=set)  # absolute (row, col), 0-based


def normalise_cell(value):
    """Spreadsheet cell -> plain value: '' -> None, 12.0 -> 12, times and durations -> text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, (int, bool, dt.date)):
        return value
    return str(value)  # time of day, duration: not a value any field takes as such


def read_excel(data: bytes, filename: str, empty_formulas: dict[str, set] | None = None) -> list[SheetData]:
    """Every visible worksheet of an .xlsx or .xls workbook."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise FileRefused(f"Tệp «{filename}» được đặt mật khẩu nên không đọc được. Hãy bỏ mật khẩu rồi "
                              "tải lên lại.") from exc
        raise FileRefused(f"Tệp «{filename}» bị hỏng hoặc không phải bảng tính Excel ({exc}).") from exc
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        sheets.append(_LazySheet(book, meta.name, filename, (empty_formulas or {}).get(meta.name, set())))
    return sheets


class _LazySheet(SheetData):
    """A sheet parsed only when its rows are first asked for, so one sheet is in memory at a time."""

    def __init__(self, book, name: str, filename: str, empty_formulas: set):
        super().__init__(name=name, rows=iter(()), empty_formulas=empty_formulas)
        self._book, self._filename, self._loaded = book, filename, False

    def load(self) -> None:
        """Parse the sheet (python-calamine releases the GIL meanwhile) and expose its rows."""
        if self._loaded:
            return
        from python_calamine import CalamineError

        try:
            sheet = self._book.get_sheet_by_name(self.name)
        except CalamineError as exc:
            raise FileRefused(f"Tệp «{self._filename}»: không đọc được trang «{self.name}» ({exc}).") from exc
        start = sheet.start or (0, 0)
        self.first_row, self.first_col = start
        self.height = sheet.height
        self.merged = list(sheet.merged_cell_ranges or [])
        self.rows = sheet.iter_rows()
        self._loaded = True


def decode_text(data: bytes, filename: str) -> str:
    """Text of a CSV: UTF-16 with BOM, UTF-8 (with or without BOM), else Windows Vietnamese (cp1258)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:  # an odd byte count: the file was cut short, or is not UTF-16
            raise FileRefused(f"Tệp «{filename}» bắt đầu như văn bản Unicode (UTF-16) nhưng bị hỏng hoặc bị cắt "
                              "giữa chừng; hãy lưu lại dạng CSV UTF-8 rồi tải lên.") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"Tệp «{filename}»: không nhận ra bảng mã chữ (hãy lưu lại dạng CSV UTF-8).") from exc


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines into the most rows of the same width (at least 2)."""
    best, best_score = ",", -1
    for delimiter in CSV_DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in row)]
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = widths.count(modal) * 1000 + modal
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes, filename: str) -> list[SheetData]:
    """A CSV (or Excel 'Unicode text') as one sheet named after the file."""
    text = decode_text(data, filename)
    lines = text.splitlines()
    delimiter = sniff_delimiter(lines[:60])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = iter(reader)
    return [SheetData(name=filename.rsplit("/", 1)[-1], rows=rows, height=len(lines))]


def read_sheets(data: bytes, filename: str, fmt: str, empty_formulas: dict[str, set] | None = None) -> list[SheetData]:
    """The sheets of a checked file (see ``safety.inspect`` for ``fmt``)."""
    if fmt == "csv":
        return read_csv(data, filename)
    return read_excel(data, filename, empty_formulas)

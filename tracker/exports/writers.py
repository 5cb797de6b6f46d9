"""Writing tables to .csv and .xlsx: pure functions of rows, no Flask and no database.

CSV is streamed in chunks (UTF-8 with a byte-order mark, so Excel reads Vietnamese); .xlsx is
written by xlsxwriter in constant-memory mode (rows go straight to disk, see ``xlsx_rows``), one sheet per
table, with the title, the filter and the export time above a frozen header and a "Cộng" row.
Text a spreadsheet would run as a formula is neutralised on the way into either format.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import IO, Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from tracker.exports.xlsx_rows import StreamingWorksheet

BOM = "\ufeff"
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice, Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
MONEY_FORMAT = '#,##0" đ"'  # Excel shows the grouping of the reader's locale: 12.500.000 đ


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would treat as a formula gets a leading apostrophe; numbers stay numbers.

    '=1+1' -> "'=1+1", '-5 máy' -> "'-5 máy"; the int -5 and the Decimal('-5') are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """One column of an export: its key, header, cell type and whether the sheet totals it.

    ``kind`` is 'text', 'money' (whole đồng), 'int', 'decimal' or 'plain' (a number not grouped: years, ids).
    """

    key: str
    label: str
    kind: str = "text"
    total: bool = False
    width: int = 16

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    """One sheet of an .xlsx: a title, notes (filter, export time), columns and rows of cells.

    Cells are already converted (numbers as numbers, text neutralised); ``rows`` may be a
    generator, read once.
    """

    title: str
    heading: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    notes: Sequence[str] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)  # filled in while writing
    row_count: int = 0


class _Sink:
    """Where csv.writer writes: a list of strings, joined per chunk (cheaper than a StringIO)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.write = self.parts.append

    def take(self) -> bytes:
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        return data


def csv_head(header: Sequence[str]) -> bytes:
    """The byte-order mark and the header row."""
    sink = _Sink()
    sink.write(BOM)
    csv.writer(sink, lineterminator="\r\n").writerow([neutralise(h) for h in header])
    return sink.take()


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of ``size`` items (the last one shorter); itertools.batched is Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def csv_batches(batches: Iterable[Iterable[Sequence[Any]]]) -> Iterator[bytes]:
    """One UTF-8 CSV chunk per batch of rows, no header (the cheapest way for a million rows)."""
    sink = _Sink()
    writerows = csv.writer(sink, lineterminator="\r\n").writerows
    for batch in batches:
        writerows(batch)
        if sink.parts:
            yield sink.take()


def csv_body(rows: Iterable[Sequence[Any]], chunk_rows: int = 2000) -> Iterator[bytes]:
    """Rows as UTF-8 CSV chunks of ``chunk_rows`` rows, no header.

    Cells are written as given: the caller's cells are already neutralised (``neutralise``).
    """
    yield from csv_batches(batched(rows, chunk_rows))


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Any]], chunk_rows: int = 2000) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks: the byte-order mark and header first, then ``chunk_rows`` rows a chunk."""
    yield csv_head(header)
    yield from csv_body(rows, chunk_rows)


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = title.translate(SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.note = book.add_format({"italic": True, "font_color": "#444444"})
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1,
                                       "bg_color": "#DDE7F3"})
        self.total_label = book.add_format({"bold": True, "top": 1})
        by_kind = {"money": MONEY_FORMAT, "int": "#,##0", "decimal": "#,##0.00", "plain": "0", "text": "@"}
        self.column = {kind: book.add_format({"num_format": fmt}) for kind, fmt in by_kind.items()}
        self.total = {kind: book.add_format({"num_format": fmt, "bold": True, "top": 1})
                      for kind, fmt in by_kind.items()}


def write_xlsx(target: str | IO[bytes], tables: Iterable[Table], *, empty_message: str = "") -> list[Table]:
    """Write each table to its own sheet; returns the tables with their row counts and totals.

    Layout per sheet: title, notes, a blank row, the header (frozen, with an autofilter), the
    rows, then "Cộng" with SUBTOTAL formulas (so a filtered view totals what it shows) whose
    cached values are the exact sums, readable without recalculation.
    """
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = _Formats(book)
    taken: set[str] = set()
    written: list[Table] = []
    try:
        for table in tables:
            _write_table(book, formats, table, sheet_name(table.title, taken))
            written.append(table)
        if not written:
            sheet = book.add_worksheet(sheet_name("Trống", taken))
            sheet.write_string(0, 0, empty_message, formats.title)
    finally:
        book.close()
    return written


def _write_table(book: xlsxwriter.Workbook, formats: _Formats, table: Table, name: str) -> None:
    sheet = book.add_worksheet(name, worksheet_class=StreamingWorksheet)
    columns = table.columns
    sheet.write_string(0, 0, neutralise(table.heading), formats.title)
    for i, note in enumerate(table.notes, start=1):
        sheet.write_string(i, 0, neutralise(note), formats.note)
    header_row = len(table.notes) + 2
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width, formats.column[column.kind])
    sheet.set_row(header_row, 32)
    for col, column in enumerate(columns):
        sheet.write_string(header_row, col, column.label, formats.header)
    sheet.freeze_panes(header_row + 1, 0)

    summed = [i for i, c in enumerate(columns) if c.total]
    styles = [formats.column[c.kind]._get_xf_index() for c in columns]
    try:
        count, sums = sheet.append_rows(header_row + 1, table.rows, styles, summed,
                                        last_allowed=EXCEL_MAX_ROWS - 2)  # a row left for the totals
    except OverflowError as exc:
        raise OverflowError(f"«{table.title}» vượt giới hạn dòng của Excel.") from exc
    table.row_count = count
    row_no = header_row + count

    total_row = row_no + 1
    label_col = next((i for i, c in enumerate(columns) if not c.numeric), 0)
    sheet.write_string(total_row, label_col, "Cộng", formats.total_label)
    for i, total in zip(summed, sums):
        column = columns[i]
        table.totals[column.key] = total  # exact (int or Decimal); the sheet caches it as a number
        if table.row_count:
            first = xl_rowcol_to_cell(header_row + 1, i)
            last = xl_rowcol_to_cell(row_no, i)
            sheet.write_formula(total_row, i, f"=SUBTOTAL(9,{first}:{last})", formats.total[column.kind],
                                float(total) if isinstance(total, Decimal) else total)
        else:
            sheet.write_number(total_row, i, 0, formats.total[column.kind])
    sheet.autofilter(header_row, 0, max(row_no, header_row), len(columns) - 1)

"""From a file's bytes to validated rows, per sheet: the pure half of an import (no database).

check the file (safety) -> read its sheets (reading) -> find each header and the kind (headers)
-> classify the rows under it (rows) -> validate each data row with
``tracker.assets.validation.validate`` -> check the list's own sums (totals).
Units are kept as the names the file writes; the planner resolves them against the database.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from tracker.assets.fields import fields_for
from tracker.assets.validation import validate, validate_columns
from tracker.importing import headers as h
from tracker.importing.bulk import collector_paused
from tracker.importing.reading import SheetData, normalise_cell, read_sheets
from tracker.importing.rows import FONDS_WORDS, UNIT_WORDS, Classifier, RowClass
from tracker.importing.safety import FileRefused, Limits, inspect
from tracker.importing.totals import SUM_FIELDS, TotalCheck, TotalsChecker
from tracker.models import AssetKind
from tracker.text import clean, fold

Progress = Callable[[str, int, int], None]  # stage ('read', 'rows'), rows done, rows in the sheet
_UNIT_LINE = re.compile(r"^(?:ten\s+)?(?:don vi|co quan)(?:\s+(?:bao cao|quan ly|ban giao|giao|su dung))?\s*:\s*")
_FONDS_LINE = re.compile(r"^(?:ten\s+)?phong(?:\s+luu\s+tru)?\s*:\s*")
_NOTES_SHEET = re.compile(r"^(huong dan|ghi chu|chu thich|giai thich|notes?|instructions?|readme)\b")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
CHUNK_ROWS = 20_000  # data rows validated together: big enough to be fast, small enough to bound memory


def picker(positions: list[int]):
    """A function giving the tuple of the items at ``positions`` of a row (in C, by ``itemgetter``)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    return itemgetter(*positions) if positions else (lambda row: ())


def column_letter(index: int) -> str:
    """0-based column index -> 'A', 'B', … 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ParsedRow(NamedTuple):
    """One data row: its number in the sheet, the unit named for it, its typed values and any errors."""

    number: int
    unit_label: str | None
    receiver_label: str | None
    values: tuple  # in the order of ParsedSheet.value_names
    errors: list[tuple[str, str]] | None  # (field, message)


_new_row = partial(tuple.__new__, ParsedRow)  # builds 100,000 rows without a Python call each


@dataclass
class ParsedSheet:
    """One sheet understood: its kind, columns, data rows, skipped rows and sum checks."""

    name: str
    kind: AssetKind | None = None
    header_row: int | None = None  # 1-based
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (letter, header as written, field label)
    column_labels: dict[str, str] = field(default_factory=dict)  # field name -> "«header» (cột H)"
    ignored: list[str] = field(default_factory=list)
    present: frozenset[str] = frozenset()  # fields the sheet gives (updates change only these)
    value_names: tuple[str, ...] = ()
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    sections: list[tuple[int, str, str]] = field(default_factory=list)  # (row, class label, text)
    totals: list[TotalCheck] = field(default_factory=list)
    error: str | None = None  # the whole sheet refused (no kind, missing required column)
    note: str | None = None  # the sheet ignored (no header): a warning, not a refusal

    def __getstate__(self) -> dict:
        # Rows as plain tuples: pickle handles 100,000 of them in half the time of named tuples.
        return self.__dict__ | {"rows": list(map(tuple, self.rows))}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, rows=list(map(_new_row, state["rows"])))


@dataclass
class ParsedFile:
    """What a file says, before any database lookup."""

    filename: str
    sha256: str
    size: int
    format: str
    sheets: list[ParsedSheet]

    @property
    def data_sheets(self) -> list[ParsedSheet]:
        return [s for s in self.sheets if s.kind is not None and s.error is None]


def _title_context(rows: list[list]) -> tuple[str | None, str | None, str]:
    """Unit and fonds named in title lines above the header ('Đơn vị: …', 'Phông: …'), and all their text."""
    unit = fonds = None
    texts = []
    for row in rows:
        for cell in row:
            if not isinstance(cell, str) or not cell.strip():
                continue
            text = clean(cell)
            texts.append(text)
            folded = fold(text)
            if _UNIT_LINE.match(folded):
                unit = unit or text.split(":", 1)[1].strip() or None
            elif _FONDS_LINE.match(folded):
                fonds = fonds or text.split(":", 1)[1].strip() or None
    return unit, fonds, " ".join(texts)


def split_span(value) -> tuple[object, object]:
    """'2010-2020', '2010 – 2020', 'từ 2010 đến 2020', 2015 -> raw start and end for validation."""
    if isinstance(value, int):
        return value, value
    years = _YEAR.findall(str(value))
    if len(years) == 2:
        return years[0], years[1]
    if len(years) == 1 and len(str(value).strip()) <= 10:
        return years[0], years[0]
    return value, None


class _SheetParser:
    """Walks one sheet's rows once, keeping only what the import needs."""

    def __init__(self, index: int, sheet: SheetData, fmt: str, progress: Progress | None):
        self.index, self.sheet, self.fmt, self.progress = index, sheet, fmt, progress
        self.result = ParsedSheet(name=sheet.name)

    def run(self) -> ParsedSheet:
        sheet, result = self.sheet, self.result
        if _NOTES_SHEET.match(fold(sheet.name)):
            return result  # the templates' own "Hướng dẫn" sheet, and the like: not a list
        rows = iter(sheet.rows)
        head = [row for _, row in zip(range(h.SEARCH_ROWS), rows)]
        header = h.find_header(head, self._merged_by_row())
        if header is None:
            result.note = (f"Trang «{sheet.name}»: không tìm thấy dòng tiêu đề cột (cần ít nhất «Tên tài sản» "
                           "và một cột khác như «Số lượng», «Nguyên giá»…); trang này được bỏ qua.")
            return result
        unit_line, fonds_line, title = _title_context(head[:header.row_index])
        kind = h.detect_kind(header, f"{title} {sheet.name}")
        result.header_row = sheet.first_row + header.row_index + 1
        if kind is None:
            result.error = (f"Trang «{sheet.name}»: không xác định được loại tài sản. Cần ít nhất một cột riêng "
                            "như «Loại thiết bị», «Biển kiểm soát», «Phông lưu trữ» hoặc «Địa chỉ».")
            return result
        h.restrict_to_kind(header, kind)
        context = {"fonds"} if fonds_line and kind == AssetKind.ARCHIVE_BOX else set()
        if missing := h.missing_required(header, context):
            result.kind = kind
            result.error = (f"Trang «{sheet.name}» ({kind.label}): thiếu cột bắt buộc "
                            + ", ".join(f"«{m}»" for m in missing) + ".")
            return result
        self._describe(header, kind, context)
        result.value_names = tuple(validate(kind, {})[0])
        self._walk(header, kind, head[header.row_index + header.height:], rows, unit_line, fonds_line)
        return result

    def _merged_by_row(self) -> dict[int, list[tuple[int, int]]]:
        """Horizontal merges, by row index relative to the first row, in relative columns."""
        by_row: dict[int, list[tuple[int, int]]] = {}
        for (r1, c1), (_r2, c2) in self.sheet.merged:
            if c2 > c1:
                by_row.setdefault(r1 - self.sheet.first_row, []).append(
                    (c1 - self.sheet.first_col, c2 - self.sheet.first_col))
        return by_row

    def _describe(self, header: h.Header, kind: AssetKind, context: set[str]) -> None:
        result = self.result
        result.kind = kind
        result.ignored = header.ignored
        present = set(header.columns.values()) - {h.STT, h.UNIT, h.RECEIVER}
        if h.SPAN in present:
            present = (present - {h.SPAN}) | {"span_start", "span_end"}
        result.present = frozenset(present | context)
        for col, name in sorted(header.columns.items()):
            letter = column_letter(self.sheet.first_col + col)
            label = h.SPECIAL_LABELS.get(name) or next(f.label for f in fields_for(kind) if f.name == name)
            written = header.labels.get(name, "")
            result.columns.append((letter, written, label))
            result.column_labels[name] = f"«{written}» (cột {letter})"
        if h.SPAN in header.columns.values():
            result.column_labels["span_start"] = result.column_labels["span_end"] = result.column_labels[h.SPAN]

    def _walk(self, header, kind, first_rows, rest, unit_line, fonds_line) -> None:
        result, sheet = self.result, self.sheet
        classifier = Classifier(header, set(SUM_FIELDS))
        totals = TotalsChecker(kind, header.columns, result.value_names)
        fields = [(c, n) for c, n in sorted(header.columns.items()) if n not in (h.STT, h.UNIT, h.RECEIVER, h.SPAN)]
        unit_col, receiver_col, span_col = (header.column_of(n) for n in (h.UNIT, h.RECEIVER, h.SPAN))
        formula_rows = {r for r, _c in sheet.empty_formulas}
        is_csv = self.fmt == "csv"
        chunk = _Chunk(fields)
        cols = [c for c, _n in fields]
        pick = picker(cols)
        last_col = max(cols)
        unit, fonds = unit_line, fonds_line
        archive = kind == AssetKind.ARCHIVE_BOX
        number = sheet.first_row + header.row_index + header.height  # 1-based number of the row before
        for row in chain(first_rows, rest):
            number += 1
            cls, text = classifier.classify(row)
            if cls is not RowClass.DATA:
                unit, fonds = self._non_data(cls, text, number, row, totals, unit, fonds, archive,
                                             len(result.rows) + len(chunk.meta))
                continue
            width = len(row)
            chunk.cells.append(pick(row) if width > last_col else tuple(row[c] if c < width else None for c in cols))
            if span_col is not None:
                chunk.spans.append(row[span_col] if span_col < width else None)
            if archive:
                chunk.fonds.append(fonds)
            chunk.meta.append((number, (_label(row, unit_col) or unit) if unit_col is not None else unit,
                               _label(row, receiver_col) if receiver_col is not None else None))
            if (formula_rows and number - 1 in formula_rows) or (is_csv and any(
                    str(row[c])[:1] == "=" for c, _n in fields if c < width)):
                chunk.formulas[len(chunk.meta) - 1] = self._formula_errors(row, number, fields)
            if len(chunk.meta) >= CHUNK_ROWS:
                self._validate(chunk, kind, archive)
                chunk = _Chunk(fields)
        self._validate(chunk, kind, archive)
        result.totals = totals.replay(result.rows)

    def _validate(self, chunk: _Chunk, kind: AssetKind, archive: bool) -> None:
        """Validate a chunk of data rows column by column and keep them as ParsedRows."""
        count = len(chunk.meta)
        if not count:
            return
        # Excel stores every number as a float: whole ones become ints (a code 1001 must read '1001').
        raw = {name: [(int(v) if v.is_integer() else v) if v.__class__ is float else v for v in column]
               if float in set(map(type, column)) else list(column)
               for (_col, name), column in zip(chunk.fields, zip(*chunk.cells))}
        if chunk.spans:
            starts, ends = zip(*(split_span(normalise_cell(v)) if v not in (None, "") else (None, None)
                                 for v in chunk.spans))
            raw["span_start"], raw["span_end"] = list(starts), list(ends)
        if archive:
            current = raw.get("fonds") or [None] * count
            raw["fonds"] = [v if v not in (None, "") else f for v, f in zip(current, chunk.fonds)]
        typed, errors = validate_columns(kind, raw, count)
        for index, messages in chunk.formulas.items():
            errors.setdefault(index, {}).update(messages)
        problems = [None] * count
        for index, messages in errors.items():
            problems[index] = list(messages.items())
        numbers, units, receivers = zip(*chunk.meta)
        values = zip(*(typed[n] for n in self.result.value_names))
        self.result.rows.extend(map(_new_row, zip(numbers, units, receivers, values, problems)))
        if self.progress:
            self.progress("rows", chunk.meta[-1][0] - self.sheet.first_row, self.sheet.height)

    def _non_data(self, cls, text, number, row, totals, unit, fonds, archive, data_rows):
        result = self.result
        result.skipped[cls] += 1
        if cls is RowClass.SECTION:
            folded = fold(text)
            if archive and FONDS_WORDS.match(folded):
                fonds = text
            if UNIT_WORDS.search(folded):
                unit = text
            totals.section_row(number, text, row, data_rows)
        elif cls is RowClass.SUBTOTAL:
            totals.subtotal_row(number, text, row, data_rows)
        elif cls is RowClass.TOTAL:
            totals.total_row(number, text, row, data_rows)
        if cls in (RowClass.SECTION, RowClass.HEADING) and len(result.sections) < 500:
            result.sections.append((number, cls.value, text))
        return unit, fonds

    def _formula_errors(self, row: list, number: int, fields) -> dict[str, str]:
        """A formula cell with no computed value reads as empty: say so instead of 'chưa nhập'."""
        errors = {}
        for col, name in fields:
            absolute = (number - 1, self.sheet.first_col + col)
            value = row[col] if col < len(row) else None
            if absolute in self.sheet.empty_formulas:
                ref = f"{column_letter(absolute[1])}{number}"
                errors[name] = (f"Ô {ref} có công thức nhưng tệp không lưu giá trị đã tính. Hãy mở tệp bằng "
                                "Excel, lưu lại (Excel sẽ tính công thức) rồi tải lên.")
            elif self.fmt == "csv" and isinstance(value, str) and re.match(r"^=\s*[A-Za-z(]", value.strip()):
                errors[name] = (f"Ô {column_letter(col)}{number} có công thức «{value.strip()[:30]}»; tệp CSV không "
                                "lưu giá trị đã tính. Hãy ghi giá trị thay cho công thức.")
        return errors


class _Chunk:
    """Data rows gathered column by column until there are enough to validate together."""

    def __init__(self, fields: list[tuple[int, str]]):
        self.fields = fields
        self.cells: list[tuple] = []  # per data row, the cells of the recognised columns
        self.spans: list = []
        self.fonds: list = []
        self.meta: list[tuple[int, str | None, str | None]] = []  # (row number, unit named, receiver named)
        self.formulas: dict[int, dict[str, str]] = {}


def _label(row: list, col: int | None) -> str | None:
    if col is None or col >= len(row):
        return None
    value = row[col]
    if value is None or value == "":
        return None
    text = clean(str(normalise_cell(value)))
    return text or None


def parse_file(data: bytes, filename: str, *, limits: Limits | None = None,
               progress: Progress | None = None) -> ParsedFile:
    """Check, read and understand a whole file; raises FileRefused when it cannot be read at all."""
    with collector_paused():
        return _parse_file(data, filename, limits, progress)


def _parse_file(data: bytes, filename: str, limits: Limits | None, progress: Progress | None) -> ParsedFile:
    inspection = inspect(data, filename, limits)
    sheets = read_sheets(data, filename, inspection.format, inspection.empty_formulas)
    parsed = ParsedFile(filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        format=inspection.format, sheets=[])
    for index, sheet in enumerate(sheets):
        if progress:
            progress("read", 0, 0)
        if hasattr(sheet, "load"):
            sheet.load()
        parsed.sheets.append(_SheetParser(index, sheet, inspection.format, progress).run())
        if progress:
            progress("rows", sheet.height, sheet.height)
    if not parsed.sheets or all(s.kind is None and s.error is None for s in parsed.sheets):
        notes = " ".join(s.note for s in parsed.sheets if s.note)
        raise FileRefused(f"Tệp «{filename}» không có trang nào nhận ra được danh sách tài sản. {notes}".strip())
    if not any(s.rows for s in parsed.sheets) and not any(s.error for s in parsed.sheets):
        raise FileRefused(f"Tệp «{filename}» có dòng tiêu đề nhưng không có dòng tài sản nào.")
    return parsed

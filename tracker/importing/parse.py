"""From a file's bytes to validated rows, per sheet: the pure half of an import (no database).

check the file (safety) -> read its sheets (reading) -> find each header (headers) and read the
lines above it (context) -> the kind (kinds) -> the choice columns by their values (roles) ->
classify the rows under the header (rows) -> map the choice values (assets.choices, the
officer's mapping) and validate each data row with ``tracker.assets.validation`` -> check the
list's own sums (totals). An officer's ``Mapping`` decides first wherever it speaks. What one cell
says (a span of years, money in the list's unit, an HQ's holder) is read by ``cells``.
Holders are kept as the names the file writes, strongest first; the planner resolves them.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from itertools import chain, islice

from tracker.assets.choices import BY_FIELD, value_key
from tracker.assets.parsing import is_blank
from tracker.assets.validation import validate, validate_columns
from tracker.importing import headers as h
from tracker.importing import roles
from tracker.importing.agencies import is_unit_itself, parse_agency
from tracker.importing.bulk import collector_paused
from tracker.importing.cells import (cell_label, column_letter, field_label, hq_holder, picker, scale_words, scaled,
                                     split_span)
from tracker.importing.context import TitleContext, money_scale, read_title
from tracker.importing.kinds import detect_kind
from tracker.importing.mapping import MappingBook
# The shapes it builds live in ``parsed``; importers of this module find them here too.
from tracker.importing.parsed import (COLUMN, FONDS, NAME, SECTION, UNIT_SECTION, ParsedFile, ParsedRow,  # noqa: F401
                                      ParsedSheet, ValueReading, _new_row)  # noqa: F401
from tracker.importing.reading import SheetData, normalise_cell, read_sheets
from tracker.importing.rows import UNIT_WORDS, Classifier, RowClass, fonds_holder, is_fonds_text
from tracker.importing.safety import FileRefused, Limits, inspect
from tracker.importing.totals import MONEY, SUM_FIELDS, TotalsChecker
from tracker.models import AssetKind
from tracker.text import clean, fold

Progress = Callable[[str, int, int], None]  # stage ('read', 'rows'), rows done, rows in the sheet
_NOTES_SHEET = re.compile(r"^(huong dan|ghi chu|chu thich|giai thich|notes?|instructions?|readme)\b")
CHUNK_ROWS = 20_000  # data rows validated together: big enough to be fast, small enough to bound memory



class _SheetParser:
    """Walks one sheet's rows once, keeping only what the import needs."""

    def __init__(self, sheet: SheetData, fmt: str, progress: Progress | None, book: MappingBook, source: str):
        self.sheet, self.fmt, self.progress, self.book, self.file_source = sheet, fmt, progress, book, source
        self.result = ParsedSheet(name=sheet.name)
        self.mapping = book.for_source(source)
        self._holders: dict[tuple, tuple[str, ...]] = {}

    def letter(self, col: int) -> str:
        return column_letter(self.sheet.first_col + col)

    def run(self) -> ParsedSheet:
        sheet, result = self.sheet, self.result
        if _NOTES_SHEET.match(fold(sheet.name)):
            return result  # the templates' own "Hướng dẫn" sheet, and the like: not a list
        rows = iter(sheet.rows)
        head = [row for _, row in zip(range(h.SEARCH_ROWS), rows)]
        merged = self._merged_by_row()
        header = h.find_header(head, merged, self.mapping.header_rules(None))
        if header is None:
            result.note = (f"Trang «{sheet.name}»: không tìm thấy dòng tiêu đề cột (cần ít nhất «Tên tài sản» "
                           "hoặc «Biển kiểm soát», «Số hộp», «Địa chỉ», và một cột khác như «Số lượng», "
                           "«Nguyên giá»…); trang này được bỏ qua.")
            return result
        context = read_title(head[:header.row_index])
        if context.source_key and context.source_key != self.file_source:
            self.mapping = self.book.for_source(context.source_key)  # this sheet's own letterhead
            header = h.find_header(head, merged, self.mapping.header_rules(None)) or header
            context = read_title(head[:header.row_index])
        result.context = context
        header.apply(self.mapping.header_rules(None), self.letter)
        result.header_row = sheet.first_row + header.row_index + header.height
        start = header.row_index + header.height
        ahead = list(islice(rows, roles.SAMPLE_ROWS))
        sample = (head[start:] + ahead)[:roles.SAMPLE_ROWS]
        kind = self._kind(header, context)
        if kind is None:
            return result
        header.apply(self.mapping.header_rules(kind), self.letter)
        h.restrict_to_kind(header, kind)
        result.notes += roles.refine(header, kind, sample, header.mapped, h.allowed_fields(kind))
        # A box list may give its fonds in a line above the table or in its section rows ("Phông UBND
        # phường …"); a box that ends up with none is refused row by row.
        context_fields = {"fonds"} if kind == AssetKind.ARCHIVE_BOX else set()
        self._describe(header, kind, context_fields)
        if missing := h.missing_required(header, context_fields):
            result.error = (f"Trang «{sheet.name}» ({kind.label}): thiếu cột bắt buộc "
                            + ", ".join(f"«{m}»" for m in missing) + ". Hãy chỉ cột nào ghi "
                            + ("nó" if len(missing) == 1 else "chúng") + " trong bảng «Các cột» bên dưới.")
            return result
        result.value_names = tuple(validate(kind, {})[0])
        self._walk(header, kind, chain(head[start:], ahead), rows, context)
        return result

    def _kind(self, header: h.Header, context: TitleContext) -> AssetKind | None:
        result = self.result
        kind = self.mapping.kind_for(self.sheet.name, context.title)
        if kind is not None:
            result.kind_mapped, result.kind_reason = True, "theo ánh xạ của cán bộ"
        else:
            fields = set(header.columns.values()) | ({"span_start"} if h.SPAN in header.columns.values() else set())
            guess = detect_kind(fields, title=context.title, sheet=self.sheet.name, letterhead=context.source_label)
            kind, result.kind_reason = guess.kind, guess.reason
        if kind is None:
            result.error = (f"Trang «{self.sheet.name}»: không xác định được loại tài sản ({result.kind_reason}). "
                            "Hãy chọn loại của trang này ở bảng «Các cột» bên dưới.")
            result.columns = [(self.letter(c), t, h.SPECIAL_LABELS.get(header.columns.get(c, ""), "")
                               or field_label(header.columns.get(c))) for c, t in sorted(header.texts.items()) if t]
            result.unmatched = [(self.letter(c), t) for c, t in sorted(header.texts.items())
                                if t and c not in header.columns]
        result.kind = kind
        return kind

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
        result.mapped_letters = {self.letter(c) for c in header.mapped}
        for col, text in sorted(header.texts.items()):
            if not text and col not in header.columns:
                continue
            letter, name = self.letter(col), header.columns.get(col)
            if name is None:
                result.unmatched.append((letter, text))
                continue
            label = h.SPECIAL_LABELS.get(name) or field_label(name)
            written = header.labels.get(name, text)
            result.columns.append((letter, written, label))
            result.column_fields[letter] = name
            result.column_labels[name] = f"«{written}» (cột {letter})"
            scale = money_scale(written) if name in MONEY else 1
            if name in MONEY and (scale := scale if scale > 1 else result.context.money_scale) > 1:
                result.money_scales[name] = scale
        if h.SPAN in header.columns.values():
            result.column_labels["span_start"] = result.column_labels["span_end"] = result.column_labels[h.SPAN]
        for name, scale in result.money_scales.items():
            result.notes.append(f"«{field_label(name)}» ghi theo đơn vị {scale_words(scale)}: nhân {scale:,} để ra "
                                "đồng.".replace(",", "."))

    def _vertical_fills(self, header: h.Header) -> dict[int, list[tuple[int, int, int]]]:
        """Cells under a vertical merge in the label columns -> the merge's top cell (absolute rows)."""
        label_cols = {c for c, n in header.columns.items() if n not in SUM_FIELDS and n != h.STT}
        fills: dict[int, list[tuple[int, int, int]]] = {}
        for (r1, c1), (r2, c2) in self.sheet.merged:
            if r2 <= r1:
                continue
            for col in range(c1 - self.sheet.first_col, c2 - self.sheet.first_col + 1):
                if col in label_cols:
                    for row in range(r1 + 1, r2 + 1):
                        fills.setdefault(row, []).append((col, r1, c1 - self.sheet.first_col))
        return fills

    def _walk(self, header, kind, first_rows, rest, context: TitleContext) -> None:
        result, sheet = self.result, self.sheet
        classifier = Classifier(header, set(SUM_FIELDS))
        totals = TotalsChecker(kind, header.columns, result.value_names, result.money_scales)
        fields = [(c, n) for c, n in sorted(header.columns.items()) if n not in (h.STT, h.UNIT, h.RECEIVER, h.SPAN)]
        unit_col, receiver_col, span_col = (header.column_of(n) for n in (h.UNIT, h.RECEIVER, h.SPAN))
        name_col = header.column_of("name") if kind == AssetKind.HEADQUARTERS else None
        fonds_col = header.column_of("fonds")
        fills = self._vertical_fills(header)
        anchors: dict[int, set[int]] = {}  # row -> columns of merges' top cells
        for spots in fills.values():
            for _col, r, c in spots:
                anchors.setdefault(r, set()).add(c)
        anchor_values: dict[tuple[int, int], object] = {}
        formula_rows = {r for r, _c in sheet.empty_formulas}
        is_csv = self.fmt == "csv"
        chunk = _Chunk(fields)
        cols = [c for c, _n in fields]
        pick = picker(cols)
        last_col = max(cols)
        archive = kind == AssetKind.ARCHIVE_BOX
        state = {"section": None, "unit_section": None, "fonds": context.fonds_line}
        # Most lists name holders only in section rows: then a row's holder is the sections', kept ready.
        per_row = unit_col is not None or name_col is not None or archive
        state["holder"] = self._holder(None, None, state, None)
        number = sheet.first_row + header.row_index + header.height  # 1-based number of the row before
        for row in chain(first_rows, rest):
            number += 1
            if fills or anchors:
                row = self._fill(row, number - 1, fills, anchors, anchor_values)
            cls, text = classifier.classify(row)
            if cls is not RowClass.DATA:
                self._non_data(cls, text, number, row, totals, state, archive, len(result.rows) + len(chunk.meta))
                if cls is RowClass.SECTION:
                    state["holder"] = self._holder(None, None, state, None)
                continue
            width = len(row)
            chunk.cells.append(pick(row) if width > last_col else tuple(row[c] if c < width else None for c in cols))
            if span_col is not None:
                chunk.spans.append(row[span_col] if span_col < width else None)
            if archive:
                chunk.fonds.append(state["fonds"])
            if per_row:
                own_fonds = cell_label(row, fonds_col) if archive else None
                holder = self._holder(cell_label(row, unit_col), hq_holder(cell_label(row, name_col)), state,
                                      own_fonds or state["fonds"] if archive else None)
            else:
                holder = state["holder"]
            chunk.meta.append((number, holder, cell_label(row, receiver_col) if receiver_col is not None else None))
            if (formula_rows and number - 1 in formula_rows) or (is_csv and any(
                    str(row[c])[:1] == "=" for c, _n in fields if c < width)):
                chunk.formulas[len(chunk.meta) - 1] = self._formula_errors(row, number, fields)
            if len(chunk.meta) >= CHUNK_ROWS:
                self._validate(chunk, kind, archive)
                chunk = _Chunk(fields)
        self._validate(chunk, kind, archive)
        result.totals = totals.replay(result.rows)

    @staticmethod
    def _fill(row: list, index: int, fills, anchors, anchor_values) -> list:
        """The row with the blank cells under a vertical merge given the merge's text."""
        for col in anchors.get(index, ()):
            if col < len(row):
                anchor_values[(index, col)] = row[col]
        spots = fills.get(index)
        if not spots:
            return row
        row = list(row) + [None] * max(0, max(col for col, _r, _c in spots) + 1 - len(row))
        for col, r, c in spots:
            if row[col] in (None, ""):
                row[col] = anchor_values.get((r, c))
        return row

    def _holder(self, column: str | None, own_name: str | None, state: dict, fonds: str | None) -> tuple[str, ...]:
        """The holder names of a row, strongest first, as one shared tuple per distinct combination."""
        key = (column, own_name, state["section"], state["unit_section"], fonds)
        found = self._holders.get(key)
        if found is None:
            parts = [(COLUMN, column), (NAME, own_name), (SECTION, state["section"]),
                     (UNIT_SECTION, state["unit_section"]), (FONDS, fonds_holder(fonds) if fonds else None)]
            found = self._holders[key] = tuple(f"{where}{text}" for where, text in parts if text)
        return found

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
        for name, scale in self.result.money_scales.items():
            if name in raw:
                raw[name] = scaled(raw[name], scale)
        for name in BY_FIELD:
            if name in raw:
                raw[name] = self._read_choices(name, raw[name])
        typed, errors = validate_columns(kind, raw, count)
        for index, messages in chunk.formulas.items():
            errors.setdefault(index, {}).update(messages)
        problems = [None] * count
        for index, messages in errors.items():
            problems[index] = list(messages.items())
        numbers, holders, receivers = zip(*chunk.meta)
        values = zip(*(typed[n] for n in self.result.value_names))
        self.result.rows.extend(map(_new_row, zip(numbers, holders, receivers, values, problems)))
        if self.progress:
            self.progress("rows", chunk.meta[-1][0] - self.sheet.first_row, self.sheet.height)

    def _read_choices(self, name: str, column: list) -> list:
        """A choice column's values as the choices they mean (the officer's mapping first), each distinct
        value read once and reported; values nothing matched stay as written, for validation to refuse."""
        vocabulary, readings = BY_FIELD[name], self.result.readings.setdefault(name, {})
        meaning = {}
        for value, count in Counter(column).items():  # each distinct value once
            if is_blank(value):
                continue
            key = value_key(value)
            mapped = self.mapping.value_for(name, value)
            if mapped is not None:
                member_value, how = mapped, "mapping"
            else:
                member, how = vocabulary.read(value)
                member_value = member.value if member is not None else None
            reading = readings.get(key)
            if reading is None:
                reading = readings[key] = ValueReading(clean(str(value))[:60], member_value, how)
            reading.count += count
            meaning[value] = member_value if member_value is not None else value
        return list(map(meaning.get, column, column))  # blanks and values nothing matched stay as written

    def _non_data(self, cls, text, number, row, totals, state, archive, data_rows) -> None:
        result = self.result
        result.skipped[cls] += 1
        if cls is RowClass.SECTION:
            fonds = is_fonds_text(text)
            if archive and fonds:
                state["fonds"] = text
            holder = fonds_holder(text) if fonds else text
            if is_unit_itself(holder) or (parse_agency(holder) is None and UNIT_WORDS.search(fold(holder))):
                state["unit_section"], state["section"] = holder, None
            elif parse_agency(holder) is not None:
                state["section"] = holder  # an agency within the unit section above it, if any
                if fonds:  # fonds sit side by side, not within one another
                    state["unit_section"] = None
            elif fonds:
                state["unit_section"] = state["section"] = None
            totals.section_row(number, text, row, data_rows)
        elif cls is RowClass.SUBTOTAL:
            totals.subtotal_row(number, text, row, data_rows)
        elif cls is RowClass.TOTAL:
            totals.total_row(number, text, row, data_rows)
        if cls in (RowClass.SECTION, RowClass.HEADING) and len(result.sections) < 500:
            result.sections.append((number, cls.value, text))

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
        self.meta: list[tuple[int, tuple, str | None]] = []  # (row number, holder names, receiver named)
        self.formulas: dict[int, dict[str, str]] = {}


def parse_file(data: bytes, filename: str, *, limits: Limits | None = None, progress: Progress | None = None,
               mappings: MappingBook | None = None) -> ParsedFile:
    """Check, read and understand a whole file; raises FileRefused when it cannot be read at all."""
    with collector_paused():
        return _parse_file(data, filename, limits, progress, mappings or MappingBook())


def _parse_file(data: bytes, filename: str, limits: Limits | None, progress: Progress | None,
                book: MappingBook) -> ParsedFile:
    inspection = inspect(data, filename, limits)
    sheets = read_sheets(data, filename, inspection.format, inspection.empty_formulas)
    parsed = ParsedFile(filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        format=inspection.format, sheets=[])
    for sheet in sheets:
        if progress:
            progress("read", 0, 0)
        if hasattr(sheet, "load"):
            sheet.load()
        parser = _SheetParser(sheet, inspection.format, progress, book, parsed.source_key)
        parsed.sheets.append(parser.run())
        context = parsed.sheets[-1].context
        if not parsed.source_key and context.source_key:
            parsed.source_key, parsed.source_label = context.source_key, context.source_label
        parsed.mapping = parsed.mapping.merged(parser.mapping)
        if progress:
            progress("rows", sheet.height, sheet.height)
    if not parsed.sheets or all(s.kind is None and s.error is None for s in parsed.sheets):
        notes = " ".join(s.note for s in parsed.sheets if s.note)
        raise FileRefused(f"Tệp «{filename}» không có trang nào nhận ra được danh sách tài sản. {notes}".strip())
    if not any(s.rows for s in parsed.sheets) and not any(s.error for s in parsed.sheets):
        raise FileRefused(f"Tệp «{filename}» có dòng tiêu đề nhưng không có dòng tài sản nào.")
    return parsed

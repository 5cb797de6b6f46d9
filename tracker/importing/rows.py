"""Telling the rows of a hand-made list apart: data, or one of the rows that are not assets. Pure.

Real lists carry, under their header: a row of column numbers "(1) (2) (3)…"; section rows
("II | UBND phường Thắng Lợi") naming the unit of the rows under them; group headings;
subtotals ("Cộng") and a grand total ("TỔNG CỘNG"); blank rows; an example row in the
templates; the header repeated at a page break; and, at the bottom, the place-and-date line and
the signature blocks. Everything else is data.
"""
from __future__ import annotations

import enum
import re

from tracker.importing.agencies import is_level_heading, is_unit_itself, parse_agency
from tracker.importing.headers import STT, Header, match
from tracker.text import clean, fold


class RowClass(str, enum.Enum):
    """What a row is; every class but DATA is skipped as non-data."""

    DATA = "data"
    BLANK = "blank"
    COLUMN_NUMBERS = "column_numbers"
    EXAMPLE = "example"
    REPEATED_HEADER = "repeated_header"
    SECTION = "section"
    HEADING = "heading"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    FOOTER = "footer"


SKIP_LABELS = {
    RowClass.BLANK: "Dòng trống",
    RowClass.COLUMN_NUMBERS: "Dòng đánh số cột (1), (2), (3)…",
    RowClass.EXAMPLE: "Dòng ví dụ của mẫu",
    RowClass.REPEATED_HEADER: "Dòng tiêu đề cột lặp lại",
    RowClass.SECTION: "Dòng tên đơn vị hoặc phông (mục)",
    RowClass.HEADING: "Dòng tiêu đề nhóm",
    RowClass.SUBTOTAL: "Dòng cộng",
    RowClass.TOTAL: "Dòng tổng cộng",
    RowClass.FOOTER: "Phần ký tên, ghi chú cuối bảng",
}

_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_SECTION_MARK = re.compile(r"^(?:phần|mục|khối|PHẦN|MỤC|KHỐI|Phần|Mục|Khối)?\s*([A-Za-z]|[IVXLCivxlc]+)\s*[.:)\-]?$")
_NUMBERED_TEXT = re.compile(r"^([IVXLC]+|[A-Z]|\d+(?:\.\d+)*)\s*[.):\-–]\s*(\S.{2,})$")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[a-z])\s*\)?$")
_TOTAL = re.compile(r"^tổng\s*(cộng|số)(?!\w)")
_SUBTOTAL = re.compile(r"^cộng(?!\w)")
_TOTAL_PLAIN = re.compile(r"^tong\s*(cong|so)\b")
_SUBTOTAL_PLAIN = re.compile(r"^cong\s*(?:[:.\-]|$|(?:[ivxlc]+|[a-z]|\d+|phan|muc|nhom)\b)")
_FOOTER = re.compile(
    r"^\(?\s*(nguoi lap|ke toan|thu truong|chu tich|pho chu tich|giam doc|pho giam doc|dai dien|xac nhan|"
    r"truong phong|truong ban|tm\b|t/m\b|kt\b|k/t\b|q\b|ky ten|ky,|ky va|ky ghi|ho va ten|noi nhan|can bo lap)")
# The place-and-date line: "Sông Công, ngày 05 tháng 07 năm 2025", "ngày … tháng … năm …".
DATE_LINE = re.compile(r"\bngay\s*[\d./…_ ]*\s*thang\s*[\d./…_ ]*\s*nam\b")
_EXAMPLE = re.compile(r"^(vi du|vd|mau)\b")
# A notes block under the table: "Ghi chú:", "Lưu ý:", "(*) …", "* Tài sản số 5 đang chờ thanh lý."
_NOTES = re.compile(r"^(?:\(?\*+\)?|(?:ghi chu|luu y|chu y|nguon so lieu|nguon|ghi chu chung)\s*[:.\-])")
UNIT_WORDS = re.compile(r"\b(xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tp|tx|tt|ubnd|uy ban nhan dan|"
                        r"dang uy|hdnd|hoi dong nhan dan)\b")
# "Phông" (an archive fonds) and "Phòng" (a room, a department) fold alike: tell them by their accent.
_FONDS_PREFIX = re.compile(r"^(?:tên\s+)?phông(?:\s+lưu\s+trữ)?\b\s*[:\-–]?\s*", re.IGNORECASE)
_FONDS_PREFIX_PLAIN = re.compile(r"^(?:ten\s+)?phong\s+luu\s+tru\b\s*[:\-–]?\s*", re.IGNORECASE)


def is_fonds_text(text: str) -> bool:
    """'Phông UBND phường Thắng Lợi', 'Phông lưu trữ …' (and 'phong luu tru …' typed without accents)."""
    cleaned = clean(text)
    return bool(_FONDS_PREFIX.match(cleaned) or _FONDS_PREFIX_PLAIN.match(cleaned))


def fonds_holder(text: str) -> str:
    """The body a fonds is named after: 'Phông UBND phường Thắng Lợi' -> 'UBND phường Thắng Lợi'."""
    cleaned = clean(text)
    return _FONDS_PREFIX.sub("", cleaned, count=1) if _FONDS_PREFIX.match(cleaned) else \
        _FONDS_PREFIX_PLAIN.sub("", cleaned, count=1)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _filled(value) -> bool:
    return value is not None and value != "" and not (isinstance(value, str) and not value.strip())


def names_holder(text: str) -> bool:
    """The text names a unit or an agency ('UBND phường Thắng Lợi', 'Phòng Nội vụ'), not an asset."""
    return is_unit_itself(text) or parse_agency(text) is not None


def is_sum_label(text: str) -> RowClass | None:
    """TOTAL for 'TỔNG CỘNG', SUBTOTAL for 'Cộng', 'Cộng I', 'Cộng:'; not for 'Cổng sắt' or 'Công tơ'."""
    lower = clean(text).lower()
    if lower.isascii():  # written without diacritics: only then may 'cong' mean 'cộng'
        if _TOTAL_PLAIN.match(lower):
            return RowClass.TOTAL
        return RowClass.SUBTOTAL if _SUBTOTAL_PLAIN.match(lower) else None
    if _TOTAL.match(lower):
        return RowClass.TOTAL
    return RowClass.SUBTOTAL if _SUBTOTAL.match(lower) else None


def is_footer_text(text: str) -> bool:
    """Signature-block words or the place-and-date line."""
    folded = fold(text)
    return bool(_FOOTER.match(folded) or DATE_LINE.search(folded))


def section_number(value) -> bool:
    """'I', 'II.', 'A', 'Phần II': the numbering of a section, not of an asset ('a', 'b' number sub-items)."""
    if not isinstance(value, str):
        return False
    found = _SECTION_MARK.match(clean(value))
    if not found:
        return False
    mark = found.group(1)
    return mark.isupper() and (len(mark) == 1 or bool(_ROMAN.match(mark.lower())))


class Classifier:
    """Classifies the rows under one header, in order (it remembers when the signature part began)."""

    def __init__(self, header: Header, numeric_fields: set[str]):
        self.header = header
        self.stt = header.column_of(STT)
        self.numeric_cols = {c for c, n in header.columns.items() if n in numeric_fields}
        self.in_footer = False
        self.after_header = 0

    def classify(self, row: list) -> tuple[RowClass, str]:
        """The row's class and, for sections and headings, their text."""
        self.after_header += 1
        stt = row[self.stt] if self.stt is not None and self.stt < len(row) else None
        if not self.in_footer and _is_number(stt) and stt > 0 and self.after_header > 3:
            return RowClass.DATA, ""  # the common case, decided without looking further
        cells = [(i, v) for i, v in enumerate(row) if _filled(v)]
        if not cells:
            return RowClass.BLANK, ""
        if self.in_footer:
            return RowClass.FOOTER, ""
        if self.after_header <= 3 and len(cells) >= 3 and self._column_numbers(cells):
            return RowClass.COLUMN_NUMBERS, ""
        texts = [(i, clean(v)) for i, v in cells if isinstance(v, str)]
        stt_text = fold(stt) if isinstance(stt, str) else ""
        if _EXAMPLE.match(stt_text) or (texts and _EXAMPLE.match(fold(texts[0][1])) and not _is_number(stt)):
            return RowClass.EXAMPLE, ""
        for _i, text in texts[:2]:
            kind = is_sum_label(text)
            if kind:
                return kind, text
        numbered = _is_number(stt) or (isinstance(stt, str) and re.match(r"^\d+(\.\d+)*\.?$", stt.strip()))
        if not numbered and any(is_footer_text(t) for _i, t in texts[:3]):
            self.in_footer = True
            return RowClass.FOOTER, ""
        if not numbered and len(texts) == len(cells) <= 2 and _NOTES.match(fold(texts[0][1])):
            self.in_footer = True  # a notes block: what follows is notes and signatures, not assets
            return RowClass.FOOTER, ""
        if not numbered and self._repeats_header(cells):
            return RowClass.REPEATED_HEADER, ""
        others = [(i, t) for i, t in texts if i != self.stt]
        if len(cells) == 1 and texts and texts[0][0] == self.stt and (inline := _NUMBERED_TEXT.match(texts[0][1])):
            return self._section_or_heading(inline.group(2))  # "I. Phông UBND phường Thắng Lợi" in the STT cell
        if section_number(stt) and others:
            return self._section_or_heading(others[0][1])
        rest = [(i, v) for i, v in cells if i != self.stt and not isinstance(v, str)]
        if not numbered and len(others) == 1 and all(i in self.numeric_cols for i, _v in rest):
            return self._section_or_heading(others[0][1])
        if numbered and len(others) == 1 and not rest and names_holder(others[0][1]):
            # "1 | Phòng Nội vụ" with nothing else: a sub-section numbered like an asset
            return RowClass.SECTION, others[0][1]
        return RowClass.DATA, ""

    @staticmethod
    def _section_or_heading(text: str) -> tuple[RowClass, str]:
        folded = fold(text)
        if is_level_heading(text):
            return RowClass.HEADING, text  # "II / CÁC PHƯỜNG, XÃ": a level, not a unit
        if UNIT_WORDS.search(folded) or is_fonds_text(text) or parse_agency(text) is not None:
            return RowClass.SECTION, text
        return RowClass.HEADING, text

    @staticmethod
    def _column_numbers(cells: list) -> bool:
        numbers = []
        for _i, value in cells:
            if _is_number(value):
                numbers.append(int(value))
                continue
            found = _COLUMN_NUMBER.match(fold(str(value)))
            if not found:
                return False
            if found.group(1).isdigit():
                numbers.append(int(found.group(1)))
        return all(b > a for a, b in zip(numbers, numbers[1:]))

    def _repeats_header(self, cells: list) -> bool:
        hits = sum(1 for i, v in cells if isinstance(v, str) and i in self.header.columns
                   and match(v)[0] == self.header.columns[i])
        return hits >= max(2, len(self.header.columns) // 2)

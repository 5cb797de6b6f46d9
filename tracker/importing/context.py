"""What the lines above a list's header say: who issued it, its title, its unit, fonds and money unit. Pure.

A hand-made list opens with its letterhead at the top left ("UBND THÀNH PHỐ SÔNG CÔNG",
"PHÒNG TÀI CHÍNH - KẾ HOẠCH"), the motto at the top right, its own title ("DANH MỤC MÁY MÓC,
THIẾT BỊ BÀN GIAO…") and subtitle lines ("(Kèm theo Biên bản…)"), and sometimes lines such as
"Đơn vị: UBND phường Thắng Lợi", "Tên phông: UBND xã Bá Xuyên" or "Đơn vị tính: 1.000 đồng".
Each text cell is sorted into one of these by its words; the letterhead is what stands before
the title and is none of the others.

The letterhead is also the list's *source*: the mapping an officer gives in a preview is
remembered for the next file with the same letterhead (``source_key``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.importing.rows import DATE_LINE
from tracker.text import clean, fold

_MOTTO = re.compile(r"cong hoa xa hoi chu nghia|doc lap\W+tu do\W+hanh phuc")
_TITLE = re.compile(r"^(danh muc|danh sach|bang ke|bang tong hop|bang thong ke|bao cao|bien ban|thong ke|"
                    r"ket qua|muc luc|tong hop|so theo doi|phu luc|bieu|mau so|kiem ke)\b")
_SUBTITLE = re.compile(r"^[(\[]|^(kem theo|tinh den|thoi diem|tai thoi diem|ngay \d|theo )")
_NUMBER = re.compile(r"^so\s*:")
_UNIT_LINE = re.compile(r"^(?:ten\s+)?(?:don vi|co quan)(?:\s+(?:bao cao|quan ly|ban giao|giao|su dung|lap))?\s*:\s*")
_FONDS_LINE = re.compile(r"^(?:ten\s+)?phong(?:\s+luu\s+tru)?\s*:\s*")
_SCALE_LINE = re.compile(r"^(?:don vi tinh|dvt|don vi)\s*:?\s*(.*dong.*)$")
_SCALES = ((re.compile(r"\bty\b"), 10**9), (re.compile(r"\btrieu\b|\btr\b"), 10**6),
           (re.compile(r"\bnghin\b|\bngan\b|1[.,\s]?000\b"), 10**3))
LETTERHEAD_LINES = 3


def money_scale(text: str) -> int:
    """1, 1,000, 1,000,000 or 10⁹: the money unit a header or a line states ('(triệu đồng)', 'ĐVT: 1.000đ')."""
    folded = fold(text)
    if "dong" not in folded and not re.search(r"\d\s*d\b|vnd", folded):
        return 1
    for pattern, scale in _SCALES:
        if pattern.search(folded):
            return scale
    return 1


def _after_colon(text: str) -> str | None:
    return text.split(":", 1)[1].strip(" .") or None if ":" in text else None


@dataclass
class TitleContext:
    """The lines above a header, sorted."""

    letterhead: list[str] = field(default_factory=list)  # as written, top first
    title: str = ""  # the list's own title and subtitle lines
    unit_line: str | None = None  # 'UBND phường Thắng Lợi' of 'Đơn vị: UBND phường Thắng Lợi'
    fonds_line: str | None = None
    money_scale: int = 1
    text: str = ""  # every line, for anything that needs the whole

    @property
    def source_label(self) -> str:
        """The letterhead as one line: 'UBND THÀNH PHỐ SÔNG CÔNG — PHÒNG TÀI CHÍNH - KẾ HOẠCH'."""
        return " — ".join(self.letterhead)

    @property
    def source_key(self) -> str:
        """The letterhead folded: files with the same one come from the same source."""
        return " | ".join(re.sub(r"[^0-9a-z]+", " ", fold(line)).strip() for line in self.letterhead)[:300]


def read_title(rows: list[list]) -> TitleContext:
    """Sort the text cells of the rows above a header (row by row, left to right)."""
    context = TitleContext()
    titles: list[str] = []
    texts: list[str] = []
    seen_title = False
    for row in rows:
        for cell in row:
            if not isinstance(cell, str) or not cell.strip():
                continue
            text = clean(cell)
            texts.append(text)
            folded = fold(text)
            if _MOTTO.search(folded) or _NUMBER.match(folded) or DATE_LINE.search(folded):
                continue
            if _FONDS_LINE.match(folded):
                context.fonds_line = context.fonds_line or _after_colon(text)
            elif (scale := _SCALE_LINE.match(folded)) is not None:
                context.money_scale = money_scale(scale.group(1))
            elif _UNIT_LINE.match(folded):
                context.unit_line = context.unit_line or _after_colon(text)
            elif _TITLE.match(folded):
                seen_title = True
                titles.append(text)
            elif _SUBTITLE.search(folded) or seen_title:
                titles.append(text)
            elif len(context.letterhead) < LETTERHEAD_LINES and not re.fullmatch(r"[\d\W_]*", folded):
                context.letterhead.append(text)
    context.title = " ".join(titles)
    context.text = " ".join(texts)
    return context

"""Finding the header of a hand-made list and what each column holds. Pure.

Officials word headers their own way ("Nguyên giá", "NGUYÊN GIÁ (đồng)", "Nguyên giá (VNĐ)";
"Biển kiểm soát", "Biển số xe"), merge cells over two header rows, and put titles above.
Each cell is folded (no diacritics, lower case, punctuation to spaces) and scored against the
field labels of ``tracker.assets.fields`` plus the synonyms below; the row (or two or three
merged rows) recognising the most fields is the header. An officer's column rules
(``importing.mapping``) decide before the synonyms for the headers they name; ``kinds`` then
tells the asset kind and ``roles`` checks the choice columns by their values.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from tracker.assets.fields import BY_KIND, COMMON, NAME_FROM, fields_for
from tracker.models import AssetKind
from tracker.text import fold

# Columns the importer reads besides asset fields.
STT, UNIT, RECEIVER, SPAN = "_stt", "_unit", "_receiver", "_span"
IGNORE = "_ignore"  # an officer's rule: this column holds nothing to import
SPECIAL_LABELS = {STT: "STT", UNIT: "Đơn vị, cơ quan đang quản lý", RECEIVER: "Đơn vị dự kiến nhận",
                  SPAN: "Thời gian tài liệu"}
SEARCH_ROWS = 40  # headers sit near the top; titles, motto and unit lines above them

SYNONYMS: dict[str, tuple[str, ...]] = {
    STT: ("stt", "tt", "so tt", "so thu tu"),
    UNIT: ("don vi", "ten don vi", "don vi quan ly", "don vi su dung", "don vi giao", "don vi ban giao",
           "co quan don vi", "don vi giao da giai the", "don vi da giai the", "ten co quan don vi",
           "don vi dang quan ly", "co quan dang quan ly", "co quan quan ly", "don vi co quan", "co quan",
           "don vi quan ly su dung", "bo phan su dung", "bo phan quan ly", "noi su dung", "don vi dang su dung",
           "co quan don vi su dung", "ten co quan"),
    RECEIVER: ("don vi du kien nhan", "don vi nhan", "don vi tiep nhan", "don vi nhan ban giao",
               "don vi du kien tiep nhan"),
    SPAN: ("thoi gian tai lieu", "thoi gian", "nam tai lieu"),
    "code": ("ma tai san", "ma ts", "ma so tai san", "ma", "ma so", "so hieu tai san", "ma the tai san"),
    "name": ("ten tai san", "danh muc tai san", "ten", "ten thiet bi", "ten may moc thiet bi", "ten xe",
             "ten tai san thiet bi may moc", "ten quy cach tai san", "ten nhan hieu quy cach", "ten co so",
             "ten tru so", "ten co so nha dat", "ten hop", "tieu de", "tieu de ho so", "noi dung",
             "trich yeu noi dung", "danh muc", "ten tai san thiet bi", "ten loai tai san"),
    "quantity": ("so luong", "sl"),
    "unit_of_measure": ("don vi tinh", "dvt", "dv tinh"),
    "original_cost": ("nguyen gia", "gia tri nguyen gia", "nguyen gia theo so ke toan"),
    "remaining_value": ("gia tri con lai", "gtcl", "con lai", "gia tri con lai theo so ke toan"),
    "condition": ("tinh trang", "tinh trang tai san", "tinh trang ky thuat", "chat luong", "chat luong con lai"),
    "ownership": ("phan loai kiem ke", "phan loai", "ket qua kiem ke"),
    "current_use": ("hien trang su dung", "hien trang", "muc dich su dung hien nay", "dang su dung vao"),
    "intended_use": ("phuong an su dung", "phuong an xu ly", "du kien su dung", "phuong an sap xep",
                     "phuong an su dung sau sap xep"),
    "documents": ("ho so kem theo", "giay to kem theo", "ho so giay to kem theo", "ho so giay to"),
    "notes": ("ghi chu",),
    "address": ("dia chi", "dia diem", "vi tri", "dia chi tru so"),
    "land_area": ("dien tich dat", "dt dat", "dien tich khuon vien"),
    "floor_area": ("dien tich san", "dt san", "dien tich san xay dung", "dien tich xay dung"),
    "year_built": ("nam xay dung", "nam xd"),
    "land_certificate_no": ("so gcn", "so giay chung nhan", "giay chung nhan", "gcn qsdd", "so gcn qsdd"),
    "plate": ("bien kiem soat", "bien so", "bien so xe", "bks"),
    "make_model": ("nhan hieu", "nhan hieu loai xe", "loai xe", "hieu xe", "nhan hieu xe", "loai xe nhan hieu",
                   "nhan hieu so loai", "hang xe", "loai xe hieu xe"),
    "seats": ("so cho ngoi", "so cho", "so ghe"),
    "year_made": ("nam san xuat", "nam sx"),
    "year_in_use": ("nam dua vao su dung", "nam su dung", "nam bat dau su dung", "nam dua vao sd", "nam sd",
                    "nam mua sam", "nam mua", "nam trang bi", "nam dua vao", "thoi gian dua vao su dung"),
    "odometer_km": ("so km da di", "so km", "km da di", "so km da chay"),
    "equipment_type": ("loai thiet bi", "loai tai san", "chung loai", "nhom tai san", "loai"),
    "serial": ("so hieu", "so serial", "so seri", "serial", "so may", "so hieu so serial"),
    "fonds": ("phong luu tru", "ten phong", "phong", "ten phong luu tru"),
    "box_no": ("so hop", "hop so", "hop"),
    "files_count": ("so ho so", "so luong ho so", "don vi bao quan", "so dvbq", "dvbq", "so ho so dvbq"),
    "span_start": ("thoi gian tai lieu tu nam", "tu nam", "nam bat dau"),
    "span_end": ("thoi gian tai lieu den nam", "den nam", "nam ket thuc"),
    "linear_m": ("so met gia", "met gia", "so met"),
    "arrangement": ("tinh trang chinh ly", "chinh ly", "da chinh ly chua"),
    "retention": ("thoi han bao quan", "thoi han"),
    "digitised": ("da so hoa", "so hoa"),
}
# Fields that identify an asset row; a header must find at least one.
ANCHORS = {"name", "code", "plate", "fonds", "box_no", "address"}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\(.*?\)|\[.*?\]")


def key(text) -> str:
    """Folded, punctuation-free form of a header cell: 'NGUYÊN GIÁ (đồng)' -> 'nguyen gia dong'."""
    return _NOT_ALNUM.sub(" ", fold(str(text))).strip()


def _all_synonyms() -> dict[str, tuple[str, ...]]:
    """The table above plus every field's own label, with and without its bracketed part."""
    table = {name: set(words) for name, words in SYNONYMS.items()}
    for f in COMMON + tuple(f for fs in BY_KIND.values() for f in fs):
        table.setdefault(f.name, set()).update({key(f.label), key(_PARENS.sub(" ", f.label))})
    return {name: tuple(sorted(words, key=len, reverse=True)) for name, words in table.items()}


_TABLE = _all_synonyms()


def match(text) -> tuple[str | None, int]:
    """The field a header cell names and how sure: exact > starts with > contains (longest wins)."""
    if text is None or isinstance(text, (int, float)) or str(text).strip() == "" or len(str(text)) > 120:
        return None, 0
    return _match(str(text))


@lru_cache(maxsize=8192)
def _match(text: str) -> tuple[str | None, int]:
    full = key(text)
    variants = {key(_PARENS.sub(" ", fold(str(text)))), full}
    best, best_score = None, 0
    for variant in variants:
        if not variant:
            continue
        padded = f" {variant} "
        for name, words in _TABLE.items():
            for word in words:
                if variant == word:
                    score = 1000 + len(word)
                elif " " not in word:
                    continue  # one-word synonyms ('ma', 'loai', 'hop') only match a whole cell
                elif variant.startswith(word + " "):
                    score = 500 + len(word)
                elif f" {word} " in padded:
                    score = 100 + len(word)
                else:
                    continue
                if score > best_score:
                    best, best_score = name, score
    return best, best_score


@dataclass
class Header:
    """A recognised header: where it is and which column holds which field."""

    row_index: int  # index (in the sheet's row list) of its first row
    height: int  # 1, 2 or 3 when merged cells split it over several rows
    columns: dict[int, str]  # column index -> field name (or one of STT/UNIT/RECEIVER/SPAN)
    labels: dict[str, str]  # field name -> the header text as written
    ignored: list[str] = field(default_factory=list)  # header texts not used
    kind: AssetKind | None = None
    texts: dict[int, str] = field(default_factory=dict)  # column index -> header text as written (all columns)
    mapped: set[int] = field(default_factory=set)  # columns an officer's mapping decided

    def column_of(self, name: str) -> int | None:
        return next((c for c, n in self.columns.items() if n == name), None)

    def apply(self, rules: dict[str, str], letter) -> None:
        """Put an officer's column rules (header key or '#H' -> field or IGNORE) over what was recognised."""
        for col, text in self.texts.items():
            rule = rules.get(key(text)) if text else None
            rule = rule or rules.get(f"#{letter(col)}")
            if rule is None:
                continue
            self.mapped.add(col)
            was = self.columns.pop(col, None)
            if was:
                self.labels.pop(was, None)
            if rule == IGNORE:
                continue
            other = self.column_of(rule)
            if other is not None:  # the field moves to the column the officer named
                del self.columns[other]
            self.columns[col] = rule
            self.labels[rule] = text
        self.ignored = [t for c, t in self.texts.items() if t and c not in self.columns]


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _map(texts: list[str], rules: dict[str, str] | None = None
         ) -> tuple[dict[int, str], dict[str, str], dict[str, int]]:
    """Best field per column; a field named twice keeps its surest column (the first on a tie).

    ``rules`` (an officer's, header key -> field) decide first for the headers they name.
    """
    chosen: dict[str, tuple[int, int]] = {}
    for col, text in enumerate(texts):
        rule = rules.get(key(text)) if rules and text else None
        if rule == IGNORE:
            continue
        name, score = (rule, 10_000) if rule else match(text)
        if name and (name not in chosen or score > chosen[name][1]):
            chosen[name] = (col, score)
    columns = {col: name for name, (col, _s) in chosen.items()}
    labels = {name: texts[col] for name, (col, _s) in chosen.items()}
    return columns, labels, {name: s for name, (_c, s) in chosen.items()}


def _worth(columns: dict[int, str]) -> int:
    names = set(columns.values())
    if not names & ANCHORS:
        return 0
    fields = names - {STT}
    return len(fields) if len(fields) >= 2 else 0


def _filled(upper: list[str], lower: list, merged: list[tuple[int, int]]) -> list[str]:
    """A header row with horizontally merged cells' text repeated over every column they span."""
    texts = list(upper) + [""] * max(0, len(lower) - len(upper))
    for first, last in merged:
        for col in range(first + 1, min(last + 1, len(texts))):
            texts[col] = texts[col] or texts[first]
    if not merged:  # CSV keeps no merge information: fill a blank upper cell over a labelled lower cell
        for col in range(1, len(texts)):
            if not texts[col] and col < len(lower) and _text(lower[col]) and _text(lower[col - 1]):
                texts[col] = texts[col - 1]
    return texts


def _stack(rows: list[list], start: int, height: int, merged_by_row: dict[int, list[tuple[int, int]]],
           rules: dict[str, str] | None) -> list[str]:
    """Per column, whichever of its header cells (or their run from the top) names a field most surely."""
    levels: list[list[str]] = []
    for offset in range(height):
        texts = [_text(c) for c in rows[start + offset]]
        below = rows[start + offset + 1] if offset + 1 < height else []
        levels.append(_filled(texts, below, merged_by_row.get(start + offset, [])) if offset + 1 < height else texts)
    width = max(len(level) for level in levels)
    combined = []
    for col in range(width):
        cells = [level[col] if col < len(level) else "" for level in levels]
        # The lowest cell first (a tie keeps it), then the higher ones, then the runs from each one down.
        options = [t for t in reversed(cells) if t]
        options += [" ".join(t for t in cells[i:] if t) for i in range(len(cells) - 1)]
        options = list(dict.fromkeys(o for o in options if o))

        def score(text: str) -> int:
            rule = rules.get(key(text)) if rules else None
            return 10_000 if rule and rule != IGNORE else match(text)[1]

        combined.append(max(options, key=score) if options else "")
    return combined


def find_header(rows: list[list], merged_by_row: dict[int, list[tuple[int, int]]] | None = None,
                rules: dict[str, str] | None = None) -> Header | None:
    """The header among the first rows: the one (or two or three merged ones) recognising the most fields."""
    merged_by_row = merged_by_row or {}
    best: Header | None = None
    best_worth = 0
    limit = min(len(rows), SEARCH_ROWS)
    for index in range(limit):
        texts = [_text(c) for c in rows[index]]
        if sum(1 for t in texts if t) < 2:
            continue
        candidates = [(texts, 1)]
        worth_before = _worth(_map(texts, rules)[0])
        for height in (2, 3):
            if index + height > len(rows):
                break
            stacked = _stack(rows, index, height, merged_by_row, rules)
            below = _worth(_map([_text(c) for c in rows[index + height - 1]], rules)[0])
            worth = _worth(_map(stacked, rules)[0])
            if worth > max(worth_before, below):
                candidates.append((stacked, height))
                worth_before = worth
        for used, height in candidates:
            cols, labs, _ = _map(used, rules)
            worth = _worth(cols)
            if worth > best_worth:
                ignored = [t for c, t in enumerate(used) if t and c not in cols]
                best, best_worth = Header(index, height, cols, labs, ignored,
                                          texts={c: t for c, t in enumerate(used)}), worth
    return best


def restrict_to_kind(header: Header, kind: AssetKind) -> None:
    """Drop columns the kind has no field for (listing them as ignored) and set the kind."""
    allowed = allowed_fields(kind)
    for col, name in list(header.columns.items()):
        if name not in allowed:
            header.ignored.append(header.labels.pop(name, name))
            del header.columns[col]
    header.kind = kind


def allowed_fields(kind: AssetKind) -> set[str]:
    """The fields a sheet of ``kind`` may fill, the importer's own columns included."""
    allowed = {f.name for f in fields_for(kind)} | {STT, UNIT, RECEIVER}
    if kind == AssetKind.ARCHIVE_BOX:
        allowed.add(SPAN)
    return allowed


def missing_required(header: Header, context: set[str] = frozenset()) -> list[str]:
    """Labels of required fields with no column (and no value from a title line, such as the fonds).

    The name is required only when the kind cannot make one up from the columns there are
    (``assets.fields.NAME_FROM``: a car from its plate, a box from its fonds and number…).
    """
    present = set(header.columns.values()) | set(context)
    if SPAN in present:
        present |= {"span_start", "span_end"}
    missing = []
    for f in fields_for(header.kind):
        if not f.required or f.name in present:
            continue
        if f.name == "name" and set(NAME_FROM[header.kind]) <= present:
            continue
        missing.append(f.label)
    return missing

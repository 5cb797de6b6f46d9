"""Finding the header of a hand-made list and what each column holds. Pure.

Officials word headers their own way ("Nguyên giá", "NGUYÊN GIÁ (đồng)", "Nguyên giá (VNĐ)";
"Biển kiểm soát", "Biển số xe"), merge cells over two header rows, and put titles above.
Each cell is folded (no diacritics, lower case, punctuation to spaces) and scored against the
field labels of ``tracker.assets.fields`` plus the synonyms below; the row (or pair of rows)
recognising the most fields is the header, and the fields it found tell the asset kind.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from tracker.assets.fields import BY_KIND, COMMON, fields_for
from tracker.models import AssetKind
from tracker.text import fold

# Columns the importer reads besides asset fields.
STT, UNIT, RECEIVER, SPAN = "_stt", "_unit", "_receiver", "_span"
SPECIAL_LABELS = {STT: "STT", UNIT: "Đơn vị", RECEIVER: "Đơn vị dự kiến nhận", SPAN: "Thời gian tài liệu"}
SEARCH_ROWS = 40  # headers sit near the top; titles, motto and unit lines above them

SYNONYMS: dict[str, tuple[str, ...]] = {
    STT: ("stt", "tt", "so tt", "so thu tu"),
    UNIT: ("don vi", "ten don vi", "don vi quan ly", "don vi su dung", "don vi giao", "don vi ban giao",
           "co quan don vi", "don vi giao da giai the", "don vi da giai the", "ten co quan don vi"),
    RECEIVER: ("don vi du kien nhan", "don vi nhan", "don vi tiep nhan", "don vi nhan ban giao",
               "don vi du kien tiep nhan"),
    SPAN: ("thoi gian tai lieu", "thoi gian", "nam tai lieu"),
    "code": ("ma tai san", "ma ts", "ma so tai san", "ma", "ma so", "so hieu tai san", "ma the tai san"),
    "name": ("ten tai san", "danh muc tai san", "ten", "ten thiet bi", "ten may moc thiet bi", "ten xe",
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
    "make_model": ("nhan hieu", "nhan hieu loai xe", "loai xe", "hieu xe", "nhan hieu xe"),
    "seats": ("so cho ngoi", "so cho", "so ghe"),
    "year_made": ("nam san xuat", "nam sx"),
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
KIND_FIELDS = {kind: {f.name for f in fields} for kind, fields in BY_KIND.items()}
KIND_HINTS = (  # words in a title or sheet name, when the columns alone do not tell
    (AssetKind.VEHICLE, r"\bxe\b|o to"),
    (AssetKind.ARCHIVE_BOX, r"luu tru|tai lieu|ho so|\bhop\b"),
    (AssetKind.HEADQUARTERS, r"tru so|nha dat|co so nha|nha lam viec"),
    (AssetKind.EQUIPMENT, r"thiet bi|may moc"),
)
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
    height: int  # 1, or 2 when merged cells split it over two rows
    columns: dict[int, str]  # column index -> field name (or one of STT/UNIT/RECEIVER/SPAN)
    labels: dict[str, str]  # field name -> the header text as written
    ignored: list[str] = field(default_factory=list)  # header texts not used
    kind: AssetKind | None = None

    def column_of(self, name: str) -> int | None:
        return next((c for c, n in self.columns.items() if n == name), None)


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _map(texts: list[str]) -> tuple[dict[int, str], dict[str, str], dict[str, int]]:
    """Best field per column; a field named twice keeps its surest column (the first on a tie)."""
    chosen: dict[str, tuple[int, int]] = {}
    for col, text in enumerate(texts):
        name, score = match(text)
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


def _filled_top(top: list, bottom: list, merged: list[tuple[int, int]]) -> list[str]:
    """The top header row with horizontally merged cells' text repeated over every column they span."""
    texts = [_text(c) for c in top] + [""] * max(0, len(bottom) - len(top))
    for first, last in merged:
        for col in range(first + 1, min(last + 1, len(texts))):
            texts[col] = texts[col] or texts[first]
    if not merged:  # CSV keeps no merge information: fill a blank top cell over a labelled bottom cell
        for col in range(1, len(texts)):
            if not texts[col] and col < len(bottom) and _text(bottom[col]) and _text(bottom[col - 1]):
                texts[col] = texts[col - 1]
    return texts


def _combine(top: list, bottom: list, merged: list[tuple[int, int]]) -> list[str]:
    """Per column, whichever of bottom, top, or 'top bottom' names a field most surely."""
    tops = _filled_top(top, bottom, merged)
    combined = []
    for col in range(max(len(tops), len(bottom))):
        upper = tops[col] if col < len(tops) else ""
        lower = _text(bottom[col]) if col < len(bottom) else ""
        options = [t for t in (lower, upper, f"{upper} {lower}".strip()) if t]
        combined.append(max(options, key=lambda t: match(t)[1]) if options else "")
    return combined


def find_header(rows: list[list], merged_by_row: dict[int, list[tuple[int, int]]] | None = None) -> Header | None:
    """The header among the first rows: the one (or two merged) recognising the most fields."""
    merged_by_row = merged_by_row or {}
    best: Header | None = None
    best_worth = 0
    limit = min(len(rows), SEARCH_ROWS)
    for index in range(limit):
        texts = [_text(c) for c in rows[index]]
        if sum(1 for t in texts if t) < 2:
            continue
        columns, labels, _ = _map(texts)
        candidates = [(columns, labels, 1, texts)]
        if index + 1 < len(rows):
            pair = _combine(rows[index], rows[index + 1], merged_by_row.get(index, []))
            pair_columns, pair_labels, _ = _map(pair)
            below, _, _ = _map([_text(c) for c in rows[index + 1]])
            if _worth(pair_columns) > max(_worth(columns), _worth(below)):
                candidates.append((pair_columns, pair_labels, 2, pair))
        for cols, labs, height, used in candidates:
            worth = _worth(cols)
            if worth > best_worth:
                ignored = [t for c, t in enumerate(used) if t and c not in cols]
                best, best_worth = Header(index, height, cols, labs, ignored), worth
    return best


def detect_kind(header: Header, hints: str = "") -> AssetKind | None:
    """The kind whose own fields the header names most; title or sheet-name words break ties."""
    names = set(header.columns.values())
    scores = {kind: len(names & fields) for kind, fields in KIND_FIELDS.items()}
    top = max(scores.values())
    leaders = [kind for kind, score in scores.items() if score == top]
    folded = key(hints)
    for kind, pattern in KIND_HINTS:
        if (top == 0 or kind in leaders) and re.search(pattern, folded):
            return kind
    return leaders[0] if top > 0 and len(leaders) == 1 else None


def restrict_to_kind(header: Header, kind: AssetKind) -> None:
    """Drop columns the kind has no field for (listing them as ignored) and set the kind."""
    allowed = {f.name for f in fields_for(kind)} | {STT, UNIT, RECEIVER}
    if kind == AssetKind.ARCHIVE_BOX:
        allowed.add(SPAN)
    for col, name in list(header.columns.items()):
        if name not in allowed:
            header.ignored.append(header.labels.pop(name, name))
            del header.columns[col]
    header.kind = kind


def missing_required(header: Header, context: set[str] = frozenset()) -> list[str]:
    """Labels of required fields with no column (and no value from a title line, such as the fonds)."""
    present = set(header.columns.values()) | set(context)
    if SPAN in present:
        present |= {"span_start", "span_end"}
    return [f.label for f in fields_for(header.kind) if f.required and f.name not in present]

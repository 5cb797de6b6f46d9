"""Which kind of asset a sheet lists, from its columns, its own title, its name and its letterhead. Pure.

Evidence is weighed, most first: the columns found (a plate column makes a car list), then the
list's own title line ("DANH MỤC MÁY MÓC, THIẾT BỊ…"), then the sheet's name, then the
letterhead (least: "UBND THÀNH PHỐ SÔNG CÔNG" is about the issuer, not the list). Words match
whole: "thành phố Sông Công" folds to "…pho song cong", which holds "ho so" (records) only
inside other words, so it says nothing about archives. A list with a name, a unit of measure
and a quantity and nothing of another kind is equipment, the commonest list there is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.assets.fields import BY_KIND
from tracker.models import AssetKind
from tracker.text import fold

# Fields no other kind has; a field two kinds share (year put into use) tells nothing.
_OWN_FIELDS = {kind: {f.name for f in fields} - {f.name for other, fs in BY_KIND.items() if other != kind for f in fs}
               for kind, fields in BY_KIND.items()}
HINTS: tuple[tuple[AssetKind, re.Pattern], ...] = (
    (AssetKind.VEHICLE, re.compile(r"\b(xe o to|o to|xe oto|oto|xe cong|phuong tien)\b")),
    (AssetKind.ARCHIVE_BOX, re.compile(r"\b(luu tru|tai lieu|ho so luu tru|ho so tai lieu|hop tai lieu|"
                                       r"muc luc ho so|muc luc hop|phong luu tru|chinh ly)\b")),
    (AssetKind.HEADQUARTERS, re.compile(r"\b(tru so|nha dat|co so nha|nha lam viec|cong trinh|tru so lam viec)\b")),
    (AssetKind.EQUIPMENT, re.compile(r"\b(thiet bi|may moc|trang thiet bi|cong cu dung cu|tai san co dinh)\b")),
)
# Columns a list of another kind may carry too ("Nhãn hiệu" of a printer, "Năm xây dựng"…) count less.
WEAK_FIELDS = {"make_model", "year_made", "serial", "year_built", "retention", "digitised"}
WEIGHTS = {"columns": 3, "title": 4, "sheet": 3, "letterhead": 1}
WHERE = {"columns": "các cột", "title": "tiêu đề danh sách", "sheet": "tên trang", "letterhead": "tên cơ quan ở góc trái"}


@dataclass
class KindGuess:
    """The kind chosen (or None) and why, in Vietnamese, for the preview."""

    kind: AssetKind | None
    reason: str


def _words(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


def hinted_kinds(text: str) -> set[AssetKind]:
    """Kinds whose words stand whole in the text."""
    words = f" {_words(text)} "
    return {kind for kind, pattern in HINTS if pattern.search(words)}


def detect_kind(fields: set[str], *, title: str = "", sheet: str = "", letterhead: str = "") -> KindGuess:
    """The best-supported kind; a tie between kinds is no answer (the officer picks one in the preview)."""
    scores = {kind: 0 for kind in AssetKind}
    found: dict[AssetKind, list[str]] = {kind: [] for kind in AssetKind}
    for kind, own in _OWN_FIELDS.items():
        if fields & own:
            scores[kind] += sum(1 if name in WEAK_FIELDS else WEIGHTS["columns"] for name in fields & own)
            found[kind].append(WHERE["columns"])
    for source, text in (("title", title), ("sheet", sheet), ("letterhead", letterhead)):
        for kind in hinted_kinds(text):
            scores[kind] += WEIGHTS[source]
            found[kind].append(WHERE[source])
    best = max(scores.values())
    leaders = [kind for kind, score in scores.items() if score == best]
    if best < WEIGHTS["columns"] and ({"name", "quantity"} <= fields or {"name", "unit_of_measure"} <= fields):
        return KindGuess(AssetKind.EQUIPMENT, "danh sách có tên, đơn vị tính, số lượng: máy móc, thiết bị")
    if best == 0:
        return KindGuess(None, "không cột, tiêu đề hay tên trang nào cho biết loại tài sản")
    if len(leaders) > 1:
        names = ", ".join(k.label for k in leaders)
        return KindGuess(None, f"có dấu hiệu của nhiều loại ({names})")
    kind = leaders[0]
    return KindGuess(kind, "theo " + ", ".join(dict.fromkeys(found[kind])))

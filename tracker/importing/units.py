"""Which unit a list means when it writes "UBND phường Thắng Lợi", "P. Thắng Lợi" or "Thắng Lợi".

Lists name units the way people say them: with the body in front (UBND, Đảng ủy, HĐND),
abbreviated (TP., TX., P.), without the division word, sometimes with the old district in
brackets. The resolver looks only at the units the importer may write to (dissolved units of
the officer's province; receivers for the receiver column) and answers a unit id or a
Vietnamese reason. Names are looked up once each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Unit, UnitKind
from tracker.text import clean, fold

DISSOLVED = (UnitKind.OLD_DISTRICT, UnitKind.OLD_COMMUNE)
RECEIVERS = (UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY)
_ABBREVIATIONS = {"tp": "thanh pho", "tx": "thi xa", "tt": "thi tran", "p": "phuong", "h": "huyen", "x": "xa",
                  "q": "quan"}
_DIVISION = re.compile(r"\b(thi tran|thi xa|thanh pho|xa|phuong|huyen|quan|dac khu|tp|tx|tt|p|h|x|q)\b\.?\s*(.+)$")
_BODIES = re.compile(r"^(so|trung tam|ban|van phong)\b")
_PARENS = re.compile(r"\(([^)]*)\)")


@dataclass
class _Known:
    id: int
    name: str
    folded: str
    base: str  # folded name without its division word
    parent_id: int | None
    parent_folded: str
    province_id: int
    code: str
    source_key: str


def _base(folded: str) -> str:
    found = _DIVISION.match(folded)
    return found.group(2) if found else folded


def _division_key(folded: str) -> str | None:
    """'ubnd p. thang loi' -> 'phuong thang loi'; None if no division word."""
    text = re.sub(r"[^0-9a-z ]+", " ", folded)
    text = re.sub(r"\s+", " ", text).strip()
    found = _DIVISION.search(text)
    if not found:
        return None
    division = _ABBREVIATIONS.get(found.group(1), found.group(1))
    return f"{division} {found.group(2).strip()}"


class UnitResolver:
    """Resolves unit names among the units a person may import to."""

    def __init__(self, province_ids: list[int] | None, default: Unit | None = None, kinds=DISSOLVED,
                 what: str = "đơn vị đã giải thể"):
        self.default = default
        self.what = what
        self.province_ids = province_ids
        query = sa.select(Unit.id, Unit.name, Unit.name_folded, Unit.parent_id, Unit.province_id, Unit.code,
                          Unit.source_key).where(Unit.kind.in_(kinds))
        if province_ids is not None:
            query = query.where(Unit.province_id.in_(province_ids))
        rows = db.session.execute(query).all()
        names = {r.id: r.name_folded for r in rows}
        parents = dict(db.session.execute(sa.select(Unit.id, Unit.name_folded).where(
            Unit.id.in_({r.parent_id for r in rows if r.parent_id}))).all()) if rows else {}
        self.units = [_Known(r.id, r.name, r.name_folded, _base(r.name_folded), r.parent_id,
                             parents.get(r.parent_id, names.get(r.parent_id, "")), r.province_id, r.code,
                             r.source_key)
                      for r in rows]
        self.by_id = {u.id: u for u in self.units}
        self.by_source_key = {u.source_key: u for u in self.units}
        self._by_folded: dict[str, list[_Known]] = {}
        self._by_base: dict[str, list[_Known]] = {}
        for unit in self.units:
            self._by_folded.setdefault(unit.folded, []).append(unit)
            self._by_base.setdefault(unit.base, []).append(unit)
        self._memo: dict[str, tuple[int | None, str | None]] = {}

    def resolve(self, label: str, near: int | None = None) -> tuple[int | None, str | None]:
        """(unit id, None) or (None, Vietnamese reason); ``near`` (a unit the list is about, such as its
        letterhead's) tells same-named communes apart as the chosen default unit does."""
        memo = (label, near)
        if memo in self._memo:
            return self._memo[memo]
        answer = self._resolve(label, self.by_id.get(near) if near else None)
        self._memo[memo] = answer
        return answer

    def _resolve(self, label: str, near: _Known | None = None) -> tuple[int | None, str | None]:
        text = clean(label)
        hints = [fold(h) for h in _PARENS.findall(text)]
        bare = clean(_PARENS.sub(" ", text))
        folded = fold(bare)
        candidates = []
        if folded.isdigit():
            candidates = [u for u in self.units if u.code == folded]
        if not candidates:
            key = _division_key(folded)
            candidates = self._by_folded.get(key, []) if key else self._by_base.get(folded.strip(" .:"), [])
        if not candidates and _BODIES.match(folded):
            candidates = self._by_folded.get(folded, [])
        if len(candidates) > 1:
            candidates = self._narrow(candidates, bare, hints, near)
        if len(candidates) == 1:
            return candidates[0].id, None
        if not candidates:
            return None, (f"Không tìm thấy đơn vị «{text}» trong các {self.what} bạn được nhập. Hãy ghi đúng tên "
                          "(vd «Phường Thắng Lợi», «UBND xã Tân Quang») hoặc chỉ đơn vị ở bảng «Đơn vị, cơ quan» của bản xem trước.")
        options = ", ".join(f"{u.name} ({u.parent_folded or 'không rõ huyện'})" for u in candidates[:5])
        return None, (f"Tên đơn vị «{text}» trùng với {len(candidates)} đơn vị: {options}. Hãy ghi thêm huyện cũ "
                      f"trong ngoặc, vd «{candidates[0].name} (Huyện …)».")

    def _narrow(self, candidates: list[_Known], bare: str, hints: list[str], near: _Known | None) -> list[_Known]:
        """Same name: prefer the exact spelling, then the district in brackets, then the chosen unit's family."""
        lower = bare.lower()
        exact = [u for u in candidates if u.name.lower() == lower or lower.endswith(u.name.lower())]
        candidates = exact or candidates
        for hint in hints:
            hinted = [u for u in candidates if u.parent_folded and (_base(u.parent_folded) in hint
                                                                  or hint in u.parent_folded)]
            candidates = hinted or candidates
        for unit in (near, self.default):
            if len(candidates) > 1 and unit is not None:
                family = [u for u in candidates if unit.id in (u.parent_id, u.id)
                          or (unit.parent_id and u.parent_id == unit.parent_id)]
                candidates = family or candidates
        return candidates

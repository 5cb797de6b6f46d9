"""Load the real unit map: old provinces/districts/communes -> new communes, from package data.

Sources (see docs/DATA.md): ``vietnam_address_converter.data.mapping`` for the 10,358 official
old -> new rows, and ``vietnam_provinces`` for the 34 provinces and 3,321 new units with their
official codes. Loading is an upsert on ``Unit.source_key``: running it twice changes nothing.
No Flask here beyond the shared session; the CLI and the tests call these functions.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models import Province, Unit, UnitKind, UnitSuccession
from tracker.models.base import utcnow
from tracker.text import compact, fold

DISSOLVED_ON = dt.date(2025, 7, 1)
_PREFIXES = ("thanh pho ", "tinh ")
# The converter title-cases every word; officials write only the first one capitalised.
_DIVISION_WORDS = {"Thành Phố": "Thành phố", "Thị Xã": "Thị xã", "Thị Trấn": "Thị trấn"}
_DIVISION_TYPES = ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã", "Đặc khu")
PROVINCIAL_BODIES = (
    ("finance", "Sở Tài chính"),
    ("archive", "Trung tâm Lưu trữ lịch sử"),
)


@dataclass
class LoadResult:
    """What one load did; counts are of rows created (0 on a second run)."""

    provinces: list[str] = field(default_factory=list)
    units_created: int = 0
    units_updated: int = 0
    links_created: int = 0


def _province_key(name: str) -> str:
    key = fold(name)
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    return key.strip()


def _tidy(name: str) -> str:
    for title, plain in _DIVISION_WORDS.items():
        if name.startswith(title):
            return plain + name[len(title):]
    return name


def _base_name(name: str) -> str:
    """Name without its division word: 'Thị Trấn Ba Tơ' -> 'Ba Tơ'."""
    tidy = _tidy(name)
    for word in _DIVISION_TYPES:
        if tidy.startswith(word + " "):
            return tidy[len(word) + 1:]
    return tidy


def match_new_units(groups: dict[str, tuple[str, set[str]]], wards: list[dict]) -> dict[str, dict]:
    """Match the converter's new units (its own codes) to the official ones.

    ``groups`` maps a converter code to (its name, the names of the old units that formed it).
    Names are compared without diacritics because the converter drops some ('Văn Lăng' is
    written 'Văn Lang'); where two official units then share a name, the one whose exact name
    is that of one of the old units wins, and the last one left goes to the last group.
    """
    by_key: dict[str, list[dict]] = {}
    for ward in wards:
        by_key.setdefault(compact(ward["name"]), []).append(ward)
    matched: dict[str, dict] = {}
    ambiguous: dict[str, list[str]] = {}
    for code, (name, _old) in groups.items():
        candidates = by_key.get(compact(name), [])
        if len(candidates) == 1:
            matched[code] = candidates[0]
        elif candidates:
            ambiguous.setdefault(compact(name), []).append(code)
    for key, codes in ambiguous.items():
        left = list(by_key[key])
        for code in list(codes):
            exact = [w for w in left if _base_name(w["name"]) in {_base_name(o) for o in groups[code][1]}]
            if len(exact) == 1:
                matched[code] = exact[0]
                left.remove(exact[0])
                codes.remove(code)
        if len(codes) == 1 and len(left) == 1:
            matched[codes[0]] = left[0]
    return matched


def _division_type(name: str) -> str:
    for word in _DIVISION_TYPES:
        if name.startswith(word):
            return word.lower()
    return ""


@lru_cache(maxsize=1)
def _official() -> dict[str, dict]:
    """Official provinces and new units from vietnam-provinces, keyed by folded province name."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        provinces = json.load(fh)
    return {_province_key(p["name"]): p for p in provinces}


@lru_cache(maxsize=1)
def _mapping_by_province() -> dict[str, list[dict]]:
    """The converter's old -> new rows grouped by folded new province name."""
    from vietnam_address_converter.data import mapping

    grouped: dict[str, list[dict]] = {}
    for row in mapping["rows"]:
        grouped.setdefault(_province_key(row["new"]["province_name"]), []).append(row)
    return grouped


def province_names() -> list[str]:
    """The 34 official province names."""
    return sorted(p["name"] for p in _official().values())


def resolve_province(name: str) -> str:
    """Folded key of a province given as typed ('Điện Biên', 'dien bien', 'Tỉnh Điện Biên')."""
    key = _province_key(name or "")
    if key not in _official():
        raise DomainError(
            f"Không có tỉnh, thành phố nào tên «{name}». Các tên hợp lệ: {', '.join(province_names())}."
        )
    return key


class _Upserter:
    """Creates missing units and links in bulk; updates names that changed upstream."""

    def __init__(self, result: LoadResult):
        self.result = result
        self.units: dict[str, tuple[int, str]] = {
            key: (uid, name)
            for key, uid, name in db.session.execute(sa.select(Unit.source_key, Unit.id, Unit.name))
        }
        self.links: set[tuple[int, int]] = set(
            db.session.execute(sa.select(UnitSuccession.predecessor_id, UnitSuccession.successor_id)).tuples()
        )

    def units_batch(self, rows: list[dict]) -> None:
        new = [r for r in rows if r["source_key"] not in self.units]
        for row in rows:
            known = self.units.get(row["source_key"])
            if known and known[1] != row["name"]:
                db.session.execute(
                    sa.update(Unit).where(Unit.id == known[0]).values(name=row["name"], name_folded=row["name_folded"])
                )
                self.result.units_updated += 1
        if new:
            db.session.execute(sa.insert(Unit), new)
            self.result.units_created += len(new)
            keys = [r["source_key"] for r in new]
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                for key, uid, name in db.session.execute(
                    sa.select(Unit.source_key, Unit.id, Unit.name).where(Unit.source_key.in_(chunk))
                ):
                    self.units[key] = (uid, name)

    def id(self, key: str) -> int:
        return self.units[key][0]

    def links_batch(self, pairs: Iterable[tuple[str, str]]) -> None:
        new = []
        for old_key, new_key in pairs:
            pair = (self.id(old_key), self.id(new_key))
            if pair not in self.links:
                self.links.add(pair)
                new.append({"predecessor_id": pair[0], "successor_id": pair[1]})
        if new:
            db.session.execute(sa.insert(UnitSuccession), new)
            self.result.links_created += len(new)


def _unit_row(key: str, code: str, kind: UnitKind, name: str, province_id: int, **extra) -> dict:
    return {
        "source_key": key, "code": code, "kind": kind, "name": name, "name_folded": fold(name),
        "division_type": _division_type(name), "province_id": province_id, "parent_id": None,
        "old_province_name": None, "dissolved_on": None, **extra,
    }


def _load_one(key: str, upsert: _Upserter) -> None:
    official = _official()[key]
    province = db.session.scalar(sa.select(Province).where(Province.code == official["code"]))
    if province is None:
        province = Province(code=official["code"], name=official["name"], name_folded=fold(official["name"]))
        db.session.add(province)
        db.session.flush()
    province.loaded_at = utcnow()
    upsert.result.provinces.append(province.name)

    upsert.units_batch([
        _unit_row(f"new:{w['code']}", str(w["code"]), UnitKind.NEW_COMMUNE, w["name"], province.id)
        for w in official["wards"]
    ] + [
        _unit_row(f"body:{official['code']}:{slug}", slug.upper(), UnitKind.PROVINCIAL_BODY,
                  f"{label} {official['name']}", province.id)
        for slug, label in PROVINCIAL_BODIES
    ])

    rows = _mapping_by_province()[key]
    groups: dict[str, tuple[str, set[str]]] = {}
    for row in rows:
        groups.setdefault(row["new"]["ward_code"], (row["new"]["ward_name"], set()))[1].add(row["old"]["ward_name"])
    official_of = match_new_units(groups, official["wards"])
    districts, communes, links, unmatched = {}, {}, [], set()
    for row in rows:
        old, new = row["old"], row["new"]
        d_key = f"old:{old['province_code']}:{old['district_code']}"
        c_key = f"{d_key}:{old['ward_code']}"
        districts.setdefault(d_key, _unit_row(
            d_key, old["district_code"], UnitKind.OLD_DISTRICT, _tidy(old["district_name"]), province.id,
            old_province_name=_tidy(old["province_name"]), dissolved_on=DISSOLVED_ON))
        communes.setdefault(c_key, (d_key, _unit_row(
            c_key, old["ward_code"], UnitKind.OLD_COMMUNE, _tidy(old["ward_name"]), province.id,
            old_province_name=_tidy(old["province_name"]), dissolved_on=DISSOLVED_ON)))
        ward = official_of.get(new["ward_code"])
        if ward is None:
            unmatched.add(new["ward_name"])
            continue
        links.append((c_key, f"new:{ward['code']}"))
    if unmatched:
        raise DomainError(f"{province.name}: không khớp được đơn vị mới: {', '.join(sorted(unmatched))}.")

    upsert.units_batch(list(districts.values()))
    commune_rows = []
    for d_key, row in communes.values():
        row["parent_id"] = upsert.id(d_key)
        commune_rows.append(row)
    upsert.units_batch(commune_rows)
    upsert.links_batch(links)


def load_province(name: str) -> LoadResult:
    """Load one new province (its new units, provincial bodies, and the old units that fed it)."""
    result = LoadResult()
    _load_one(resolve_province(name), _Upserter(result))
    db.session.flush()
    return result


def load_all(progress: Callable[[Iterable[str]], Iterable[str]] | None = None) -> LoadResult:
    """Load all 34 provinces; ``progress`` wraps the iteration (a click progress bar)."""
    result = LoadResult()
    upsert = _Upserter(result)
    keys: Iterable[str] = sorted(_official())
    for key in progress(keys) if progress else keys:
        _load_one(key, upsert)
    db.session.flush()
    return result

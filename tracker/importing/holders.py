"""Who holds each row's asset: a unit of the map and, where the list names one, its agency. Reads the database.

A row's holder names come strongest first (``parse.ParsedRow.holder``): its units column, its
own name (an HQ called "Trụ sở UBND phường Phố Cò"), the section it sits in, the fonds of a box.
Under them lies the sheet's fallback: the list's "Đơn vị: …" line, the unit the officer chose on
upload, the letterhead. The strongest name decides. A name found in a column or a section that
matches no unit is refused (the officer maps it in the preview); one guessed from a fonds or an
HQ's name that matches nothing is passed over. An agency named without its unit ("Phòng Tài
chính - Kế hoạch") belongs to the unit the weaker names or the fallback give.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.importing.agencies import DIVISION, bare_division, parse_agency, words
from tracker.importing.context import TitleContext
from tracker.importing.mapping import Mapping
from tracker.importing.parsed import EXPLICIT, FROM_LABELS
from tracker.importing.units import UnitResolver
from tracker.models import Agency, Unit

# How a holder was told, for the preview.
BY_NAME, BY_MAPPING, NEW_AGENCY, BY_FALLBACK = "name", "mapping", "new_agency", "fallback"
HOW_LABELS = {BY_NAME: "theo tên trong tệp", BY_MAPPING: "theo ánh xạ của cán bộ",
              NEW_AGENCY: "cơ quan mới, sẽ được tạo khi ghi", BY_FALLBACK: "theo tiêu đề, đơn vị đã chọn"}


@dataclass(frozen=True)
class Holding:
    """A resolved holder (unit and agency: an id, a negative id of an agency to create, or None) or a problem."""

    unit_id: int | None
    agency_id: int | None = None
    problem: str | None = None
    how: str = BY_NAME
    where: str = ""  # which name decided: FROM_LABELS key, or 'title', 'default', 'letterhead'


@dataclass
class NewAgency:
    """An agency the commit creates: its temporary (negative) id in the plan, its unit, key and name."""

    temp_id: int
    unit_id: int
    key: str
    name: str


@dataclass
class HolderReport:
    """One distinct name as the preview shows it: what it was taken for, and on how many rows."""

    label: str
    where: str
    holding: Holding
    rows: int = 0


class HolderResolver:
    """Resolves holder names among the dissolved units the importer may write to, and their agencies."""

    def __init__(self, units: UnitResolver, mapping: Mapping):
        self.units, self.mapping = units, mapping
        unit_ids = list(units.by_id)
        self.agencies: dict[tuple[int, str], tuple[int, str]] = {}  # (unit, key) -> (id, name)
        if unit_ids:
            query = sa.select(Agency.id, Agency.unit_id, Agency.key, Agency.name).join(Unit, Unit.id == Agency.unit_id)
            if units.province_ids is not None:
                query = query.where(Unit.province_id.in_(units.province_ids))
            for row in db.session.execute(query):
                if row.unit_id in units.by_id:
                    self.agencies[(row.unit_id, row.key)] = (row.id, row.name)
        self.new_agencies: dict[tuple[int, str], NewAgency] = {}
        self.reports: dict[tuple[str, str], HolderReport] = {}
        self._memo: dict[tuple, Holding] = {}

    # -- names ---------------------------------------------------------------------------------
    def agency_name(self, agency_id: int | None) -> str | None:
        if agency_id is None:
            return None
        if agency_id < 0:
            return next(a.name for a in self.new_agencies.values() if a.temp_id == agency_id)
        return next((name for i, name in self.agencies.values() if i == agency_id), None) or db.session.scalar(
            sa.select(Agency.name).where(Agency.id == agency_id))

    def _agency(self, unit_id: int, key: str, name: str) -> int:
        found = self.agencies.get((unit_id, key))
        if found is not None:
            return found[0]
        new = self.new_agencies.get((unit_id, key))
        if new is None:
            new = self.new_agencies[(unit_id, key)] = NewAgency(-(len(self.new_agencies) + 1), unit_id, key, name)
        return new.temp_id

    # -- one name ------------------------------------------------------------------------------
    def label(self, text: str, where: str, near: int | None, context_unit) -> Holding | None:
        """One name: a Holding, a Holding with a problem, or None (a guess that matches nothing)."""
        rule = self.mapping.unit_rule(text)
        if rule is not None:
            unit = self.units.by_source_key.get(rule.get("unit", ""))
            if unit is None:
                return Holding(None, problem=f"Ánh xạ «{text}» → «{rule.get('unit_name') or rule.get('unit')}»: đơn vị "
                                             "này không thuộc các đơn vị đã giải thể bạn được nhập.", where=where)
            agency_id = None
            if rule.get("agency"):
                agency = parse_agency(rule["agency"])
                key = agency.key if agency else _plain_key(rule["agency"])
                agency_id = self._agency(unit.id, key, rule["agency"])
            return Holding(unit.id, agency_id, how=BY_MAPPING, where=where)
        agency = parse_agency(text)
        if agency is not None:
            if agency.unit_text:
                unit_id, problem = self.units.resolve(agency.unit_text, near)
                if unit_id is None:
                    return self._miss(text, where, problem)
            else:
                unit_id = context_unit()
                if unit_id is None:
                    return self._miss(text, where, f"Chưa rõ cơ quan «{text}» thuộc đơn vị nào: tệp không ghi đơn vị ở "
                                                   "dòng mục, tiêu đề hay góc trái, và chưa chọn đơn vị khi tải lên.")
            agency_id = self._agency(unit_id, agency.key, agency.name)
            return Holding(unit_id, agency_id, how=NEW_AGENCY if agency_id < 0 else BY_NAME, where=where)
        unit_id, problem = self.units.resolve(text, near)
        if unit_id is None and bare_division(text) is not None:
            unit_id = context_unit()  # "UBND thành phố" in the city's own list: the list's unit
        if unit_id is None:
            return self._miss(text, where, problem)
        return Holding(unit_id, where=where)

    @staticmethod
    def _miss(text: str, where: str, problem: str | None) -> Holding | None:
        if where not in EXPLICIT and where not in ("title",):
            return None
        return Holding(None, problem=problem, where=where)

    # -- a sheet, a row ----------------------------------------------------------------------------
    def fallback(self, context: TitleContext, default: Unit | None, letterhead: list[str]) -> Holding | None:
        """The holder of rows that name none: the list's 'Đơn vị:' line, the chosen unit, the letterhead."""
        if context.unit_line:
            found = self.label(context.unit_line, "title", None, lambda: default.id if default else None)
            if found is not None and found.problem is None:
                return Holding(found.unit_id, found.agency_id, how=found.how, where="title")
            if found is not None:
                return found
        if default is not None:
            return Holding(default.id, how=BY_FALLBACK, where="default")
        return self._letterhead(letterhead) or self._title_unit(context.title)

    def _title_unit(self, title: str) -> Holding | None:
        """The one dissolved unit a title names ("… CỦA HUYỆN ĐẠI TỪ VÀ CÁC XÃ"), when it names exactly one."""
        found = set()
        text = words(title)
        for match in re.finditer(rf"\b{DIVISION}\b", text):
            following = text[match.start():].split()
            for size in range(min(6, len(following)), 1, -1):
                unit_id, _problem = self.units.resolve(" ".join(following[:size]))
                if unit_id is not None:
                    found.add(unit_id)
                    break
        return Holding(found.pop(), how=BY_FALLBACK, where="title") if len(found) == 1 else None

    def _letterhead(self, lines: list[str]) -> Holding | None:
        """The parent body's line and the issuing body's under it ("UBND THÀNH PHỐ SÔNG CÔNG" / "UBND PHƯỜNG
        THẮNG LỢI"): the issuing body when it names a unit, or an agency with its unit; a department without
        one ("PHÒNG TÀI CHÍNH - KẾ HOẠCH") only prepared the list, which is the parent body's."""
        top = self.label(lines[0], "letterhead", None, lambda: None) if lines else None
        top = top if top is not None and top.problem is None else None
        if len(lines) > 1:
            agency = parse_agency(lines[1])
            if agency is None or agency.unit_text:
                issuing = self.label(lines[1], "letterhead", top.unit_id if top else None,
                                     lambda: top.unit_id if top else None)
                if issuing is not None and issuing.problem is None:
                    return Holding(issuing.unit_id, issuing.agency_id, how=issuing.how, where="letterhead")
        if top is not None:
            return Holding(top.unit_id, top.agency_id, how=top.how, where="letterhead")
        return None

    def resolve(self, labels: tuple[str, ...], fallback: Holding | None, near: int | None, rows: int = 1) -> Holding:
        """The holder of ``rows`` rows with these names (see the module docstring); memoised per distinct names."""
        memo = (labels, fallback, near)
        found = self._memo.get(memo)
        if found is None:
            found = self._memo[memo] = self._resolve(labels, fallback, near)
        holding, key = found
        if key is not None:
            self.reports[key].rows += rows
        return holding

    def _resolve(self, labels, fallback, near) -> tuple[Holding, tuple[str, str] | None]:
        for index, entry in enumerate(labels):
            where, text = entry[:2], entry[2:]

            def context_unit(rest=labels[index + 1:]):
                for later in rest:
                    found = self.label(later[2:], later[:2], near, lambda: fallback.unit_id if fallback else None)
                    if found is not None and found.unit_id is not None:
                        return found.unit_id
                return fallback.unit_id if fallback else None

            found = self.label(text, where, near or (fallback.unit_id if fallback else None), context_unit)
            if found is None:
                continue
            key = (text, FROM_LABELS.get(where, ""))
            self.reports.setdefault(key, HolderReport(text, key[1], found))
            return found, key
        if fallback is not None:
            return fallback, None
        return Holding(None, problem="Chưa rõ đơn vị của dòng này: tệp không có cột «Đơn vị», dòng tên đơn vị hay cơ "
                                     "quan phía trên, tiêu đề ghi đơn vị, và chưa chọn đơn vị khi tải lên.",
                       where=""), None


def _plain_key(name: str) -> str:
    from tracker.importing.agencies import agency_key, words

    return agency_key(words(name))

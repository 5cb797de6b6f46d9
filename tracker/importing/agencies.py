"""Telling an agency of a unit from the unit itself in the names lists give holders. Pure.

"UBND phường Thắng Lợi", "HĐND và UBND xã Tân Quang" or "P. Thắng Lợi" are the unit itself.
"Thành ủy Sông Công" (the city's Party committee), "Văn phòng HĐND và UBND thành phố", "Phòng
Tài chính - Kế hoạch", "Trung tâm Văn hóa, Thể thao và Truyền thông", "Đảng ủy phường Phố Cò",
"Ủy ban MTTQ phường Thắng Lợi", "Hội Nông dân xã Bá Xuyên" are agencies of a unit: the usual
bodies of a district or commune, recognised by how their names begin. The unit they belong to is
named after them ("… phường Phố Cò"), implied ("Thành ủy" is a city's, "Huyện ủy" a district's)
or left to the list's context ("Phòng Tài chính - Kế hoạch" under the city's letterhead).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.text import clean, fold

_NUMBERING = re.compile(r"^(?:[ivxlc]+|[a-z]|\d+(?:\.\d+)*)\s*[.):-]\s+", re.IGNORECASE)
# The unit itself: its People's Committee and Council ("Đảng ủy - HĐND - UBND xã X" is the whole
# commune), but a Party committee alone ("Đảng ủy phường Phố Cò") is an agency with its own books.
_UNIT_BODY = re.compile(r"^(?:dang uy\s+(?=hdnd|ubnd))?(?:hdnd\s+(?:va\s+)?)?(?:ubnd\s+)?")
DIVISION = (r"(?:thanh pho|thi xa|thi tran|huyen(?! uy)|quan(?! (?:ly|su|doi|tri|tam|uy))|xa(?! hoi)|"
            r"phuong(?! (?:an|tien|phap|thuc|huong|cham))|tp|tx|tt)")
_STARTS_WITH_DIVISION = re.compile(rf"^{DIVISION}\b")
_UNIT_PART = re.compile(rf"\b({DIVISION})\b((?:\s+\S+)*)$")
# Party committees of a district-level unit imply its division: "Thành ủy Sông Công" -> thành phố Sông Công.
_PARTY = {"thanh uy": "thanh pho", "huyen uy": "huyen", "thi uy": "thi xa", "quan uy": "quan"}
_PARTY_HEAD = re.compile(r"^(thanh uy|huyen uy|thi uy|quan uy)\b\s*(.*)$")
_DEPARTMENTS = (r"noi vu|tai chinh|tu phap|tai nguyen|kinh te|quan ly do thi|van hoa|giao duc|y te|lao dong|"
                r"nong nghiep|dan toc|ha tang|cong thuong|thong tin|ke hoach|to chuc|hanh chinh|tc\b|tckh|"
                r"tnmt|tn mt|gd|ld|nn|kt|qldt|vhtt|vh")
HEADS = re.compile(
    r"^(?:dang uy|van phong|thanh tra|trung tam|uy ban kiem tra|uy ban mttq|uy ban mat tran|mttq|mat tran to quoc|"
    rf"phong (?:{_DEPARTMENTS})|"
    r"ban (?:chi huy|quan ly|tuyen giao|to chuc|dan van|kiem tra|noi chinh|dan toc|tiep cong dan|thuong vu|bao ve|"
    r"chi dao|van dong|giam sat|thanh tra|dai dien|quan ly du an|qlda)|ubmttq|"
    r"hoi (?:nong dan|lien hiep phu nu|lhpn|phu nu|cuu chien binh|ccb|chu thap do|nguoi cao tuoi|khuyen hoc|"
    r"luat gia|cuu giao chuc|dong y|nan nhan|bao tro|doanh nghiep|van hoc)|"
    r"doan (?:thanh nien|tncs|tn)|thanh doan|huyen doan|thi doan|lien doan lao dong|ldld|cong an|"
    r"dai (?:truyen thanh|phat thanh|ptth|truyen hinh)|tram (?:y te|khuyen nong|thu y|bao ve thuc vat|truyen thanh)|"
    r"truong (?:mam non|mau giao|tieu hoc|thcs|thpt|trung hoc|pho thong|chinh tri|boi duong)|hat kiem lam|"
    r"chi cuc|doi (?:quan ly|thanh tra|kiem tra|trat tu)|nha thieu nhi|thu vien|bao tang)\b")
# Spellings of the same body words, so two spellings of one agency share a key.
_SAME = ((r"\bhoi dong nhan dan\b", "hdnd"), (r"\buy ban nhan dan\b", "ubnd"),
         (r"\bmat tran to quoc(?: viet nam)?\b", "mttq"), (r"\buy ban mat tran\b", "uy ban mttq"),
         (r"\bviet nam\b", ""), (r"\bvp\b", "van phong"), (r"\bqlda\b", "quan ly du an"),
         (r"\bubmttq\b", "uy ban mttq"), (r"\b(va|cua)\b", ""))


@dataclass(frozen=True)
class AgencyName:
    """An agency as a list names it: its name, its key, and what it says of its unit."""

    name: str  # cleaned, as written
    key: str  # agency_key
    unit_text: str | None  # folded unit part ('phuong pho co', 'song cong'), None if not named
    division: str | None  # folded division the name implies or states ('thanh pho')


def words(text: str) -> str:
    """Folded, letters and digits only, single spaces."""
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


def agency_key(folded_head: str) -> str:
    """The part of an agency's name that says which body it is: 'van phong hdnd ubnd', 'thanh uy'."""
    text = folded_head
    for pattern, replacement in _SAME:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())[:200]


def _plain(label: str) -> str:
    """Folded words without a leading section number ('III. Thành ủy' -> 'thanh uy'), body words unified."""
    text = words(_NUMBERING.sub("", fold(label)))
    for pattern, replacement in (*_SAME[:2], *_SAME[5:8]):  # body words and 'VP', 'QLDA', 'UBMTTQ' spelled out
        text = re.sub(pattern, replacement, text)
    return text


def is_unit_itself(label: str) -> bool:
    """'UBND phường Thắng Lợi', 'HĐND và UBND xã Tân Quang', 'Phường Thắng Lợi', 'TP. Sông Công'."""
    rest = _UNIT_BODY.sub("", _plain(label), count=1)
    return bool(_STARTS_WITH_DIVISION.match(rest)) and not HEADS.match(rest)


@lru_cache(maxsize=4096)
def parse_agency(label: str) -> AgencyName | None:
    """The agency a holder's name names, or None when it names a unit (or nothing known)."""
    name = clean(_NUMBERING.sub("", clean(label)) if _NUMBERING.match(fold(label)) else label)
    text = _plain(name)
    if not text or is_unit_itself(text):
        return None
    party = _PARTY_HEAD.match(text)
    if party is not None:
        rest = party.group(2).strip()
        division = _PARTY[party.group(1)]
        found = _UNIT_PART.search(rest) if rest else None
        if found is not None:
            return AgencyName(name, party.group(1), found.group(0).strip(), division)
        return AgencyName(name, party.group(1), f"{division} {rest}" if rest else None, division)
    if not HEADS.match(text):
        return None
    found = _UNIT_PART.search(text)
    head = text[:found.start()].strip() if found else text
    if found is None:
        return AgencyName(name, agency_key(head), None, None)
    division = found.group(1)
    unit_text = found.group(0).strip() if found.group(2).strip() else None
    return AgencyName(name, agency_key(head) or agency_key(text), unit_text, division)


_BARE_DIVISION = re.compile(rf"^({DIVISION})$")


def bare_division(label: str) -> str | None:
    """'UBND thành phố', 'HĐND-UBND huyện', 'Thành phố': a unit named only by its division (the list's own
    unit, as a district's list says "the city"); the division, or None."""
    rest = _UNIT_BODY.sub("", _plain(label), count=1).strip()
    found = _BARE_DIVISION.match(rest)
    return found.group(1) if found else None


_LEVEL_WORDS = re.compile(rf"^(?:(?:khoi|cac|cap|khu vuc|don vi|co quan|va|{DIVISION})\s*)+$")


def is_level_heading(text: str) -> bool:
    """'CÁC PHƯỜNG, XÃ', 'KHỐI THÀNH PHỐ', 'Cấp xã': a group of the list by level, naming no unit."""
    return bool(_LEVEL_WORDS.match(_plain(text)))


def trailing_unit(text: str) -> str | None:
    """The unit a name ends with, as written: 'Bộ phận một cửa phường Thắng Lợi' -> 'phường Thắng Lợi'."""
    found = _UNIT_PART.search(_plain(text))
    if found is None or not found.group(2).strip():
        return None
    count = len(found.group(0).split())
    return " ".join(clean(text).split()[-count:])

"""Pure text helpers: folding Vietnamese for diacritic-free search, plates, whitespace."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
# Vietnamese plates: 2-digit province code, a series of 1-2 letters (and maybe a digit), then 4-5 digits.
PLATE_RE = re.compile(r"^(\d{2})([A-Z]{1,2}\d?)(\d{4,5})$")


def clean(value: str | None) -> str:
    """NFC-normalise and collapse runs of white space; None becomes ''."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Lower-case, strip diacritics and đ: 'Thắng Lợi' -> 'thang loi'."""
    text = unicodedata.normalize("NFD", clean(value).lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def compact(value: str | None) -> str:
    """Fold and drop everything but letters and digits: '98A-811.18' -> '98a81118'."""
    return _NOT_ALNUM.sub("", fold(value))


def normalize_plate(value: str | None) -> str | None:
    """Return the plate in its official display form '98A-811.18', or None if it is not a plate.

    Accepts the ways people write plates: '98a81118', '98A - 811.18', '98A-81118'.
    """
    key = compact(value).upper()
    match = PLATE_RE.match(key)
    if not match:
        return None
    province, series, digits = match.groups()
    if len(digits) == 5:
        digits = f"{digits[:3]}.{digits[3:]}"
    return f"{province}{series}-{digits}"


def looks_like_plate_query(term: str) -> bool:
    """True for search terms that start like a plate (two digits then a letter)."""
    return bool(re.match(r"^\d{2}[a-z]", compact(term)))

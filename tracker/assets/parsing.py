"""Pure parsers for the ways officials write values: money, years, areas, choices, yes/no.

Each takes what a form or a spreadsheet cell holds (str, int, float, date) and returns the
typed value or raises ``ValueError`` with a Vietnamese message.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from tracker.text import clean, fold

_CURRENCY = re.compile(r"(vnđ|vnd|đồng|dong|đ|d)\.?$", re.IGNORECASE)
# "1,2 tỷ", "850 triệu", "500 nghìn": the word is the multiplier
_MULTIPLIERS = {"tỷ": 10**9, "ty": 10**9, "triệu": 10**6, "trieu": 10**6, "tr": 10**6, "nghìn": 10**3,
                "nghin": 10**3, "ngàn": 10**3, "ngan": 10**3}
_WITH_MULTIPLIER = re.compile(r"^(\d[\d.,\s]*?)\s*(tỷ|ty|triệu|trieu|tr|nghìn|nghin|ngàn|ngan)\.?$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}([.,\s]\d{3})+$")  # "0,125" is a decimal, not thousands


_DASHES = frozenset({"-", "–", "—", "--", "…", "...", "./."})


def is_blank(value) -> bool:
    """Empty, white space, NaN, or a lone dash: lists write "-" in a cell that has nothing."""
    return value is None or (isinstance(value, str) and (not value.strip() or value.strip() in _DASHES)) or (
        isinstance(value, float) and value != value)  # NaN from pandas


def parse_money(value) -> int:
    """Whole đồng: 12500000, 12500000.0, '12.500.000', '12,500,000', '12.500.000 đ', '12 500 000 VNĐ'."""
    if isinstance(value, bool):
        raise ValueError("không phải số tiền")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, (float, Decimal)):
        if value != int(value):
            raise ValueError("số tiền phải là số đồng nguyên, không có phần lẻ")
        amount = int(value)
    else:
        text = clean(str(value)).lower().replace("\u00a0", " ")
        text = _CURRENCY.sub("", text).strip()
        if (worded := _WITH_MULTIPLIER.match(text)) is not None:
            return scaled_money(worded.group(1), _MULTIPLIERS[worded.group(2)])
        text = re.sub(r",00?$", "", text) if re.search(r"\.\d{3},00?$", text) else text
        if _GROUPED.match(text):
            text = re.sub(r"[.,\s]", "", text)
        elif re.match(r"^-?\d+$", text):
            pass
        elif re.match(r"^-[\d.,\s]+$", text):
            raise ValueError("số tiền không được âm")
        else:
            raise ValueError(f"«{clean(str(value))[:40]}» không phải số tiền")
        amount = int(text)
    if amount < 0:
        raise ValueError("số tiền không được âm")
    if amount > 10**15:
        raise ValueError("số tiền quá lớn")
    return amount


def scaled_money(value, scale: int) -> int:
    """Money written in thousands or millions ('15,6' in a «triệu đồng» column) as whole đồng."""
    if isinstance(value, bool):
        raise ValueError("không phải số tiền")
    try:
        amount = parse_decimal(value, places=6) * scale
    except ValueError:
        raise ValueError(f"«{clean(str(value))[:40]}» không phải số tiền") from None
    if amount != amount.to_integral():
        raise ValueError("số tiền phải là số đồng nguyên, không có phần lẻ")
    if amount > 10**15:
        raise ValueError("số tiền quá lớn")
    return int(amount)


_NONE = type(None)


def parse_money_many(values: list) -> list | None:
    """``parse_money`` of a column of whole numbers (None where blank), or None if any needs a closer look."""
    if not set(map(type, values)) <= {int, _NONE}:
        return None
    present = [value for value in values if value is not None]
    if present and (min(present) < 0 or max(present) > 10**15):
        return None
    return list(values)


def parse_int_many(values: list, *, minimum: int, maximum: int) -> list | None:
    """``parse_int`` of a column of whole numbers (None where blank), or None if any needs a closer look."""
    if not set(map(type, values)) <= {int, _NONE}:
        return None
    present = [value for value in values if value is not None]
    if present and (min(present) < minimum or max(present) > maximum):
        return None
    return list(values)


def clean_many(values: list, *, max_length: int) -> list | None:
    """The free-text parse of a column of strings (None where blank), or None if any is blank or too long."""
    if not set(map(type, values)) <= {str, _NONE}:
        return None
    cleaned = [None if value is None else clean(value) for value in values]
    if "" in cleaned or max(map(len, filter(None, cleaned)), default=0) > max_length:
        return None
    return cleaned


def parse_int(value, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """Whole number from a number or text ('1.200' is one thousand two hundred)."""
    if isinstance(value, bool):
        raise ValueError("không phải số nguyên")
    if isinstance(value, (float, Decimal)):
        if not math.isfinite(value):  # a cell Excel shows as #NUM!, read as infinity: int() would overflow
            raise ValueError("không phải số nguyên")
        if value != int(value):
            raise ValueError("phải là số nguyên")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = clean(str(value)).replace(" ", "")
        if _GROUPED.match(text):
            text = re.sub(r"[.,]", "", text)
        if not re.match(r"^-?\d+$", text):
            raise ValueError(f"«{clean(str(value))[:40]}» không phải số nguyên")
        number = int(text)
    if minimum is not None and number < minimum:
        raise ValueError(f"không được nhỏ hơn {minimum}")
    if maximum is not None and number > maximum:
        raise ValueError(f"không được lớn hơn {maximum}")
    return number


def parse_year(value, *, today: dt.date | None = None, earliest: int = 1800) -> int:
    """A year from 2015, '2015', '2015.0', '05/07/2015', '2015-07-05' or a date; never in the future."""
    today = today or dt.date.today()
    if isinstance(value, (dt.date, dt.datetime)):
        year = value.year
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        year = parse_int(value, minimum=None)
    else:
        text = clean(str(value))
        match = (re.match(r"^(\d{4})(\.0+)?$", text) or re.match(r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{4})$", text)
                 or re.match(r"^(\d{4})-\d{1,2}-\d{1,2}", text) or re.match(r"^(?:năm|nam)\s*(\d{4})$", fold(text)))
        if not match:
            raise ValueError(f"«{text[:40]}» không phải năm (vd 2015 hoặc 05/07/2015)")
        year = int(match.group(1))
    if year > today.year:
        raise ValueError(f"năm {year} ở tương lai (sau năm {today.year})")
    if year < earliest:
        raise ValueError(f"năm {year} quá xa (trước {earliest})")
    return year


def parse_decimal(value, *, places: int = 2) -> Decimal:
    """Non-negative decimal: 1234.5, '1.234,5', '1234,5', '1,234.5', '1.234' (= 1234)."""
    if isinstance(value, bool):
        raise ValueError("không phải số")
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = re.sub(r"\s|m2|m²|m$", "", clean(str(value)).lower())
        if "," in text and "." in text:
            decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
            thousands = "." if decimal_sep == "," else ","
            text = text.replace(thousands, "").replace(decimal_sep, ".")
        elif _GROUPED.match(text):
            text = re.sub(r"[.,]", "", text)
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"«{clean(str(value))[:40]}» không phải số") from None
    if not number.is_finite():
        raise ValueError("không phải số")
    if number < 0:
        raise ValueError("không được âm")
    try:
        return number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than Decimal's precision (1e300 with two places)
        raise ValueError("quá lớn") from None


_TRUE = {"co", "x", "yes", "true", "1", "da so hoa", "da", "roi"}
_FALSE = {"khong", "no", "false", "0", "chua", "chua so hoa"}


def parse_bool(value) -> bool:
    """Có/không, x, yes/no, 1/0, đã/chưa."""
    if isinstance(value, bool):
        return value
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"«{clean(str(value))[:40]}» không rõ có hay không (ghi Có hoặc Không)")


def parse_choice(vocabulary, value):
    """A choice from its label, value, a phrase officials use or the nearest word (``assets.choices``)."""
    if isinstance(value, vocabulary.enum):
        return value
    member, _how = vocabulary.read(value)
    if member is None:
        options = ", ".join(m.label for m in vocabulary.enum)
        raise ValueError(f"«{clean(str(value))[:40]}» không hợp lệ; chọn một trong: {options}")
    return member

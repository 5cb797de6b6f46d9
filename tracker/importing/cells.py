"""One cell of a sheet read as what it says: a column's letter, a span of years, money in a list's
own unit, an HQ's holder in its name, a label. Pure functions the sheet parser (``parse``) and the
planner use on every data row; no database.
"""
from __future__ import annotations

import re
from operator import itemgetter

from tracker.assets.parsing import is_blank, scaled_money
from tracker.importing.agencies import trailing_unit
from tracker.importing.mapping import field_label as mapped_label
from tracker.importing.reading import normalise_cell
from tracker.importing.rows import names_holder
from tracker.text import clean

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_HQ_NAME = re.compile(r"^(?:trụ sở(?: làm việc)?(?: của)?|nhà làm việc(?: của)?|cơ sở nhà,? đất(?: của)?|"
                      r"khu trụ sở)\s+", re.IGNORECASE)


def picker(positions: list[int]):
    """A function giving the tuple of the items at ``positions`` of a row (in C, by ``itemgetter``)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    return itemgetter(*positions) if positions else (lambda row: ())


def column_letter(index: int) -> str:
    """0-based column index -> 'A', 'B', … 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_span(value) -> tuple[object, object]:
    """'2010-2020', '2010 – 2020', 'từ 2010 đến 2020', 2015 -> raw start and end for validation."""
    if isinstance(value, int):
        return value, value
    years = _YEAR.findall(str(value))
    if len(years) == 2:
        return years[0], years[1]
    if len(years) == 1 and len(str(value).strip()) <= 10:
        return years[0], years[0]
    return value, None


def hq_holder(name) -> str | None:
    """'Trụ sở UBND phường Phố Cò' -> 'UBND phường Phố Cò': the holder an HQ's own name states, if any."""
    if not isinstance(name, str) or not _HQ_NAME.match(clean(name)):
        return None
    rest = _HQ_NAME.sub("", clean(name), count=1)
    return rest if names_holder(rest) else trailing_unit(rest)  # "Nhà làm việc Bộ phận một cửa phường Thắng Lợi"


def scaled(column: list, scale: int) -> list:
    """Money written in thousands or millions as đồng; a value that is not a number stays for validation."""
    out = []
    for value in column:
        if is_blank(value):
            out.append(value)
            continue
        try:
            out.append(scaled_money(value, scale))
        except ValueError:
            out.append(value)
    return out


def scale_words(scale: int) -> str:
    """How a list's title writes its money unit: 1,000 -> 'nghìn đồng'."""
    return {1_000: "nghìn đồng", 1_000_000: "triệu đồng", 1_000_000_000: "tỷ đồng"}.get(scale, f"{scale} đồng")


def field_label(name: str | None) -> str:
    """A field's name as the preview shows it ('' for none)."""
    return mapped_label(name) if name else ""


def cell_label(row: list, col: int | None) -> str | None:
    """The text of one cell of a row, cleaned; None when the column is absent or the cell empty."""
    if col is None or col >= len(row):
        return None
    value = row[col]
    if value is None or value == "":
        return None
    text = clean(str(normalise_cell(value)))
    return text or None

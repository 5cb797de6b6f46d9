"""Which columns an asset export has, and how a stored value becomes a cell.

Columns come from the one field table (``tracker.assets.fields.fields_for``) plus the units and
the status, so the forms, the importer and the exports always agree on names and labels.
A record is a sequence of raw values in ``Column.key`` order, either straight from SQL or
rebuilt from the history (enum values as strings, decimals as strings); ``converter`` turns a
batch of them into cells for one format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.assets.fields import COMMON, fields_for, label
from tracker.exports.rawrows import fixed_text
from tracker.exports.writers import FORMULA_TRIGGERS, Column
from tracker.extensions import db
from tracker.models import Agency, Arrangement, Asset, AssetKind, AssetStatus, Condition, Ownership, Retention, Unit

ENUMS = {"kind": AssetKind, "status": AssetStatus, "condition": Condition, "ownership": Ownership,
         "arrangement": Arrangement, "retention": Retention}
UNIT_KEYS = ("unit_id", "holder_id", "receiver_id")
TOTALLED = {"quantity", "original_cost", "remaining_value", "land_area", "floor_area", "files_count", "linear_m"}
YEARS = {"year_built", "year_made", "year_in_use", "span_start", "span_end"}
WIDTHS = {"name": 36, "code": 18, "address": 36, "notes": 30, "unit_id": 30, "agency_id": 30, "holder_id": 30,
          "receiver_id": 30, "status": 22, "fonds": 30, "current_use": 28, "intended_use": 28}
YES_NO = {True: "Có", False: "Không"}


def _column_kind(key: str) -> str:
    if key in ("original_cost", "remaining_value"):
        return "money"
    if key in YEARS:
        return "plain"
    column_type = Asset.__table__.c[key].type
    if isinstance(column_type, sa.Numeric):
        return "decimal"
    if isinstance(column_type, sa.Integer) and not isinstance(column_type, sa.Boolean):
        return "int"
    return "text"


def _column(key: str) -> Column:
    kind = "text" if key in UNIT_KEYS or key in ENUMS or key == "agency_id" else _column_kind(key)
    return Column(key, label(key), kind, total=key in TOTALLED, width=WIDTHS.get(key, 14 if kind != "text" else 18))


TAIL = ("unit_id", "agency_id", "holder_id", "receiver_id", "status")
STT = Column("stt", "STT", "plain", width=6)  # số thứ tự: the row number the paper lists have


def numbered(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Rows with their STT in front, from 1."""
    for number, cells in enumerate(rows, start=1):
        yield [number, *cells]


def kind_columns(kind: AssetKind) -> list[Column]:
    """One sheet's columns: the kind's fields in the field table's order, then units and status."""
    return [_column(f.name) for f in fields_for(kind)] + [_column(k) for k in TAIL]


def all_columns() -> list[Column]:
    """The CSV's columns: id and kind, every field of every kind once, then units and status."""
    keys: list[str] = ["id", "kind"]
    for f in COMMON + tuple(f for kind in AssetKind for f in fields_for(kind)):
        if f.name not in keys:
            keys.append(f.name)
    columns = [Column("id", "ID", "plain", width=10)] + [_column(k) for k in keys[1:]]
    return columns + [_column(k) for k in TAIL]


def sql_columns(columns: Sequence[Column]) -> list[sa.ColumnElement[Any]]:
    """The Asset columns to select for ``columns``, raw: enums as their stored strings, decimals
    as text with their scale ('12.50'), so the driver's tuples need no SQLAlchemy processing."""
    table = Asset.__table__
    selected: list[sa.ColumnElement[Any]] = []
    for c in columns:
        column = table.c[c.key]
        if c.key in ENUMS:
            selected.append(sa.type_coerce(column, sa.String))
        elif c.kind == "decimal":
            selected.append(fixed_text(column))
        else:
            selected.append(column)
    return selected


@dataclass(frozen=True)
class Names:
    """What the ids of an export stand for: units (old communes with their district) and agencies."""

    units: dict[int, str]
    agencies: dict[int, str]


def unit_names(province_ids: list[int] | None) -> Names:
    """The names of every unit and agency of the provinces (all if None)."""
    parent = aliased(Unit)
    query = sa.select(Unit.id, Unit.name, parent.name).outerjoin(parent, parent.id == Unit.parent_id)
    agencies = sa.select(Agency.id, Agency.name).join(Unit, Unit.id == Agency.unit_id)
    if province_ids is not None:
        query = query.where(Unit.province_id.in_(province_ids))
        agencies = agencies.where(Unit.province_id.in_(province_ids))
    return Names({uid: f"{name} ({parent_name})" if parent_name else name
                  for uid, name, parent_name in db.session.execute(query)},
                 dict(db.session.execute(agencies).tuples().all()))


def _labels(enum_cls) -> dict[Any, str]:
    return {m.value: m.label for m in enum_cls}


def _decimal(value: Any) -> Decimal:
    return Decimal(value)


# A value starting with a formula trigger, in values joined by newlines (a value may itself hold
# newlines: a line of it that starts with a trigger only sends the column to the exact check).
_STARTS_A_FORMULA = re.compile("^[" + re.escape("".join(FORMULA_TRIGGERS)) + "]", re.MULTILINE)

Converter = Callable[[Sequence[Sequence[Any]]], Iterable[Sequence[Any]]]


def converter(columns: Sequence[Column], names: Names, *, for_xlsx: bool) -> Converter:
    """A function turning a batch of records (values in column order) into rows of cells.

    Enum values become their Vietnamese labels, unit ids names, booleans Có/Không; money and
    counts stay numbers; decimals (text such as '12.50') become Decimal for .xlsx (exact totals)
    and stay as written for CSV; every other text is neutralised (same rule as
    ``writers.neutralise``). It works column by column over the batch: a list comprehension or a
    ``map`` per column is several times cheaper than visiting each cell of each row, which
    counts at a million rows; columns that need nothing are not visited.
    """
    texts: list[int] = []
    lookups: list[tuple[int, dict[Any, Any]]] = []
    calls: list[tuple[int, Callable[[Any], Any]]] = []
    for i, column in enumerate(columns):
        key = column.key
        if key in ENUMS:
            lookups.append((i, _labels(ENUMS[key])))
        elif key in UNIT_KEYS:
            lookups.append((i, names.units))
        elif key == "agency_id":
            lookups.append((i, names.agencies))
        elif key == "digitised":
            lookups.append((i, YES_NO))
        elif column.kind == "decimal":
            if for_xlsx:
                calls.append((i, _decimal))
        elif column.kind == "text":
            texts.append(i)
    triggers = "".join(FORMULA_TRIGGERS)

    def convert(batch: Sequence[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        if not batch:
            return ()
        cells = list(zip(*batch))
        for i in texts:  # text columns hold str or None
            values = cells[i]
            # One C-level scan of the whole column first: most columns have no value to neutralise.
            if _STARTS_A_FORMULA.search("\n".join(filter(None, values))):
                cells[i] = [("'" + v) if v and v[0] in triggers else v for v in values]
        for i, mapping in lookups:
            values = cells[i]
            cells[i] = list(map(mapping.get, values, values))  # unknown values stay as they are
        for i, call in calls:
            cells[i] = [None if v is None else call(v) for v in cells[i]]
        return zip(*cells)

    return convert


def convert_all(convert: Converter, batches: Iterable[Sequence[Sequence[Any]]]) -> Iterator[Sequence[Any]]:
    """Every row of every batch, converted."""
    for batch in batches:
        yield from convert(batch)


"""Validate assets' raw values against their kind: pure, no database.

``validate`` checks one asset (a form) and returns the typed values and a dict of Vietnamese
errors keyed by field name. ``validate_columns`` applies the same rules to many assets at
once (a spreadsheet import), column by column, parsing each distinct value of a column once:
a 100,000-row list repeats its types, units and conditions, and per-row calls cost seconds.
``validate`` is ``validate_columns`` on one row, so both follow exactly the same rules.
The service adds the checks that need the database (units, uniqueness).
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from tracker.assets.equipment_types import type_from_name
from tracker.assets.fields import DEFAULT_UNIT_OF_MEASURE, NAME_FROM, Field, fields_for
from tracker.assets.parsing import is_blank
from tracker.models import AssetKind, Condition, Ownership
from tracker.models.assets import BOXES_PER_METRE
from tracker.text import fold


# Fields that always get a value (a default when blank or refused); others are left out when refused.
_DEFAULTED = frozenset({"quantity", "unit_of_measure", "original_cost", "remaining_value", "condition", "ownership",
                        "linear_m", "fonds_folded"})


def validate(kind: AssetKind, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every field of ``kind`` present in ``raw``; missing optional fields become None."""
    columns, errors, failed = _validate(kind, {name: [value] for name, value in raw.items()}, 1)
    values = {name: column[0] for name, column in columns.items()
              if name in _DEFAULTED or (0, name) not in failed}
    return values, errors.get(0, {})


def validate_columns(kind: AssetKind, columns: dict[str, list[Any]], count: int
                     ) -> tuple[dict[str, list[Any]], dict[int, dict[str, str]]]:
    """``validate`` for ``count`` rows given as field -> list of raw values (an absent field is blank).

    Returns field -> list of typed values (None where a value was refused) and, for the rows
    that have any, row index -> {field: message}.
    """
    typed, errors, _failed = _validate(kind, columns, count)
    return typed, errors


class _Refused:
    """A distinct raw value's verdict when it is not a valid value: the message and what to store."""

    __slots__ = ("message", "failed")

    def __init__(self, message: str, failed: bool):
        self.message, self.failed = message, failed


def _parse_one(field: Field, value: Any) -> Any:
    cls = value.__class__
    if (value is None) if cls is not str and cls is not float else is_blank(value):  # is_blank, minus a call
        return _Refused(f"{field.label}: chưa nhập (bắt buộc).", False) if field.required else None
    try:
        return field.parse(value)
    except ValueError as exc:
        return _Refused(f"{field.label}: {exc}.", True)


def _parse_column(field: Field, raw: list[Any], errors: dict[int, dict[str, str]],
                  failed: set[tuple[int, str]]) -> list[Any]:
    typed = _parse_at_once(field, raw)
    if typed is not None:
        return typed
    try:
        try:
            verdicts = _verdicts(field, raw)
            typed = [verdicts[value] for value in raw]
        except _MixedNumbers:  # 1 == 1.0 == True as dict keys, yet they parse differently: key by type too
            tagged = [(value.__class__, value) for value in raw]
            verdicts = {key: _parse_one(field, key[1]) for key in dict.fromkeys(tagged)}
            typed = [verdicts[key] for key in tagged]
    except TypeError:  # an unhashable value somewhere: parse the column value by value
        typed = [_parse_one(field, value) for value in raw]
        verdicts = None
    if verdicts is None or any(verdict.__class__ is _Refused for verdict in verdicts.values()):
        for index, verdict in enumerate(typed):
            if verdict.__class__ is _Refused:
                errors.setdefault(index, {})[field.name] = verdict.message
                if verdict.failed:
                    failed.add((index, field.name))
                typed[index] = None
    return typed


def _parse_at_once(field: Field, raw: list[Any]) -> list[Any] | None:
    """The column through ``field.parse_many`` (each distinct value once) when every value is plainly valid."""
    if field.parse_many is None or (field.required and None in raw):
        return None
    if len(set(map(type, raw)) - {type(None)}) != 1:  # one type, so 1, 1.0 and True never share a key
        return None
    try:
        distinct = list(dict.fromkeys(raw))
    except TypeError:  # unhashable
        return None
    typed = field.parse_many(distinct)
    if typed is None or len(distinct) == len(raw):
        return typed
    return list(map(dict(zip(distinct, typed)).__getitem__, raw))


class _MixedNumbers(Exception):
    pass


_PLAIN_KEYS = ({str, int, type(None)}, {str, float, type(None)})


def _verdicts(field: Field, raw: list[Any]) -> dict[Any, Any]:
    """Each distinct value of a column -> its parsed value (or why it is refused)."""
    classes = set(map(type, raw))
    if not any(classes <= plain for plain in _PLAIN_KEYS):
        raise _MixedNumbers
    return {value: _parse_one(field, value) for value in dict.fromkeys(raw)}


def _validate(kind: AssetKind, raw: dict[str, list[Any]], count: int):
    typed: dict[str, list[Any]] = {}
    errors: dict[int, dict[str, str]] = {}
    failed: set[tuple[int, str]] = set()
    for field in fields_for(kind):
        if field.name == "name":  # required, but derived from other fields first (_derive_names)
            field = dataclasses.replace(field, required=False)
        typed[field.name] = _parse_column(field, raw.get(field.name) or [None] * count, errors, failed)
    _defaults(kind, typed, count)
    _derive_names(kind, typed, errors)
    _cross_checks(typed, errors)
    return typed, errors, failed


def derived_name(kind: AssetKind, values: dict[str, Any]) -> str | None:
    """The name a list without a name column means: 'Xe ô tô Toyota Fortuner 20A-649.55',
    'Phông UBND phường Thắng Lợi — hộp 12', 'Cơ sở nhà, đất tại Tổ 5…', or the equipment's type."""
    if kind == AssetKind.VEHICLE and values.get("plate"):
        return " ".join(p for p in ("Xe ô tô", values.get("make_model"), values["plate"]) if p)[:300]
    if kind == AssetKind.ARCHIVE_BOX and values.get("fonds") and values.get("box_no"):
        return f"{values['fonds']} — hộp {values['box_no']}"[:300]
    if kind == AssetKind.HEADQUARTERS and values.get("address"):
        return f"Cơ sở nhà, đất tại {values['address']}"[:300]
    if kind == AssetKind.EQUIPMENT and values.get("equipment_type"):
        return values["equipment_type"]
    return None


def _derive_names(kind: AssetKind, typed: dict[str, list[Any]], errors: dict[int, dict[str, str]]) -> None:
    """Fill blank names from the fields NAME_FROM names, and an equipment's type from its name."""
    names = typed["name"]
    if kind == AssetKind.EQUIPMENT:
        typed["equipment_type"] = [t or (None if "equipment_type" in errors.get(i, ()) else type_from_name(n))
                                   for i, (t, n) in enumerate(zip(typed["equipment_type"], names))]
    if None not in names:
        return
    sources = NAME_FROM[kind]
    for index, name in enumerate(names):
        if name is not None or "name" in errors.get(index, ()):  # given, or refused (too long): not made up
            continue
        names[index] = derived_name(kind, {f: typed[f][index] for f in (*sources, "make_model")
                                           if f in typed})
        if names[index] is None and not set(errors.get(index, ())) & set(sources):
            errors.setdefault(index, {})["name"] = "Tên tài sản: chưa nhập (bắt buộc)."


def _defaults(kind: AssetKind, typed: dict[str, list[Any]], count: int) -> None:
    blank = [None] * count
    typed["quantity"] = [v or 1 for v in typed.get("quantity", blank)]
    uom = DEFAULT_UNIT_OF_MEASURE[kind]
    typed["unit_of_measure"] = [v or uom for v in typed.get("unit_of_measure", blank)]
    typed["original_cost"] = [v or 0 for v in typed.get("original_cost", blank)]
    typed["remaining_value"] = [v or 0 for v in typed.get("remaining_value", blank)]
    typed["condition"] = [v or Condition.IN_USE for v in typed.get("condition", blank)]
    typed["ownership"] = [v or Ownership.OWN for v in typed.get("ownership", blank)]
    if kind == AssetKind.ARCHIVE_BOX:
        typed["linear_m"] = [
            (Decimal(q) / BOXES_PER_METRE).quantize(Decimal("0.001")) if m is None else m
            for q, m in zip(typed["quantity"], typed["linear_m"])]
        folded: dict[str, str] = {}
        typed["fonds_folded"] = [
            (folded[f] if f in folded else folded.setdefault(f, fold(f))) if f else None for f in typed["fonds"]]


def _cross_checks(typed: dict[str, list[Any]], errors: dict[int, dict[str, str]]) -> None:
    for index, (cost, remaining) in enumerate(zip(typed["original_cost"], typed["remaining_value"])):
        if remaining > cost and "remaining_value" not in errors.get(index, ()):
            errors.setdefault(index, {})["remaining_value"] = "Giá trị còn lại (đồng): không được lớn hơn nguyên giá."
    if "span_start" in typed:
        for index, (start, end) in enumerate(zip(typed["span_start"], typed["span_end"])):
            if start and end and start > end and "span_end" not in errors.get(index, ()):
                errors.setdefault(index, {})["span_end"] = "Thời gian tài liệu đến năm: phải từ năm bắt đầu trở đi."

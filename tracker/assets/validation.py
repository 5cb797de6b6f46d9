"""Validate one asset's raw values against its kind: pure, no database.

``validate`` returns the typed values and a dict of Vietnamese errors keyed by field name.
The service adds the checks that need the database (units, uniqueness).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from tracker.assets.fields import DEFAULT_UNIT_OF_MEASURE, fields_for
from tracker.assets.parsing import is_blank
from tracker.models import AssetKind, Condition, Ownership
from tracker.models.assets import BOXES_PER_METRE
from tracker.text import fold


def validate(kind: AssetKind, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every field of ``kind`` present in ``raw``; missing optional fields become None."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields_for(kind):
        value = raw.get(field.name)
        if is_blank(value):
            if field.required:
                errors[field.name] = f"{field.label}: chưa nhập (bắt buộc)."
            values[field.name] = None
            continue
        try:
            values[field.name] = field.parse(value)
        except ValueError as exc:
            errors[field.name] = f"{field.label}: {exc}."
    _defaults(kind, values)
    _cross_checks(kind, values, errors)
    return values, errors


def _defaults(kind: AssetKind, values: dict[str, Any]) -> None:
    values["quantity"] = values.get("quantity") or 1
    values["unit_of_measure"] = values.get("unit_of_measure") or DEFAULT_UNIT_OF_MEASURE[kind]
    values["original_cost"] = values.get("original_cost") or 0
    values["remaining_value"] = values.get("remaining_value") or 0
    values["condition"] = values.get("condition") or Condition.IN_USE
    values["ownership"] = values.get("ownership") or Ownership.OWN
    if kind == AssetKind.ARCHIVE_BOX:
        if values.get("linear_m") is None:
            values["linear_m"] = (Decimal(values["quantity"]) / BOXES_PER_METRE).quantize(Decimal("0.001"))
        values["fonds_folded"] = fold(values["fonds"]) if values.get("fonds") else None


def _cross_checks(kind: AssetKind, values: dict[str, Any], errors: dict[str, str]) -> None:
    cost, remaining = values.get("original_cost"), values.get("remaining_value")
    if "remaining_value" not in errors and cost is not None and remaining is not None and remaining > cost:
        errors["remaining_value"] = "Giá trị còn lại (đồng): không được lớn hơn nguyên giá."
    start, end = values.get("span_start"), values.get("span_end")
    if start and end and start > end and "span_end" not in errors:
        errors["span_end"] = "Thời gian tài liệu đến năm: phải từ năm bắt đầu trở đi."

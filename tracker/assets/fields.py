"""The fields of each asset kind, with their Vietnamese labels and how a raw value is read.

This table is the single source for the edit forms, the importer's columns, the exports'
headers and validation: add a field here and every one of them sees it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from tracker.assets import choices, parsing as p
from tracker.models import AssetKind
from tracker.text import clean

@dataclass(frozen=True)
class Field:
    """One asset field: its column, label, whether required, and its parser."""

    name: str
    label: str
    parse: Callable[[Any], Any]
    required: bool = False
    max_length: int | None = None
    help: str = ""
    # A whole column at once, for imports: the typed values when every value is plainly valid,
    # else None and the column is parsed value by value (which explains what is wrong).
    parse_many: Callable[[list], list | None] | None = None


def _text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = clean(str(value))
        if len(text) > max_length:
            raise ValueError(f"dài {len(text)} ký tự, tối đa {max_length}")
        return text
    return parse


def _text_field(name: str, label: str, max_length: int, **kw) -> Field:
    """A free-text field: cleaned, at most ``max_length`` characters."""
    return Field(name, label, _text(max_length), max_length=max_length,
                 parse_many=partial(p.clean_many, max_length=max_length), **kw)


def _plate(value: Any) -> str:
    from tracker.text import normalize_plate

    plate = normalize_plate(str(value))
    if plate is None:
        raise ValueError(f"«{clean(str(value))[:30]}» không đúng dạng biển số (vd 98A-811.18)")
    return plate


def _year(today: dt.date | None = None) -> Callable[[Any], int]:
    return lambda value: p.parse_year(value, today=today)


COMMON = (
    _text_field("code", "Mã tài sản", 60, help="Để trống để hệ thống tự đặt"),
    _text_field("name", "Tên tài sản", 300, required=True,
                help="Để trống với xe, hộp tài liệu, trụ sở: đặt theo loại xe và biển số, phông và số hộp, địa chỉ"),
    Field("quantity", "Số lượng", partial(p.parse_int, minimum=1, maximum=1_000_000),
          parse_many=partial(p.parse_int_many, minimum=1, maximum=1_000_000)),
    _text_field("unit_of_measure", "Đơn vị tính", 20),
    Field("original_cost", "Nguyên giá (đồng)", p.parse_money, parse_many=p.parse_money_many),
    Field("remaining_value", "Giá trị còn lại (đồng)", p.parse_money, parse_many=p.parse_money_many),
    Field("condition", "Tình trạng", partial(p.parse_choice, choices.CONDITION)),
    Field("ownership", "Phân loại kiểm kê", partial(p.parse_choice, choices.OWNERSHIP)),
    _text_field("current_use", "Hiện trạng sử dụng", 300),
    _text_field("intended_use", "Phương án sử dụng", 300),
    _text_field("documents", "Hồ sơ kèm theo", 500),
    _text_field("notes", "Ghi chú", 2000),
)

BY_KIND: dict[AssetKind, tuple[Field, ...]] = {
    AssetKind.HEADQUARTERS: (
        _text_field("address", "Địa chỉ", 300, required=True),
        Field("land_area", "Diện tích đất (m²)", p.parse_decimal),
        Field("floor_area", "Diện tích sàn (m²)", p.parse_decimal),
        Field("year_built", "Năm xây dựng", _year()),
        _text_field("land_certificate_no", "Số GCN quyền sử dụng đất", 60),
    ),
    AssetKind.VEHICLE: (
        Field("plate", "Biển kiểm soát", _plate, required=True, help="vd 98A-811.18"),
        _text_field("make_model", "Nhãn hiệu, loại xe", 120),
        Field("seats", "Số chỗ ngồi", lambda v: p.parse_int(v, minimum=1, maximum=60)),
        Field("year_made", "Năm sản xuất", _year()),
        Field("odometer_km", "Số km đã đi", lambda v: p.parse_int(v, minimum=0, maximum=5_000_000)),
        Field("year_in_use", "Năm đưa vào sử dụng", _year()),
    ),
    AssetKind.EQUIPMENT: (
        _text_field("equipment_type", "Loại thiết bị", 120,
                    help="vd Máy vi tính, Máy in, Điều hòa; để trống: suy ra từ tên"),
        _text_field("serial", "Số hiệu, số serial", 120),
        Field("year_in_use", "Năm đưa vào sử dụng", _year()),
    ),
    AssetKind.ARCHIVE_BOX: (
        _text_field("fonds", "Phông lưu trữ", 200, required=True, help="vd Phông UBND phường Thắng Lợi"),
        _text_field("box_no", "Số hộp", 20, required=True),
        Field("files_count", "Số hồ sơ (đơn vị bảo quản)", lambda v: p.parse_int(v, minimum=0, maximum=100_000)),
        Field("span_start", "Thời gian tài liệu từ năm", _year()),
        Field("span_end", "Thời gian tài liệu đến năm", _year()),
        Field("linear_m", "Số mét giá", lambda v: p.parse_decimal(v, places=3),
              help="Để trống: tính theo số hộp (8 hộp một mét)"),
        Field("arrangement", "Tình trạng chỉnh lý", partial(p.parse_choice, choices.ARRANGEMENT), required=True),
        Field("retention", "Thời hạn bảo quản", partial(p.parse_choice, choices.RETENTION)),
        Field("digitised", "Đã số hóa", p.parse_bool),
    ),
}

# Fields the equipment-like kinds do not use, so forms hide them.
HIDDEN = {AssetKind.HEADQUARTERS: {"unit_of_measure"}, AssetKind.VEHICLE: {"unit_of_measure"},
          AssetKind.ARCHIVE_BOX: {"original_cost", "remaining_value", "unit_of_measure", "ownership"}}

# A kind's name may be left blank when these fields are given: validation then derives it
# ("Xe ô tô Toyota Fortuner 20A-649.55", "Phông UBND phường Thắng Lợi — hộp 12"); real car lists
# name a car by its make and plate, box lists a box by its fonds and number.
NAME_FROM = {AssetKind.VEHICLE: ("plate",), AssetKind.ARCHIVE_BOX: ("fonds", "box_no"),
             AssetKind.HEADQUARTERS: ("address",), AssetKind.EQUIPMENT: ("equipment_type",)}

DEFAULT_UNIT_OF_MEASURE = {AssetKind.HEADQUARTERS: "cơ sở", AssetKind.VEHICLE: "chiếc",
                           AssetKind.EQUIPMENT: "cái", AssetKind.ARCHIVE_BOX: "hộp"}


def fields_for(kind: AssetKind) -> tuple[Field, ...]:
    """Every field of a kind, common ones first, without those the kind hides."""
    hidden = HIDDEN.get(kind, set())
    return tuple(f for f in COMMON if f.name not in hidden) + BY_KIND[kind]


def label(name: str) -> str:
    """Vietnamese label of any field name."""
    for field in COMMON + tuple(f for fs in BY_KIND.values() for f in fs):
        if field.name == name:
            return field.label
    return {"unit_id": "Đơn vị giao (đã giải thể)", "agency_id": "Cơ quan đang quản lý",
            "receiver_id": "Đơn vị dự kiến nhận", "kind": "Loại tài sản",
            "status": "Trạng thái", "holder_id": "Đơn vị đang giữ"}.get(name, name)

"""The fields of each asset kind, with their Vietnamese labels and how a raw value is read.

This table is the single source for the edit forms, the importer's columns, the exports'
headers and validation: add a field here and every one of them sees it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracker.assets import parsing as p
from tracker.models import Arrangement, AssetKind, Condition, Ownership, Retention
from tracker.text import clean

CONDITION_SYNONYMS = {r"^hu|^hong": "damaged", r"sua": "needs_repair", r"khong su dung": "unusable",
                      r"dang su|su dung": "in_use", r"^tot|^binh thuong|^con tot": "good"}
ARRANGEMENT_SYNONYMS = {r"^chua": "unsorted", r"so bo": "preliminary", r"^da|^xong": "sorted"}
RETENTION_SYNONYMS = {r"vinh vien|^vv$": "permanent", r"thoi han|\d+\s*nam": "limited"}
OWNERSHIP_SYNONYMS = {r"thua": "surplus", r"thieu": "missing", r"giu ho|muon|gui": "custody",
                      r"cua don vi|^don vi|^chinh": "own"}


@dataclass(frozen=True)
class Field:
    """One asset field: its column, label, whether required, and its parser."""

    name: str
    label: str
    parse: Callable[[Any], Any]
    required: bool = False
    max_length: int | None = None
    help: str = ""


def _text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = clean(str(value))
        if len(text) > max_length:
            raise ValueError(f"dài {len(text)} ký tự, tối đa {max_length}")
        return text
    return parse


def _plate(value: Any) -> str:
    from tracker.text import normalize_plate

    plate = normalize_plate(str(value))
    if plate is None:
        raise ValueError(f"«{clean(str(value))[:30]}» không đúng dạng biển số (vd 98A-811.18)")
    return plate


def _year(today: dt.date | None = None) -> Callable[[Any], int]:
    return lambda value: p.parse_year(value, today=today)


COMMON = (
    Field("code", "Mã tài sản", _text(60), max_length=60, help="Để trống để hệ thống tự đặt"),
    Field("name", "Tên tài sản", _text(300), required=True, max_length=300),
    Field("quantity", "Số lượng", lambda v: p.parse_int(v, minimum=1, maximum=1_000_000)),
    Field("unit_of_measure", "Đơn vị tính", _text(20), max_length=20),
    Field("original_cost", "Nguyên giá (đồng)", p.parse_money),
    Field("remaining_value", "Giá trị còn lại (đồng)", p.parse_money),
    Field("condition", "Tình trạng", lambda v: p.parse_choice(Condition, v, CONDITION_SYNONYMS)),
    Field("ownership", "Phân loại kiểm kê", lambda v: p.parse_choice(Ownership, v, OWNERSHIP_SYNONYMS)),
    Field("current_use", "Hiện trạng sử dụng", _text(300), max_length=300),
    Field("intended_use", "Phương án sử dụng", _text(300), max_length=300),
    Field("documents", "Hồ sơ kèm theo", _text(500), max_length=500),
    Field("notes", "Ghi chú", _text(2000), max_length=2000),
)

BY_KIND: dict[AssetKind, tuple[Field, ...]] = {
    AssetKind.HEADQUARTERS: (
        Field("address", "Địa chỉ", _text(300), required=True, max_length=300),
        Field("land_area", "Diện tích đất (m²)", p.parse_decimal),
        Field("floor_area", "Diện tích sàn (m²)", p.parse_decimal),
        Field("year_built", "Năm xây dựng", _year()),
        Field("land_certificate_no", "Số GCN quyền sử dụng đất", _text(60), max_length=60),
    ),
    AssetKind.VEHICLE: (
        Field("plate", "Biển kiểm soát", _plate, required=True, help="vd 98A-811.18"),
        Field("make_model", "Nhãn hiệu, loại xe", _text(120), max_length=120),
        Field("seats", "Số chỗ ngồi", lambda v: p.parse_int(v, minimum=1, maximum=60)),
        Field("year_made", "Năm sản xuất", _year()),
        Field("odometer_km", "Số km đã đi", lambda v: p.parse_int(v, minimum=0, maximum=5_000_000)),
    ),
    AssetKind.EQUIPMENT: (
        Field("equipment_type", "Loại thiết bị", _text(120), required=True, max_length=120,
              help="vd Máy vi tính, Máy in, Điều hòa"),
        Field("serial", "Số hiệu, số serial", _text(120), max_length=120),
    ),
    AssetKind.ARCHIVE_BOX: (
        Field("fonds", "Phông lưu trữ", _text(200), required=True, max_length=200,
              help="vd Phông UBND phường Thắng Lợi"),
        Field("box_no", "Số hộp", _text(20), required=True, max_length=20),
        Field("files_count", "Số hồ sơ (đơn vị bảo quản)", lambda v: p.parse_int(v, minimum=0, maximum=100_000)),
        Field("span_start", "Thời gian tài liệu từ năm", _year()),
        Field("span_end", "Thời gian tài liệu đến năm", _year()),
        Field("linear_m", "Số mét giá", lambda v: p.parse_decimal(v, places=3),
              help="Để trống: tính theo số hộp (8 hộp một mét)"),
        Field("arrangement", "Tình trạng chỉnh lý",
              lambda v: p.parse_choice(Arrangement, v, ARRANGEMENT_SYNONYMS), required=True),
        Field("retention", "Thời hạn bảo quản", lambda v: p.parse_choice(Retention, v, RETENTION_SYNONYMS)),
        Field("digitised", "Đã số hóa", p.parse_bool),
    ),
}

# Fields the equipment-like kinds do not use, so forms hide them.
HIDDEN = {AssetKind.HEADQUARTERS: {"unit_of_measure"}, AssetKind.VEHICLE: {"unit_of_measure"},
          AssetKind.ARCHIVE_BOX: {"original_cost", "remaining_value", "unit_of_measure", "ownership"}}

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
    return {"unit_id": "Đơn vị giao (đã giải thể)", "receiver_id": "Đơn vị dự kiến nhận", "kind": "Loại tài sản",
            "status": "Trạng thái", "holder_id": "Đơn vị đang giữ"}.get(name, name)

"""The OpenAPI 3 description of the read-only API, served at /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from tracker.assets.queries import MAX_ID
from tracker.models import AssetKind, AssetStatus, HandoverStatus, ReceiptState, UnitKind

VERSION = "1.0.0"


def _param(name: str, description: str, schema: dict[str, Any], required: bool = False, where: str = "query"):
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


PAGING = [
    _param("limit", "Số bản ghi mỗi trang (mặc định 100, tối đa 1000).",
           {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
    # The cursor is opaque to clients, but today the last id seen: the view refuses anything but digits.
    _param("cursor", "Giá trị next_cursor của trang trước (để trống: trang đầu).",
           {"type": "string", "pattern": "^[0-9]{0,9}$"}),
]
ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}  # what assets.queries.read_ids reads
ASSET_FILTERS = [
    _param("kind", "Loại tài sản.", {"type": "string", "enum": [k.value for k in AssetKind]}),
    _param("status", "Trạng thái bàn giao.", {"type": "string", "enum": [s.value for s in AssetStatus]}),
    _param("unit_id", "Đơn vị giao (đã giải thể).", ID),
    _param("district_id", "Huyện cũ: chính huyện và các xã của huyện.", ID),
    _param("holder_id", "Đơn vị đang giữ.", ID),
    _param("receiver_id", "Đơn vị dự kiến nhận.", ID),
    _param("province_id", "Tỉnh.", ID),
    _param("q", "Tìm theo tên, mã, biển số, phông (không cần dấu).", {"type": "string"}),
]


def _id(name: str, what: str) -> dict[str, Any]:
    return _param(name, what, {"type": "integer"}, required=True, where="path")


def _ok(schema_ref: str, paged: bool = False) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{schema_ref}"}
    if paged:
        schema = {"type": "object", "required": ["data", "pagination"],
                  "properties": {"data": {"type": "array", "items": schema},
                                 "pagination": {"$ref": "#/components/schemas/Pagination"}}}
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "404": {"$ref": "#/components/responses/NotFound"}}


def _get(summary: str, schema_ref: str, parameters: list[dict[str, Any]], paged: bool = False, tag: str = ""):
    return {"get": {"summary": summary, "tags": [tag] if tag else [], "parameters": parameters,
                    "responses": _ok(schema_ref, paged)}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


SCHEMAS: dict[str, Any] = {
    "Pagination": {"type": "object", "properties": {
        "limit": {"type": "integer"}, "next_cursor": {"type": ["string", "null"]},
        "next": {"type": ["string", "null"], "format": "uri"}}},
    "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "message": {"type": "string"}}}}},
    "Asset": {"type": "object",
              "description": "Mọi trường được theo dõi; tiền là số nguyên đồng, số thập phân là chuỗi.",
              "additionalProperties": True, "properties": {
                  "id": {"type": "integer"}, "kind": {"type": "string", "enum": [k.value for k in AssetKind]},
                  "code": {"type": "string"}, "name": {"type": "string"},
                  "status": {"type": "string", "enum": [s.value for s in AssetStatus]},
                  "unit_id": {"type": "integer"}, "holder_id": {"type": "integer"},
                  "receiver_id": {"type": ["integer", "null"]}, "unit_name": {"type": "string"},
                  "holder_name": {"type": "string"}, "receiver_name": {"type": ["string", "null"]},
                  "agency_id": {"type": ["integer", "null"]}, "agency_name": {"type": ["string", "null"]},
                  "quantity": {"type": "integer"}, "original_cost": {"type": "integer"},
                  "remaining_value": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"}}},
    "InventoryState": {"type": "object", "additionalProperties": True,
                       "description": "Tài sản như tại ngày as_of, dựng lại từ lịch sử (cùng trường như Asset)."},
    "Unit": {"type": "object", "properties": {
        "id": {"type": "integer"}, "code": {"type": "string"}, "source_key": {"type": "string"},
        "kind": {"type": "string", "enum": [k.value for k in UnitKind]}, "name": {"type": "string"},
        "province_id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
        "successor_ids": {"type": "array", "items": {"type": "integer"}},
        "predecessor_ids": {"type": "array", "items": {"type": "integer"}}}},
    "HandoverItem": {"type": "object", "properties": {
        "asset_id": {"type": "integer"}, "receipt_state": {"type": "string", "enum": [s.value for s in ReceiptState]},
        "receipt_note": {"type": ["string", "null"]}, "confirmed_at": {"type": ["string", "null"]},
        "is_open": {"type": "boolean"}, "snapshot": {"type": ["object", "null"]}}},
    "Handover": {"type": "object", "properties": {
        "id": {"type": "integer"}, "status": {"type": "string", "enum": [s.value for s in HandoverStatus]},
        "number": {"type": ["integer", "null"]}, "year": {"type": ["integer", "null"]},
        "giver_id": {"type": "integer"}, "receiver_id": {"type": "integer"},
        "is_reallocation": {"type": "boolean",
                            "description": "điều chuyển: bên giao là đơn vị đang hoạt động, không phải đơn vị đã giải thể"},
        "handover_date": {"type": ["string", "null"], "format": "date"},
        "minutes_sha256": {"type": ["string", "null"]},
        "item_counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/HandoverItem"}}}},
    "Event": {"type": "object", "properties": {
        "id": {"type": "integer"}, "asset_id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
        "effective_on": {"type": ["string", "null"], "format": "date"}, "action": {"type": "string"},
        "user": {"type": ["string", "null"]},
        "changes": {"type": "object", "description": "trường -> [trước, sau]; khi tạo mới, trước là null",
                    "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2}},
        "handover_id": {"type": ["integer", "null"]}, "note": {"type": ["string", "null"]}}},
    "Me": {"type": "object", "additionalProperties": True},
}


def document(server: str) -> dict[str, Any]:
    """The whole description, with ``server`` (…/api/v1) as its base URL."""
    paths = {
        "/openapi.json": {"get": {"summary": "Mô tả OpenAPI này (không cần khóa)", "tags": ["chung"],
                                  "security": [], "responses": {"200": {
                                      "description": "OK", "content": {"application/json": {"schema": {
                                          "type": "object"}}}}}}},
        "/": _get("Chủ khóa API và các danh sách", "Me", [], tag="chung"),
        "/assets": _get("Danh mục tài sản (lọc như trang danh mục)", "Asset", ASSET_FILTERS + PAGING, True, "tài sản"),
        "/assets/{asset_id}": _get("Một tài sản", "Asset", [_id("asset_id", "Mã tài sản (id)")], tag="tài sản"),
        "/assets/{asset_id}/history": _get("Lịch sử một tài sản", "Event", [_id("asset_id", "id")] + PAGING, True,
                                           "lịch sử"),
        "/inventory": _get("Kiểm kê tại một ngày, dựng lại từ lịch sử", "InventoryState",
                           [_param("as_of", "Ngày (YYYY-MM-DD).", {"type": "string", "format": "date"}, True)]
                           + ASSET_FILTERS + PAGING, True, "tài sản"),
        "/events": _get("Mọi thay đổi tài sản trong phạm vi, cũ trước", "Event", PAGING, True, "lịch sử"),
        "/units": _get("Đơn vị", "Unit", [_param("kind", "Loại đơn vị.", {"type": "string",
                                                  "enum": [k.value for k in UnitKind]})] + PAGING, True, "đơn vị"),
        "/units/{unit_id}": _get("Một đơn vị, với đơn vị kế thừa", "Unit", [_id("unit_id", "id")], tag="đơn vị"),
        "/handovers": _get("Biên bản bàn giao", "Handover", [_param("status", "Trạng thái.", {
            "type": "string", "enum": [s.value for s in HandoverStatus]})] + PAGING, True, "bàn giao"),
        "/handovers/{handover_id}": _get("Một biên bản, các bên và từng tài sản", "Handover",
                                         [_id("handover_id", "id")], tag="bàn giao"),
        "/handovers/{handover_id}/history": _get("Thay đổi tài sản do biên bản ghi", "Event",
                                                 [_id("handover_id", "id")] + PAGING, True, "lịch sử"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "API chỉ đọc: theo dõi bàn giao tài sản", "version": VERSION,
                 "description": "Chỉ đọc (GET). Mỗi lệnh gửi «Authorization: Bearer <khóa>». Danh sách trả về "
                                "theo trang: dùng pagination.next_cursor làm tham số cursor cho trang sau."},
        "servers": [{"url": server}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "Khóa tạo ở trang «Khóa API» hoặc bằng "
                                                              "«flask api token create USERNAME»."}},
            "schemas": SCHEMAS,
            "responses": {"BadRequest": _error("Tham số không hợp lệ"),
                          "Unauthorized": _error("Thiếu, sai, hết hạn hoặc đã thu hồi khóa"),
                          "Forbidden": _error("Vai trò không được dùng API"),
                          "NotFound": _error("Không có hoặc ngoài phạm vi")},
        },
    }

"""Creating and editing assets: validation, the checks that need the database, history.

Services flush and record history; the caller (view or command) commits once.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import history
from tracker.assets.validation import validate
from tracker.auth.scope import asset_scope
from tracker.errors import StaleEditError, ValidationError
from tracker.extensions import db
from tracker.models import Asset, AssetKind, AssetStatus, Unit, UnitKind, User
from tracker.text import compact, fold

CODE_PREFIX = {AssetKind.HEADQUARTERS: "TS", AssetKind.VEHICLE: "XE", AssetKind.EQUIPMENT: "TB",
               AssetKind.ARCHIVE_BOX: "LT"}
RECEIVER_KINDS = (UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY)
SEARCH_FIELDS = ("name", "code", "plate", "equipment_type", "fonds", "serial", "address", "make_model")


def search_text(values: dict[str, Any], unit_name: str = "") -> str:
    """What diacritic-free search looks in: name, code, plate (compact too), type, fonds, serial."""
    parts = [values.get(k) for k in SEARCH_FIELDS]
    text = " ".join(fold(p) for p in parts if p)
    if values.get("plate"):
        text += " " + compact(values["plate"])
    return text[:800]


def _unit_checks(values: dict[str, Any], errors: dict[str, str], unit: Unit | None, receiver: Unit | None) -> None:
    if unit is None:
        errors["unit_id"] = "Đơn vị giao: chưa chọn đơn vị đã giải thể."
    elif not unit.is_dissolved:
        errors["unit_id"] = "Đơn vị giao: phải là đơn vị cấp huyện hoặc cấp xã cũ đã giải thể."
    if receiver is not None:
        if receiver.kind not in RECEIVER_KINDS:
            errors["receiver_id"] = "Đơn vị dự kiến nhận: phải là xã, phường mới hoặc cơ quan cấp tỉnh."
        elif unit is not None and receiver.province_id != unit.province_id:
            errors["receiver_id"] = "Đơn vị dự kiến nhận: phải cùng tỉnh với đơn vị giao."


def _uniqueness(kind: AssetKind, values: dict[str, Any], unit: Unit, errors: dict[str, str],
                exclude_id: int | None = None, actor: User | None = None) -> None:
    def taken(*conditions) -> Asset | None:
        query = sa.select(Asset).where(*conditions)
        if exclude_id is not None:
            query = query.where(Asset.id != exclude_id)
        return db.session.scalars(query.limit(1)).first()

    if values.get("code") and (other := taken(Asset.unit_id == unit.id, Asset.kind == kind,
                                              Asset.code == values["code"])):
        errors["code"] = f"Mã tài sản: «{values['code']}» đã dùng cho «{other.name}» của đơn vị này."
    # Plates and (fonds, box) are unique across provinces, so the refusal must stand; it names the
    # other asset only if the person may see it (issue 13: no names from outside one's scope).
    if kind == AssetKind.VEHICLE and values.get("plate") and (other := taken(Asset.plate == values["plate"])):
        errors["plate"] = (f"Biển kiểm soát: {values['plate']} đã đăng ký cho xe «{other.name}» ({other.unit.name})."
                           if _visible(other, actor) else
                           f"Biển kiểm soát: {values['plate']} đã đăng ký cho một xe khác.")
    if kind == AssetKind.ARCHIVE_BOX and values.get("fonds") and values.get("box_no") and (
            other := taken(Asset.fonds_folded == values["fonds_folded"], Asset.box_no == values["box_no"])):
        fonds = other.fonds if _visible(other, actor) else values["fonds"]
        errors["box_no"] = f"Số hộp: hộp {values['box_no']} của phông «{fonds}» đã có."


def _visible(asset: Asset, actor: User | None) -> bool:
    """Whether ``actor`` may see ``asset`` (no actor: a command run by the system, which sees all)."""
    if actor is None:
        return True
    return db.session.scalar(sa.select(Asset.id).where(Asset.id == asset.id, asset_scope(actor))) is not None


def next_code(kind: AssetKind, unit: Unit) -> str:
    """A code for an asset typed without one: TB-<unit code>-00042."""
    prefix = f"{CODE_PREFIX[kind]}-{unit.code}-"
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Asset).where(
        Asset.unit_id == unit.id, Asset.kind == kind, Asset.code.startswith(prefix)))
    number = (count or 0) + 1
    while db.session.scalar(sa.select(Asset.id).where(Asset.unit_id == unit.id, Asset.kind == kind,
                                                      Asset.code == f"{prefix}{number:05d}")):
        number += 1
    return f"{prefix}{number:05d}"


def _apply(asset: Asset, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(asset, name, value)
    asset.search_text = search_text(values | {"code": asset.code})


def _flush_or_explain() -> None:
    """Flush; a constraint the checks above missed (a race) becomes a field error, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        text = str(exc.orig).lower()
        field = "plate" if "plate" in text else "box_no" if "box" in text or "fonds" in text else "code"
        raise ValidationError({field: "Giá trị này vừa được người khác đăng ký; hãy kiểm tra lại."}) from exc


def create_asset(kind: AssetKind, raw: dict[str, Any], actor: User | None, *, unit: Unit | None,
                 receiver: Unit | None = None, import_id: int | None = None) -> Asset:
    """Register a new asset of a dissolved unit; raises ValidationError naming each bad field."""
    values, errors = validate(kind, raw)
    _unit_checks(values, errors, unit, receiver)
    if unit is not None:
        _uniqueness(kind, values, unit, errors, actor=actor)
    if errors:
        raise ValidationError(errors)
    asset = Asset(kind=kind, unit=unit, holder=unit, receiver=receiver, province_id=unit.province_id,
                  status=AssetStatus.REGISTERED)
    values["code"] = values.get("code") or next_code(kind, unit)
    _apply(asset, values)
    db.session.add(asset)
    _flush_or_explain()
    history.record(asset, "imported" if import_id else "created", actor, None, import_id=import_id)
    return asset


def update_asset(asset: Asset, raw: dict[str, Any], actor: User | None, *, expected_version: int | None,
                 unit: Unit | None = None, receiver: Unit | None = None, import_id: int | None = None) -> Asset:
    """Change an asset's fields; refuses a stale edit and any edit while a handover holds it."""
    if expected_version is not None and expected_version != asset.version:
        raise StaleEditError("Tài sản này vừa được người khác sửa sau khi bạn mở trang. "
                             "Hãy tải lại để xem thay đổi rồi sửa lại.")
    if asset.status not in (AssetStatus.REGISTERED, AssetStatus.IN_HANDOVER):
        raise ValidationError({"status": "Tài sản đã có biên bản phát hành nên không sửa được; "
                                         "hủy biên bản trước nếu cần sửa."})
    unit = unit or asset.unit
    values, errors = validate(asset.kind, raw)
    _unit_checks(values, errors, unit, receiver)
    _uniqueness(asset.kind, values, unit, errors, exclude_id=asset.id, actor=actor)
    if errors:
        raise ValidationError(errors)
    before = history.snapshot(asset)
    values["code"] = values.get("code") or asset.code
    if unit.id != asset.unit_id and asset.holder_id == asset.unit_id:
        asset.holder = unit
    asset.unit, asset.receiver, asset.province_id = unit, receiver, unit.province_id
    _apply(asset, values)
    _flush_or_explain()
    history.record(asset, "imported" if import_id else "updated", actor, before, import_id=import_id)
    return asset

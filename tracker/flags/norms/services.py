"""Norms (tiêu chuẩn, định mức) per kind of receiving unit, the rules that map free-text equipment
types to norm items, per-province settings, and each unit's officials and rooms.

Norms are data officers edit. A province gets the defaults of docs/NORMS.md the first time its
dashboard, norms or gaps are opened (``ensure_default_norms``); seeded rows carry
``is_default=True`` until an officer edits them. Services flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import audit
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.formatting import group_thousands
from tracker.models import EquipmentTypeRule, Norm, NormBasis, Province, ProvinceSetting, Unit, UnitKind, User
from tracker.text import clean, fold


@dataclass(frozen=True)
class ItemType:
    """Something a norm counts: its key in code, its Vietnamese label and unit of measure."""

    key: str
    label: str
    measure: str = "cái"


ITEM_TYPES: dict[str, ItemType] = {i.key: i for i in (
    ItemType("computer", "Máy vi tính (để bàn hoặc xách tay)", "bộ"),
    ItemType("desk_set", "Bộ bàn ghế làm việc", "bộ"),
    ItemType("filing_cabinet", "Tủ đựng tài liệu"),
    ItemType("phone", "Điện thoại cố định", "chiếc"),
    ItemType("printer", "Máy in", "chiếc"),
    ItemType("meeting_set", "Bộ bàn ghế họp", "bộ"),
    ItemType("car", "Xe ô tô phục vụ công tác chung", "chiếc"),
    ItemType("hq_floor_area", "Diện tích sàn trụ sở làm việc", "m²"),
)}
OTHER = "other"  # a rule target meaning "known, but no norm counts it" (máy chiếu, điều hòa…)
RULE_TARGETS = {**{k: v.label for k, v in ITEM_TYPES.items()}, OTHER: "Không thuộc định mức"}

COMMUNE_TYPES = ("xã", "phường", "đặc khu")
PROVINCIAL_BODY = "provincial_body"
UNIT_TYPES = {"xã": "Xã", "phường": "Phường", "đặc khu": "Đặc khu", PROVINCIAL_BODY: "Cơ quan cấp tỉnh"}

QD50 = "Quyết định 50/2017/QĐ-TTg"
ND153 = "Nghị định 72/2023/NĐ-CP, sửa đổi bởi Nghị định 153/2025/NĐ-CP"
ND155 = "Nghị định 155/2025/NĐ-CP — số tạm, cần rà soát"
HQ_PLACEHOLDER_NOTE = ("Số tạm 10 m² sàn làm việc mỗi cán bộ (mức chuyên viên của Nghị định 152/2017), "
                       "chưa đối chiếu Nghị định 155/2025; cán bộ Sở Tài chính rà soát và sửa.")

# (item, basis, quantity, is_maximum, legal reference, note) — see docs/NORMS.md.
_OFFICE = [
    ("computer", NormBasis.PER_OFFICIAL, "1", False, QD50, None),
    ("desk_set", NormBasis.PER_OFFICIAL, "1", False, QD50, None),
    ("filing_cabinet", NormBasis.PER_OFFICIAL, "1", False, QD50, None),
    ("phone", NormBasis.PER_OFFICIAL, "1", False, QD50, None),
    ("printer", NormBasis.PER_ROOM, "1", False, QD50, None),
    ("meeting_set", NormBasis.PER_ROOM, "1", False, QD50, None),
    ("hq_floor_area", NormBasis.PER_OFFICIAL, "10", False, ND155, HQ_PLACEHOLDER_NOTE),
]
_CAR = ("car", NormBasis.PER_UNIT, "2", True, ND153, "Tối đa 2 xe phục vụ công tác chung mỗi xã, phường, đặc khu.")
DEFAULT_NORMS: dict[str, list[tuple]] = {
    **{t: [*_OFFICE, _CAR] for t in COMMUNE_TYPES},
    PROVINCIAL_BODY: list(_OFFICE),  # a body's cars follow its own decision, not the commune ceiling
}

# (folded pattern, item, priority): lower priority wins; patterns are matched inside ' text '.
DEFAULT_RULES: list[tuple[str, str, int]] = [
    ("may tinh xach tay", "computer", 10), ("laptop", "computer", 10), ("may tinh de ban", "computer", 10),
    ("may vi tinh", "computer", 10), ("may tinh bang", OTHER, 5), ("may tinh", "computer", 60),
    ("bo may tinh", "computer", 10), ("may in", "printer", 20), ("may photo", OTHER, 15),
    ("ban hop", "meeting_set", 15), ("ban ghe hop", "meeting_set", 15), ("bo ban ghe hop", "meeting_set", 15),
    ("ban ghe", "desk_set", 30), ("bo ban", "desk_set", 35), ("ban lam viec", "desk_set", 30),
    ("tu tai lieu", "filing_cabinet", 30), ("tu ho so", "filing_cabinet", 30),
    ("tu dung", "filing_cabinet", 30), ("tu sat", "filing_cabinet", 30), (" tu ", "filing_cabinet", 90),
    ("dien thoai", "phone", 40), ("may chieu", OTHER, 20), ("dieu hoa", OTHER, 20), ("dien tu", OTHER, 80),
]

SEEDED_KEY = "norm_defaults_seeded"
STALL_DAYS_KEY = "stalled_handover_days"
DEFAULT_STALL_DAYS = 14
MAX_COUNT = 100_000


def fold_pattern(text: str) -> str:
    """Fold a rule pattern but keep a leading/trailing space, which anchors it at a word edge."""
    raw = str(text or "")
    core = fold(raw)
    if not core:
        return ""
    return (" " if raw[:1].isspace() else "") + core + (" " if raw[-1:].isspace() else "")


def unit_type_of(kind: UnitKind, division_type: str | None) -> str | None:
    """The norm table a receiving unit reads: 'xã', 'phường', 'đặc khu' or 'provincial_body'."""
    if kind == UnitKind.PROVINCIAL_BODY:
        return PROVINCIAL_BODY
    if kind == UnitKind.NEW_COMMUNE:
        return division_type if division_type in COMMUNE_TYPES else "xã"
    return None


def ensure_default_norms(province: Province) -> bool:
    """Seed the default norms and mapping rules once per province; True if it seeded now.

    Runs in a savepoint so two officers opening the dashboard at once cannot both insert:
    the loser's unique-key error is swallowed and the winner's rows stand.
    """
    if db.session.get(ProvinceSetting, (province.id, SEEDED_KEY)) is not None:
        return False
    try:
        with db.session.begin_nested():
            have = set(db.session.execute(
                sa.select(Norm.unit_type, Norm.item_type).where(Norm.province_id == province.id)).tuples())
            for unit_type, rows in DEFAULT_NORMS.items():
                for item, basis, qty, is_max, ref, note in rows:
                    if (unit_type, item) not in have:
                        db.session.add(Norm(province_id=province.id, unit_type=unit_type, item_type=item,
                                            label=ITEM_TYPES[item].label, basis=basis, quantity=Decimal(qty),
                                            is_maximum=is_max, is_default=True, legal_ref=ref, note=note))
            patterns = set(db.session.scalars(
                sa.select(EquipmentTypeRule.pattern).where(EquipmentTypeRule.province_id == province.id)))
            for pattern, item, priority in DEFAULT_RULES:
                if pattern not in patterns:
                    db.session.add(EquipmentTypeRule(province_id=province.id, pattern=pattern, item_type=item,
                                                     priority=priority))
            db.session.add(ProvinceSetting(province_id=province.id, key=SEEDED_KEY, value=1))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def norms_of(province_id: int) -> list[Norm]:
    """Every norm of a province, by unit type then item."""
    return list(db.session.scalars(sa.select(Norm).where(Norm.province_id == province_id)
                                   .order_by(Norm.unit_type, Norm.basis, Norm.item_type)))


def rules_of(province_id: int) -> list[EquipmentTypeRule]:
    """Mapping rules of a province, in the order they are tried."""
    return list(db.session.scalars(sa.select(EquipmentTypeRule).where(EquipmentTypeRule.province_id == province_id)
                                   .order_by(EquipmentTypeRule.priority, EquipmentTypeRule.pattern)))


def _quantity(raw: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[field] = "Định mức phải là một số, ví dụ 1 hoặc 0,5."
        return None
    if not value.is_finite() or value < 0 or value > 100_000:
        errors[field] = "Định mức phải từ 0 đến 100.000."
        return None
    return value.quantize(Decimal("0.01"))


def update_norm(norm: Norm, actor: User, *, quantity: Any, is_maximum: bool, legal_ref: str | None = None,
                note: str | None = None) -> Norm:
    """Change a norm's figure; it stops being a default and the change is audited."""
    errors: dict[str, str] = {}
    value = _quantity(quantity, f"quantity-{norm.id}", errors)
    if errors:
        raise ValidationError(errors)
    before = {"quantity": str(norm.quantity), "is_maximum": norm.is_maximum}
    norm.quantity, norm.is_maximum, norm.is_default = value, bool(is_maximum), False
    norm.legal_ref = clean(legal_ref)[:200] or None
    norm.note = clean(note) or None
    norm.updated_by_id = actor.id
    db.session.flush()
    audit.log("norm.updated", actor, norm, before=before, after={"quantity": str(value), "is_maximum": norm.is_maximum},
              unit_type=norm.unit_type, item_type=norm.item_type)
    return norm


def add_norm(province: Province, actor: User, *, unit_type: str, item_type: str, basis: str, quantity: Any,
             is_maximum: bool = False, legal_ref: str | None = None) -> Norm:
    """A norm for an item the defaults do not cover (or for a unit type that lacks one)."""
    errors: dict[str, str] = {}
    if unit_type not in UNIT_TYPES:
        errors["unit_type"] = "Loại đơn vị không hợp lệ."
    if item_type not in ITEM_TYPES:
        errors["item_type"] = "Loại tài sản định mức không hợp lệ."
    try:
        basis_value = NormBasis(basis)
    except ValueError:
        errors["basis"] = "Cách tính định mức không hợp lệ."
    value = _quantity(quantity, "quantity", errors)
    if not errors and db.session.scalar(sa.select(Norm.id).where(
            Norm.province_id == province.id, Norm.unit_type == unit_type, Norm.item_type == item_type)):
        errors["item_type"] = (f"Đã có định mức «{ITEM_TYPES[item_type].label}» cho "
                               f"{UNIT_TYPES[unit_type].lower()}; hãy sửa dòng đó.")
    if errors:
        raise ValidationError(errors)
    norm = Norm(province_id=province.id, unit_type=unit_type, item_type=item_type, label=ITEM_TYPES[item_type].label,
                basis=basis_value, quantity=value, is_maximum=bool(is_maximum), is_default=False,
                legal_ref=clean(legal_ref)[:200] or None, updated_by_id=actor.id)
    db.session.add(norm)
    db.session.flush()
    audit.log("norm.created", actor, norm, unit_type=unit_type, item_type=item_type, quantity=str(value))
    return norm


def save_rule(province: Province, actor: User, *, pattern: str, item_type: str, priority: Any,
              rule: EquipmentTypeRule | None = None) -> EquipmentTypeRule:
    """Add a mapping rule, or change one; the pattern is stored folded ('Máy in' -> 'may in')."""
    errors: dict[str, str] = {}
    folded = fold_pattern(pattern)
    if len(folded.strip()) < 2:
        errors["pattern"] = "Cụm từ nhận dạng cần ít nhất 2 ký tự."
    elif len(folded) > 120:
        errors["pattern"] = "Cụm từ nhận dạng tối đa 120 ký tự."
    if item_type not in RULE_TARGETS:
        errors["item_type"] = "Loại tài sản định mức không hợp lệ."
    try:
        prio = int(str(priority).strip())
        if not 0 <= prio <= 1000:
            raise ValueError
    except ValueError:
        errors["priority"] = "Thứ tự ưu tiên là số nguyên từ 0 đến 1000."
        prio = 100
    if not errors:
        clash = db.session.scalar(sa.select(EquipmentTypeRule).where(
            EquipmentTypeRule.province_id == province.id, EquipmentTypeRule.pattern == folded))
        if clash is not None and clash is not rule:
            target = RULE_TARGETS.get(clash.item_type, clash.item_type)
            errors["pattern"] = f"Đã có quy tắc «{folded.strip()}» → {target}."
    if errors:
        raise ValidationError(errors)
    if rule is None:
        rule = EquipmentTypeRule(province_id=province.id)
        db.session.add(rule)
    rule.pattern, rule.item_type, rule.priority = folded, item_type, prio
    db.session.flush()
    audit.log("equipment_rule.saved", actor, rule, pattern=folded, item_type=item_type, priority=prio)
    return rule


def delete_rule(rule: EquipmentTypeRule, actor: User) -> None:
    """Remove a mapping rule; names it matched show up as unmapped again."""
    audit.log("equipment_rule.deleted", actor, rule, pattern=rule.pattern, item_type=rule.item_type)
    db.session.delete(rule)
    db.session.flush()


def setting(province_id: int, key: str, default: Any) -> Any:
    """A per-province setting, or its default."""
    row = db.session.get(ProvinceSetting, (province_id, key))
    return default if row is None else row.value


def stall_days(province_id: int) -> int:
    """Days after which an issued but unsigned (or signed but unconfirmed) handover is flagged."""
    return int(setting(province_id, STALL_DAYS_KEY, DEFAULT_STALL_DAYS))


def set_stall_days(province: Province, actor: User, raw: Any) -> int:
    """Change N, the days before a handover counts as stalled."""
    try:
        days = int(str(raw).strip())
        if not 1 <= days <= 365:
            raise ValueError
    except ValueError:
        raise ValidationError({"days": "Số ngày phải là số nguyên từ 1 đến 365."}) from None
    row = db.session.get(ProvinceSetting, (province.id, STALL_DAYS_KEY))
    if row is None:
        db.session.add(ProvinceSetting(province_id=province.id, key=STALL_DAYS_KEY, value=days))
    else:
        row.value = days
    db.session.flush()
    audit.log("setting.updated", actor, province, key=STALL_DAYS_KEY, value=days)
    return days


def _count(raw: Any, field: str, label: str, errors: dict[str, str]) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None  # blank means "not declared yet": no gap is computed
    try:
        value = int(text)
        if not 0 <= value <= MAX_COUNT:
            raise ValueError
    except ValueError:
        errors[field] = f"{label}: phải là số nguyên từ 0 đến {group_thousands(MAX_COUNT)}."
        return None
    return value


def set_unit_counts(unit: Unit, actor: User, *, officials: Any, rooms: Any) -> Unit:
    """Record a receiving unit's number of officials and office rooms (blank = not declared)."""
    errors: dict[str, str] = {}
    if unit.kind not in (UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY):
        errors["officials_count"] = "Chỉ khai báo số cán bộ cho xã, phường mới hoặc cơ quan cấp tỉnh."
    officials_value = _count(officials, "officials_count", "Số cán bộ, công chức", errors)
    rooms_value = _count(rooms, "rooms_count", "Số phòng làm việc", errors)
    if errors:
        raise ValidationError(errors)
    before = {"officials_count": unit.officials_count, "rooms_count": unit.rooms_count}
    unit.officials_count, unit.rooms_count = officials_value, rooms_value
    db.session.flush()
    audit.log("unit.counts_updated", actor, unit, before=before,
              after={"officials_count": officials_value, "rooms_count": rooms_value})
    return unit

"""Which handovers a person sees, lists and totals. No Flask here."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.handovers.drafts import HANDED_ON, RECEIVER_KINDS
from tracker.models import Asset, AuditEntry, Handover, HandoverItem, HandoverStatus, Role, Unit, UnitKind, User


def handover_scope(user: User) -> sa.ColumnElement[bool]:
    """Condition on Handover: commune staff see issued handovers coming to their unit only."""
    if user.role == Role.COMMUNE:
        return sa.and_(Handover.receiver_id == user.unit_id, Handover.status != HandoverStatus.DRAFT)
    if user.province_id is not None:
        return Handover.province_id == user.province_id
    return sa.true()


def list_query(user: User, status: HandoverStatus | None = None, receiver_id: int | None = None) -> sa.Select:
    """Handovers in scope, newest first."""
    query = sa.select(Handover).where(handover_scope(user))
    if status is not None:
        query = query.where(Handover.status == status)
    if receiver_id is not None:
        query = query.where(Handover.receiver_id == receiver_id)
    return query.order_by(Handover.created_at.desc(), Handover.id.desc())


def reallocation_givers(condition: sa.ColumnElement[bool], keep: Unit | None = None) -> list[Unit]:
    """Units still working (new communes and wards, provincial bodies) among ``condition`` that hold
    assets they could hand on (registered or received): the givers a reallocation may have.
    ``keep``: a draft's current giver, offered even when all it held is on that draft."""
    holds = sa.exists().where(Asset.holder_id == Unit.id, Asset.status.in_(HANDED_ON))
    query = sa.select(Unit).where(condition, Unit.kind.in_(RECEIVER_KINDS), holds)
    if keep is not None and not keep.is_dissolved:
        query = sa.select(Unit).where(sa.or_(Unit.id == keep.id, Unit.id.in_(query.with_only_columns(Unit.id))))
    units = db.session.scalars(query).all()
    return sorted(units, key=lambda u: (u.kind != UnitKind.NEW_COMMUNE, u.name, u.id))


@dataclass
class ItemTotals:
    count: int = 0
    quantity: int = 0
    original_cost: int = 0
    remaining_value: int = 0


def item_totals(handover_id: int) -> ItemTotals:
    """Count and book values of a handover's assets, summed in SQL."""
    row = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Asset.quantity), 0),
                    sa.func.coalesce(sa.func.sum(Asset.original_cost), 0),
                    sa.func.coalesce(sa.func.sum(Asset.remaining_value), 0)).select_from(HandoverItem).join(
        Asset, Asset.id == HandoverItem.asset_id).where(HandoverItem.handover_id == handover_id)
    count, quantity, cost, value = db.session.execute(row).one()
    return ItemTotals(int(count), int(quantity), int(cost), int(value))


def receipt_counts(handover_id: int) -> dict[str, int]:
    """How many items are pending, received, missing, damaged."""
    rows = db.session.execute(sa.select(HandoverItem.receipt_state, sa.func.count()).where(
        HandoverItem.handover_id == handover_id).group_by(HandoverItem.receipt_state))
    return {state.value if hasattr(state, "value") else state: int(n) for state, n in rows}


# The handover's own audit actions as the page shows them.
TRAIL_LABELS = {
    "handover_prepared": "Lập bản nháp", "handover_draft_updated": "Sửa bản nháp",
    "handover_items_added": "Thêm tài sản", "handover_items_removed": "Bỏ tài sản",
    "handover_issued": "Phát hành biên bản", "handover_signed": "Tải bản đã ký",
    "handover_scan_replaced": "Thay bản đã ký", "handover_items_confirmed": "Xác nhận tiếp nhận",
    "handover_completed": "Hoàn tất tiếp nhận", "handover_voided": "Hủy biên bản",
    "handover_decision_recorded": "Ghi nhận quyết định điều chuyển",
}


def of_asset(user: User, asset_id: int) -> list[tuple[Handover, HandoverItem]]:
    """The handovers an asset was put on that this person may see, with its line there; oldest first."""
    return list(db.session.execute(
        sa.select(Handover, HandoverItem).join(HandoverItem, HandoverItem.handover_id == Handover.id)
        .where(HandoverItem.asset_id == asset_id, handover_scope(user))
        .options(selectinload(Handover.giver), selectinload(Handover.receiver))
        .order_by(Handover.created_at, Handover.id)).tuples())


def audit_trail(handover_id: int) -> sa.Select:
    """The handover's own history, oldest first."""
    return sa.select(AuditEntry).where(AuditEntry.object_type == Handover.__tablename__,
                                       AuditEntry.object_id == handover_id).order_by(AuditEntry.id) \
        .options(selectinload(AuditEntry.user))

"""Reconciliation: does everything a dissolved unit registered have an explanation, and does
every item of issued minutes have a receipt? The categories are defined in docs/AUDIT.md.

Per dissolved unit: registered = handed over + still held + written off + difference, where
the difference lists each asset with no explanation (and assets moved to another unit's list).
Per handover: issued items = received + missing + damaged + pending (the difference).
Category sums are computed in SQL over the whole province; item lists are per unit or handover.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.auth.scope import unit_scope
from tracker.exports.lookups import handovers_seen_by
from tracker.extensions import db
from tracker.models import (Asset, AssetEvent, AssetStatus, Handover, HandoverItem, HandoverStatus, ReceiptState,
                            Unit, UnitKind, User)

HANDED_OVER, HELD, WRITTEN_OFF, DIFFERENCE, MOVED = "handed_over", "held", "written_off", "difference", "moved"
CATEGORY_LABELS = {HANDED_OVER: "Đã bàn giao", HELD: "Đơn vị còn giữ", WRITTEN_OFF: "Đã ghi giảm",
                   DIFFERENCE: "Chênh lệch (chưa giải trình)", MOVED: "Đã chuyển sang danh mục đơn vị khác"}
IN_MINUTES = (AssetStatus.ISSUED, AssetStatus.SIGNED)
AFTER_RECEIPT = (AssetStatus.RECEIVED, AssetStatus.DAMAGED, AssetStatus.MISSING)
NOT_YET_GIVEN = (AssetStatus.REGISTERED, AssetStatus.IN_HANDOVER)


def _backed_by_minutes() -> sa.ColumnElement[bool]:
    """The asset's status is explained by an item of minutes that were not voided."""
    item, handover = aliased(HandoverItem), aliased(Handover)
    return sa.exists().where(
        item.asset_id == Asset.id, handover.id == item.handover_id, handover.status != HandoverStatus.VOIDED,
        sa.or_(
            sa.and_(Asset.status.in_(IN_MINUTES), item.is_open,
                    handover.status.in_((HandoverStatus.ISSUED, HandoverStatus.SIGNED))),
            sa.and_(Asset.status.in_(AFTER_RECEIPT),
                    sa.type_coerce(item.receipt_state, sa.String) == sa.type_coerce(Asset.status, sa.String)),
        ))


def _reallocation_draft() -> sa.ColumnElement[bool]:
    """The asset is on a draft that took it after an earlier handover delivered it (a
    reallocation): a draft moves nothing, so it is still handed over."""
    return sa.exists().where(HandoverItem.asset_id == Asset.id, HandoverItem.is_open.is_(True),
                             HandoverItem.prior_status == AssetStatus.RECEIVED)


def category() -> sa.ColumnElement[str]:
    """SQL CASE giving each asset its reconciliation category (see docs/AUDIT.md)."""
    return sa.case(
        (Asset.status == AssetStatus.WRITTEN_OFF, WRITTEN_OFF),
        (sa.and_(Asset.status.in_(NOT_YET_GIVEN), Asset.holder_id == Asset.unit_id), HELD),
        (sa.and_(Asset.status == AssetStatus.IN_HANDOVER, _reallocation_draft()), HANDED_OVER),
        (sa.and_(Asset.status.in_(IN_MINUTES + AFTER_RECEIPT), _backed_by_minutes()), HANDED_OVER),
        else_=DIFFERENCE,
    )


@dataclass
class Sums:
    count: int = 0
    original_cost: int = 0
    remaining_value: int = 0

    def add(self, count: int, cost: int, remaining: int) -> None:
        self.count += count
        self.original_cost += cost
        self.remaining_value += remaining


@dataclass
class UnitReconciliation:
    """One dissolved unit's balance: sums per category; ``registered`` is their total."""

    unit: Unit
    sums: dict[str, Sums] = field(default_factory=lambda: {k: Sums() for k in CATEGORY_LABELS})
    handed_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def registered(self) -> Sums:
        total = Sums()
        for s in self.sums.values():
            total.add(s.count, s.original_cost, s.remaining_value)
        return total

    @property
    def unexplained(self) -> int:
        return self.sums[DIFFERENCE].count + self.sums[MOVED].count

    @property
    def balanced(self) -> bool:
        return self.unexplained == 0


def _moved_away(unit_ids: sa.Select | list[int]) -> sa.Select:
    """(previous unit, asset id) for assets whose history moved them off a unit's list."""
    previous = AssetEvent.changes[("unit_id", 0)].as_integer()
    return (sa.select(previous.label("unit_id"), AssetEvent.asset_id)
            .join(Asset, Asset.id == AssetEvent.asset_id)
            .where(previous.in_(unit_ids), Asset.unit_id != previous)
            .distinct())


def dissolved_units_in_scope(user: User) -> sa.Select:
    return sa.select(Unit.id).where(unit_scope(user), Unit.kind.in_((UnitKind.OLD_DISTRICT, UnitKind.OLD_COMMUNE)))


def unit_summaries(user: User, unit_ids: list[int] | None = None) -> list[UnitReconciliation]:
    """The balance of every dissolved unit in scope that registered anything, in name order."""
    scope = dissolved_units_in_scope(user)
    if unit_ids is not None:
        scope = scope.where(Unit.id.in_(unit_ids))
    cat = category().label("category")
    rows = db.session.execute(
        sa.select(Asset.unit_id, cat, sa.type_coerce(Asset.status, sa.String), sa.func.count(),
                  sa.func.coalesce(sa.func.sum(Asset.original_cost), 0),
                  sa.func.coalesce(sa.func.sum(Asset.remaining_value), 0))
        .where(Asset.unit_id.in_(scope)).group_by(Asset.unit_id, cat, Asset.status))
    result: dict[int, dict[str, Any]] = {}
    for unit_id, cat_name, status, count, cost, remaining in rows:
        entry = result.setdefault(unit_id, {"sums": {k: Sums() for k in CATEGORY_LABELS}, "by_status": {}})
        entry["sums"][cat_name].add(int(count), int(cost), int(remaining))
        if cat_name == HANDED_OVER:
            entry["by_status"][status] = entry["by_status"].get(status, 0) + int(count)
    moved = _moved_away(scope).subquery()
    for unit_id, count, cost, remaining in db.session.execute(
            sa.select(moved.c.unit_id, sa.func.count(), sa.func.coalesce(sa.func.sum(Asset.original_cost), 0),
                      sa.func.coalesce(sa.func.sum(Asset.remaining_value), 0))
            .join(Asset, Asset.id == moved.c.asset_id).group_by(moved.c.unit_id)):
        entry = result.setdefault(unit_id, {"sums": {k: Sums() for k in CATEGORY_LABELS}, "by_status": {}})
        entry["sums"][MOVED].add(int(count), int(cost), int(remaining))
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(list(result))))}
    summaries = [UnitReconciliation(units[uid], e["sums"], e["by_status"]) for uid, e in result.items()]
    return sorted(summaries, key=lambda s: (s.unit.name, s.unit.id))


@dataclass
class ItemLine:
    """One asset in a reconciliation list, with why it is where it is."""

    asset_id: int
    code: str
    name: str
    status: AssetStatus
    holder: str
    original_cost: int
    remaining_value: int
    category: str
    reason: str


def _reason(cat: str, status: AssetStatus, holder_name: str, unit_id: int, holder_id: int) -> str:
    if cat == HELD:
        return "Chưa bàn giao, đơn vị vẫn giữ"
    if cat == WRITTEN_OFF:
        return "Đã ghi giảm"
    if cat == HANDED_OVER and status == AssetStatus.IN_HANDOVER:
        return "Đã tiếp nhận theo biên bản; đang lập biên bản điều chuyển"
    if cat == HANDED_OVER:
        return f"{status.label} theo biên bản"
    if status in NOT_YET_GIVEN and holder_id != unit_id:
        return f"Đang do «{holder_name}» giữ nhưng không có biên bản bàn giao"
    return f"Trạng thái «{status.label}» nhưng không có biên bản tương ứng (chưa hủy)"


def unit_items(unit: Unit, only_difference: bool = False) -> Iterator[ItemLine]:
    """Every asset the unit registered, with its category and reason; moved-away assets last."""
    holder = aliased(Unit)
    cat = category().label("category")
    query = (sa.select(Asset.id, Asset.code, Asset.name, Asset.status, holder.name, Asset.original_cost,
                       Asset.remaining_value, cat, Asset.holder_id)
             .join(holder, holder.id == Asset.holder_id).where(Asset.unit_id == unit.id).order_by(Asset.id))
    if only_difference:
        query = query.where(cat == DIFFERENCE)
    for aid, code, name, status, holder_name, cost, remaining, cat_name, holder_id in db.session.execute(query):
        yield ItemLine(aid, code, name, status, holder_name, cost, remaining, cat_name,
                       _reason(cat_name, status, holder_name, unit.id, holder_id))
    moved = _moved_away([unit.id]).subquery()
    new_unit = aliased(Unit)
    for asset, new_name in db.session.execute(
            sa.select(Asset, new_unit.name).join(moved, moved.c.asset_id == Asset.id)
            .join(new_unit, new_unit.id == Asset.unit_id).order_by(Asset.id)).tuples():
        yield ItemLine(asset.id, asset.code, asset.name, asset.status, asset.holder.name, asset.original_cost,
                       asset.remaining_value, MOVED, f"Đã chuyển sang danh mục của «{new_name}»")


# --- Handovers ---------------------------------------------------------------------------------

RECEIPT_ORDER = (ReceiptState.RECEIVED, ReceiptState.MISSING, ReceiptState.DAMAGED, ReceiptState.PENDING)


@dataclass
class HandoverReconciliation:
    """Issued items = received + missing + damaged + pending (pending is the difference)."""

    handover: Handover
    by_state: dict[ReceiptState, Sums] = field(default_factory=lambda: {s: Sums() for s in RECEIPT_ORDER})
    dropped: list[int] = field(default_factory=list)  # assets in the handover's history, not in its items

    @property
    def issued(self) -> Sums:
        total = Sums()
        for s in self.by_state.values():
            total.add(s.count, s.original_cost, s.remaining_value)
        return total

    @property
    def difference(self) -> int:
        return self.by_state[ReceiptState.PENDING].count + len(self.dropped)


def printed_money(item: HandoverItem, name: str) -> int:
    """The amount as printed on the minutes (the snapshot), else today's value."""
    value = (item.snapshot or {}).get(name)
    try:
        return int(value) if value is not None else int(getattr(item.asset, name) or 0)
    except (TypeError, ValueError):
        return int(getattr(item.asset, name) or 0)


def handovers_in_scope(user: User) -> sa.Select:
    """Handovers past the draft whose giving or receiving unit the user may see, newest first."""
    return (handovers_seen_by(user)
            .where(Handover.status.in_((HandoverStatus.ISSUED, HandoverStatus.SIGNED, HandoverStatus.COMPLETED)))
            .order_by(Handover.year.desc(), Handover.number.desc(), Handover.id.desc()))


def handover_counts(handover_ids: list[int]) -> dict[int, dict[ReceiptState, int]]:
    """Items per receipt state for many handovers in one query (for the list page)."""
    counts: dict[int, dict[ReceiptState, int]] = {hid: {s: 0 for s in RECEIPT_ORDER} for hid in handover_ids}
    if handover_ids:
        for hid, state, n in db.session.execute(
                sa.select(HandoverItem.handover_id, HandoverItem.receipt_state, sa.func.count())
                .where(HandoverItem.handover_id.in_(handover_ids))
                .group_by(HandoverItem.handover_id, HandoverItem.receipt_state)):
            counts[hid][state] = n
    return counts


def reconcile_handover(handover: Handover) -> HandoverReconciliation:
    """Receipt states of one handover's items, with money as printed, and assets dropped after issue."""
    result = HandoverReconciliation(handover)
    items = db.session.scalars(sa.select(HandoverItem).where(HandoverItem.handover_id == handover.id)
                               .options(sa.orm.selectinload(HandoverItem.asset))).all()
    for item in items:
        result.by_state[item.receipt_state].add(1, printed_money(item, "original_cost"),
                                                printed_money(item, "remaining_value"))
    # Assets whose history says they were issued in these minutes; items taken out while the
    # minutes were a draft never reached 'issued', so they are no loss.
    recorded = sa.select(AssetEvent.asset_id).where(
        AssetEvent.handover_id == handover.id,
        AssetEvent.changes[("status", 1)].as_string() == AssetStatus.ISSUED.value)
    in_history = set(db.session.scalars(recorded))
    result.dropped = sorted(in_history - {item.asset_id for item in items})
    return result


def handover_items(handover: Handover) -> list[HandoverItem]:
    return list(db.session.scalars(sa.select(HandoverItem).where(HandoverItem.handover_id == handover.id)
                                   .options(sa.orm.selectinload(HandoverItem.asset)).order_by(HandoverItem.id)))

"""Which receiving unit an asset stands with, per status, for the dashboard's receiving side.

``Asset.receiver_id`` is only the intended receiver typed in the register (the handover steps
do not change it) and ``Asset.holder_id`` moves only when a handover completes, so the unit an
asset is going to depends on its status:

- *Chưa bàn giao*, *Đã ghi giảm*: its intended receiver, if any;
- in an open handover (*Đang lập*, *Đã phát hành*, *Đã ký*, and items confirmed while the
  handover is not yet complete): that handover's receiver;
- *Đã tiếp nhận*, *Hư hỏng khi tiếp nhận* after completion: its holder (completion moved it);
- *Thiếu khi tiếp nhận* after completion (it stays with the giver): the receiver of the handover
  that reported it missing.

Counts come from grouped queries on the asset table and on handover items joined to their
handover, where an open item's status follows from the handover's status and the item's
receipt state; no query per unit and no join to the assets for the big open-handover part.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Asset, AssetKind, AssetStatus, Handover, HandoverItem, HandoverStatus, ReceiptState

BY_VALUE = {s.value: s for s in AssetStatus}
PLANNED = (AssetStatus.REGISTERED, AssetStatus.WRITTEN_OFF)
ARRIVED = (AssetStatus.RECEIVED, AssetStatus.DAMAGED)
OPEN_STATUS = {HandoverStatus.DRAFT: AssetStatus.IN_HANDOVER, HandoverStatus.ISSUED: AssetStatus.ISSUED,
               HandoverStatus.SIGNED: AssetStatus.SIGNED}
CONFIRMED = {ReceiptState.RECEIVED: AssetStatus.RECEIVED, ReceiptState.MISSING: AssetStatus.MISSING,
             ReceiptState.DAMAGED: AssetStatus.DAMAGED}


def open_item_status(handover_status: HandoverStatus, receipt: ReceiptState) -> AssetStatus:
    """The status the handover steps give an asset on an open item (confirmed items first)."""
    return CONFIRMED.get(ReceiptState(receipt)) or OPEN_STATUS[HandoverStatus(handover_status)]


def _open_items(province_id: int | None, kind: AssetKind | None) -> sa.Select:
    """Open items counted per handover and receipt state, off ``ix_handover_items_open`` alone;
    the handovers' receivers and statuses are joined in Python (a few thousand rows)."""
    handovers = sa.select(Handover.id)
    if province_id is not None:
        handovers = handovers.where(Handover.province_id == province_id)
    query = (sa.select(HandoverItem.handover_id, HandoverItem.receipt_state, sa.func.count())
             .where(HandoverItem.handover_id.in_(handovers), HandoverItem.is_open.is_(True))
             .group_by(HandoverItem.handover_id, HandoverItem.receipt_state))
    if kind is not None:
        query = query.join(Asset, Asset.id == HandoverItem.asset_id).where(Asset.kind == kind)
    return query


def _handover_heads(province_id: int | None) -> dict[int, tuple[int, HandoverStatus]]:
    query = sa.select(Handover.id, Handover.receiver_id, Handover.status).where(
        Handover.status.in_(tuple(OPEN_STATUS)))
    if province_id is not None:
        query = query.where(Handover.province_id == province_id)
    return {hid: (receiver, HandoverStatus(status)) for hid, receiver, status in db.session.execute(query)}


def _confirmed_open_holders(province_id: int | None, kind: AssetKind | None) -> sa.Select:
    """Items confirmed while their handover is still open, by the asset's current holder: the
    asset-table pass counted them at that holder, the open-item pass at the receiver."""
    query = (sa.select(Asset.holder_id, Asset.status, sa.func.count())
             .select_from(HandoverItem).join(Handover, Handover.id == HandoverItem.handover_id)
             .join(Asset, Asset.id == HandoverItem.asset_id)
             .where(HandoverItem.is_open.is_(True), HandoverItem.receipt_state != ReceiptState.PENDING,
                    Asset.status.in_(ARRIVED))
             .group_by(Asset.holder_id, Asset.status))
    if province_id is not None:
        query = query.where(Handover.province_id == province_id)
    if kind is not None:
        query = query.where(Asset.kind == kind)
    return query


def _missing_after(province_id: int | None, kind: AssetKind | None) -> sa.Select:
    query = (sa.select(Handover.receiver_id, sa.func.count(sa.distinct(Asset.id)))
             .select_from(Asset).join(HandoverItem, HandoverItem.asset_id == Asset.id)
             .join(Handover, Handover.id == HandoverItem.handover_id)
             .where(Asset.status == AssetStatus.MISSING, HandoverItem.receipt_state == ReceiptState.MISSING,
                    HandoverItem.is_open.is_(False))
             .group_by(Handover.receiver_id))
    if province_id is not None:
        query = query.where(Asset.province_id == province_id)
    if kind is not None:
        query = query.where(Asset.kind == kind)
    return query


def counts(province_id: int | None, kind: AssetKind | None = None
           ) -> tuple[dict[int, dict[AssetStatus, int]], dict[int, dict[AssetStatus, int]]]:
    """(by giving unit, by receiving unit) -> status -> number of assets."""
    giving: dict[int, dict[AssetStatus, int]] = defaultdict(lambda: defaultdict(int))
    receiving: dict[int, dict[AssetStatus, int]] = defaultdict(lambda: defaultdict(int))
    query = (sa.select(Asset.unit_id, sa.type_coerce(Asset.status, sa.String), Asset.receiver_id, Asset.holder_id,
                       sa.func.count())
             .group_by(Asset.unit_id, Asset.status, Asset.receiver_id, Asset.holder_id))
    if province_id is not None:
        query = query.where(Asset.province_id == province_id)
    if kind is not None:
        query = query.where(Asset.kind == kind)
    for unit_id, status, receiver_id, holder_id, n in db.session.execute(query):
        status = BY_VALUE[status]
        giving[unit_id][status] += n
        if status in PLANNED and receiver_id is not None:
            receiving[receiver_id][status] += n
        elif status in ARRIVED and holder_id != unit_id:
            receiving[holder_id][status] += n
    for holder_id, status, n in db.session.execute(_confirmed_open_holders(province_id, kind)):
        status = AssetStatus(status)
        if holder_id in receiving and receiving[holder_id][status] >= n and status in ARRIVED:
            receiving[holder_id][status] -= n
    heads = _handover_heads(province_id)
    for handover_id, receipt, n in db.session.execute(_open_items(province_id, kind)):
        if handover_id in heads:
            receiver_id, handover_status = heads[handover_id]
            receiving[receiver_id][open_item_status(handover_status, receipt)] += n
    for receiver_id, n in db.session.execute(_missing_after(province_id, kind)):
        receiving[receiver_id][AssetStatus.MISSING] += n
    return giving, receiving


def receiving_ids(unit_id: int) -> sa.CompoundSelect:
    """Ids of the assets standing with a receiving unit, as counted above: four indexed selects
    (planned receiver, open handover to it, arrived and held, reported missing to it) in a UNION,
    where one OR over the asset table would scan it whole."""
    open_to = (sa.select(HandoverItem.asset_id).join(Handover, Handover.id == HandoverItem.handover_id)
               .where(HandoverItem.is_open.is_(True), Handover.receiver_id == unit_id))
    still_open = sa.exists().where(HandoverItem.asset_id == Asset.id, HandoverItem.is_open.is_(True))
    arrived = sa.select(Asset.id).where(Asset.holder_id == unit_id, Asset.status.in_(ARRIVED),
                                        Asset.unit_id != unit_id, ~still_open)
    planned = sa.select(Asset.id).where(Asset.receiver_id == unit_id, Asset.status.in_(PLANNED))
    missing_at = (sa.select(HandoverItem.asset_id).join(Handover, Handover.id == HandoverItem.handover_id)
                  .join(Asset, Asset.id == HandoverItem.asset_id)
                  .where(HandoverItem.receipt_state == ReceiptState.MISSING, HandoverItem.is_open.is_(False),
                         Handover.receiver_id == unit_id, Asset.status == AssetStatus.MISSING))
    return sa.union(planned, open_to, arrived, missing_at)


def receiving_condition(unit_id: int) -> sa.ColumnElement[bool]:
    """Condition on Asset for :func:`receiving_ids` (for the list behind a number)."""
    return Asset.id.in_(receiving_ids(unit_id))

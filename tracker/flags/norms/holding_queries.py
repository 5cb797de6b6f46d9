"""The grouped queries of what receiving units hold and are due, in the shape each engine runs
fastest, and the way their rows are read. ``tracker.flags.norms.gaps`` turns their rows into gaps.

Every query groups a province's (or the country's) rows in the database and returns at most a
few thousand groups; which columns they group by, in which order and through which join decides
whether SQLite reads an index straight through and PostgreSQL hash-joins instead of fetching row
by row (docs/BENCHMARKS.md, "Flags and dashboard").
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (Asset, AssetKind, AssetStatus, Condition, Handover, HandoverItem, HandoverStatus,
                            ReceiptState, Unit, UnitKind)

UNUSABLE_CONDITIONS = (Condition.DAMAGED, Condition.UNUSABLE)
HELD_STATUSES = (AssetStatus.REGISTERED, AssetStatus.IN_HANDOVER, AssetStatus.RECEIVED)
DUE_STATUSES = (HandoverStatus.ISSUED, HandoverStatus.SIGNED)
RECEIVING_KINDS = (UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY)
GAP_KINDS = (AssetKind.EQUIPMENT, AssetKind.VEHICLE, AssetKind.HEADQUARTERS)


def raw(column: sa.ColumnElement) -> sa.ColumnElement[str]:
    """The column's stored text, without the Enum result processor: grouped queries return
    thousands of rows and converting each value to its enum costs more than the query."""
    return sa.type_coerce(column, sa.String)


def plain_rows(query: sa.Select) -> Iterator[sa.Row]:
    """The rows of a grouped query, a few hundred at a time, as Core rows of the session's connection.

    ``session.execute`` builds every row a second time for the ORM, and a list of thousands of
    rows kept alive at once is walked again and again by Python's cyclic garbage collector (a
    full pass costs about 60 ms in a running app); rows read in small batches are freed as they
    go. Pending changes are flushed first, as ``session.execute`` would.
    """
    if db.session.autoflush:
        db.session.flush()
    with db.session.connection().execute(query) as result:
        for batch in result.partitions(500):
            yield from batch


def usable(asset=Asset) -> sa.ColumnElement[bool]:
    """Rows whose condition lets them count toward a norm or move to another unit."""
    return asset.condition.not_in(UNUSABLE_CONDITIONS)


def held_query(province_id: int | None, unit_id: int | None, holders: Iterable[int] | None = None,
               usable_only: bool = False) -> sa.Select:
    """Held quantities by holder, kind, type text, condition and status.

    Grouped in the order of ``ix_assets_held`` (holder, kind, type, condition, status, quantity,
    floor area) so SQLite aggregates straight off the index; whether a row is usable is decided
    in Python from its condition and status. A province's receiving units are listed by id
    (``holders``), in order: PostgreSQL then walks the index once, in that order, with no hash
    table (about 24 ms instead of 33 ms for 100 units and 53,000 rows). ``usable_only``: only
    usable items, by holder, kind and type text (condition and status come back empty).
    """
    if unit_id is not None:
        holder = Asset.holder_id == unit_id
    elif holders is not None:
        holder = Asset.holder_id.in_(sorted(holders))
    else:
        units = sa.select(Unit.id).where(Unit.kind.in_(RECEIVING_KINDS))
        if province_id is not None:
            units = units.where(Unit.province_id == province_id)
        holder = Asset.holder_id.in_(units)
    if usable_only:
        return (sa.select(Asset.holder_id, raw(Asset.kind), Asset.equipment_type, sa.null(), sa.null(),
                          *_amount_columns())
                .where(holder, Asset.kind.in_(GAP_KINDS), Asset.status.in_(HELD_STATUSES), usable())
                .group_by(Asset.holder_id, Asset.kind, Asset.equipment_type))
    return (sa.select(Asset.holder_id, raw(Asset.kind), Asset.equipment_type, raw(Asset.condition),
                      raw(Asset.status), *_amount_columns())
            .where(holder, Asset.kind.in_(GAP_KINDS), Asset.status.in_((*HELD_STATUSES, AssetStatus.DAMAGED)))
            .group_by(Asset.holder_id, Asset.kind, Asset.equipment_type, Asset.condition, Asset.status))


def _amount_columns():
    return (sa.func.sum(Asset.quantity), sa.type_coerce(sa.func.sum(Asset.floor_area), sa.String), sa.func.count())


def due_queries(province_id: int | None, unit_id: int | None, asset_led: bool | None = None,
                usable_only: bool = False) -> list[sa.Select]:
    """Open items of issued or signed handovers, by receiver, kind, type text, condition and receipt
    (``usable_only``: only usable items, by receiver, kind and type text).

    For one unit, one query led by its handovers (items, then each item's asset by id). For a
    province or the country, two: the items not yet confirmed (receipt pending), whose assets have
    status 'issued' or 'signed', then the few confirmed while their handover is still open, from
    the handover side. The first has one shape per planner. Led by the assets (SQLite):
    ``ix_assets_stock`` yields them with their type, quantity and condition, and
    ``ix_handover_items_asset_open`` their handover — SQLite's nested loops would otherwise read
    each asset row by id (2.5 times slower). Led by the handovers, with the assets' province and
    status as well (PostgreSQL): it hash-joins the handovers' items with those assets read off
    ``ix_assets_stock`` instead of fetching each asset by id (about 40 ms instead of 65 ms for the
    23,000 items due in a province of 200,000 assets).
    """
    if asset_led is None:
        asset_led = db.session.get_bind().dialect.name == "sqlite"
    columns = (Handover.receiver_id, raw(Asset.kind), Asset.equipment_type, raw(Asset.condition),
               raw(HandoverItem.receipt_state), *_amount_columns())
    groups = (Handover.receiver_id, Asset.kind, Asset.equipment_type, Asset.condition, HandoverItem.receipt_state)
    which = [Asset.kind.in_(GAP_KINDS)]
    states = list(ReceiptState)
    if usable_only:
        columns = (*columns[:3], sa.null(), sa.null(), *columns[5:])
        groups = groups[:3]
        which.append(usable())
        states = [ReceiptState.PENDING, ReceiptState.RECEIVED]
    from_handovers = (sa.select(*columns).select_from(Handover)
                      .join(HandoverItem, sa.and_(HandoverItem.handover_id == Handover.id, HandoverItem.is_open))
                      .join(Asset, Asset.id == HandoverItem.asset_id)
                      .where(Handover.status.in_(DUE_STATUSES), *which).group_by(*groups))
    if province_id is not None:
        from_handovers = from_handovers.where(Handover.province_id == province_id)
    if unit_id is not None:
        mine = from_handovers.where(Handover.receiver_id == unit_id)
        return [mine.where(HandoverItem.receipt_state.in_(states)) if usable_only else mine]
    # Receipt states listed, not excluded, so that they are looked up in the items' indexes.
    pending_item = sa.and_(HandoverItem.receipt_state == ReceiptState.PENDING,
                           Asset.status.in_((AssetStatus.ISSUED, AssetStatus.SIGNED)))
    if asset_led:
        pending = (sa.select(*columns).select_from(Asset)
                   .join(HandoverItem, sa.and_(HandoverItem.asset_id == Asset.id, HandoverItem.is_open))
                   .join(Handover, Handover.id == HandoverItem.handover_id)
                   .where(pending_item, *which, Handover.status.in_(DUE_STATUSES))
                   .group_by(*groups))
    else:
        pending = from_handovers.where(pending_item)
    if province_id is not None:
        pending = pending.where(Asset.province_id == province_id)
    confirmed = [state for state in states if state != ReceiptState.PENDING]
    return [pending, from_handovers.where(HandoverItem.receipt_state.in_(confirmed))]

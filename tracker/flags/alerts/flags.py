"""The other flags: what is at risk, each with the items behind it.

- ``unhanded``: assets still held by their dissolved unit and in no handover at all;
- ``stalled``: handovers issued but unsigned, or signed but not confirmed, after N days
  (N per province, ``tracker.flags.norms.services.stall_days``);
- ``hq_decision``: HQs handed over for immediate use with no transfer decision after 30 days;
- ``multi_hq``: a new unit working from HQs at two or more addresses;
- ``receipt``: items reported missing or damaged at receipt (until found, repaired or written off).

A flag clears by itself when its cause is fixed: every list is a query over the current state.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from tracker.assets.queries import count_of
from tracker.extensions import db
from tracker.models import (Asset, AssetKind, AssetStatus, Handover, HandoverItem, HandoverStatus, ReceiptState,
                            Unit, UnitKind)
from tracker.models.base import utcnow

HQ_DECISION_DAYS = 30  # the formal transfer decision must follow within 30 days (DOMAIN.md)
FLAG_LABELS = {
    "unhanded": "Tài sản của đơn vị đã giải thể chưa vào biên bản nào",
    "stalled": "Biên bản phát hành chưa ký, hoặc đã ký chưa xác nhận, quá hạn",
    "hq_decision": "Trụ sở giao sử dụng ngay, quá 30 ngày chưa có quyết định điều chuyển",
    "multi_hq": "Đơn vị mới làm việc tại từ hai địa điểm trụ sở trở lên",
    "receipt": "Tài sản thiếu hoặc hư hỏng khi tiếp nhận",
}
OPEN_STATUSES = (HandoverStatus.ISSUED, HandoverStatus.SIGNED)
HQ_HELD = (AssetStatus.REGISTERED, AssetStatus.IN_HANDOVER, AssetStatus.RECEIVED)


def unhanded_assets(province_id: int | None, unit_id: int | None = None) -> sa.Select:
    """Assets still with the dissolved unit they belonged to, in no handover (status 'Chưa bàn giao')."""
    query = sa.select(Asset).where(Asset.status == AssetStatus.REGISTERED, Asset.holder_id == Asset.unit_id)
    if province_id is not None:
        query = query.where(Asset.province_id == province_id)
    if unit_id is not None:
        query = query.where(Asset.unit_id == unit_id)
    return query.order_by(Asset.unit_id, Asset.kind, Asset.id)


def unhanded_by_unit(province_id: int | None) -> list[tuple[int, str, dict[AssetKind, int], int]]:
    """(dissolved unit id, name, count per kind, total) for units with unhanded assets, most first."""
    query = (sa.select(Asset.kind, Asset.holder_id, Asset.unit_id, sa.func.count())
             .where(Asset.status == AssetStatus.REGISTERED, Asset.holder_id == Asset.unit_id)
             .group_by(Asset.kind, Asset.holder_id, Asset.unit_id))  # the order of ix_assets_stock
    if province_id is not None:
        query = query.where(Asset.province_id == province_id)
    per_unit: dict[int, dict[AssetKind, int]] = {}
    for kind, _holder, unit_id, n in db.session.execute(query):
        per_unit.setdefault(unit_id, {})[AssetKind(kind)] = n
    names = dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(list(per_unit)))).all()) \
        if per_unit else {}
    result = [(uid, names.get(uid, ""), kinds, sum(kinds.values())) for uid, kinds in per_unit.items()]
    return sorted(result, key=lambda r: (-r[3], r[1]))


@dataclass
class HandoverFlag:
    """A flagged handover: why, since when, how many items."""

    handover: Handover
    items: int
    since: dt.date | None
    days: int
    reason: str
    at: dt.datetime | None = None  # the moment the wait began (issue or signature)


def _items_count() -> sa.ScalarSelect:
    return (sa.select(sa.func.count()).where(HandoverItem.handover_id == Handover.id)
            .correlate(Handover).scalar_subquery())


def _handover_filter(query: sa.Select, province_id: int | None, unit_id: int | None) -> sa.Select:
    query = query.options(selectinload(Handover.giver), selectinload(Handover.receiver))
    if province_id is not None:
        query = query.where(Handover.province_id == province_id)
    if unit_id is not None:
        query = query.where(sa.or_(Handover.receiver_id == unit_id, Handover.giver_id == unit_id))
    return query


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def stalled_condition(days: int, now: dt.datetime) -> sa.ColumnElement[bool]:
    cutoff = now - dt.timedelta(days=days)
    return sa.or_(sa.and_(Handover.status == HandoverStatus.ISSUED, Handover.issued_at < cutoff),
                  sa.and_(Handover.status == HandoverStatus.SIGNED, Handover.signed_at < cutoff))


def stalled_handovers(province_id: int | None, days: int, *, unit_id: int | None = None,
                      now: dt.datetime | None = None) -> list[HandoverFlag]:
    """Issued and unsigned, or signed and unconfirmed, for more than ``days`` days; oldest first."""
    now = now or utcnow()
    query = sa.select(Handover, _items_count()).where(stalled_condition(days, now))
    flags = []
    for handover, items in db.session.execute(_handover_filter(query, province_id, unit_id)):
        signed = handover.status == HandoverStatus.SIGNED
        since = _as_utc(handover.signed_at if signed else handover.issued_at)
        flags.append(HandoverFlag(handover, items, since.date() if since else None, (now - since).days if since else 0,
                                  "Đã ký, chưa xác nhận tiếp nhận" if signed else "Đã phát hành, chưa ký", since))
    return sorted(flags, key=lambda f: (-f.days, f.handover.id))


def decision_due(handover: Handover) -> dt.date | None:
    """When the formal transfer decision of an immediate-use HQ handover falls due."""
    if handover.decision_due_on:
        return handover.decision_due_on
    start = handover.handover_date or (_as_utc(handover.issued_at).date() if handover.issued_at else None)
    return start + dt.timedelta(days=HQ_DECISION_DAYS) if start else None


def overdue_condition(today: dt.date) -> sa.ColumnElement[bool]:
    """Immediate-use HQ handovers whose decision is due before today and not recorded (portable SQL:
    the due date is ``decision_due_on``, else 30 days after the handover date, else after issue)."""
    start_before = today - dt.timedelta(days=HQ_DECISION_DAYS)
    has_hq = sa.exists().where(HandoverItem.handover_id == Handover.id, HandoverItem.asset_id == Asset.id,
                               Asset.kind == AssetKind.HEADQUARTERS)
    due = sa.or_(
        Handover.decision_due_on < today,
        sa.and_(Handover.decision_due_on.is_(None), Handover.handover_date < start_before),
        sa.and_(Handover.decision_due_on.is_(None), Handover.handover_date.is_(None),
                Handover.issued_at < dt.datetime.combine(start_before, dt.time(), dt.timezone.utc)))
    return sa.and_(Handover.immediate_use.is_(True), sa.func.coalesce(Handover.decision_ref, "") == "",
                   Handover.status.in_((HandoverStatus.ISSUED, HandoverStatus.SIGNED, HandoverStatus.COMPLETED)),
                   due, has_hq)


def hq_decisions_overdue(province_id: int | None, *, unit_id: int | None = None,
                         today: dt.date | None = None) -> list[HandoverFlag]:
    """Handovers with HQs put to use at once whose transfer decision is past due and not recorded."""
    today = today or utcnow().date()
    query = sa.select(Handover, _items_count()).where(overdue_condition(today))
    flags = []
    for handover, items in db.session.execute(_handover_filter(query, province_id, unit_id)):
        due = decision_due(handover)
        flags.append(HandoverFlag(handover, items, due, (today - due).days if due else 0,
                                  "Chưa có quyết định điều chuyển"))
    return sorted(flags, key=lambda f: (-f.days, f.handover.id))


@dataclass
class MultiSiteUnit:
    unit_id: int
    name: str
    addresses: list[str]
    asset_ids: list[int]


def hq_sites(province_id: int | None, unit_id: int | None) -> sa.Subquery:
    """(unit, asset, address) for HQs a receiving unit holds or is due to receive.

    Both halves start from the province's HQ rows (``ix_assets_province_kind``): a few thousand,
    where starting from open handover items would read every item of the province.
    """
    receivers = sa.select(Unit.id).where(Unit.kind.in_((UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY)))
    held = sa.select(Asset.holder_id.label("unit_id"), Asset.id.label("asset_id"), Asset.address).where(
        Asset.kind == AssetKind.HEADQUARTERS, Asset.status.in_(HQ_HELD), Asset.holder_id.in_(receivers))
    due = (sa.select(Handover.receiver_id.label("unit_id"), Asset.id.label("asset_id"), Asset.address)
           .select_from(Asset).join(HandoverItem, sa.and_(HandoverItem.asset_id == Asset.id,
                                                          HandoverItem.is_open.is_(True)))
           .join(Handover, Handover.id == HandoverItem.handover_id)
           .where(Asset.kind == AssetKind.HEADQUARTERS, Handover.status.in_(OPEN_STATUSES),
                  Asset.status.not_in((AssetStatus.MISSING, AssetStatus.DAMAGED))))
    if province_id is not None:
        held = held.where(Asset.province_id == province_id)
        due = due.where(Asset.province_id == province_id)
    if unit_id is not None:
        held = held.where(Asset.holder_id == unit_id)
        due = due.where(Handover.receiver_id == unit_id)
    return sa.union_all(held, due).subquery()


def multi_site_units(province_id: int | None, *, unit_id: int | None = None) -> list[MultiSiteUnit]:
    """New units whose HQs (held or due) stand at two or more distinct addresses."""
    sites = hq_sites(province_id, unit_id)
    many = (sa.select(sites.c.unit_id).group_by(sites.c.unit_id)
            .having(sa.func.count(sa.distinct(sites.c.address)) >= 2).subquery())
    unit = aliased(Unit)
    rows = db.session.execute(
        sa.select(sites.c.unit_id, unit.name, sites.c.address, sites.c.asset_id)
        .join(many, many.c.unit_id == sites.c.unit_id).join(unit, unit.id == sites.c.unit_id)
        .order_by(unit.name, sites.c.address, sites.c.asset_id))
    result: dict[int, MultiSiteUnit] = {}
    for uid, name, address, asset_id in rows:
        entry = result.setdefault(uid, MultiSiteUnit(uid, name, [], []))
        if address not in entry.addresses:
            entry.addresses.append(address)
        entry.asset_ids.append(asset_id)
    return sorted(result.values(), key=lambda u: (-len(u.addresses), u.name))


def _receipt_conditions(province_id: int | None, unit_id: int | None) -> list[sa.ColumnElement[bool]]:
    conditions = [Asset.status.in_((AssetStatus.MISSING, AssetStatus.DAMAGED))]
    if province_id is not None:
        conditions.append(Asset.province_id == province_id)
    if unit_id is not None:
        reported_to = (sa.select(HandoverItem.asset_id).join(Handover, Handover.id == HandoverItem.handover_id)
                       .where(Handover.receiver_id == unit_id,
                              HandoverItem.receipt_state.in_((ReceiptState.MISSING, ReceiptState.DAMAGED))))
        conditions.append(sa.or_(Asset.holder_id == unit_id, Asset.id.in_(reported_to)))
    return conditions


def receipt_asset_ids(province_id: int | None, unit_id: int | None) -> sa.Select:
    return sa.select(Asset.id).where(*_receipt_conditions(province_id, unit_id))


def receipt_assets(province_id: int | None, *, unit_id: int | None = None) -> sa.Select:
    """Assets reported missing or damaged at receipt (until found, repaired or written off).

    Missing ones first. Not ordered by id alone: for ``ORDER BY id LIMIT 50`` PostgreSQL walks
    the primary key hoping to meet the province's rows early, and filters 1.8 million rows.
    """
    return (sa.select(Asset).where(*_receipt_conditions(province_id, unit_id))
            .order_by(Asset.status.desc(), Asset.id))


def receipt_notes(asset_ids: list[int]) -> dict[int, tuple[str | None, int]]:
    """asset id -> (the receiver's note, handover id) from the latest item reporting it."""
    notes: dict[int, tuple[str | None, int]] = {}
    for start in range(0, len(asset_ids), 1000):
        rows = db.session.execute(
            sa.select(HandoverItem.asset_id, HandoverItem.receipt_note, HandoverItem.handover_id)
            .where(HandoverItem.asset_id.in_(asset_ids[start:start + 1000]),
                   HandoverItem.receipt_state.in_((ReceiptState.MISSING, ReceiptState.DAMAGED)))
            .order_by(HandoverItem.id))
        notes.update((asset_id, (note, handover_id)) for asset_id, note, handover_id in rows)  # latest wins
    return notes


def receipt_problems(province_id: int | None, *, unit_id: int | None = None,
                     assets: list[Asset] | None = None) -> list[tuple[Asset, str | None, int | None]]:
    """(asset, note, handover id) for the given assets (e.g. one page), or for every one."""
    if assets is None:
        assets = list(db.session.scalars(receipt_assets(province_id, unit_id=unit_id)))
    notes = receipt_notes([a.id for a in assets])
    return [(a, *notes.get(a.id, (None, None))) for a in assets]


def _handover_ids(condition: sa.ColumnElement[bool], province_id: int | None, unit_id: int | None) -> sa.Select:
    query = sa.select(Handover.id).where(condition)
    if province_id is not None:
        query = query.where(Handover.province_id == province_id)
    if unit_id is not None:
        query = query.where(sa.or_(Handover.receiver_id == unit_id, Handover.giver_id == unit_id))
    return query


def flag_counts(province_id: int | None, stall_after: int, *, unit_id: int | None = None) -> dict[str, int]:
    """How many items, handovers or units each flag holds: one COUNT per flag, nothing loaded."""
    now = utcnow()
    sites = hq_sites(province_id, unit_id)
    many = sa.select(sites.c.unit_id).group_by(sites.c.unit_id).having(sa.func.count(sa.distinct(sites.c.address)) >= 2)
    return {
        "unhanded": count_of(unhanded_assets(province_id, unit_id)),
        "stalled": count_of(_handover_ids(stalled_condition(stall_after, now), province_id, unit_id)),
        "hq_decision": count_of(_handover_ids(overdue_condition(now.date()), province_id, unit_id)),
        "multi_hq": count_of(many),
        "receipt": count_of(receipt_asset_ids(province_id, unit_id)),
    }

"""Unit pages as SQL: the list with asset counts, successors and predecessors, asset summaries.

Every query takes the user and applies ``unit_scope`` / ``asset_scope``; no Flask here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.assets.queries import Page, fetch_page
from tracker.auth.scope import asset_scope, unit_scope
from tracker.extensions import db
from tracker.models import Asset, AssetKind, Unit, UnitKind, UnitSuccession, User
from tracker.text import fold

KIND_ORDER = sa.case({m.value: i for i, m in enumerate(UnitKind)}, value=Unit.kind)
# How an asset relates to a unit: registered to it (old unit), to be received, held now.
ROLES = {"own": Asset.unit_id, "receiving": Asset.receiver_id, "holding": Asset.holder_id}


def unit_list(user: User, *, kind: UnitKind | None, q: str, page: int, size: int) -> Page:
    """Units in scope, by kind then name, optionally of one kind and matching every folded word."""
    query = sa.select(Unit).where(unit_scope(user))
    if kind is not None:
        query = query.where(Unit.kind == kind)
    for word in fold(q).split()[:8]:
        query = query.where(Unit.name_folded.contains(word, autoescape=True))
    total = db.session.scalar(query.with_only_columns(sa.func.count()).order_by(None))
    return fetch_page(query.order_by(KIND_ORDER, Unit.name, Unit.id), page, size, total or 0,
                      selectinload(Unit.parent))


def asset_counts(user: User, unit_ids: list[int]) -> dict[int, dict[str, int]]:
    """unit id -> {own, receiving, holding} counts of assets in the user's scope, in one grouped query."""
    if not unit_ids:
        return {}
    scope = asset_scope(user)
    parts = [sa.select(column.label("uid"), sa.literal(role).label("role")).where(column.in_(unit_ids), scope)
             for role, column in ROLES.items()]
    both = sa.union_all(*parts).subquery()
    counts: dict[int, dict[str, int]] = {uid: dict.fromkeys(ROLES, 0) for uid in unit_ids}
    for uid, role, number in db.session.execute(
            sa.select(both.c.uid, both.c.role, sa.func.count()).group_by(both.c.uid, both.c.role)):
        counts[uid][role] = number
    return counts


def unit_in_scope(user: User, unit_id: int) -> Unit | None:
    """The unit if this person may open its page."""
    return db.session.scalar(sa.select(Unit).where(Unit.id == unit_id, unit_scope(user)))


def successors(unit: Unit) -> list[Unit]:
    """New units that took over an old commune, or, for an old district, over any of its communes."""
    if unit.kind == UnitKind.OLD_DISTRICT:
        feeders = sa.select(Unit.id).where(Unit.parent_id == unit.id)
    else:
        feeders = sa.select(sa.literal(unit.id))
    inner = sa.select(UnitSuccession.successor_id).where(UnitSuccession.predecessor_id.in_(feeders))
    return list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(inner)).order_by(Unit.name)))


def predecessors(unit: Unit) -> list[Unit]:
    """Old units that formed a new one, with their districts loaded."""
    inner = sa.select(UnitSuccession.predecessor_id).where(UnitSuccession.successor_id == unit.id)
    return list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(inner)).order_by(Unit.name)
                                   .options(selectinload(Unit.parent))))


def children(unit: Unit) -> list[Unit]:
    """The old communes of an old district."""
    return list(db.session.scalars(sa.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name)))


def visible_ids(user: User, units: list[Unit]) -> set[int]:
    """Which of these units this person may open (to link only those)."""
    ids = [u.id for u in units]
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(ids), unit_scope(user))))


@dataclass
class KindTotals:
    kind: AssetKind | None  # None on the total row
    count: int = 0
    original_cost: int = 0
    remaining_value: int = 0


@dataclass
class AssetSummary:
    """Assets related to a unit in one way, per kind and in total, with the register filter for them."""

    title: str
    register_args: dict[str, int]
    rows: list[KindTotals] = field(default_factory=list)
    total: KindTotals = field(default_factory=lambda: KindTotals(None))


def asset_summary(user: User, title: str, register_args: dict[str, int],
                  condition: sa.ColumnElement[bool]) -> AssetSummary:
    """Counts and book values per kind of the assets matching ``condition``, summed in SQL."""
    summary = AssetSummary(title, register_args)
    query = (sa.select(Asset.kind, sa.func.count(), sa.func.coalesce(sa.func.sum(Asset.original_cost), 0),
                       sa.func.coalesce(sa.func.sum(Asset.remaining_value), 0))
             .where(asset_scope(user), condition).group_by(Asset.kind))
    by_kind = {kind: KindTotals(kind, int(n), int(cost), int(value))
               for kind, n, cost, value in db.session.execute(query)}
    summary.rows = [by_kind[k] for k in AssetKind if k in by_kind]
    summary.total = KindTotals(None, sum(r.count for r in summary.rows), sum(r.original_cost for r in summary.rows),
                               sum(r.remaining_value for r in summary.rows))
    return summary


def summaries_for(user: User, unit: Unit) -> list[AssetSummary]:
    """The asset sections of a unit page: what it registered, or what it holds and will receive."""
    if unit.is_dissolved:
        sections = [asset_summary(user, "Tài sản đăng ký của đơn vị", {"unit_id": unit.id},
                                  Asset.unit_id == unit.id)]
        if unit.kind == UnitKind.OLD_DISTRICT:
            in_district = sa.select(Unit.id).where(sa.or_(Unit.id == unit.id, Unit.parent_id == unit.id))
            sections.append(asset_summary(user, "Cả huyện (gồm các xã, phường, thị trấn)",
                                          {"district_id": unit.id}, Asset.unit_id.in_(in_district)))
        return sections
    return [asset_summary(user, "Đang giữ", {"holder_id": unit.id}, Asset.holder_id == unit.id),
            asset_summary(user, "Dự kiến tiếp nhận", {"receiver_id": unit.id}, Asset.receiver_id == unit.id)]

"""What each person may see: the SQL conditions behind every list, page and export."""
from __future__ import annotations

import sqlalchemy as sa

from tracker.models import Asset, Role, Unit, UnitSuccession, User


def predecessor_ids(unit_id: int) -> sa.Select:
    """Old units that fed a new unit."""
    return sa.select(UnitSuccession.predecessor_id).where(UnitSuccession.successor_id == unit_id)


def asset_scope(user: User) -> sa.ColumnElement[bool]:
    """Condition on Asset for the assets this user may see.

    Commune staff see what concerns their unit: assets it holds or is to receive, and assets of
    the old units that fed it which have no receiver yet.
    """
    if user.role == Role.COMMUNE:
        return sa.or_(
            Asset.holder_id == user.unit_id,
            Asset.receiver_id == user.unit_id,
            sa.and_(Asset.receiver_id.is_(None), Asset.unit_id.in_(predecessor_ids(user.unit_id))),
        )
    if user.province_id is not None:
        return Asset.province_id == user.province_id
    return sa.true()


def unit_scope(user: User) -> sa.ColumnElement[bool]:
    """Condition on Unit for the units whose pages this user may open."""
    if user.role == Role.COMMUNE:
        preds = predecessor_ids(user.unit_id)
        parents = sa.select(Unit.parent_id).where(Unit.id.in_(preds), Unit.parent_id.is_not(None))
        return sa.or_(Unit.id == user.unit_id, Unit.id.in_(preds), Unit.id.in_(parents))
    if user.province_id is not None:
        return Unit.province_id == user.province_id
    return sa.true()


def province_ids_in_scope(user: User) -> list[int] | None:
    """The provinces a user works in; None means all."""
    if user.role == Role.COMMUNE:
        return [user.unit.province_id] if user.unit else []
    return None if user.province_id is None else [user.province_id]

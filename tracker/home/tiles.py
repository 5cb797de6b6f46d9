"""The home page's figures, by role. No Flask here."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.assets.queries import count_of
from tracker.auth.scope import unit_scope
from tracker.extensions import db
from tracker.handovers.queries import handover_scope
from tracker.models import Handover, HandoverItem, HandoverStatus, ReceiptState, Role, Unit, UnitKind, User
from tracker.models.base import utcnow

AWAITING = (HandoverStatus.ISSUED, HandoverStatus.SIGNED)


@dataclass(frozen=True)
class Awaiting:
    """A handover waiting for the commune's confirmation, with how far it got."""

    handover: Handover
    items: int
    pending: int


def handover_counts(user: User) -> dict[HandoverStatus, int]:
    """Handovers in the person's scope per status, every status present (0 when none)."""
    rows = db.session.execute(sa.select(Handover.status, sa.func.count()).where(handover_scope(user))
                              .group_by(Handover.status))
    counts = dict.fromkeys(HandoverStatus, 0)
    counts.update({status: n for status, n in rows})
    return counts


def awaiting_confirmation(user: User, limit: int = 20) -> tuple[list[Awaiting], int]:
    """Issued or signed handovers to a commune clerk's unit, oldest first, and how many there are in all."""
    condition = sa.and_(handover_scope(user), Handover.status.in_(AWAITING))
    items = sa.func.count(HandoverItem.id)
    pending = sa.func.count(HandoverItem.id).filter(HandoverItem.receipt_state == ReceiptState.PENDING)
    rows = db.session.execute(
        sa.select(Handover, items, pending).outerjoin(HandoverItem, HandoverItem.handover_id == Handover.id)
        .where(condition).group_by(Handover.id).order_by(Handover.issued_at, Handover.id).limit(limit))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Handover).where(condition)) or 0
    return [Awaiting(h, n, p) for h, n, p in rows], total


def accounts(user: User) -> dict[str, int]:
    """What an administrator has to look at: locked and disabled accounts in their scope."""
    people = sa.select(User.id)
    if user.province_id is not None:
        in_province = sa.select(Unit.id).where(Unit.province_id == user.province_id)
        people = people.where(sa.or_(User.province_id == user.province_id, User.unit_id.in_(in_province)))
    return {"locked": count_of(people.where(User.locked_until > utcnow())),
            "inactive": count_of(people.where(User.active.is_(False)))}


def units_without_clerk(user: User, limit: int = 10) -> tuple[list[Unit], int]:
    """New communes, and any unit a handover goes to, with no active clerk who could confirm what
    they receive: the first ``limit`` by name, and how many in all."""
    clerk = sa.exists().where(User.unit_id == Unit.id, User.role == Role.COMMUNE, User.active.is_(True))
    receives = sa.exists().where(Handover.receiver_id == Unit.id, Handover.status != HandoverStatus.VOIDED)
    query = sa.select(Unit).where(unit_scope(user), sa.or_(Unit.kind == UnitKind.NEW_COMMUNE, receives), ~clerk)
    return list(db.session.scalars(query.order_by(Unit.name, Unit.id).limit(limit))), count_of(query)


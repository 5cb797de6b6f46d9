"""One asset, unit or handover by id, if the person may see it; 404 otherwise (ids cannot be probed)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from tracker.auth.scope import asset_scope, unit_scope
from tracker.extensions import db
from tracker.models import Asset, Handover, Unit, User


def asset_or_404(user: User, asset_id: int) -> Asset:
    found = db.session.scalar(sa.select(Asset).where(Asset.id == asset_id, asset_scope(user)))
    return found if found is not None else abort(404)


def unit_or_404(user: User, unit_id: int) -> Unit:
    found = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id, unit_scope(user)))
    return found if found is not None else abort(404)


def handovers_seen_by(user: User) -> sa.Select:
    """Handovers (any status) whose giving or receiving unit the user may see."""
    units_seen = sa.select(Unit.id).where(unit_scope(user))
    return sa.select(Handover).where(sa.or_(Handover.giver_id.in_(units_seen), Handover.receiver_id.in_(units_seen)))


def handover_or_404(user: User, handover_id: int) -> Handover:
    found = db.session.scalar(handovers_seen_by(user).where(Handover.id == handover_id))
    return found if found is not None else abort(404)

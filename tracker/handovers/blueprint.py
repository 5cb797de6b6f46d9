"""The ``handovers`` blueprint and the lookups every handover page starts with."""
from __future__ import annotations

import sqlalchemy as sa
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from tracker.auth.policy import require
from tracker.errors import DomainError, ValidationError
from tracker.extensions import db
from tracker.handovers import queries
from tracker.handovers.drafts import can_manage
from tracker.models import Handover

bp = Blueprint("handovers", __name__, url_prefix="/handovers")


def handover_or_404(handover_id: int) -> Handover:
    """The handover if this person may see it; 404 otherwise, so ids cannot be probed."""
    handover = db.session.scalar(sa.select(Handover).where(Handover.id == handover_id,
                                                           queries.handover_scope(current_user)))
    if handover is None:
        abort(404)
    return handover


def managed(handover_id: int) -> Handover:
    """A handover this officer (of its province) or admin may change."""
    handover = handover_or_404(handover_id)
    require(can_manage(current_user, handover))
    return handover


def refused(exc: DomainError, handover: Handover, endpoint: str = "handovers.detail"):
    """Roll back, show the service's messages, and go back to the page."""
    db.session.rollback()
    messages = exc.errors.values() if isinstance(exc, ValidationError) else [exc.message]
    for message in messages:
        flash(message, "danger")
    return redirect(url_for(endpoint, handover_id=handover.id))


def act(handover: Handover, step: Callable[[], Any], done: str | Callable[[Any], str], *,
        back: str = "handovers.detail", then: str = "handovers.detail", **args: Any):
    """Run one service step: on refusal roll back and go ``back``; else commit, say ``done``, go ``then``."""
    try:
        result = step()
    except DomainError as exc:
        return refused(exc, handover, back)
    db.session.commit()
    flash(done(result) if callable(done) else done, "success")
    return redirect(url_for(then, handover_id=handover.id, **args))

"""Home page and error pages."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for

from tracker.auth.policy import public

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def index():
    from flask_login import current_user

    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("assets.register"))


@bp.route("/healthz")
@public
def health():
    """Liveness for the load balancer: the app answers and the database does."""
    import sqlalchemy as sa

    from tracker.extensions import db

    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}

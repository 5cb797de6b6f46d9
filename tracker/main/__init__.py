"""The root (sign-in, or the person's home page) and error pages."""
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
    from tracker.home.views import page

    return page()

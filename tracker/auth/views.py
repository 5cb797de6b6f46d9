"""Sign in, sign out, choose the language."""
from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker import audit
from tracker.auth.forms import LoginForm
from tracker.auth.policy import EVERYONE, allow, public
from tracker.extensions import db
from tracker.models import User

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths, so a crafted link cannot send people elsewhere after sign-in."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.check_password(form.password.data) or not user.active:
            audit.log("login_failed", username=form.username.data.strip()[:60])
            db.session.commit()
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        audit.log("login", user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    audit.log("logout", current_user)
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
@public
def set_language(code: str):
    from flask import current_app

    response = make_response(redirect(_safe_next(request.form.get("next"))))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response

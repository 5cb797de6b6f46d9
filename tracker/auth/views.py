"""Sign in, sign out, choose the language."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user, logout_user

from tracker import audit
from tracker.auth.forms import LoginForm
from tracker.auth.limits import ACCOUNT_MESSAGE, limit_sign_in
from tracker.auth.policy import EVERYONE, allow, public
from tracker.auth.signin import LOCK_AFTER, LOCK_MINUTES, authenticate
from tracker.extensions import db

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    """Only local paths, so a crafted link cannot send people elsewhere after sign-in."""
    # Browsers read a backslash as a slash ("/\\host" is "//host") and skip tabs and newlines ("/\t/host"):
    # neither is a local path.
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and urlsplit(target).netloc == ""):
        return target
    return url_for("main.index")


def _refused(form: LoginForm, message: str, status: int, retry_after: int | None = None):
    flash(message, "danger")
    response = make_response(render_template("auth/login.html", form=form), status)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
@limit_sign_in
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = authenticate(form.username.data.strip(), form.password.data)
        db.session.commit()
        if attempt.retry_after is not None:
            return _refused(form, ACCOUNT_MESSAGE, 429, retry_after=attempt.retry_after)
        if attempt.user is None:
            return _refused(form, _("Tên đăng nhập hoặc mật khẩu không đúng. Sau %(n)d lần sai liên tiếp, tài khoản "
                                    "tạm khóa %(m)d phút.", n=LOCK_AFTER, m=LOCK_MINUTES), 401)
        login_user(attempt.user)
        audit.log("login", attempt.user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.app_errorhandler(RateLimitExceeded)
def too_many_sign_ins(error: RateLimitExceeded):
    """Past a sign-in limit: the sign-in page again, saying why, with 429 and Retry-After."""
    # Logged, not audited: a flood of refused attempts must not grow the database.
    log.warning("sign-in limited (%s) for %r from %s", error.limit.limit, (request.form.get("username") or "")[:60],
                request.remote_addr)
    return _refused(LoginForm(), error.description, 429)


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    """Sign out here and everywhere else: every session of this user ends."""
    user = current_user._get_current_object()
    audit.log("logout", user)
    user.end_sessions()
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
@public
def set_language(code: str):
    from flask import current_app

    response = make_response(redirect(_safe_next(request.form.get("next"))))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response

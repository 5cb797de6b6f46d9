"""The API token page. Auditors read only, so tokens are issued and revoked by officers (their
own) and admins (anyone's who may read: an auditor asks an admin, or the admin runs
``flask api token create``). Everyone who may use the API sees their tokens here; a new
token's text is shown once, on the response that made it."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker.api.tokens import create_token, is_usable, revoke_token
from tracker.auth.policy import READERS, WRITERS, allow
from tracker.errors import ValidationError
from tracker.exports.forms import TokenCreateForm, TokenRevokeForm
from tracker.extensions import db
from tracker.models import ApiToken, Role, User

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _visible() -> sa.Select:
    """Admins see every token; others their own."""
    query = sa.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
    return query if current_user.role == Role.ADMIN else query.where(ApiToken.user_id == current_user.id)


def _form() -> TokenCreateForm:
    form = TokenCreateForm()
    readers = [current_user] if current_user.role != Role.ADMIN else db.session.scalars(
        sa.select(User).where(User.role.in_(READERS), User.active).order_by(User.username)).all()
    form.user_id.choices = [SelectChoice(str(u.id), f"{u.username} ({u.role.label})") for u in readers]
    return form


def _page(form: TokenCreateForm | None, new_token: str | None = None, status: int = 200):
    return render_template("api/tokens.html", form=form, revoke_form=TokenRevokeForm(),
                           tokens=db.session.scalars(_visible()).all(), new_token=new_token,
                           is_usable=is_usable), status


@bp.route("/")
@allow(*READERS)
def index():
    """My tokens (all tokens for admins), and for officers and admins the form to issue one."""
    return _page(_form() if current_user.can_write else None)


@bp.route("/new", methods=["POST"])
@allow(*WRITERS)
def create():
    """Issue a token: officers for themselves, admins for any reader; shown on this response only."""
    form = _form()
    if form.validate_on_submit():
        owner = db.session.get(User, int(form.user_id.data)) if current_user.role == Role.ADMIN else current_user
        try:
            _token, raw = create_token(owner, form.name.data, days=form.days.data, actor=current_user)
        except ValidationError as exc:
            form.name.errors = list(exc.errors.values())
        else:
            db.session.commit()
            return _page(_form(), new_token=raw)
    return _page(form, status=422)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@allow(*WRITERS)
def revoke(token_id: int):
    """Revoke a token (officers their own; admins any); another's is a 404."""
    token = db.session.scalar(_visible().where(ApiToken.id == token_id))
    if token is None:
        abort(404)
    if TokenRevokeForm().validate_on_submit():
        revoke_token(token, current_user)
        db.session.commit()
        flash(_("Đã thu hồi khóa «%(name)s».", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))

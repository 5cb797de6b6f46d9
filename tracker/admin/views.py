"""Admin pages: the users list, creating a user, changing one. Admins only."""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin.forms import UnlockForm, UserCreateForm, UserEditForm
from tracker.admin.services import create_user, update_user
from tracker.auth.policy import allow
from tracker.auth.signin import unlock as unlock_account
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.models import Role, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@allow(Role.ADMIN)
def users():
    """Everyone who can sign in, with role, scope and whether the account is active."""
    query = sa.select(User).order_by(User.active.desc(), User.role, User.username)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("admin/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create():
    """Add a person: role, scope and a first password; refused input stays on the form."""
    form = UserCreateForm()
    form.fill_choices()
    if request.method == "GET" and (unit_id := request.args.get("unit", "")).isdigit():
        form.role.data, form.unit.data = Role.COMMUNE.value, unit_id  # from the home page's units with no clerk
    if form.validate_on_submit():
        role, province, unit = form.chosen_role(), form.chosen_province(), form.chosen_unit()
        if not _has_errors(form):
            try:
                user = create_user(form.username.data, form.password.data, role, full_name=form.full_name.data or "",
                                   position=form.position.data or "", province=province,
                                   unit=unit if role == Role.COMMUNE else None, actor=current_user)
            except ValidationError as exc:
                form.show_errors(exc.errors)
            else:
                return _saved(_("Đã tạo người dùng %(name)s.", name=user.username))
    return _form_page(form, None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id: int):
    """Change a person's role, scope or activity, or give them a new password."""
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=None if request.method == "POST" else _initial(user))
    form.fill_choices()
    if form.validate_on_submit():
        role, province, unit = form.chosen_role(), form.chosen_province(), form.chosen_unit()
        if user.id == current_user.id and (role != Role.ADMIN or not form.active.data):
            # An admin locking themselves out would leave nobody able to undo it.
            form.active.errors = [_("Không thể tự khóa hoặc bỏ quyền quản trị của chính mình.")]
        if not _has_errors(form):
            try:
                update_user(user, role=role, full_name=form.full_name.data or "", position=form.position.data or "",
                            province=province, unit=unit if role == Role.COMMUNE else None, active=form.active.data,
                            password=form.password.data or None, actor=current_user)
            except ValidationError as exc:
                form.show_errors(exc.errors)
            else:
                return _saved(_("Đã lưu thay đổi của người dùng %(name)s.", name=user.username))
    return _form_page(form, user)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@allow(Role.ADMIN)
def unlock(user_id: int):
    """Let someone locked out by wrong passwords sign in again now rather than when the lock runs out."""
    user = db.session.get(User, user_id) or abort(404)
    if not UnlockForm().validate_on_submit():
        abort(400)
    unlock_account(user, current_user)
    return _saved(_("Đã mở khóa tài khoản %(name)s.", name=user.username))


def _saved(message: str):
    """Commit the one change of this request, say so, and go back to the list."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.users"))


def _form_page(form, user: User | None):
    """The form again, with 422 when it carries errors (nothing was stored)."""
    return (render_template("admin/user_form.html", form=form, user=user, unlock_form=UnlockForm()),
            422 if _has_errors(form) else 200)


def _has_errors(form) -> bool:
    """Any message on the form, from WTForms, the service or the view."""
    return bool(form.form_errors) or any(field.errors for field in form)


def _initial(user: User) -> SimpleNamespace:
    """The user's current values in the shape the edit form reads."""
    return SimpleNamespace(full_name=user.full_name, position=user.position, active=user.active,
                           role=user.role.value, province=str(user.province_id or ""), unit=str(user.unit_id or ""))

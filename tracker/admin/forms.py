"""Forms of the users page: create a user, change one.

The forms only carry the values; ``tracker.admin.services`` decides what is valid, so the page
and ``flask users create`` refuse the same things with the same Vietnamese messages.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tracker.auth.passwords import PASSWORD_MAX
from tracker.extensions import db
from tracker.models import Province, Role, Unit, UnitKind
from tracker.text import fold


def _password_length() -> Length:
    """The rule's maximum, the same as the sign-in form's, so no one is given a password they cannot type."""
    return Length(max=PASSWORD_MAX, message=_l("Mật khẩu dài tối đa %(max)d ký tự.", max=PASSWORD_MAX))


class _UserFields(FlaskForm):
    """What create and edit share: who the person is, their role and their scope."""

    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=120, message=_l("Tối đa 120 ký tự."))])
    position = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=120, message=_l("Tối đa 120 ký tự."))])
    # Choices are checked by the view (coercing to Role), so a forged value gets a Vietnamese message.
    role = SelectField(_l("Vai trò"), choices=[SelectChoice(v, label) for v, label in Role.choices()],
                       validate_choice=False)
    province = SelectField(_l("Tỉnh, thành phố"), validate_choice=False,
                           description=_l("Để trống: toàn quốc (chỉ dành cho quản trị)."))
    unit = SelectField(_l("Đơn vị (cán bộ xã, phường)"), validate_choice=False,
                       description=_l("Chỉ dùng cho cán bộ xã, phường: xã, phường mới hoặc cơ quan cấp tỉnh."))

    def fill_choices(self) -> None:
        """Provinces loaded so far, and the units commune staff may belong to, grouped by province."""
        provinces = sorted(db.session.scalars(sa.select(Province)), key=lambda p: p.name_folded)
        self.province.choices = [SelectChoice("", _l("— Toàn quốc —"))] + [
            SelectChoice(str(p.id), p.name) for p in provinces]
        names = {p.id: p.name for p in provinces}
        rows = db.session.execute(
            sa.select(Unit.id, Unit.name, Unit.code, Unit.province_id, Unit.kind)
            .where(Unit.kind.in_((UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY))))
        # Sorted in Python: SQL collations put 'Xã Đức Xuân' after 'Xã Yên Bình'.
        ordered = sorted(rows, key=lambda r: (fold(names.get(r.province_id, "")), r.kind != UnitKind.NEW_COMMUNE,
                                              fold(r.name)))
        self.unit.choices = [SelectChoice("", _l("— Không —"))] + [
            SelectChoice(str(r.id), f"{r.name} ({r.code})", optgroup=names.get(r.province_id, "")) for r in ordered]

    def chosen_role(self) -> Role | None:
        try:
            return Role(self.role.data)
        except ValueError:
            self.role.errors = [*self.role.errors, _l("Vai trò không hợp lệ.")]
            return None

    def chosen_province(self) -> Province | None:
        return _get(Province, self.province)

    def chosen_unit(self) -> Unit | None:
        return _get(Unit, self.unit)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each service error under its field; ones with no field go to the form's top."""
        for key, message in errors.items():
            field = getattr(self, key, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
            else:
                self.form_errors.append(message)


def _get(model, field):
    """The row a select field names, or None if blank; an unknown id becomes a field error."""
    if not field.data:
        return None
    try:
        row = db.session.get(model, int(field.data))
    except (TypeError, ValueError):
        row = None
    if row is None:
        field.errors = [*field.errors, _l("Lựa chọn không hợp lệ.")]
    return row


class UserCreateForm(_UserFields):
    """A new person: everything, with an initial password."""

    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Chưa nhập tên đăng nhập.")), Length(max=60, message=_l("Tối đa 60 ký tự."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Chưa nhập mật khẩu.")), _password_length()],
                             description=_l("8–128 ký tự, không dễ đoán: một cụm ba, bốn từ là tốt nhất."))
    submit = SubmitField(_l("Tạo người dùng"))

    field_order = ("username", "full_name", "position", "role", "province", "unit", "password")


class UserEditForm(_UserFields):
    """An existing person: role, scope, active, and optionally a new password."""

    active = BooleanField(_l("Đang hoạt động (bỏ chọn để khóa tài khoản)"))
    password = PasswordField(_l("Đặt lại mật khẩu"), validators=[Optional(), _password_length()],
                             description=_l("Để trống nếu không đổi mật khẩu."))
    submit = SubmitField(_l("Lưu thay đổi"))

    field_order = ("full_name", "position", "role", "province", "unit", "active", "password")


class UnlockForm(FlaskForm):
    """Lift a lock that wrong passwords put on an account: CSRF only."""

    submit = SubmitField(_l("Mở khóa ngay"))

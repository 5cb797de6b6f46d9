"""Forms of the exports and audit pages: filters read from GET parameters (no CSRF needed,
nothing is changed), and the API token forms, which post and so carry a CSRF token."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.assets.forms import RegisterFilterForm
from tracker.assets.queries import unit_choices
from tracker.exports.filters import DATE_FIELDS
from tracker.exports.histories import OBJECT_TYPES, known_actions
from tracker.extensions import db
from tracker.formfields import DAY_HINT, WholeNumberField
from tracker.models import Province, User


class ExportFilterForm(RegisterFilterForm):
    """The register's filter bar plus a province, a date range and the day of an inventory."""

    province_id = SelectField(_l("Tỉnh"), validate_choice=False)
    date_field = SelectField(_l("Khoảng ngày theo"), validate_choice=False,
                             choices=[SelectChoice(k, v) for k, v in DATE_FIELDS.items()])
    date_from = StringField(_l("Từ ngày"), render_kw=DAY_HINT)
    date_to = StringField(_l("Đến ngày"), render_kw=DAY_HINT)
    as_of = StringField(_l("Tình trạng tại ngày"), render_kw=DAY_HINT)

    def fill(self, user: User) -> None:
        """Offer the units of the person's scope, and provinces to nationwide readers."""
        self.fill_units(unit_choices(user))
        provinces = [] if user.province_id is not None else db.session.scalars(
            sa.select(Province).where(Province.loaded_at.is_not(None)).order_by(Province.name)).all()
        self.province_id.choices = [SelectChoice("", str(_l("Tất cả")))] + [
            SelectChoice(str(p.id), p.name) for p in provinces]


class AuditFilterForm(FlaskForm):
    """Filters of the audit log."""

    class Meta:
        csrf = False

    username = StringField(_l("Người dùng (tên đăng nhập)"))
    action = SelectField(_l("Hành động"), validate_choice=False)
    object_type = SelectField(_l("Đối tượng"), validate_choice=False,
                              choices=[SelectChoice("", _l("Tất cả")),
                                       *(SelectChoice(k, v) for k, v in OBJECT_TYPES.items())])
    object_id = StringField(_l("Mã đối tượng (id)"))
    date_from = StringField(_l("Từ ngày"), render_kw=DAY_HINT)
    date_to = StringField(_l("Đến ngày"), render_kw=DAY_HINT)

    def fill(self) -> None:
        self.action.choices = [SelectChoice("", str(_l("Tất cả")))] + [SelectChoice(a, t) for a, t in known_actions()]


class TokenCreateForm(FlaskForm):
    """A new API token: whose (admins choose), a name to recognise it by and how long it lasts."""

    user_id = SelectField(_l("Cấp cho"), validators=[DataRequired(_l("Hãy chọn người dùng."))])
    name = StringField(_l("Tên khóa"), validators=[DataRequired(_l("Hãy đặt tên cho khóa.")),
                                                   Length(max=120, message=_l("Tối đa 120 ký tự."))],
                       description=_l("Vd «Công cụ đối chiếu của Đoàn kiểm toán»."))
    days = WholeNumberField(_l("Hiệu lực (ngày)"), default=90,
                            validators=[Optional(), NumberRange(1, 366, _l("Từ 1 đến 366 ngày."))])
    submit = SubmitField(_l("Tạo khóa"))


class TokenRevokeForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""

    submit = SubmitField(_l("Thu hồi"))

"""Sign-in form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from tracker.auth.passwords import PASSWORD_MAX


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Chưa nhập tên đăng nhập.")), Length(max=60)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Chưa nhập mật khẩu.")), Length(max=PASSWORD_MAX)])
    submit = SubmitField(_l("Đăng nhập"))

"""The dashboard's one form: the admin's «Báo cáo toàn quốc» button (a POST, so CSRF-checked)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class CountryReportForm(FlaskForm):
    submit = SubmitField(_l("Báo cáo toàn quốc (.xlsx)"))

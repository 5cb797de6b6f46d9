"""The form of the alerts page: the days a handover may wait before it is flagged as stalled.
``tracker.flags.norms.services.set_stall_days`` decides what is valid."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class StallDaysForm(FlaskForm):
    days = StringField(_l("Số ngày chờ ký hoặc xác nhận trước khi cảnh báo"), validators=[Length(max=5)])

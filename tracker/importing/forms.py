"""Forms of the import pages: the upload, and the commit and cancel buttons (CSRF on each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from tracker.assets.forms import old_unit_options, optional_int
from tracker.assets.queries import UnitChoices


class UploadForm(FlaskForm):
    """An inventory file and, for rows that name no unit, the dissolved unit they belong to."""

    file = FileField(_l("Tệp danh sách (.xlsx, .xls, .csv)"),
                     validators=[FileRequired(_l("Hãy chọn tệp danh sách để tải lên."))])
    unit_id = SelectField(_l("Đơn vị của các dòng không ghi đơn vị"), coerce=optional_int,
                          invalid_value_message=_l("Đơn vị: giá trị không hợp lệ."),
                          invalid_choice_message=_l("Đơn vị: hãy chọn một đơn vị đã giải thể trong danh sách."),
                          description=_l("Bỏ trống nếu tệp có cột «Đơn vị» hoặc dòng tên đơn vị (I, II…) phía "
                                         "trên các tài sản."))
    submit = SubmitField(_l("Tải lên và xem trước"))

    def fill_units(self, choices: UnitChoices) -> None:
        self.unit_id.choices = [SelectChoice("", str(_l("— Theo tệp —"))), *old_unit_options(choices)]


class CommitForm(FlaskForm):
    """Store what the preview showed; ``fingerprint`` is the plan the person saw."""

    fingerprint = HiddenField()
    submit = SubmitField(_l("Ghi vào cơ sở dữ liệu"))


class MappingForm(FlaskForm):
    """The preview's corrections (columns, kinds, holders, values): read by ``importing.corrections``."""

    submit = SubmitField(_l("Áp dụng và xem trước lại"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Hủy, không lưu gì"))

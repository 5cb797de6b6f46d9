"""Forms of the norms, rules and unit counts. They carry values; ``tracker.flags.norms.services``
decides what is valid, so every refusal has the same Vietnamese message whichever page it comes
from."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from tracker.flags.norms.services import ITEM_TYPES, RULE_TARGETS, UNIT_TYPES
from tracker.models import NormBasis


class UnitCountsForm(FlaskForm):
    """A receiving unit's number of officials and office rooms; blank means not declared."""

    officials_count = StringField(_l("Số cán bộ, công chức"), validators=[Optional(), Length(max=10)])
    rooms_count = StringField(_l("Số phòng làm việc"), validators=[Optional(), Length(max=10)])


class NormRowForm(Form):
    """One line of the norms table (a sub-form: the outer form carries the CSRF token)."""

    norm_id = HiddenField()
    quantity = StringField(validators=[Length(max=20)])
    is_maximum = BooleanField(_l("Tối đa"))
    legal_ref = StringField(validators=[Optional(), Length(max=200)])


class NormsForm(FlaskForm):
    """The whole norms table of a province, saved at once."""

    rows = FieldList(FormField(NormRowForm))


class NormAddForm(FlaskForm):
    unit_type = SelectField(_l("Loại đơn vị"), choices=[SelectChoice(k, v) for k, v in UNIT_TYPES.items()], validate_choice=False)
    item_type = SelectField(_l("Tài sản"), choices=[SelectChoice(k, v.label) for k, v in ITEM_TYPES.items()],
                            validate_choice=False)
    basis = SelectField(_l("Tính theo"), choices=[SelectChoice(k, v) for k, v in NormBasis.choices()], validate_choice=False)
    quantity = StringField(_l("Định mức"), validators=[Length(max=20)])
    is_maximum = BooleanField(_l("Là mức tối đa"))
    legal_ref = StringField(_l("Căn cứ"), validators=[Optional(), Length(max=200)])


class RuleForm(FlaskForm):
    """A rule mapping a folded phrase of the equipment type to a norm item."""

    pattern = StringField(_l("Cụm từ trong loại thiết bị"), validators=[Length(max=120)],
                          description=_l("Không phân biệt dấu, hoa thường: «máy in» khớp «Máy in laser HP»."))
    item_type = SelectField(_l("Thuộc định mức"), choices=[SelectChoice(k, v) for k, v in RULE_TARGETS.items()], validate_choice=False)
    priority = StringField(_l("Thứ tự ưu tiên"), default="50", validators=[Length(max=5)],
                           description=_l("Số nhỏ được xét trước."))


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""

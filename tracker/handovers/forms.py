"""Forms of the handover pages; parsing what they post into the services' plain values."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, HiddenField, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.assets.forms import old_unit_options, optional_int, receiver_options
from tracker.assets.queries import UnitChoices
from tracker.formfields import DayField, WholeNumberField
from tracker.handovers.drafts import PartyInput
from tracker.models import ReceiptState, Unit

SIDES = (("giver", "giver_reps"), ("receiver", "receiver_reps"), ("witness", "witness_reps"))
REPS_HELP = _l("Mỗi dòng một người: Họ và tên; Chức vụ")


class DraftForm(FlaskForm):
    """Prepare or edit a draft: the parties, date and place, legal basis, representatives."""

    doc_type = SelectField(_l("Loại biên bản"), choices=[
        SelectChoice("assets", _l("Bàn giao, tiếp nhận tài sản công")),
        SelectChoice("archives", _l("Giao nhận hồ sơ, tài liệu lưu trữ"))])
    giver_id = SelectField(_l("Bên giao"), coerce=optional_int, validate_choice=False,
                           description=_l("Đơn vị đã giải thể; hoặc, để điều chuyển tài sản, xã, phường mới hay "
                                          "cơ quan cấp tỉnh (như Sở Tài chính) đang giữ tài sản."))
    receiver_id = SelectField(_l("Bên nhận"), coerce=optional_int, validate_choice=False)
    handover_date = DayField(_l("Ngày bàn giao"), validators=[Optional()])
    place = StringField(_l("Địa điểm (tại …)"), validators=[Length(max=200)])
    legal_basis = TextAreaField(_l("Căn cứ (mỗi dòng một căn cứ)"), render_kw={"rows": 7})
    giver_reps = TextAreaField(_l("Đại diện bên giao"), description=REPS_HELP, render_kw={"rows": 2})
    receiver_reps = TextAreaField(_l("Đại diện bên nhận"), description=REPS_HELP, render_kw={"rows": 2})
    witness_reps = TextAreaField(_l("Đại diện cơ quan chứng kiến"), description=REPS_HELP, render_kw={"rows": 2})
    witness_org = StringField(_l("Cơ quan chứng kiến"), validators=[Length(max=200)])
    remarks = TextAreaField(_l("Ý kiến của các bên"), render_kw={"rows": 2})
    copies = WholeNumberField(_l("Số bản"), default=4, validators=[NumberRange(1, 20, _l("Số bản: từ 1 đến 20."))])
    immediate_use = BooleanField(_l("Trụ sở bàn giao đưa vào sử dụng ngay (quyết định điều chuyển trong 30 ngày)"))
    version = HiddenField()
    submit = SubmitField(_l("Lưu bản nháp"))

    def fill_units(self, choices: UnitChoices, holders: Sequence[Unit] = ()) -> None:
        """Givers: the dissolved units, then units holding assets they could reallocate."""
        moving = str(_l("Điều chuyển từ đơn vị đang giữ tài sản"))
        self.giver_id.choices = ([SelectChoice("", _l("— Chọn đơn vị —"))] + old_unit_options(choices)
                                 + [SelectChoice(str(u.id), u.name, optgroup=moving) for u in holders])
        self.receiver_id.choices = [SelectChoice("", _l("— Chọn đơn vị —"))] + receiver_options(choices)

    def legal_lines(self) -> list[str]:
        return [line.strip() for line in (self.legal_basis.data or "").splitlines() if line.strip()]

    def parties(self) -> tuple[list[PartyInput], dict[str, str]]:
        """Representatives from the three boxes; an unreadable line is reported by its number."""
        parties, errors = [], {}
        for side, name in SIDES:
            for number, line in enumerate((self[name].data or "").splitlines(), start=1):
                if not line.strip():
                    continue
                parts = [p.strip() for p in line.replace("|", ";").split(";")]
                if not parts[0] or len(parts[0]) > 120:
                    errors[name] = str(_l("Dòng %(n)s: thiếu họ và tên (hoặc quá 120 ký tự).", n=number))
                    continue
                organisation = parts[2] if len(parts) > 2 else (self.witness_org.data or "" if side == "witness" else "")
                parties.append(PartyInput(side, parts[0], parts[1] if len(parts) > 1 else "", organisation))
        return parties, errors

    def fill_parties(self, parties) -> None:
        """Put stored representatives back into the boxes for editing."""
        for side, name in SIDES:
            self[name].data = "\n".join(f"{p.full_name}; {p.position}" if p.position else p.full_name
                                        for p in parties if p.side == side)
        witnesses = [p for p in parties if p.side == "witness" and p.organisation]
        if witnesses:
            self.witness_org.data = witnesses[0].organisation


class ActionForm(FlaskForm):
    """A button that changes something (issue, add all matching, all received, complete): CSRF only."""

    submit = SubmitField(_l("Thực hiện"))


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Lý do hủy"), validators=[DataRequired(_l("Ghi rõ lý do hủy.")), Length(max=2000)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Hủy biên bản"))


class ScanForm(FlaskForm):
    scan = FileField(_l("Bản scan đã ký (PDF, JPEG, PNG)"), validators=[FileRequired(_l("Chọn tệp bản scan."))])
    submit = SubmitField(_l("Tải lên bản đã ký"))


class DecisionForm(FlaskForm):
    decision_ref = StringField(_l("Số, ngày quyết định điều chuyển"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Ghi nhận quyết định"))


class VerifyUploadForm(FlaskForm):
    document = FileField(_l("Tệp biên bản (DOCX hoặc PDF)"), validators=[FileRequired(_l("Chọn tệp cần kiểm tra."))])
    submit = SubmitField(_l("Kiểm tra tệp"))


class VerifyCodeForm(FlaskForm):
    code = StringField(_l("Mã xác thực in ở chân trang"), validators=[DataRequired(_l("Nhập mã xác thực.")),
                                                                     Length(max=40)],
                       render_kw={"placeholder": "ABCD-EFGH-JK", "autocomplete": "off"})
    submit = SubmitField(_l("Tra mã"))


RECEIPT_CHOICES = [(s.value, s.label) for s in ReceiptState if s != ReceiptState.PENDING]


def parse_decisions(form: Mapping[str, str], item_ids: list[int]) -> dict[int, tuple[ReceiptState, str]]:
    """Per-item answers of the confirmation page ('state-<id>', 'note-<id>'); blanks are left as they are."""
    decisions = {}
    for item_id in item_ids:
        raw = (form.get(f"state-{item_id}") or "").strip()
        if not raw:
            continue
        try:
            state = ReceiptState(raw)
        except ValueError:
            continue
        if state == ReceiptState.PENDING:
            continue
        decisions[item_id] = (state, (form.get(f"note-{item_id}") or "").strip())
    return decisions

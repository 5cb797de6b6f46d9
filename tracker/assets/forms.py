"""Forms of the register: the filter bar, and the asset form built from the field table.

The asset form has no field list of its own: ``asset_form_class(kind)`` generates one input per
entry of ``tracker.assets.fields.fields_for(kind)``. Every input is read as text and handed to
the service, whose validation is the only place values are checked and messages written.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field as FormField
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from tracker.assets.fields import Field, fields_for, label
from tracker.assets.queries import UnitChoices
from tracker.formatting import decimal_vn, group_thousands
from tracker.models import (Arrangement, Asset, AssetKind, AssetStatus, Condition, Ownership, Retention,
                            UnitKind)

# How a field of the table is typed in: which ones pick from a list, which are long text.
CHOICE_FIELDS = {"condition": Condition, "ownership": Ownership, "arrangement": Arrangement,
                 "retention": Retention}
YES_NO_FIELDS = {"digitised"}
LONG_TEXT_FIELDS = {"notes"}
MONEY_FIELDS = {"original_cost", "remaining_value"}
DECIMAL_PLACES = {"land_area": 2, "floor_area": 2, "linear_m": 3}


def optional_int(value: Any) -> int | None:
    """Select value to an id; the empty option is None."""
    if value in (None, ""):
        return None
    return int(value)


def _options(pairs: list[tuple[str, str]], empty: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice("", empty)] if empty is not None else []
    # Labels stay Vietnamese in the enums; _l translates them when the form is rendered.
    return options + [SelectChoice(value, _l(text) if isinstance(text, str) and text else text)
                      for value, text in pairs]


def old_unit_options(choices: UnitChoices) -> list[SelectChoice]:
    """Old districts and their communes, one optgroup per district, each commune labelled with it."""
    options = []
    for district_name, units in choices.old_units():
        group = district_name or str(_l("Khác"))
        for unit in units:
            parent = choices.by_id.get(unit.parent_id or 0)
            text = f"{unit.name} ({parent.name})" if parent else unit.name
            if unit.kind == UnitKind.OLD_DISTRICT and unit.old_province_name:
                group = f"{unit.name} ({unit.old_province_name})"
            options.append(SelectChoice(str(unit.id), text, optgroup=group))
    return options


def receiver_options(choices: UnitChoices) -> list[SelectChoice]:
    """New communes and provincial bodies, grouped by kind."""
    ordered = sorted(choices.receivers, key=lambda u: (u.kind != UnitKind.NEW_COMMUNE, u.name))
    return [SelectChoice(str(u.id), u.name, optgroup=str(_l(u.kind.label))) for u in ordered]


def district_options(choices: UnitChoices) -> list[SelectChoice]:
    return [SelectChoice(str(d.id), f"{d.name} ({d.old_province_name})" if d.old_province_name else d.name)
            for d in choices.districts]


class RegisterFilterForm(FlaskForm):
    """The filter bar above the register; read from GET parameters, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm kiếm"), render_kw={"placeholder": _l("Tên, mã, biển số, phông… (không cần dấu)")})
    kind = SelectField(_l(label("kind")), choices=_options(AssetKind.choices(), _l("Tất cả loại")),
                       validate_choice=False)
    district_id = SelectField(_l("Huyện cũ"), coerce=optional_int, validate_choice=False)
    unit_id = SelectField(_l(label("unit_id")), coerce=optional_int, validate_choice=False)
    receiver_id = SelectField(_l(label("receiver_id")), coerce=optional_int, validate_choice=False)
    holder_id = SelectField(_l(label("holder_id")), coerce=optional_int, validate_choice=False)
    status = SelectField(_l(label("status")), choices=_options(AssetStatus.choices(), _l("Tất cả")),
                         validate_choice=False)
    condition = SelectField(_l(label("condition")), choices=_options(Condition.choices(), _l("Tất cả")),
                            validate_choice=False)
    sort = HiddenField()
    dir = HiddenField()

    def fill_units(self, choices: UnitChoices) -> None:
        """Offer the units of the person's scope."""
        every = str(_l("Tất cả"))
        self.district_id.choices = [SelectChoice("", every), *district_options(choices)]
        self.unit_id.choices = [SelectChoice("", every), *old_unit_options(choices)]
        self.receiver_id.choices = [SelectChoice("", every), *receiver_options(choices)]
        self.holder_id.choices = [SelectChoice("", every), *receiver_options(choices), *old_unit_options(choices)]


class AssetFormBase(FlaskForm):
    """What every asset form has besides the kind's fields: the units and the version seen."""

    unit_id = SelectField(_l(label("unit_id")), coerce=optional_int,
                          invalid_value_message=_l("Đơn vị giao: giá trị không hợp lệ."),
                          invalid_choice_message=_l("Đơn vị giao: hãy chọn một đơn vị đã giải thể trong danh sách."))
    receiver_id = SelectField(_l(label("receiver_id")), coerce=optional_int,
                              invalid_value_message=_l("Đơn vị dự kiến nhận: giá trị không hợp lệ."),
                              invalid_choice_message=_l("Đơn vị dự kiến nhận: hãy chọn trong danh sách."))
    version = HiddenField()
    submit = SubmitField(_l("Lưu"))

    kind: AssetKind

    def fill_units(self, choices: UnitChoices, *, allow_empty_unit: bool) -> None:
        """Offer the dissolved units and receivers of the person's province(s)."""
        empty = [SelectChoice("", str(_l("— Chọn đơn vị —")))] if allow_empty_unit else []
        self.unit_id.choices = [*empty, *old_unit_options(choices)]
        self.receiver_id.choices = [SelectChoice("", str(_l("— Chưa xác định —"))), *receiver_options(choices)]

    @property
    def table(self) -> tuple[Field, ...]:
        """The kind's fields, in the order of the field table."""
        return fields_for(self.kind)

    def raw_values(self, asset: Asset | None = None) -> dict[str, Any]:
        """What was typed, per field; a value left as shown keeps the stored value exactly.

        Keeping untouched values avoids reading back our own formatting ('0,125' m would
        otherwise be taken for a thousands separator).
        """
        raw = {}
        for field in self.table:
            typed = self[field.name].data
            if asset is not None and typed == shown_value(asset, field.name):
                raw[field.name] = getattr(asset, field.name)
            else:
                raw[field.name] = typed
        return raw

    def expected_version(self) -> int:
        """The version the person opened; unreadable counts as stale (0 never exists)."""
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() and len(text) < 12 else 0

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Put each message beside its field; return those that belong to no field."""
        general = []
        for name, message in errors.items():
            if name in self._fields and name not in ("version", "submit"):
                self[name].errors = [message]
            else:
                general.append(message)
        return general


def shown_value(asset: Asset, name: str) -> str:
    """A stored value as the form shows it: 12.500.000, 1.234,5, 2015, an enum's value."""
    value = getattr(asset, name)
    if value is None:
        return ""
    if name in MONEY_FIELDS:
        return group_thousands(value)
    if isinstance(value, Decimal):
        return decimal_vn(value, DECIMAL_PLACES.get(name, 2))
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "value"):
        return value.value
    return str(value)


def initial_data(asset: Asset) -> dict[str, Any]:
    """Form data for editing an asset."""
    data = {field.name: shown_value(asset, field.name) for field in fields_for(asset.kind)}
    return data | {"unit_id": asset.unit_id, "receiver_id": asset.receiver_id, "version": str(asset.version)}


def _input(field: Field) -> FormField:
    text = _l(field.label)
    help_text = _l(field.help) if field.help else ""
    if field.name in CHOICE_FIELDS:
        return SelectField(text, choices=_options(CHOICE_FIELDS[field.name].choices(), "—"),
                           validate_choice=False, description=help_text)
    if field.name in YES_NO_FIELDS:
        return SelectField(text, choices=_options([("true", _l("Có")), ("false", _l("Không"))], "—"),
                           validate_choice=False, description=help_text)
    render_kw = {"maxlength": field.max_length} if field.max_length else {}
    if field.name in MONEY_FIELDS or field.name in DECIMAL_PLACES:
        render_kw["inputmode"] = "decimal"
    cls = TextAreaField if field.name in LONG_TEXT_FIELDS else StringField
    return cls(text, description=help_text, render_kw=render_kw or None)


@lru_cache(maxsize=None)
def asset_form_class(kind: AssetKind) -> type[AssetFormBase]:
    """The form for one kind, generated from the field table."""
    attrs: dict[str, Any] = {field.name: _input(field) for field in fields_for(kind)}
    attrs["kind"] = kind
    return type(f"{kind.name.title().replace('_', '')}Form", (AssetFormBase,), attrs)

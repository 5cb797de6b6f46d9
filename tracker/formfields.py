"""Form fields as Vietnamese officials type: days as dd/mm/yyyy, whole numbers, messages in Vietnamese.

A browser's date picker is not relied on: it shows the browser's own format (mm/dd/yyyy on an
English Chromium), is missing on some office machines, and refuses a typed "5/7/2025". These
fields are plain text that accepts 05/07/2025, 5/7/2025, 05-07-2025, 05.07.2025 and, for links
and old bookmarks, 2025-07-05; they show the day back as 05/07/2025. What they cannot read stays
in the field, with a message saying how to write it.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import Field, IntegerField
from wtforms.widgets import TextInput

DAY_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DAY_HINT = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9./\-]*"}


def parse_day(raw: str | None) -> dt.date | None:
    """'30/06/2025' (or 30-06-2025, 30.06.2025, 2025-06-30) -> date; None if empty.

    Raises ValueError for anything else, so the caller can name the bad field.
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    for pattern in DAY_PATTERNS:
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


class DayField(Field):
    """A day typed as dd/mm/yyyy; empty is None (add a validator to require one)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {**DAY_HINT, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # what was typed, even when it could not be read
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, dt.date) else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_day(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Ngày không đọc được: «%(v)s». Nhập theo dạng ngày/tháng/năm, ví dụ 05/07/2025.",
                                    v=valuelist[0].strip()))) from None


class WholeNumberField(IntegerField):
    """An integer with the message in Vietnamese ("Not a valid integer value." was seen); '1.000' reads 1000."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0].strip().replace(".", "").replace(" ", "")
        if raw in ("", "-"):
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Cần một số nguyên (ví dụ 4), không phải «%(v)s».", v=valuelist[0].strip()))) from None

"""How an asset and its history read on its page: labels, formatted values, unit names.

Pure formatting plus one query for the names of units mentioned in a history; no Flask.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.assets.fields import fields_for, label
from tracker.assets.forms import DECIMAL_PLACES, MONEY_FIELDS
from tracker.extensions import db
from tracker.formatting import decimal_vn, group_thousands, money, person
from tracker.models import (Agency, Arrangement, Asset, AssetEvent, AssetKind, AssetStatus, Condition, Ownership,
                            Retention, Unit)

ENUMS = {"kind": AssetKind, "status": AssetStatus, "condition": Condition, "ownership": Ownership,
         "arrangement": Arrangement, "retention": Retention}
UNIT_FIELDS = ("unit_id", "holder_id", "receiver_id")
# The province follows from the unit, so the history does not repeat it.
NOT_SHOWN = {"province_id"}
ACTIONS = {"created": "Tạo mới", "updated": "Sửa thông tin", "imported": "Nhập từ bảng tính",
           "issued": "Phát hành biên bản", "received": "Tiếp nhận", "voided": "Hủy biên bản",
           "signed": "Ký biên bản", "transferred": "Chuyển đơn vị giữ",
           "handover_added": "Đưa vào biên bản bàn giao", "handover_removed": "Rút khỏi biên bản bàn giao",
           "missing": "Báo thiếu khi tiếp nhận", "damaged": "Báo hư hỏng khi tiếp nhận"}


INTEGERS = {"quantity", "files_count", "seats", "odometer_km"}


def show(name: str, value: Any, unit_names: dict[int, str] | None = None,
         agency_names: dict[int, str] | None = None) -> str:
    """One stored or recorded value as people read it ('Đã chỉnh lý', 'Phường Thắng Lợi', '1.200'); '' for nothing."""
    if value is None or value == "":
        return ""
    if name in UNIT_FIELDS:
        return (unit_names or {}).get(value, f"#{value}")
    if name == "agency_id":
        return (agency_names or {}).get(value, f"#{value}")
    if name in INTEGERS and isinstance(value, int) and not isinstance(value, bool):
        return group_thousands(value)
    if name in ENUMS:
        try:
            return ENUMS[name](value).label
        except ValueError:
            return str(value)
    if name in MONEY_FIELDS:
        return money(int(value))
    if name in DECIMAL_PLACES:
        try:
            return decimal_vn(Decimal(str(value)), DECIMAL_PLACES[name])
        except InvalidOperation:
            return str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def field_rows(asset: Asset) -> list[tuple[str, str]]:
    """(label, shown value) for every field of the asset's kind, in the field table's order."""
    from flask_babel import gettext

    rows = []
    for f in fields_for(asset.kind):
        value = getattr(asset, f.name)
        shown = show(f.name, value)
        # Enum labels and yes/no are catalog msgids: show them in the reader's language.
        if shown and (f.name in ENUMS or isinstance(value, bool)):
            shown = gettext(shown)
        rows.append((f.label, shown))
    return rows


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class EventView:
    """One history entry ready for the page."""

    at: dt.datetime
    who: str
    action: str
    import_filename: str | None
    note: str | None
    effective_on: dt.date | None
    changes: list[Change] = field(default_factory=list)

    @property
    def initial(self) -> bool:
        """A creation: every field is new, so the page lists values without "before"."""
        return all(not c.before for c in self.changes)


def history(asset: Asset) -> list[EventView]:
    """The asset's events, newest first, with users, imports and unit names loaded in bulk."""
    events = db.session.scalars(
        sa.select(AssetEvent).where(AssetEvent.asset_id == asset.id).order_by(AssetEvent.id.desc())
        .options(selectinload(AssetEvent.user), selectinload(AssetEvent.import_batch))).all()
    unit_ids = {v for e in events for name in UNIT_FIELDS for v in (e.changes or {}).get(name, []) if v}
    names = dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).tuples().all()) \
        if unit_ids else {}
    agency_ids = {v for e in events for v in (e.changes or {}).get("agency_id", []) if v}
    agencies = dict(db.session.execute(sa.select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids)))
                    .tuples().all()) if agency_ids else {}
    views = []
    for event in events:
        changes = [Change(label(name), show(name, before, names, agencies), show(name, after, names, agencies))
                   for name, (before, after) in (event.changes or {}).items() if name not in NOT_SHOWN]
        who = person(event)
        views.append(EventView(at=event.at, who=who, action=ACTIONS.get(event.action, event.action),
                               import_filename=event.import_batch.filename if event.import_batch else None,
                               note=event.note, effective_on=event.effective_on, changes=changes))
    return views

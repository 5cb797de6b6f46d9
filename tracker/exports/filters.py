"""What an export is narrowed to: the register's own filters plus province and a date range.

The register's ``RegisterFilters`` and ``register_query`` stay the one definition of "the assets
this person asked for"; an export adds only what a page of 50 rows does not need. No Flask here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tracker.assets.fields import label
from tracker.assets.queries import BadParam, RegisterFilters, parse_filters, read_ids, register_query
from tracker.auth.scope import province_ids_in_scope, unit_scope
from tracker.formatting import date_vn
from tracker.formfields import parse_day
from tracker.models import Asset, Province, Unit, User

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FIELDS = {"created": "Ngày đăng ký vào hệ thống", "updated": "Ngày thay đổi gần nhất"}


def read_days(args: Mapping[str, str], target: Any, bad: list[BadParam]) -> None:
    """Set ``date_from`` and ``date_to`` on ``target`` from GET parameters; report unreadable ones."""
    for name in ("date_from", "date_to"):
        try:
            setattr(target, name, parse_day(args.get(name)))
        except ValueError:
            bad.append(BadParam(name, args.get(name, "")))


def day_start_utc(day: dt.date) -> dt.datetime:
    """The instant a day begins in Vietnam, in UTC (stored times are UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM).astimezone(dt.timezone.utc)


@dataclass
class ExportFilters:
    """The register's filters, a province (for people who see several) and a date range."""

    register: RegisterFilters = field(default_factory=RegisterFilters)
    province_id: int | None = None
    date_field: str = "created"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort_chosen: bool = False  # False: the register's default order (by code) was not asked for

    def as_args(self) -> dict[str, Any]:
        """GET parameters reproducing these filters (for export links)."""
        args = self.register.as_args()
        if self.province_id is not None:
            args["province_id"] = self.province_id
        if self.date_from or self.date_to:
            args["date_field"] = self.date_field
        if self.date_from:
            args["date_from"] = self.date_from.isoformat()
        if self.date_to:
            args["date_to"] = self.date_to.isoformat()
        return args


def parse_export_filters(args: Mapping[str, str]) -> tuple[ExportFilters, list[BadParam]]:
    """Read export filters from GET parameters; unreadable ones are reported and ignored."""
    register, bad = parse_filters(args)
    filters = ExportFilters(register=register, sort_chosen=bool(args.get("sort")))
    read_ids(args, ("province_id",), filters, bad)
    date_field = args.get("date_field") or "created"
    if date_field in DATE_FIELDS:
        filters.date_field = date_field
    else:
        bad.append(BadParam("date_field", date_field))
    read_days(args, filters, bad)
    return filters, bad


def export_query(user: User, filters: ExportFilters) -> sa.Select:
    """``register_query`` (scope, filters, order) narrowed by province and date range."""
    query = register_query(user, filters.register)
    if filters.province_id is not None:
        query = query.where(Asset.province_id == filters.province_id)
    column = Asset.created_at if filters.date_field == "created" else Asset.updated_at
    if filters.date_from:
        query = query.where(column >= day_start_utc(filters.date_from))
    if filters.date_to:
        query = query.where(column < day_start_utc(filters.date_to + dt.timedelta(days=1)))
    return query


def describe(filters: ExportFilters, session, user: User | None = None) -> list[str]:
    """The filters in words, for the top of a sheet: 'Loại tài sản: Xe ô tô; Trạng thái: …'.

    A unit or province outside ``user``'s scope is written as its id, like one that does not exist
    (issue 13: the sheet must not name what the person may not see).
    """
    reg = filters.register
    parts: list[str] = []
    if filters.province_id is not None:
        provinces = province_ids_in_scope(user) if user is not None else None
        visible = provinces is None or filters.province_id in provinces
        province = session.get(Province, filters.province_id) if visible else None
        parts.append(f"Tỉnh: {province.name if province else filters.province_id}")
    for name in ("kind", "status", "condition"):
        value = getattr(reg, name)
        if value is not None:
            parts.append(f"{label(name)}: {value.label}")
    for name, text in (("district_id", "Huyện cũ"), ("unit_id", label("unit_id")),
                       ("receiver_id", label("receiver_id")), ("holder_id", label("holder_id"))):
        unit_id = getattr(reg, name)
        if unit_id is not None:
            seen = sa.select(Unit).where(Unit.id == unit_id, unit_scope(user) if user is not None else sa.true())
            unit = session.scalar(seen)
            parts.append(f"{text}: {unit.full_name if unit else unit_id}")
    if reg.q:
        parts.append(f"Tìm: «{reg.q}»")
    if filters.date_from or filters.date_to:
        span = f"từ {date_vn(filters.date_from)} " if filters.date_from else ""
        span += f"đến {date_vn(filters.date_to)}" if filters.date_to else ""
        parts.append(f"{DATE_FIELDS[filters.date_field]} {span.strip()}")
    return ["Bộ lọc: " + ("; ".join(parts) if parts else "không (mọi tài sản trong phạm vi được xem)")]

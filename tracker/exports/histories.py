"""The audit log and the histories of an asset, a unit and a handover: queries and export rows.

Reading only. ``audit_log`` and ``asset_events`` are append-only (database triggers refuse
UPDATE and DELETE), and nothing here or in the pages built on it writes to them.
No Flask here: callers pass the user and plain filter values.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm import aliased

from tracker.assets.display import ACTIONS as ASSET_ACTIONS
from tracker.assets.display import NOT_SHOWN, show
from tracker.assets.fields import label
from tracker.assets.queries import BadParam, read_ids
from tracker.auth.scope import asset_scope
from tracker.exports.filters import day_start_utc, read_days
from tracker.exports.writers import Column, neutralise
from tracker.extensions import db
from tracker.formatting import date_vn, datetime_vn
from tracker.models import Asset, AssetEvent, AuditEntry, Handover, Unit, User

AUDIT_ACTIONS = {
    "login": "Đăng nhập", "login_failed": "Đăng nhập thất bại", "logout": "Đăng xuất",
    "user_created": "Tạo người dùng", "user_updated": "Sửa người dùng",
    "api_token_created": "Tạo khóa API", "api_token_revoked": "Thu hồi khóa API",
    "export": "Xuất dữ liệu",
}
OBJECT_TYPES = {"users": "Người dùng", "units": "Đơn vị", "assets": "Tài sản", "handovers": "Biên bản bàn giao",
                "api_tokens": "Khóa API", "import_batches": "Lần nhập bảng tính", "norms": "Định mức"}
PAGE_SIZE = 100


def audit_scope(user: User) -> sa.ColumnElement[bool]:
    """Entries a reader may see: everything for nationwide readers; in a province, what its
    people did (failed sign-ins included, matched by the name typed) and what touched its units,
    assets and handovers. A name typed that matches no account is shown to nationwide readers only
    (people sometimes type their password into the name box)."""
    if user.province_id is None:
        return sa.true()
    province = user.province_id
    people = sa.select(User.id).where(User.province_id == province)
    names = sa.select(User.username).where(User.province_id == province)
    objects = sa.or_(
        sa.and_(AuditEntry.object_type == "units",
                AuditEntry.object_id.in_(sa.select(Unit.id).where(Unit.province_id == province))),
        sa.and_(AuditEntry.object_type == "assets",
                AuditEntry.object_id.in_(sa.select(Asset.id).where(Asset.province_id == province))),
        sa.and_(AuditEntry.object_type == "handovers",
                AuditEntry.object_id.in_(sa.select(Handover.id).where(Handover.province_id == province))),
    )
    return sa.or_(AuditEntry.user_id.in_(people), AuditEntry.username.in_(names), objects)


@dataclass
class AuditFilters:
    """Who, what, on which object, between which days; None or '' means any."""

    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    before: int | None = None  # keyset paging: entries older than this id

    def as_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {k: v for k in ("username", "action", "object_type") if (v := getattr(self, k))}
        if self.object_id is not None:
            args["object_id"] = self.object_id
        for name in ("date_from", "date_to"):
            if getattr(self, name):
                args[name] = getattr(self, name).isoformat()
        return args


def parse_audit_filters(args: Mapping[str, str]) -> tuple[AuditFilters, list[BadParam]]:
    """Read the audit log's filters from GET parameters; bad ones are reported and ignored."""
    filters, bad = AuditFilters(), []
    filters.username = (args.get("username") or "").strip()[:60]
    filters.action = (args.get("action") or "").strip()[:60]
    filters.object_type = (args.get("object_type") or "").strip()[:40]
    read_ids(args, ("object_id", "before"), filters, bad)
    read_days(args, filters, bad)
    return filters, bad


def audit_query(user: User, filters: AuditFilters) -> sa.Select:
    """Audit entries in the user's scope matching ``filters``, newest first."""
    query = sa.select(AuditEntry).where(audit_scope(user))
    if filters.username:
        query = query.where(AuditEntry.username == filters.username)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.date_from:
        query = query.where(AuditEntry.at >= day_start_utc(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < day_start_utc(filters.date_to + dt.timedelta(days=1)))
    return query.order_by(AuditEntry.id.desc())


def audit_page(user: User, filters: AuditFilters, size: int = PAGE_SIZE) -> tuple[list[AuditEntry], int | None]:
    """One page of entries older than ``filters.before``, and the id to continue from (or None)."""
    query = audit_query(user, filters)
    if filters.before is not None:
        query = query.where(AuditEntry.id < filters.before)
    entries = list(db.session.scalars(query.options(selectinload(AuditEntry.user)).limit(size + 1)))
    more = len(entries) > size
    entries = entries[:size]
    return entries, (entries[-1].id if more else None)


def known_actions() -> list[tuple[str, str]]:
    """(action, label) of every action the log holds, for the filter select."""
    actions = db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return [(a, AUDIT_ACTIONS.get(a, a)) for a in actions]


AUDIT_COLUMNS = [Column("id", "Số thứ tự bản ghi", "plain", width=10), Column("at", "Thời điểm", width=18),
                 Column("username", "Người dùng", width=18), Column("action", "Hành động", width=22),
                 Column("object_type", "Đối tượng", width=18), Column("object_id", "Mã đối tượng", "plain", width=12),
                 Column("detail", "Chi tiết", width=60), Column("ip", "Địa chỉ IP", width=16)]


def audit_rows(user: User, filters: AuditFilters) -> Iterator[list[Any]]:
    """Cells of every entry matching ``filters`` (no paging), streamed, newest first."""
    columns = [AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.object_type,
               AuditEntry.object_id, AuditEntry.detail, AuditEntry.ip]
    query = audit_query(user, filters).with_only_columns(*columns)
    for eid, at, username, action, object_type, object_id, detail, ip in db.session.execute(
            query.execution_options(yield_per=1000)):
        yield [eid, datetime_vn(at), neutralise(username), AUDIT_ACTIONS.get(action, action),
               OBJECT_TYPES.get(object_type or "", object_type), object_id,
               neutralise(json.dumps(detail, ensure_ascii=False)) if detail else None, ip]


# --- Histories of an asset, a unit, a handover ---------------------------------------------------

HISTORY_COLUMNS = [Column("event_id", "Số thứ tự sự kiện", "plain", width=10), Column("at", "Thời điểm ghi", width=18),
                   Column("effective_on", "Ngày hiệu lực", width=12), Column("who", "Người thực hiện", width=20),
                   Column("action", "Hành động", width=20), Column("asset", "Tài sản", width=40),
                   Column("field", "Thông tin", width=24), Column("before", "Trước", width=30),
                   Column("after", "Sau", width=30), Column("handover_id", "Biên bản số (id)", "plain", width=10),
                   Column("note", "Ghi chú", width=30)]


def asset_events(asset_ids: sa.Select | list[int] | None = None, *, handover_id: int | None = None) -> sa.Select:
    """Events of some assets, or of one handover, in the order they were recorded."""
    query = sa.select(AssetEvent)
    if asset_ids is not None:
        query = query.where(AssetEvent.asset_id.in_(asset_ids))
    if handover_id is not None:
        query = query.where(AssetEvent.handover_id == handover_id)
    return query.order_by(AssetEvent.id)


def changes_in_scope(user: User, filters: AuditFilters) -> sa.Select:
    """Every asset event the user may see, by who made it and when (the log's own filters)."""
    query = asset_events(sa.select(Asset.id).where(asset_scope(user)))
    if filters.username:
        query = query.where(AssetEvent.user_id.in_(sa.select(User.id).where(User.username == filters.username)))
    if filters.date_from:
        query = query.where(AssetEvent.at >= day_start_utc(filters.date_from))
    if filters.date_to:
        query = query.where(AssetEvent.at < day_start_utc(filters.date_to + dt.timedelta(days=1)))
    return query


def unit_asset_ids(unit: Unit) -> sa.Select:
    """Assets a unit registered, holds or is to receive."""
    return sa.select(Asset.id).where(sa.or_(Asset.unit_id == unit.id, Asset.holder_id == unit.id,
                                            Asset.receiver_id == unit.id))


@dataclass
class EventLine:
    """One event ready for a page: who did what to which asset, and each field before and after."""

    event: AssetEvent
    asset: str
    who: str
    action: str
    changes: list[tuple[str, str, str]]


def _event_lines(events: sa.Select, names: dict[int, str]) -> Iterator[EventLine]:
    user = aliased(User)
    query = (events.add_columns(Asset.code, Asset.name, user.full_name, user.username)
             .join(Asset, Asset.id == AssetEvent.asset_id).outerjoin(user, user.id == AssetEvent.user_id))
    for event, code, name, full_name, username in db.session.execute(query.execution_options(yield_per=1000)):
        changes = [(label(k), show(k, before, names), show(k, after, names))
                   for k, (before, after) in (event.changes or {}).items() if k not in NOT_SHOWN]
        yield EventLine(event, f"{code} – {name}", full_name or username or "Hệ thống",
                        ASSET_ACTIONS.get(event.action, event.action), changes)


def history_page(events: sa.Select, before: int | None, size: int = PAGE_SIZE) -> tuple[list[EventLine], int | None]:
    """Newest events first, older than ``before``; and the id to continue from (or None)."""
    query = events.order_by(None).order_by(AssetEvent.id.desc())
    if before is not None:
        query = query.where(AssetEvent.id < before)
    lines = list(_event_lines(query.limit(size + 1), _unit_names()))
    more = len(lines) > size
    lines = lines[:size]
    return lines, (lines[-1].event.id if more else None)


def history_rows(events: sa.Select) -> Iterator[list[Any]]:
    """One row per changed field of every event (long format: easy to filter in a spreadsheet)."""
    for line in _event_lines(events, _unit_names()):
        event = line.event
        head = [event.id, datetime_vn(event.at), date_vn(event.effective_on), neutralise(line.who), line.action,
                neutralise(line.asset)]
        tail = [event.handover_id, neutralise(event.note)]
        if not line.changes:
            yield head + [None, None, None] + tail
        for field_label, before, after in line.changes:
            yield head + [field_label, neutralise(before), neutralise(after)] + tail


def _unit_names() -> dict[int, str]:
    return dict(db.session.execute(sa.select(Unit.id, Unit.name)).tuples().all())

"""Audit pages: the audit log and the histories of an asset, a unit and a handover. Read only.

There is deliberately no route here (or anywhere) that edits or deletes the log; the database
refuses UPDATE and DELETE on it too. Readers only; each page and download stays in their scope.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy import READERS, allow
from tracker.exports.forms import AuditFilterForm
from tracker.exports.histories import (AUDIT_ACTIONS, AUDIT_COLUMNS, HISTORY_COLUMNS, OBJECT_TYPES, asset_events,
                                       audit_page, audit_rows, history_page, history_rows,
                                       changes_in_scope, parse_audit_filters, unit_asset_ids)
from tracker.exports.downloads import table_download
from tracker.exports.lookups import asset_or_404, handover_or_404, unit_or_404
from tracker.extensions import db
from tracker.models import AuditEntry, Handover

bp = Blueprint("audit", __name__, url_prefix="/audit")
DAY_AND_USER = ("username", "date_from", "date_to")  # the log's filters that apply to asset changes


def _before() -> int | None:
    raw = (request.args.get("before") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.route("/")
@allow(*READERS)
def log():
    """The audit log: every sign-in (failed ones too), every change to users, tokens, handovers…"""
    filters, bad = parse_audit_filters(request.args)
    for p in bad:
        flash(_("Bộ lọc «%(name)s» có giá trị không hợp lệ («%(value)s») nên đã được bỏ qua.",
                name=p.name, value=p.value[:40]), "warning")
    entries, next_before = audit_page(current_user, filters)
    form = AuditFilterForm(formdata=request.args)
    form.fill()
    return render_template("audit/log.html", form=form, entries=entries, next_before=next_before,
                           args=filters.as_args(), actions=AUDIT_ACTIONS, object_types=OBJECT_TYPES)


@bp.route("/log.<fmt>")
@allow(*READERS)
def log_download(fmt: str):
    """The filtered audit log, every matching entry, oldest pages included."""
    filters, _bad = parse_audit_filters(request.args)
    filters.before = None
    chosen = "; ".join(f"{k} = {v}" for k, v in filters.as_args().items()) or "không"
    notes = [f"Bộ lọc: {chosen}"]
    return table_download(fmt, "nhat-ky", "Nhật ký hệ thống", AUDIT_COLUMNS,
                          lambda user: audit_rows(user, filters), notes)


@bp.route("/changes.<fmt>")
@allow(*READERS)
def changes_download(fmt: str):
    """Every change to every asset in scope (the other half of "every change"), same filters."""
    filters, _bad = parse_audit_filters(request.args)
    events = changes_in_scope(current_user, filters)
    chosen = "; ".join(f"{k} = {v}" for k, v in filters.as_args().items() if k in DAY_AND_USER) or "không"
    return table_download(fmt, "thay-doi-tai-san", "Thay đổi tài sản", HISTORY_COLUMNS,
                          lambda _user: history_rows(events), [f"Bộ lọc: {chosen}"])


def _entries_about(object_type: str, object_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .options(selectinload(AuditEntry.user)).order_by(AuditEntry.id.desc())))


HISTORY_NAMES = {"assets": ("Lịch sử tài sản", "lich-su-tai-san"), "units": ("Lịch sử đơn vị", "lich-su-don-vi"),
                 "handovers": ("Lịch sử biên bản", "lich-su-bien-ban")}


def _subject(what: str, object_id: int) -> tuple[str, sa.Select]:
    """The title and the events of the asset, unit or handover asked for (404 outside scope)."""
    if what == "assets":
        asset = asset_or_404(current_user, object_id)
        return f"{asset.code} – {asset.name}", asset_events([asset.id])
    if what == "units":
        unit = unit_or_404(current_user, object_id)
        title = f"{unit.full_name} (tài sản đơn vị đăng ký, đang giữ hoặc dự kiến nhận)"
        return title, asset_events(unit_asset_ids(unit))
    handover = handover_or_404(current_user, object_id)
    return _handover_title(handover), asset_events(handover_id=handover.id)


def _history_page(what: str, object_id: int):
    """Newest events first, with the log entries about the object, and download links."""
    title, events = _subject(what, object_id)
    lines, next_before = history_page(events, _before())
    download = (f"audit.{what.removesuffix('s')}_history_download", {f"{what.removesuffix('s')}_id": object_id})
    return render_template("audit/history.html", title=title, lines=lines, next_before=next_before,
                           download=download, entries=_entries_about(what, object_id), actions=AUDIT_ACTIONS)


def _history_download(what: str, object_id: int, fmt: str):
    """Every event in long format: one row per changed field."""
    title, events = _subject(what, object_id)
    sheet, name = HISTORY_NAMES[what]
    return table_download(fmt, f"{name}-{object_id}", sheet, HISTORY_COLUMNS, lambda _user: history_rows(events),
                          [title])


@bp.route("/assets/<int:asset_id>")
@allow(*READERS)
def asset_history(asset_id: int):
    return _history_page("assets", asset_id)


@bp.route("/assets/<int:asset_id>/history.<fmt>")
@allow(*READERS)
def asset_history_download(asset_id: int, fmt: str):
    return _history_download("assets", asset_id, fmt)


@bp.route("/units/<int:unit_id>")
@allow(*READERS)
def unit_history(unit_id: int):
    return _history_page("units", unit_id)


@bp.route("/units/<int:unit_id>/history.<fmt>")
@allow(*READERS)
def unit_history_download(unit_id: int, fmt: str):
    return _history_download("units", unit_id, fmt)


@bp.route("/handovers/<int:handover_id>")
@allow(*READERS)
def handover_history(handover_id: int):
    return _history_page("handovers", handover_id)


@bp.route("/handovers/<int:handover_id>/history.<fmt>")
@allow(*READERS)
def handover_history_download(handover_id: int, fmt: str):
    return _history_download("handovers", handover_id, fmt)


def _handover_title(handover: Handover) -> str:
    number = f"số {handover.number:02d}/{handover.year}" if handover.number and handover.year else f"#{handover.id}"
    return f"Biên bản {number}: {handover.giver.name} → {handover.receiver.name}"

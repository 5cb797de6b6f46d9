"""Reconciliation pages: per dissolved unit and per handover, with downloads. Readers only."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user

from tracker.auth.policy import READERS, allow
from tracker.exports import reconciliation as rec
from tracker.exports.downloads import table_download
from tracker.exports.lookups import handover_or_404, unit_or_404
from tracker.exports.writers import Column, neutralise
from tracker.extensions import db
from tracker.models import Asset, Handover, ReceiptState, Unit, User

bp = Blueprint("reconciliation", __name__, url_prefix="/audit/reconciliation")

MONEY = ("original_cost", "remaining_value")
SUMMARY_COLUMNS = [Column("unit", "Đơn vị đã giải thể", width=36)] + [
    Column(f"{cat}_{part}", f"{label}: {text}", "int" if part == "count" else "money", total=True)
    for cat, label in [("registered", "Đã đăng ký")] + list(rec.CATEGORY_LABELS.items())
    for part, text in (("count", "số lượng"), ("original_cost", "nguyên giá"))]
ITEM_COLUMNS = [Column("id", "ID", "plain", width=10), Column("code", "Mã tài sản", width=18),
                Column("name", "Tên tài sản", width=36), Column("status", "Trạng thái", width=22),
                Column("holder", "Đơn vị đang giữ", width=30),
                Column("original_cost", "Nguyên giá (đồng)", "money", total=True),
                Column("remaining_value", "Giá trị còn lại (đồng)", "money", total=True),
                Column("category", "Nhóm đối chiếu", width=26), Column("reason", "Giải trình", width=50)]
HANDOVER_ITEM_COLUMNS = [Column("asset_id", "ID", "plain", width=10), Column("code", "Mã tài sản", width=18),
                         Column("name", "Tên tài sản", width=36), Column("state", "Kết quả tiếp nhận", width=20),
                         Column("original_cost", "Nguyên giá (đồng)", "money", total=True),
                         Column("remaining_value", "Giá trị còn lại (đồng)", "money", total=True),
                         Column("note", "Ghi chú khi nhận", width=40)]


@bp.route("/")
@allow(*READERS)
def index():
    """Every dissolved unit's balance and every issued handover's receipt, differences first."""
    units = rec.unit_summaries(current_user)
    units.sort(key=lambda u: (u.balanced, u.unit.name))
    handovers = list(db.session.scalars(rec.handovers_in_scope(current_user)))
    counts = rec.handover_counts([h.id for h in handovers])
    return render_template("audit/reconciliation.html", units=units, handovers=handovers, counts=counts,
                           labels=rec.CATEGORY_LABELS, states=rec.RECEIPT_ORDER)


@bp.route("/units.<fmt>")
@allow(*READERS)
def summary_download(fmt: str):
    """The balance of every dissolved unit in scope, one row each."""
    return table_download(fmt, "doi-chieu-don-vi", "Đối chiếu theo đơn vị", SUMMARY_COLUMNS, _summary_rows,
                          ["Đã đăng ký = Đã bàn giao + Đơn vị còn giữ + Đã ghi giảm + Chênh lệch + Đã chuyển"])


def _summary_rows(user: User) -> Iterator[list[Any]]:
    for s in rec.unit_summaries(user):
        cells = [neutralise(s.unit.full_name)]
        for sums in [s.registered] + [s.sums[k] for k in rec.CATEGORY_LABELS]:
            cells += [sums.count, sums.original_cost]
        yield cells


@bp.route("/units/<int:unit_id>")
@allow(*READERS)
def unit(unit_id: int):
    """One dissolved unit: the balance and every asset without an explanation, item by item."""
    found = unit_or_404(current_user, unit_id)
    if not found.is_dissolved:
        abort(404)
    summaries = rec.unit_summaries(current_user, [found.id])
    summary = summaries[0] if summaries else rec.UnitReconciliation(found)
    differences = [line for line in rec.unit_items(found) if line.category in (rec.DIFFERENCE, rec.MOVED)]
    return render_template("audit/reconciliation_unit.html", unit=found, summary=summary, differences=differences,
                           labels=rec.CATEGORY_LABELS)


@bp.route("/units/<int:unit_id>/items.<fmt>")
@allow(*READERS)
def unit_download(unit_id: int, fmt: str):
    """Every asset the unit registered, with its category and why."""
    found = unit_or_404(current_user, unit_id)
    return table_download(fmt, f"doi-chieu-don-vi-{found.id}", "Đối chiếu đơn vị", ITEM_COLUMNS,
                          lambda _user: _unit_rows(unit_id), [f"Đơn vị: {found.full_name}"])


def _unit_rows(unit_id: int) -> Iterator[list[Any]]:
    for line in rec.unit_items(db.session.get(Unit, unit_id)):
        yield [line.asset_id, neutralise(line.code), neutralise(line.name), line.status.label, neutralise(line.holder),
               line.original_cost, line.remaining_value, rec.CATEGORY_LABELS[line.category], neutralise(line.reason)]


@bp.route("/handovers/<int:handover_id>")
@allow(*READERS)
def handover(handover_id: int):
    """One handover: issued = received + missing + damaged + pending, item by item."""
    found = handover_or_404(current_user, handover_id)
    result = rec.reconcile_handover(found)
    items = rec.handover_items(found)
    dropped = list(db.session.scalars(sa.select(Asset).where(Asset.id.in_(result.dropped)))) if result.dropped else []
    return render_template("audit/reconciliation_handover.html", handover=found, result=result, items=items,
                           dropped=dropped, states=rec.RECEIPT_ORDER, pending=ReceiptState.PENDING)


@bp.route("/handovers/<int:handover_id>/items.<fmt>")
@allow(*READERS)
def handover_download(handover_id: int, fmt: str):
    """Every item of the minutes with what the receiver found, money as printed."""
    found = handover_or_404(current_user, handover_id)
    return table_download(fmt, f"doi-chieu-bien-ban-{found.id}", "Đối chiếu biên bản", HANDOVER_ITEM_COLUMNS,
                          lambda _user: _handover_rows(handover_id),
                          [f"Biên bản #{found.id}: {found.giver.name} → {found.receiver.name}"])


def _handover_rows(handover_id: int) -> Iterator[list[Any]]:
    for item in rec.handover_items(db.session.get(Handover, handover_id)):
        name = (item.snapshot or {}).get("name") or item.asset.name
        yield [item.asset_id, neutralise(item.asset.code), neutralise(name), item.receipt_state.label,
               rec.printed_money(item, "original_cost"), rec.printed_money(item, "remaining_value"),
               neutralise(item.receipt_note)]

"""Flags pages: the province dashboard, one unit's figures, the list behind any number,
unsorted archives and the other flags. Norms, gaps and proposals are in ``norm_views``."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.assets.queries import fetch_page, page_number
from tracker.auth.policy import EVERYONE, READERS, WRITERS, allow
from tracker.auth.scope import asset_scope
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.flags import archives, dashboard, flags, norm_views  # noqa: F401  (norm_views adds its routes)
from tracker.flags.access import (csv_response, current_province, int_arg, is_commune, provinces_to_choose,
                                  unit_or_abort)
from tracker.flags.blueprint import bp
from tracker.flags.forms import StallDaysForm, UnitCountsForm
from tracker.flags.norms import ITEM_TYPES, ensure_default_norms, set_stall_days, set_unit_counts, stall_days
from tracker.flags.receiving import receiving_condition
from tracker.i18n import label_
from tracker.models import Asset, AssetKind, AssetStatus, Handover, HandoverItem

__all__ = ["bp"]
ASSET_LOADS = (selectinload(Asset.unit), selectinload(Asset.holder), selectinload(Asset.receiver))


def _enum_arg(enum_cls, name: str):
    raw = (request.args.get(name) or "").strip()
    return enum_cls(raw) if raw in {m.value for m in enum_cls} else None


@bp.route("/")
@allow(*EVERYONE)
def index():
    """The province dashboard; commune staff go straight to their own unit."""
    if is_commune():
        return redirect(url_for("flags.unit", unit_id=current_user.unit_id))
    province = current_province(request.args.get("province"))
    if ensure_default_norms(province):
        db.session.commit()
    kind = _enum_arg(AssetKind, "kind")
    board = dashboard.province_dashboard(province.id, kind)
    if request.args.get("format") == "csv":
        return _dashboard_csv(board)
    counts = flags.flag_counts(province.id, stall_days(province.id))
    return render_template("flags/dashboard.html", province=province, provinces=provinces_to_choose(), board=board,
                           kind=kind, kinds=list(AssetKind), statuses=dashboard.STATUSES, flag_counts=counts,
                           flag_labels=flags.FLAG_LABELS)


def _dashboard_csv(board: dashboard.Dashboard):
    header = [_("Phía"), _("Đơn vị"), _("Huyện cũ"), *[label_(s) for s in dashboard.STATUSES], _("Tổng")]
    rows = [[side, r.name, r.parent_name or "", *[r.counts.get(s) for s in dashboard.STATUSES], r.counts.total]
            for side, table in ((_("Nhận"), board.receiving), (_("Giao"), board.giving)) for r in table]
    return csv_response("tien-do-ban-giao.csv", header, rows)


@bp.route("/units/<int:unit_id>")
@allow(*EVERYONE)
def unit(unit_id: int):
    """One unit's figures: assets per kind and status, gaps against its norm, archives, flags."""
    target = unit_or_abort(unit_id)
    if ensure_default_norms(target.province):
        db.session.commit()
    overview = dashboard.unit_overview(target, stall_days(target.province_id))
    form = UnitCountsForm(data={"officials_count": target.officials_count, "rooms_count": target.rooms_count})
    return render_template("flags/unit.html", overview=overview, unit=target, form=form, statuses=dashboard.STATUSES,
                           flag_labels=flags.FLAG_LABELS, item_labels=ITEM_TYPES)


@bp.route("/units/<int:unit_id>/counts", methods=["POST"])
@allow(*WRITERS)
def unit_counts(unit_id: int):
    """Set a receiving unit's officials and rooms, on which its equipment norm is computed."""
    target = unit_or_abort(unit_id)
    form = UnitCountsForm()
    if form.validate_on_submit():
        try:
            set_unit_counts(target, current_user, officials=form.officials_count.data, rooms=form.rooms_count.data)
        except ValidationError as exc:
            db.session.rollback()
            for message in exc.errors.values():
                flash(message, "danger")
        else:
            db.session.commit()
            flash(_("Đã lưu số cán bộ và số phòng của %(name)s.", name=target.name), "success")
    else:
        flash(_("Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy nhập lại."), "danger")
    return redirect(url_for("flags.unit", unit_id=target.id))


def _assets_query(province_id: int):
    """The list behind a number: ?side, unit, kind, status, or ?flag=unhanded|receipt, or ?handover."""
    unit_id = int_arg(request.args.get("unit"))
    if is_commune() and unit_id is None:
        unit_id = current_user.unit_id  # commune staff always look at their own unit
    target = unit_or_abort(unit_id)
    flag = request.args.get("flag")
    handover_id = int_arg(request.args.get("handover"))
    if flag == "unhanded":
        query = flags.unhanded_assets(province_id, unit_id)
    elif flag == "receipt":
        query = flags.receipt_assets(province_id, unit_id=unit_id)
    elif handover_id is not None:
        handover = db.session.get(Handover, handover_id)
        # Another unit's handover answers like a missing one: 404, not 403, so ids cannot be probed.
        if handover is None or handover.province_id != province_id or (
                is_commune() and current_user.unit_id not in (handover.giver_id, handover.receiver_id)):
            abort(404)
        query = (sa.select(Asset).join(HandoverItem, HandoverItem.asset_id == Asset.id)
                 .where(HandoverItem.handover_id == handover_id).order_by(Asset.id))
        return query, target
    else:
        side = "giver" if request.args.get("side") == "giver" else "receiver"
        query = dashboard.assets_behind(province_id, side=side, unit_id=unit_id,
                                        kind=_enum_arg(AssetKind, "kind"), status=_enum_arg(AssetStatus, "status"))
    return query.where(_visible()), target


def _visible() -> sa.ColumnElement[bool]:
    """The user's asset scope; for commune staff also what stands with their unit on the
    receiving side (items of handovers to it, which the register's scope does not know about)."""
    if is_commune():
        return sa.or_(asset_scope(current_user), receiving_condition(current_user.unit_id))
    return asset_scope(current_user)


@bp.route("/assets")
@allow(*EVERYONE)
def assets():
    """The assets behind one number of the dashboard or one flag, paged; ?format=csv exports all."""
    province = current_province(request.args.get("province"))
    query, target = _assets_query(province.id)
    if request.args.get("format") == "csv":
        rows = db.session.scalars(query.options(*ASSET_LOADS))
        return csv_response("danh-sach-tai-san.csv", [_("Mã"), _("Tên tài sản"), _("Loại"), _("Số lượng"),
                                                      _("Tình trạng bàn giao"), _("Tình trạng"), _("Đơn vị giao"),
                                                      _("Đang giữ"), _("Đơn vị nhận")],
                            ([a.code, a.name, label_(a.kind), a.quantity, label_(a.status), label_(a.condition),
                              a.unit.name, a.holder.name, a.receiver.name if a.receiver else ""] for a in rows))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"], total,
                      *ASSET_LOADS)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("flags/assets.html", page=page, args=args, target=target, province=province,
                           kind=_enum_arg(AssetKind, "kind"), status=_enum_arg(AssetStatus, "status"),
                           flag_labels=flags.FLAG_LABELS)


@bp.route("/archives")
@allow(*READERS)
def archive_summary():
    """Unsorted archives per fonds, dissolved unit and holder, worst first; ?table=… exports one as CSV."""
    province = current_province(request.args.get("province"))
    summary = archives.unsorted_summary(province.id)
    table = request.args.get("table")
    if table in ("fonds", "units", "holders"):
        rows = {"fonds": summary.by_fonds, "units": summary.by_unit, "holders": summary.by_holder}[table]
        header = [_("Phông / đơn vị"), _("Hộp chưa chỉnh lý"), _("Hồ sơ chưa chỉnh lý"), _("Mét giá chưa chỉnh lý"),
                  _("Hộp chỉnh lý sơ bộ"), _("Hồ sơ chỉnh lý sơ bộ"), _("Mét giá chỉnh lý sơ bộ")]
        return csv_response(f"luu-tru-chua-chinh-ly-{table}.csv", header, (
            [r.label, r.unsorted.boxes, r.unsorted.files, r.unsorted.metres, r.preliminary.boxes,
             r.preliminary.files, r.preliminary.metres] for r in rows))
    counts = {name: archives.count_of(query(province.id)) for name, query in _BOX_LISTS.items()}
    return render_template("flags/archives.html", province=province, provinces=provinces_to_choose(),
                           summary=summary, counts=counts)


_BOX_LISTS = {"unhanded": archives.boxes_not_handed_over, "incomplete": archives.boxes_incompletely_described}
_BOX_TITLES = {"unhanded": "Hộp tài liệu chưa bàn giao cho nơi nào",
               "incomplete": "Hộp tài liệu mô tả thiếu (không có thời gian tài liệu hoặc thời hạn bảo quản)"}


@bp.route("/archives/<name>")
@allow(*READERS)
def archive_boxes(name: str):
    """Boxes in no handover, or described without time span or retention; paged, or all as CSV."""
    if name not in _BOX_LISTS:
        abort(404)
    province = current_province(request.args.get("province"))
    query = _BOX_LISTS[name](province.id)
    if request.args.get("format") == "csv":
        rows = db.session.scalars(query.options(selectinload(Asset.unit), selectinload(Asset.holder)))
        return csv_response(f"hop-tai-lieu-{name}.csv", [_("Phông"), _("Số hộp"), _("Số hồ sơ"), _("Thời gian"),
                                                        _("Thời hạn bảo quản"), _("Chỉnh lý"), _("Đơn vị"),
                                                        _("Đang giữ")],
                            ([a.fonds, a.box_no, a.files_count, a.time_span, label_(a.retention),
                              label_(a.arrangement), a.unit.name, a.holder.name] for a in rows))
    page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"],
                      archives.count_of(query), *ASSET_LOADS)
    return render_template("flags/boxes.html", province=province, page=page, name=name, title=_BOX_TITLES[name])


@bp.route("/alerts")
@allow(*READERS)
def alerts():
    """Every flag with its count; writers also see the form setting N, the days before a handover stalls."""
    province = current_province(request.args.get("province"))
    return _alerts_page(province, StallDaysForm(data={"days": stall_days(province.id)}))


def _alerts_page(province, form: StallDaysForm, status: int = 200):
    counts = flags.flag_counts(province.id, stall_days(province.id))
    return render_template("flags/alerts.html", province=province, provinces=provinces_to_choose(), form=form,
                           counts=counts, labels=flags.FLAG_LABELS, days=stall_days(province.id)), status


@bp.route("/alerts/settings", methods=["POST"])
@allow(*WRITERS)
def alert_settings():
    """Change N for the province."""
    province = current_province(request.values.get("province"))
    form = StallDaysForm()
    if form.validate_on_submit():
        try:
            set_stall_days(province, current_user, form.days.data)
        except ValidationError as exc:
            db.session.rollback()
            form.days.errors = [exc.errors["days"]]
        else:
            db.session.commit()
            flash(_("Đã lưu số ngày cảnh báo."), "success")
            return redirect(url_for("flags.alerts", province=province.id))
    return _alerts_page(province, form, 422)


@bp.route("/alerts/<name>")
@allow(*READERS)
def alert(name: str):
    """One flag's list, each entry linking to its items; ?format=csv exports it."""
    if name not in flags.FLAG_LABELS:
        abort(404)
    province = current_province(request.args.get("province"))
    days = stall_days(province.id)
    page = None
    if name == "unhanded":
        entries = flags.unhanded_by_unit(province.id)
    elif name == "stalled":
        entries = flags.stalled_handovers(province.id, days)
    elif name == "hq_decision":
        entries = flags.hq_decisions_overdue(province.id)
    elif name == "multi_hq":
        entries = flags.multi_site_units(province.id)
    elif request.args.get("format") == "csv":
        entries = flags.receipt_problems(province.id)
    else:
        query = flags.receipt_assets(province.id)
        page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"],
                          archives.count_of(flags.receipt_asset_ids(province.id, None)), *ASSET_LOADS)
        entries = flags.receipt_problems(province.id, assets=page.items)
    if request.args.get("format") == "csv":
        from tracker.flags.export import alert_rows

        header, rows = alert_rows(name, entries)
        return csv_response(f"canh-bao-{name}.csv", header, rows)
    return render_template("flags/alert.html", province=province, name=name, title=flags.FLAG_LABELS[name],
                           entries=entries, page=page, days=days, kinds=list(AssetKind))

"""Dashboard pages: the province dashboard, one unit's figures and the list behind any number.
Routes join the ``flags`` blueprint."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assets.queries import count_of, fetch_page, page_number
from tracker.auth.policy import EVERYONE, allow
from tracker.auth.scope import asset_scope
from tracker.extensions import db
from tracker.flags.access import (ASSET_LOADS, csv_response, current_province, int_arg, is_commune,
                                  provinces_to_choose, unit_or_abort)
from tracker.flags.alerts import flags
from tracker.flags.blueprint import bp
from tracker.flags.dashboard import country_job, progress
from tracker.flags.dashboard.forms import CountryReportForm
from tracker.flags.dashboard.receiving import receiving_condition
from tracker.flags.norms.forms import UnitCountsForm
from tracker.flags.norms.services import ITEM_TYPES, ensure_default_norms, stall_days
from tracker.i18n import label_
from tracker.models import Asset, AssetKind, AssetStatus, Handover, HandoverItem, Role


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
    board = progress.province_dashboard(province.id, kind)
    if request.args.get("format") == "csv":
        return _dashboard_csv(board)
    counts = flags.flag_counts(province.id, stall_days(province.id))
    show_empty = request.args.get("empty") == "1"
    tables = {"receiver": progress.dashboard_table(board.receiving, page_number(request.args.get("in_page")),
                                                   show_empty=show_empty, size=progress.DASHBOARD_PAGE),
              "giver": progress.dashboard_table(board.giving, page_number(request.args.get("out_page")),
                                                show_empty=show_empty, size=progress.DASHBOARD_PAGE)}
    args = {"province": province.id, "kind": kind.value if kind else None, "empty": "1" if show_empty else None,
            "in_page": tables["receiver"].rows.page, "out_page": tables["giver"].rows.page}
    args = {k: v for k, v in args.items() if v and not (k.endswith("_page") and v == 1)}
    return render_template("flags/dashboard.html", province=province, provinces=provinces_to_choose(), board=board,
                           tables=tables, show_empty=show_empty, args=args,
                           hidden=sum(table.empty for table in tables.values()),
                           switch_args={"province": province.id, "kind": args.get("kind"),
                                        "empty": None if show_empty else "1"},
                           kind=kind, kinds=list(AssetKind), statuses=progress.STATUSES, flag_counts=counts,
                           flag_labels=flags.FLAG_LABELS,
                           country_form=CountryReportForm() if current_user.role == Role.ADMIN else None)


@bp.route("/country-report", methods=["POST"])
@allow(Role.ADMIN)
def country_report():
    """Start the country report on the queue's worker; its page offers the .xlsx when done."""
    if not CountryReportForm().validate_on_submit():
        abort(400)
    return redirect(url_for("jobs.show", token=country_job.start(current_user).token))


def _dashboard_csv(board: progress.Dashboard):
    header = [_("Phía"), _("Đơn vị"), _("Huyện cũ"), *[label_(s) for s in progress.STATUSES], _("Tổng")]
    rows = [[side, r.name, r.parent_name or "", *[r.counts.get(s) for s in progress.STATUSES], r.counts.total]
            for side, table in ((_("Nhận"), board.receiving), (_("Giao"), board.giving)) for r in table]
    return csv_response("tien-do-ban-giao.csv", header, rows)


@bp.route("/units/<int:unit_id>")
@allow(*EVERYONE)
def unit(unit_id: int):
    """One unit's figures: assets per kind and status, gaps against its norm, archives, flags."""
    target = unit_or_abort(unit_id)
    if ensure_default_norms(target.province):
        db.session.commit()
    overview = progress.unit_overview(target, stall_days(target.province_id))
    form = UnitCountsForm(data={"officials_count": target.officials_count, "rooms_count": target.rooms_count})
    return render_template("flags/unit.html", overview=overview, unit=target, form=form, statuses=progress.STATUSES,
                           flag_labels=flags.FLAG_LABELS, item_labels=ITEM_TYPES)


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
        query = progress.assets_behind(province_id, side=side, unit_id=unit_id,
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
    page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"], count_of(query),
                      *ASSET_LOADS)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("flags/assets.html", page=page, args=args, target=target, province=province,
                           kind=_enum_arg(AssetKind, "kind"), status=_enum_arg(AssetStatus, "status"),
                           flag_labels=flags.FLAG_LABELS)

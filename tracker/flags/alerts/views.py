"""Alerts pages: unsorted archives and their box lists, every flag with its count, one flag's
list, and the days before a handover stalls. Routes join the ``flags`` blueprint."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.assets.queries import count_of, fetch_page, page_number
from tracker.auth.policy import READERS, WRITERS, allow
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.flags.access import ASSET_LOADS, csv_response, current_province, provinces_to_choose
from tracker.flags.alerts import archives, flags
from tracker.flags.alerts.export import alert_rows
from tracker.flags.alerts.forms import StallDaysForm
from tracker.flags.blueprint import bp
from tracker.flags.norms.services import set_stall_days, stall_days
from tracker.i18n import label_
from tracker.models import Asset, AssetKind


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
    counts = {name: count_of(query(province.id)) for name, query in _BOX_LISTS.items()}
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
                      count_of(query), *ASSET_LOADS)
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
                          count_of(flags.receipt_asset_ids(province.id, None)), *ASSET_LOADS)
        entries = flags.receipt_problems(province.id, assets=page.items)
    if request.args.get("format") == "csv":
        header, rows = alert_rows(name, entries)
        return csv_response(f"canh-bao-{name}.csv", header, rows)
    return render_template("flags/alert.html", province=province, name=name, title=flags.FLAG_LABELS[name],
                           entries=entries, page=page, days=days, kinds=list(AssetKind))

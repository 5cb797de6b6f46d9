"""Exports page and downloads: the filtered register and the inventory as of a date.

Everyone may export what they may see (``register_query`` applies their scope: commune staff
get their own unit's assets only). Every download is written to the audit log first.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assets.fields import label
from tracker.assets.queries import BadParam
from tracker.auth.policy import EVERYONE, allow
from tracker.exports import jobs as export_jobs
from tracker.exports.asof import asof_csv, asof_xlsx, first_day
from tracker.exports.downloads import FORMATS, log_export, stamp, streamed_csv, xlsx_download
from tracker.exports.filters import parse_day, parse_export_filters
from tracker.exports.forms import ExportFilterForm
from tracker.exports.register import counts_by_kind, register_csv, register_xlsx, too_big_for_excel
from tracker.formatting import date_vn

bp = Blueprint("exports", __name__, url_prefix="/exports")

PARAM_LABELS = {"province_id": "Tỉnh", "date_from": "Từ ngày", "date_to": "Đến ngày", "as_of": "Tại ngày",
                "date_field": "Khoảng ngày theo", "district_id": "Huyện cũ", "sort": "Sắp xếp"}


def _bad_params_redirect(bad) -> Response:
    for p in bad:
        flash(_("Bộ lọc «%(name)s» có giá trị không hợp lệ («%(value)s»).",
                name=PARAM_LABELS.get(p.name) or label(p.name), value=p.value[:40]), "warning")
    return redirect(url_for("exports.index", **request.args))


@bp.route("/")
@allow(*EVERYONE)
def index():
    """Choose filters, then download the register or the inventory as of a day."""
    form = ExportFilterForm(formdata=request.args)
    form.fill(current_user)
    # Verifying issued minutes belongs to the handovers feature; link to it when it is there.
    verify_url = url_for("handovers.verify") if "handovers.verify" in current_app.view_functions else None
    return render_template("exports/index.html", form=form, verify_url=verify_url)


def _send(fmt: str, what: str, filters, make_csv, write_xlsx, name: str, **detail) -> Response:
    """Log the export, then stream the CSV or send the .xlsx (unless a kind overflows a sheet); a big
    one is written by the queue's worker and fetched from its page."""
    counts = counts_by_kind(current_user, filters)
    if fmt == "xlsx" and (kind := too_big_for_excel(counts)) is not None:
        flash(_("Loại «%(kind)s» có quá nhiều dòng cho một trang Excel; hãy lọc bớt hoặc tải CSV.",
                kind=kind.label), "warning")
        return redirect(url_for("exports.index", **request.args))
    log_export(what, fmt, **detail)
    if export_jobs.is_big(rows := sum(counts.values())):
        job = export_jobs.start(current_user, what, fmt, request.args, name, rows)
        return redirect(url_for("jobs.show", token=job.token))
    if fmt == "csv":
        return streamed_csv(make_csv, name)
    return xlsx_download(write_xlsx, name)


@bp.route("/register.<fmt>")
@allow(*EVERYONE)
def register(fmt: str):
    """The filtered register: CSV (every kind in one table) or .xlsx (one sheet per kind)."""
    if fmt not in FORMATS:
        abort(404)
    filters, bad = parse_export_filters(request.args)
    if bad:
        return _bad_params_redirect(bad)
    return _send(fmt, "register", filters, lambda user: register_csv(user, filters),
                 lambda fh: register_xlsx(current_user, filters, fh), f"danh-muc-tai-san_{stamp()}.{fmt}")


@bp.route("/as-of.<fmt>")
@allow(*EVERYONE)
def as_of(fmt: str):
    """The inventory as it stood at the end of a day, rebuilt from the history."""
    if fmt not in FORMATS:
        abort(404)
    filters, bad = parse_export_filters(request.args)
    try:
        day = parse_day(request.args.get("as_of"))
    except ValueError:
        day = None
        bad.append(BadParam("as_of", request.args.get("as_of", "")))
    if day is None and not bad:
        flash(_("Hãy chọn ngày cần xem tình trạng tài sản."), "warning")
        return redirect(url_for("exports.index", **request.args))
    if bad:
        return _bad_params_redirect(bad)
    first = first_day(current_user, filters)
    if first is None or day < first:
        # An empty inventory helps nobody: say why, and offer the first day that has one.
        if first is None:
            flash(_("Không có tài sản nào khớp bộ lọc ở bất kỳ ngày nào, nên không có gì để kiểm kê."), "warning")
        else:
            flash(_("Ngày %(day)s trước mọi dữ liệu đã ghi: tài sản sớm nhất khớp bộ lọc có từ ngày %(first)s. "
                    "Đã điền sẵn ngày đó; bấm xuất lại nếu đồng ý.", day=date_vn(day), first=date_vn(first)),
                  "warning")
        args = request.args.to_dict()
        if first is not None:
            args["as_of"] = first.strftime("%d/%m/%Y")
        return redirect(url_for("exports.index", **args))
    return _send(fmt, "as_of", filters, lambda user: asof_csv(user, filters, day),
                 lambda fh: asof_xlsx(current_user, filters, day, fh),
                 f"kiem-ke-tai-ngay-{day.isoformat()}_{stamp()}.{fmt}", day=day.isoformat())

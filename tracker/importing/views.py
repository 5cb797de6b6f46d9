"""Import pages: upload -> (progress) -> preview -> commit or cancel; templates; import records."""
from __future__ import annotations

from collections import Counter
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assets.fields import label as field_label
from tracker.assets.queries import unit_choices
from tracker.auth.policy import READERS, WRITERS, allow
from tracker.auth.scope import province_ids_in_scope
from tracker.extensions import db
from tracker.formatting import group_thousands
from tracker.importing import templates_xlsx
from tracker.importing.forms import CancelForm, CommitForm, UploadForm
from tracker.importing.jobs import Job, JobStore
from tracker.importing.plan import build_plan
from tracker.importing.safety import Limits
from tracker.importing.service import commit_upload
from tracker.models import Asset, AssetEvent, AssetKind, ImportBatch, Unit, UnitKind

bp = Blueprint("imports", __name__, url_prefix="/imports")


def _store() -> JobStore:
    return JobStore(Path(current_app.instance_path) / "imports")


def _limits() -> Limits:
    return Limits(max_unzipped=current_app.config["IMPORT_MAX_UNZIPPED_MB"] * 1024 * 1024)


def _dissolved_units():
    provinces = province_ids_in_scope(current_user)
    condition = Unit.kind.in_((UnitKind.OLD_DISTRICT, UnitKind.OLD_COMMUNE))
    if provinces is not None:
        condition = condition & Unit.province_id.in_(provinces)
    return unit_choices(current_user, condition)


def _own_job(token: str) -> Job:
    job = _store().load(token)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


def _batches():
    provinces = province_ids_in_scope(current_user)
    query = sa.select(ImportBatch).order_by(ImportBatch.id.desc()).limit(20)
    if provinces is not None:
        query = query.where(ImportBatch.province_id.in_(provinces))
    return db.session.scalars(query).all()


@bp.route("/", methods=["GET", "POST"])
@allow(*WRITERS)
def index():
    """Upload a list; small files are read at once, big ones in the background with progress."""
    form = UploadForm()
    form.fill_units(_dissolved_units())
    if form.validate_on_submit():
        data = form.file.data.read()
        job = _store().create(current_user.id, form.file.data.filename or "tep", form.unit_id.data, data)
        background = len(data) > current_app.config["IMPORT_BACKGROUND_BYTES"]
        _store().run(job, _limits(), background=background)
        return redirect(url_for("imports.preview", token=job.token))
    return render_template("imports/index.html", form=form, kinds=list(AssetKind), batches=_batches())


@bp.route("/<token>")
@allow(*WRITERS)
def preview(token: str):
    """Progress while the file is read; then what a commit would do, row by row where it matters."""
    job = _own_job(token)
    if job.state == "committed":
        _store().delete(job)
        batch = db.session.get(ImportBatch, job.batch_id)
        flash(_("Đã nhập «%(name)s»: tạo mới %(c)s, cập nhật %(u)s tài sản.", name=batch.filename,
                c=group_thousands(batch.created_count), u=group_thousands(batch.updated_count)), "success")
        return redirect(url_for("imports.batch", batch_id=batch.id))
    if job.state != "ready":
        return render_template("imports/progress.html", job=job, cancel=CancelForm())
    if job.message:  # a commit that was refused or failed: nothing was stored, say why once
        flash(job.message, "danger")
        job.message = ""
        _store().save(job)
    unit = db.session.get(Unit, job.unit_id) if job.unit_id else None
    plan = build_plan(_store().parsed(job), current_user, unit)
    form = CommitForm(fingerprint=plan.fingerprint())
    return render_template("imports/preview.html", job=job, plan=plan, form=form, cancel=CancelForm(),
                           units=_unit_names(plan), label=field_label)


def _unit_names(plan) -> list[tuple[str, int]]:
    """(unit name, assets it gains), most first."""
    counts = Counter(c.unit_id for c in plan.creates)
    if not counts:
        return []
    names = dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(counts))).all())
    return [(names.get(unit_id, "?"), n) for unit_id, n in counts.most_common()]


@bp.route("/<token>/status")
@allow(*WRITERS)
def status(token: str):
    """Progress for import.js: state, stage and percent."""
    job = _own_job(token)
    return jsonify(state=job.state, stage=job.stage, done=job.done, total=job.total, percent=job.percent,
                   message=job.message)


@bp.route("/<token>/commit", methods=["POST"])
@allow(*WRITERS)
def commit(token: str):
    """Store exactly what the preview showed, in one transaction, or nothing; big files in the background."""
    job = _own_job(token)
    form = CommitForm()
    if job.state != "ready" or not form.validate_on_submit():
        abort(400)
    unit = db.session.get(Unit, job.unit_id) if job.unit_id else None
    plan = build_plan(_store().parsed(job), current_user, unit)
    if plan.fingerprint() != form.fingerprint.data:
        flash(_("Dữ liệu đã thay đổi từ lúc xem trước; đây là bản xem trước mới. Hãy kiểm tra rồi ghi lại."),
              "warning")
        return redirect(url_for("imports.preview", token=token))
    background = len(plan.creates) + len(plan.updates) > current_app.config["IMPORT_BACKGROUND_ROWS"]
    commit_upload(current_app._get_current_object(), _store(), job, plan, current_user, background=background)
    return redirect(url_for("imports.preview", token=token))


@bp.route("/<token>/cancel", methods=["POST"])
@allow(*WRITERS)
def cancel(token: str):
    """Forget the upload; nothing was stored."""
    job = _own_job(token)
    if not CancelForm().validate_on_submit():
        abort(400)
    _store().delete(job)
    flash(_("Đã hủy nhập «%(name)s»; không có gì được lưu.", name=job.filename), "info")
    return redirect(url_for("imports.index"))


@bp.route("/templates/<kind>.xlsx")
@allow(*WRITERS)
def template(kind: str):
    """The blank template of a kind (the same file as in imports/ of the repository)."""
    try:
        asset_kind = AssetKind(kind)
    except ValueError:
        abort(404)
    return send_file(BytesIO(templates_xlsx.build(asset_kind)), as_attachment=True,
                     download_name=templates_xlsx.FILENAMES[asset_kind],
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/batches/<int:batch_id>")
@allow(*READERS)
def batch(batch_id: int):
    """One import: who, when, which file (SHA-256), counts, and the assets it touched."""
    record = db.session.get(ImportBatch, batch_id)
    provinces = province_ids_in_scope(current_user)
    if record is None or (provinces is not None and record.province_id not in provinces):
        abort(404)
    events = db.session.execute(sa.select(AssetEvent, Asset.code, Asset.name).join(Asset, Asset.id == AssetEvent.asset_id)
                                .where(AssetEvent.import_id == batch_id).order_by(AssetEvent.id).limit(200)).all()
    return render_template("imports/batch.html", batch=record, events=events, label=field_label)


@bp.errorhandler(413)
def too_large(error):
    """The upload is over the configured limit: say which limit, in the app's layout."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return render_template("imports/too_large.html", limit=limit), 413

"""Import pages: upload -> (progress) -> preview -> commit or cancel; templates; import records."""
from __future__ import annotations

import json
from collections import Counter
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
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
from tracker.assets.forms import old_unit_options
from tracker.importing import corrections, describe
from tracker.importing.forms import CancelForm, CommitForm, MappingForm, UploadForm
from tracker.importing.holders import HOW_LABELS
from tracker.importing.mapping import Mapping
from tracker.importing.mapping import field_label as column_label
from tracker.importing import uploads
from tracker.importing.safety import FileRefused
from tracker.jobs import store
from tracker.models import Asset, AssetEvent, AssetKind, BackgroundJob, ImportBatch, Unit, UnitKind

bp = Blueprint("imports", __name__, url_prefix="/imports")


def _dissolved_units():
    provinces = province_ids_in_scope(current_user)
    condition = Unit.kind.in_((UnitKind.OLD_DISTRICT, UnitKind.OLD_COMMUNE))
    if provinces is not None:
        condition = condition & Unit.province_id.in_(provinces)
    return unit_choices(current_user, condition)


def _read(job: BackgroundJob) -> None:
    """Read (again) the upload with its rules: big files on the worker, small ones now."""
    uploads.start_reading(job, here=job.size <= current_app.config["IMPORT_BACKGROUND_BYTES"])


def _plan(job: BackgroundJob):
    return uploads.plan_of(job, current_user)


def _unit_for_mapping(unit_id: int) -> tuple[str, str] | None:
    """A dissolved unit the officer may import to, as a mapping names it."""
    unit = db.session.get(Unit, unit_id)
    provinces = province_ids_in_scope(current_user)
    if unit is None or not unit.is_dissolved or (provinces is not None and unit.province_id not in provinces):
        return None
    return unit.source_key, unit.name


def _own_job(token: str) -> BackgroundJob:
    job = uploads.own(token, current_user)
    if job is None:
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
        try:
            job = uploads.create(current_user, form.file.data.filename or "tep", form.unit_id.data, data)
        except FileRefused as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, exc.message]
        else:
            _read(job)
            return redirect(url_for("imports.preview", token=job.token))
    return render_template("imports/index.html", form=form, kinds=list(AssetKind), batches=_batches())


@bp.route("/<token>")
@allow(*WRITERS)
def preview(token: str):
    """Progress while the file is read; then what a commit would do, row by row where it matters."""
    job = _own_job(token)
    if job.state == "committed":
        batch = db.session.get(ImportBatch, job.batch_id)
        flash(_("Đã nhập «%(name)s»: tạo mới %(c)s, cập nhật %(u)s tài sản.", name=batch.filename,
                c=group_thousands(batch.created_count), u=group_thousands(batch.updated_count)), "success")
        return redirect(url_for("imports.batch", batch_id=batch.id))
    live = store.live(job)
    if job.state != "ready":
        return render_template("imports/progress.html", job=job, live=live, cancel=CancelForm())
    if job.message:  # a commit that was refused or failed: nothing was stored; said until the next try
        flash(job.message, "warning" if job.message == uploads.MOVED else "danger")
    plan = _plan(job)
    return render_template("imports/preview.html", job=job, plan=plan, form=CommitForm(fingerprint=plan.fingerprint()),
                           cancel=CancelForm(), mapping_form=MappingForm(), units=_created_by_holder(plan),
                           label=field_label, describe=describe, column_choices=corrections.column_choices,
                           kinds=list(AssetKind), unit_options=old_unit_options(_dissolved_units()),
                           edits=Mapping.from_json(job.params.get("mapping")), holder_how=HOW_LABELS, column_label=column_label)


def _created_by_holder(plan) -> list[tuple[str, int]]:
    """('unit name' or 'agency — unit name', assets it gains), most first."""
    counts = Counter((c.unit_id, c.agency_id) for c in plan.creates)
    named = []
    for (unit_id, agency_id), n in counts.most_common():
        name = plan.unit_names.get(unit_id, "?")
        named.append((f"{plan.agency_names.get(agency_id)} — {name}" if agency_id is not None else name, n))
    return named


@bp.route("/<token>/mapping", methods=["POST"])
@allow(*WRITERS)
def mapping(token: str):
    """Take the officer's corrections (a column, a kind, a unit or agency, a value) and read the file again."""
    job = _own_job(token)
    if job.state != "ready" or not MappingForm().validate_on_submit():
        abort(400)
    edits, errors = corrections.read(request.form, _plan(job), _unit_for_mapping)
    for message in errors:
        flash(message, "danger")
    if edits:
        job.params = {**job.params, "mapping": Mapping.from_json(job.params.get("mapping")).merged(edits).to_json()}
        _read(job)
        flash(_("Đã áp dụng %(n)s chỉnh sửa; bản xem trước dưới đây theo các chỉnh sửa đó.",
                n=len(edits.describe())), "success")
    elif not errors:
        flash(_("Không có gì thay đổi so với bản xem trước."), "info")
    return redirect(url_for("imports.preview", token=token))


@bp.route("/<token>/mapping.json")
@allow(*WRITERS)
def mapping_file(token: str):
    """The rules applied to this upload, as a file ``flask assets import --mapping`` reads."""
    job = _own_job(token)
    if job.state != "ready":
        abort(404)
    return _json_download(uploads.parsed(job).mapping.to_json(), f"anh-xa-{Path(job.filename).stem}.json")


def _json_download(data: dict, name: str):
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return send_file(BytesIO(body), as_attachment=True, download_name=name, mimetype="application/json")


@bp.route("/<token>/status")
@allow(*WRITERS)
def status(token: str):
    """Progress for import.js: state, stage and percent."""
    return jsonify(store.live(_own_job(token)).as_json())


@bp.route("/<token>/commit", methods=["POST"])
@allow(*WRITERS)
def commit(token: str):
    """Store exactly what the preview showed, in one transaction, or nothing; big files on the worker,
    which plans again and writes only if nothing moved since the preview."""
    job = _own_job(token)
    form = CommitForm()
    if job.state != "ready" or not form.validate_on_submit():
        abort(400)
    confirm = None if request.form.get("confirm_all") else [
        int(t) for t in request.form.getlist("confirm") if t.isdigit()]
    uploads.start_commit(job, form.fingerprint.data, confirm,
                         here=job.total <= current_app.config["IMPORT_BACKGROUND_ROWS"])
    return redirect(url_for("imports.preview", token=token))


@bp.route("/<token>/cancel", methods=["POST"])
@allow(*WRITERS)
def cancel(token: str):
    """Forget the upload; nothing was stored."""
    job = _own_job(token)
    if not CancelForm().validate_on_submit() or job.state == "committing":
        abort(400)
    store.delete(job)
    db.session.commit()
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
    record = _batch_or_404(batch_id)
    events = db.session.execute(sa.select(AssetEvent, Asset.code, Asset.name).join(Asset, Asset.id == AssetEvent.asset_id)
                                .where(AssetEvent.import_id == batch_id).order_by(AssetEvent.id).limit(200)).all()
    summary = record.summary or {}
    return render_template("imports/batch.html", batch=record, events=events, label=field_label,
                           applied=Mapping.from_json(summary.get("mapping")).describe(),
                           added=Mapping.from_json(summary.get("mapping_added")).describe())


@bp.route("/batches/<int:batch_id>/mapping.json")
@allow(*READERS)
def batch_mapping(batch_id: int):
    """The rules an import applied, as a mapping file."""
    record = _batch_or_404(batch_id)
    return _json_download((record.summary or {}).get("mapping") or {}, f"anh-xa-lan-nhap-{batch_id}.json")


def _batch_or_404(batch_id: int) -> ImportBatch:
    record = db.session.get(ImportBatch, batch_id)
    provinces = province_ids_in_scope(current_user)
    if record is None or (provinces is not None and record.province_id not in provinces):
        abort(404)
    return record


@bp.errorhandler(413)
def too_large(error):
    """The upload is over the configured limit: say which limit, in the app's layout."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return render_template("imports/too_large.html", limit=limit), 413

"""Handover pages: list, prepare, pick assets, issue, sign, void (receipt and verify: receipt_views)."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload, undefer

from tracker.assets.queries import RegisterFilters, count_of, fetch_page, page_number, register_query, unit_choices
from tracker.auth.policy import EVERYONE, WRITERS, allow
from tracker.auth.scope import asset_scope, province_ids_in_scope, unit_scope
from tracker.errors import DomainError, ValidationError
from tracker.extensions import db
from tracker.handovers import defaults, queries, questions, services
from tracker.handovers import receipt_views  # noqa: F401  (registers the confirmation and verify routes on bp)
from tracker.handovers.blueprint import act, bp, handover_or_404, managed
from tracker.handovers.forms import ActionForm, DecisionForm, DraftForm, ScanForm, VoidForm
from tracker.handovers.minutes import format_code
from tracker.main.ask_first import ask_unless_confirmed
from tracker.notices.texts import handover_title
from tracker.models import Asset, AssetKind, Handover, HandoverItem, HandoverStatus, StoredFile, Unit

@bp.route("/")
@allow(*EVERYONE)
def index():
    """Handovers in scope; commune staff see those coming to their unit."""
    status = request.args.get("status") or None
    status = HandoverStatus(status) if status in {s.value for s in HandoverStatus} else None
    query = queries.list_query(current_user, status)
    page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"], count_of(query),
                      selectinload(Handover.giver).selectinload(Unit.parent), selectinload(Handover.receiver))
    return render_template("handovers/index.html", page=page, status=status, statuses=list(HandoverStatus),
                           args={"status": status.value} if status else {})


def _draft_form(handover: Handover | None) -> DraftForm:
    form = DraftForm(obj=handover) if handover is not None else DraftForm()
    provinces = province_ids_in_scope(current_user)
    condition = sa.true() if provinces is None else Unit.province_id.in_(provinces)
    holders = queries.reallocation_givers(condition, keep=handover.giver if handover is not None else None)
    form.fill_units(unit_choices(current_user, condition), holders)
    return form


def _unit_in_scope(unit_id: int | None) -> Unit | None:
    """A unit the form may name; one outside the officer's scope is as good as none, so the
    messages cannot tell an existing unit of another province from a made-up id."""
    if unit_id is None:
        return None
    return db.session.scalar(sa.select(Unit).where(Unit.id == unit_id, unit_scope(current_user)))


def _draft_input(form: DraftForm) -> tuple[services.DraftInput, dict[str, str]]:
    parties, errors = form.parties()
    giver, receiver = _unit_in_scope(form.giver_id.data), _unit_in_scope(form.receiver_id.data)
    return services.DraftInput(giver, receiver, form.doc_type.data, form.handover_date.data, form.place.data or "",
                               form.legal_lines(), form.remarks.data or "", form.copies.data or 4,
                               bool(form.immediate_use.data), parties), errors


def _show_errors(form: DraftForm, errors: dict[str, str]) -> None:
    """Each message on its field (one the form has not already refused), or on the giver's."""
    for name, message in errors.items():
        target = form[name] if name in form else form.giver_id
        if not target.errors:
            target.errors = [message]


def _save_draft(form: DraftForm, handover: Handover | None):
    if not form.is_submitted():
        return None
    fields_valid = form.validate()
    if "csrf_token" in form.errors:
        return None  # a stale or forged page: the form says so, nothing is read
    values, errors = _draft_input(form)
    if values.giver is not None:
        province = values.giver.province
        values.legal_basis = defaults.legal_basis_for(values.legal_basis, province.code, province.name,
                                                      values.doc_type, reallocation=not values.giver.is_dissolved)
    if not fields_valid:
        # Every error at once: the fields' own (a day or a number that cannot be read) and the draft's rules.
        _show_errors(form, {**services.check_draft(values, current_user, handover.giver_id if handover else None),
                            **errors})
        return None
    try:
        if errors:
            raise ValidationError(errors)
        if handover is None:
            handover = services.prepare_handover(values, current_user)
        else:
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            services.update_draft(handover, values, current_user, expected_version=version)
    except DomainError as exc:
        db.session.rollback()
        _show_errors(form, getattr(exc, "errors", {"giver_id": exc.message}))
        return None
    db.session.commit()
    flash(_("Đã lưu bản nháp."), "success")
    return redirect(url_for("handovers.detail", handover_id=handover.id))


@bp.route("/new", methods=["GET", "POST"])
@allow(*WRITERS)
def create():
    """Prepare a new draft; the legal basis starts from the province's defaults."""
    form = _draft_form(None)
    if request.method == "GET" and current_user.province is not None:
        form.legal_basis.data = "\n".join(defaults.default_legal_basis(
            current_user.province.code, current_user.province.name, "assets"))
        form.witness_org.data = f"Sở Tài chính {defaults.province_title(current_user.province.name)}"
    return _save_draft(form, None) or render_template("handovers/form.html", form=form, handover=None)


@bp.route("/<int:handover_id>/edit", methods=["GET", "POST"])
@allow(*WRITERS)
def edit(handover_id: int):
    handover = managed(handover_id)
    if handover.status != HandoverStatus.DRAFT:
        flash(_("Biên bản đã phát hành không sửa được; hủy biên bản nếu có sai sót."), "warning")
        return redirect(url_for("handovers.detail", handover_id=handover.id))
    form = _draft_form(handover)
    if request.method == "GET":
        form.legal_basis.data = "\n".join(handover.legal_basis or [])
        form.fill_parties(handover.parties)
        form.version.data = str(handover.version)
    return _save_draft(form, handover) or render_template("handovers/form.html", form=form, handover=handover)


@bp.route("/<int:handover_id>")
@allow(*EVERYONE)
def detail(handover_id: int):
    """One handover: parties, items with receipt state, files, what can be done next, history."""
    handover = handover_or_404(handover_id)
    items_query = sa.select(HandoverItem).where(HandoverItem.handover_id == handover.id).order_by(HandoverItem.id)
    totals = queries.item_totals(handover.id)
    items = fetch_page(items_query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"],
                       totals.count, selectinload(HandoverItem.asset))
    trail = db.session.scalars(queries.audit_trail(handover.id)).all()
    drafting = handover.status == HandoverStatus.DRAFT
    return render_template(
        "handovers/detail.html", handover=handover, items=items, totals=totals, trail=trail,
        counts=queries.receipt_counts(handover.id), can_manage=services.can_manage(current_user, handover),
        can_confirm=services.can_confirm(current_user, handover), number=handover_title(handover),
        labels=queries.TRAIL_LABELS, printed_code=format_code(handover.verification_code or ""),
        overdue=services.decision_overdue(handover), action=ActionForm(), void_form=VoidForm(),
        ask=questions.on_draft(handover, totals) if drafting else {},
        blockers=services.issue_blockers(handover, totals.count) if drafting else [],
        scan_form=ScanForm(), decision_form=DecisionForm())


def _filters(source) -> RegisterFilters:
    kind = source.get("kind") or None
    return RegisterFilters(kind=AssetKind(kind) if kind in {k.value for k in AssetKind} else None,
                           q=" ".join((source.get("q") or "").split())[:200])


def _candidates(handover: Handover, filters: RegisterFilters) -> sa.Select:
    filters.holder_id, filters.status = handover.giver_id, None
    return register_query(current_user, filters).where(services.handable(handover))


@bp.route("/<int:handover_id>/pick")
@allow(*WRITERS)
def pick(handover_id: int):
    """Assets the giving unit holds and could add: filter, tick, or take all that match."""
    handover = managed(handover_id)
    if handover.status != HandoverStatus.DRAFT:
        flash(_("Biên bản đã phát hành: không thêm, bớt tài sản được nữa."), "warning")
        return redirect(url_for("handovers.detail", handover_id=handover.id))
    filters = _filters(request.args)
    query = _candidates(handover, filters)
    page = fetch_page(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"], count_of(query))
    return render_template("handovers/pick.html", handover=handover, page=page, filters=filters, action=ActionForm(),
                           ask_all=questions.add_all(handover, page.total),
                           args={k: v for k, v in (("kind", request.args.get("kind")), ("q", filters.q)) if v},
                           kinds=list(AssetKind), number=handover_title(handover))


@bp.route("/<int:handover_id>/items/add", methods=["POST"])
@allow(*WRITERS)
def add_items(handover_id: int):
    """Add the ticked assets, or with ``all=1`` every asset matching the filter."""
    handover = managed(handover_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if request.form.get("all") == "1":
        if (asking := ask_unless_confirmed(questions.add_all(handover, count_of(_candidates(handover, _filters(request.form)))),
                                           url_for("handovers.pick", handover_id=handover.id))):
            return asking

    def step() -> int:
        if request.form.get("all") == "1":
            return services.add_matching(handover, current_user, _candidates(handover, _filters(request.form)))
        ids = {int(v) for v in request.form.getlist("asset_id") if v.isdigit() and len(v) < 12}
        # Scope first: an asset outside it is an asset that does not exist, before any message
        # could name it (issue 13: a refusal named other provinces' assets and codes).
        assets = db.session.scalars(sa.select(Asset).where(Asset.id.in_(ids), asset_scope(current_user))).all()
        if len(assets) < len(ids):
            raise DomainError(_("Không thêm được: %(n)s tài sản không có trong sổ bạn được xem.",
                                n=len(ids) - len(assets)))
        return services.add_assets(handover, assets, current_user)

    return act(handover, step, lambda n: _("Đã thêm %(n)s tài sản vào biên bản.", n=n), back="handovers.pick")


@bp.route("/<int:handover_id>/items/remove", methods=["POST"])
@allow(*WRITERS)
def remove_items(handover_id: int):
    handover = managed(handover_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("item_id") if v.isdigit()]
    if request.form.get("all") == "1":
        if (asking := ask_unless_confirmed(questions.remove_all(handover), url_for("handovers.detail",
                                                                                 handover_id=handover.id))):
            return asking
        ids = [item.id for item in handover.items]
    return act(handover, lambda: services.remove_items(handover, ids, current_user),
               lambda n: _("Đã bỏ %(n)s tài sản khỏi bản nháp.", n=n))


@bp.route("/<int:handover_id>/issue", methods=["POST"])
@allow(*WRITERS)
def issue(handover_id: int):
    """Give the number, lock the assets and generate the DOCX."""
    handover = managed(handover_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if (asking := ask_unless_confirmed(questions.issue(handover), url_for("handovers.detail", handover_id=handover.id))):
        return asking
    return act(handover, lambda: services.issue_handover(handover, current_user),
               lambda h: _("Đã phát hành %(n)s. Tải biên bản về để in và ký.", n=services.describe(h)))


def _send(file_id: int | None):
    """A stored file, always as an attachment: the browser never renders what was uploaded in the app's origin."""
    file = db.session.scalar(sa.select(StoredFile).where(StoredFile.id == file_id).options(undefer(StoredFile.data)))
    if file is None:
        abort(404)
    return send_file(io.BytesIO(file.data), mimetype=file.content_type, as_attachment=True,
                     download_name=file.filename)


@bp.route("/<int:handover_id>/minutes.docx")
@allow(*EVERYONE)
def minutes(handover_id: int):
    """The issued DOCX, byte for byte as stored (its SHA-256 is on the record)."""
    return _send(handover_or_404(handover_id).minutes_file_id)


@bp.route("/<int:handover_id>/signed")
@allow(*EVERYONE)
def signed_scan(handover_id: int):
    return _send(handover_or_404(handover_id).signed_file_id)


@bp.route("/<int:handover_id>/signed", methods=["POST"])
@allow(*WRITERS)
def upload_signed(handover_id: int):
    """Keep the scan of the paper signed by both sides."""
    handover = managed(handover_id)
    form = ScanForm()

    def step():
        if not form.validate_on_submit():
            raise ValidationError({"scan": _("Chọn tệp bản scan (PDF, JPEG hoặc PNG).")})
        return services.attach_signed_scan(handover, form.scan.data.filename or "", form.scan.data.read(),
                                           current_user)

    return act(handover, step, _("Đã lưu bản ký; biên bản chuyển sang «Đã ký»."))


@bp.route("/<int:handover_id>/void", methods=["POST"])
@allow(*WRITERS)
def void(handover_id: int):
    """Void with a reason: assets released, the record and its minutes kept."""
    handover = managed(handover_id)
    form = VoidForm()

    def step():
        if not form.validate_on_submit():
            raise ValidationError({"reason": _("Ghi rõ lý do hủy.")})
        return services.void_handover(handover, form.reason.data, current_user)

    return act(handover, step, lambda h: _("Đã hủy %(n)s; các tài sản được trả về trạng thái trước khi lập "
                                           "biên bản.", n=services.describe(h)))


@bp.route("/<int:handover_id>/decision", methods=["POST"])
@allow(*WRITERS)
def decision(handover_id: int):
    handover = managed(handover_id)
    form = DecisionForm()

    def step():
        if not form.validate_on_submit():
            raise ValidationError({"decision_ref": _("Nhập số, ngày quyết định.")})
        return services.record_decision(handover, form.decision_ref.data, current_user)

    return act(handover, step, _("Đã ghi nhận quyết định điều chuyển."))

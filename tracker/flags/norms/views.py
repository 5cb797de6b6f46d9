"""Norm pages: the editable norms table, the equipment type rules, a unit's officials and rooms
(on which its norm is computed), and the gaps against the norms. Routes join the ``flags``
blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy import READERS, WRITERS, allow
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.flags.access import csv_response, current_province, provinces_to_choose, unit_or_abort
from tracker.flags.blueprint import bp
from tracker.flags.norms import gaps as gap_data
from tracker.flags.norms import services as norms
from tracker.flags.norms.forms import ConfirmForm, NormAddForm, NormsForm, RuleForm, UnitCountsForm
from tracker.models import EquipmentTypeRule, Norm


def _norm_rows(province_id: int) -> list[dict]:
    return [{"norm_id": n.id, "quantity": f"{n.quantity.normalize():f}", "is_maximum": n.is_maximum,
             "legal_ref": n.legal_ref or ""} for n in norms.norms_of(province_id)]


@bp.route("/norms")
@allow(*READERS)
def norm_table():
    """The norms of the province by kind of unit; writers change figures in place."""
    province = current_province(request.args.get("province"))
    if norms.ensure_default_norms(province):
        db.session.commit()
    return _norms_page(province, NormsForm(data={"rows": _norm_rows(province.id)}))


def _norms_page(province, form: NormsForm, status: int = 200):
    by_id = {n.id: n for n in norms.norms_of(province.id)}
    rows = [(sub, by_id.get(int(sub.norm_id.data or 0))) for sub in form.rows]
    return render_template("flags/norms.html", province=province, provinces=provinces_to_choose(), form=form,
                           rows=[r for r in rows if r[1] is not None], unit_types=norms.UNIT_TYPES,
                           add_form=NormAddForm(), items=norms.ITEM_TYPES), status


@bp.route("/norms/save", methods=["POST"])
@allow(*WRITERS)
def norm_save():
    """Save the changed lines of the norms table at once; a refused line keeps what was typed."""
    province = current_province(request.values.get("province"))
    form = NormsForm()
    if form.validate_on_submit() and _save_norms(province, form):
        db.session.commit()
        flash(_("Đã lưu định mức."), "success")
        return redirect(url_for("flags.norm_table", province=province.id))
    return _norms_page(province, form, 422)


def _save_norms(province, form: NormsForm) -> bool:
    """Apply changed rows; on any refusal roll back and put the message under the row."""
    ok = True
    for sub in form.rows:
        norm = db.session.get(Norm, int(sub.norm_id.data or 0))
        if norm is None or norm.province_id != province.id:
            continue
        changed = (sub.quantity.data or "").strip() != f"{norm.quantity.normalize():f}" \
            or bool(sub.is_maximum.data) != norm.is_maximum or (sub.legal_ref.data or "") != (norm.legal_ref or "")
        if not changed:
            continue
        try:
            norms.update_norm(norm, current_user, quantity=sub.quantity.data, is_maximum=sub.is_maximum.data,
                              legal_ref=sub.legal_ref.data, note=norm.note)
        except ValidationError as exc:
            sub.quantity.errors = list(exc.errors.values())
            ok = False
    if not ok:
        db.session.rollback()
    return ok


@bp.route("/norms/add", methods=["POST"])
@allow(*WRITERS)
def norm_add():
    province = current_province(request.values.get("province"))
    form = NormAddForm()
    if form.validate_on_submit():
        try:
            norms.add_norm(province, current_user, unit_type=form.unit_type.data, item_type=form.item_type.data,
                           basis=form.basis.data, quantity=form.quantity.data, is_maximum=form.is_maximum.data,
                           legal_ref=form.legal_ref.data)
        except ValidationError as exc:
            db.session.rollback()
            for message in exc.errors.values():
                flash(message, "danger")
        else:
            db.session.commit()
            flash(_("Đã thêm định mức."), "success")
    return redirect(url_for("flags.norm_table", province=province.id))


@bp.route("/rules")
@allow(*READERS)
def rules():
    """The rules mapping equipment type names to norm items, and the names no rule maps yet."""
    province = current_province(request.args.get("province"))
    if norms.ensure_default_norms(province):
        db.session.commit()
    return _rules_page(province, RuleForm(data={"pattern": request.args.get("pattern", ""), "priority": "50"}))


def _rules_page(province, form: RuleForm, status: int = 200):
    return render_template("flags/rules.html", province=province, provinces=provinces_to_choose(), form=form,
                           rules=norms.rules_of(province.id), targets=norms.RULE_TARGETS,
                           unmapped=gap_data.unmapped_types(province.id),
                           delete_form=ConfirmForm()), status


@bp.route("/rules/add", methods=["POST"])
@allow(*WRITERS)
def rule_add():
    province = current_province(request.values.get("province"))
    form = RuleForm()
    if _save_rule(province, form, None):
        return redirect(url_for("flags.rules", province=province.id))
    return _rules_page(province, form, 422)


def _save_rule(province, form: RuleForm, rule: EquipmentTypeRule | None) -> bool:
    if not form.validate_on_submit():
        return False
    try:
        norms.save_rule(province, current_user, pattern=form.pattern.data, item_type=form.item_type.data,
                        priority=form.priority.data, rule=rule)
    except ValidationError as exc:
        db.session.rollback()
        for name, message in exc.errors.items():
            getattr(form, name).errors = [message]
        return False
    db.session.commit()
    flash(_("Đã lưu quy tắc nhận dạng."), "success")
    return True


def _rule_or_404(rule_id: int) -> EquipmentTypeRule:
    rule = db.session.get(EquipmentTypeRule, rule_id)
    if rule is None or (current_user.province_id is not None and rule.province_id != current_user.province_id):
        abort(404)
    return rule


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
@allow(*WRITERS)
def rule_edit(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = RuleForm(data={"pattern": rule.pattern, "item_type": rule.item_type, "priority": rule.priority}
                    if request.method == "GET" else None)
    if request.method == "POST" and _save_rule(_province_of(rule), form, rule):
        return redirect(url_for("flags.rules", province=rule.province_id))
    return render_template("flags/rule_form.html", form=form, rule=rule), 422 if request.method == "POST" else 200


def _province_of(rule: EquipmentTypeRule):
    from tracker.models import Province

    return db.session.get(Province, rule.province_id)


@bp.route("/rules/<int:rule_id>/delete", methods=["POST"])
@allow(*WRITERS)
def rule_delete(rule_id: int):
    rule = _rule_or_404(rule_id)
    province_id = rule.province_id
    if ConfirmForm().validate_on_submit():
        norms.delete_rule(rule, current_user)
        db.session.commit()
        flash(_("Đã xóa quy tắc."), "success")
    return redirect(url_for("flags.rules", province=province_id))


@bp.route("/gaps")
@allow(*READERS)
def gap_table():
    """Each receiving unit against its norm, per item: shortage, surplus, not usable; ?format=csv."""
    province = current_province(request.args.get("province"))
    if norms.ensure_default_norms(province):
        db.session.commit()
    report = gap_data.province_gaps(province.id)
    if request.args.get("format") == "csv":
        return csv_response("thieu-thua-theo-dinh-muc.csv", [
            _("Đơn vị"), _("Tài sản"), _("Định mức"), _("Đang giữ (dùng được)"), _("Sắp nhận (dùng được)"),
            _("Hư hỏng, thiếu (không tính)"), _("Thiếu"), _("Thừa"), _("Ghi chú")], (
            [u.name, norms.ITEM_TYPES[g.item_type].label if g.item_type in norms.ITEM_TYPES else g.item_type,
             g.required, g.held, g.due, g.unusable, g.shortage, g.surplus,
             _("chưa khai báo số cán bộ") if g.missing_count == "officials"
             else _("chưa khai báo số phòng") if g.missing_count == "rooms" else ""]
            for u in report.units for g in report.gaps.get(u.id, [])))
    only_short = request.args.get("only") == "short"
    units = [u for u in report.units if not only_short or any(g.shortage for g in report.gaps.get(u.id, []))]
    items = [k for k in norms.ITEM_TYPES if any(g.item_type == k for gs in report.gaps.values() for g in gs)]
    return render_template("flags/gaps.html", province=province, provinces=provinces_to_choose(), report=report,
                           units=units, items=items, labels=norms.ITEM_TYPES, only_short=only_short,
                           cells={(g.unit_id, g.item_type): g for gs in report.gaps.values() for g in gs})


@bp.route("/units/<int:unit_id>/counts", methods=["POST"])
@allow(*WRITERS)
def unit_counts(unit_id: int):
    """Set a receiving unit's officials and rooms, on which its equipment norm is computed."""
    target = unit_or_abort(unit_id)
    form = UnitCountsForm()
    if form.validate_on_submit():
        try:
            norms.set_unit_counts(target, current_user, officials=form.officials_count.data,
                                  rooms=form.rooms_count.data)
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

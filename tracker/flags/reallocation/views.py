"""The reallocation page: proposals matching surpluses to shortages, and the one-step draft
handover made from one of them. Routes join the ``flags`` blueprint."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy import READERS, WRITERS, allow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.flags.access import csv_response, current_province, handover_url, provinces_to_choose
from tracker.flags.blueprint import bp
from tracker.flags.norms import services as norms
from tracker.flags.reallocation import matching
from tracker.flags.reallocation import proposals as proposals_data
from tracker.flags.reallocation.drafts import draft_from_proposal
from tracker.flags.reallocation.forms import ProposalForm


@bp.route("/reallocation")
@allow(*READERS)
def proposals():
    """Surpluses matched to shortages, most urgent first, nearest source first."""
    province = current_province(request.args.get("province"))
    if norms.ensure_default_norms(province):
        db.session.commit()
    found = proposals_data.province_proposals(province.id)
    if request.args.get("format") == "csv":
        return csv_response("de-xuat-dieu-chuyen.csv", [
            _("Khẩn cấp"), _("Đơn vị nhận"), _("Đơn vị giao"), _("Nguồn"), _("Khoảng cách"), _("Tài sản"),
            _("Số lượng")], (
            [_("Có") if p.urgent else "", p.receiver_name, p.giver_name, _(matching.SOURCE_LABELS[p.source]),
             matching.TIER_LABELS[p.tier], norms.ITEM_TYPES[item].label, qty]
            for p in found.proposals for item, qty in p.by_item.items()))
    return render_template("flags/reallocation.html", province=province, provinces=provinces_to_choose(),
                           found=found, labels=norms.ITEM_TYPES, tiers=matching.TIER_LABELS,
                           sources=matching.SOURCE_LABELS,
                           form=ProposalForm())


@bp.route("/reallocation/draft", methods=["POST"])
@allow(*WRITERS)
def proposal_draft():
    """Turn one proposal into a draft handover in one step, if it is still what the officer saw."""
    province = current_province(request.values.get("province"))
    form = ProposalForm()
    if not form.validate_on_submit():
        flash(_("Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy thử lại."), "danger")
        return redirect(url_for("flags.proposals", province=province.id))
    found = proposals_data.province_proposals(province.id)
    proposal = next((p for p in found.proposals if p.key == form.key.data), None)
    if proposal is None or proposal.fingerprint != form.fingerprint.data:
        flash(_("Đề xuất này đã thay đổi do dữ liệu vừa cập nhật; hãy xem lại danh sách đề xuất."), "warning")
        return redirect(url_for("flags.proposals", province=province.id))
    try:
        handover = reallocation_draft(proposal, found, province.id)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("flags.proposals", province=province.id))
    db.session.commit()
    flash(_("Đã lập biên bản nháp giao %(n)s tài sản từ %(giver)s cho %(receiver)s.", n=len(handover.items),
            giver=proposal.giver_name, receiver=proposal.receiver_name), "success")
    return redirect(handover_url(handover.id) or url_for("flags.proposals", province=province.id))


def reallocation_draft(proposal: matching.Proposal, found: proposals_data.ProposalSet, province_id: int):
    """Prepare the draft handover through the handovers feature's own service."""
    return draft_from_proposal(proposal, found, province_id, current_user)

"""Pages of the receiving unit (confirm each item, complete) and the verification page."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker.assets.queries import fetch_page, page_number
from tracker.auth.policy import EVERYONE, allow, require
from tracker.extensions import db
from tracker.handovers import queries, questions, services, verification
from tracker.handovers.blueprint import act, bp, handover_or_404
from tracker.handovers.forms import RECEIPT_CHOICES, ActionForm, VerifyCodeForm, VerifyUploadForm, parse_decisions
from tracker.main.ask_first import ask_unless_confirmed
from tracker.notices.texts import handover_title
from tracker.models import Handover, HandoverItem, ReceiptState, Role

CONFIRM_PAGE = 100  # rows per page: a form of thousands of inputs would exceed the server's limits


def _receivable(handover_id: int):
    handover = handover_or_404(handover_id)
    require(services.can_confirm(current_user, handover))
    return handover


@bp.route("/<int:handover_id>/confirm", methods=["GET", "POST"])
@allow(Role.COMMUNE)
def confirm(handover_id: int):
    """Mark the items of this page received, missing or damaged, with a note."""
    handover = _receivable(handover_id)
    page_no = page_number(request.values.get("page"))
    query = sa.select(HandoverItem).where(HandoverItem.handover_id == handover.id).order_by(HandoverItem.id)
    total = queries.item_totals(handover.id).count
    page = fetch_page(query, page_no, CONFIRM_PAGE, total, selectinload(HandoverItem.asset))
    form = ActionForm()
    if form.validate_on_submit():
        decisions = parse_decisions(request.form, [item.id for item in page.items])
        return act(handover, lambda: services.confirm_items(handover, decisions, current_user),
                   lambda n: _("Đã lưu xác nhận của %(n)s tài sản.", n=n),
                   back="handovers.confirm", then="handovers.confirm", page=page.page)
    counts = queries.receipt_counts(handover.id)
    return render_template("handovers/confirm.html", handover=handover, page=page, form=form,
                           choices=RECEIPT_CHOICES, counts=counts, ask=questions.on_receipt(handover, counts),
                           number=handover_title(handover))


@bp.route("/<int:handover_id>/confirm-rest", methods=["POST"])
@allow(Role.COMMUNE)
def confirm_rest(handover_id: int):
    """Every item still unconfirmed arrived: the exceptions were marked item by item before."""
    handover = _receivable(handover_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if (asking := ask_unless_confirmed(questions.confirm_rest(handover),
                                       url_for("handovers.confirm", handover_id=handover.id))):
        return asking
    pending = {item.id: (ReceiptState.RECEIVED, "") for item in handover.items
               if item.receipt_state == ReceiptState.PENDING}
    return act(handover, lambda: services.confirm_items(handover, pending, current_user),
               lambda n: _("Đã xác nhận nhận đủ %(n)s tài sản còn lại.", n=n),
               back="handovers.confirm", then="handovers.confirm")


@bp.route("/<int:handover_id>/complete", methods=["POST"])
@allow(Role.COMMUNE)
def complete(handover_id: int):
    """Close the receipt: received and damaged assets now belong to this unit."""
    handover = _receivable(handover_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if (asking := ask_unless_confirmed(questions.complete(handover),
                                       url_for("handovers.confirm", handover_id=handover.id))):
        return asking
    return act(handover, lambda: services.complete_handover(handover, current_user),
               lambda h: _("Đã hoàn tất tiếp nhận %(n)s.", n=services.describe(h)), back="handovers.confirm")


@bp.route("/verify", methods=["GET", "POST"])
@allow(*EVERYONE)
def verify():
    """Upload a DOCX or PDF, or type the code from the paper, to check it against the issued minutes."""
    upload_form, code_form = VerifyUploadForm(prefix="up"), VerifyCodeForm(prefix="code")
    verdict = None
    if upload_form.submit.data and upload_form.validate_on_submit():
        verdict = verification.verify_document(upload_form.document.data.read())
    elif code_form.submit.data and code_form.validate_on_submit():
        verdict = verification.verify_code(code_form.code.data)
    visible = None
    if verdict is not None and verdict.handover is not None:
        visible = db.session.scalar(sa.select(sa.literal(True)).where(
            queries.handover_scope(current_user), Handover.id == verdict.handover.id))
    return render_template("handovers/verify.html", upload_form=upload_form, code_form=code_form,
                           verdict=verdict, can_open=bool(visible),
                           number=handover_title(verdict.handover) if verdict and verdict.handover else "")

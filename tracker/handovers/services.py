"""The handover's life: prepare (drafts.py), issue, sign, confirm and complete (receipt.py), void.

Every step changes the handover and its assets together, writes each asset's history and an
audit entry for the handover, flushes and never commits: the view or command commits once.
This module is the one to import; it re-exports the draft and receipt steps.
"""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.errors import DomainError, ValidationError
from tracker.extensions import db
from tracker.handovers.documents import (DOCX_TYPE, item_snapshot, minutes_data, minutes_filename,
                                         stored_file)
from tracker.handovers.drafts import (DraftInput, PartyInput, add_assets, add_matching, can_manage, check_draft,
                                      describe, due_date, handable, prepare_handover, priors, release, remove_items,
                                      sentence, update_draft)
from tracker.handovers.events import record_all
from tracker.handovers.minutes import build_minutes
from tracker.handovers.minutes.verify import verification_code
from tracker.handovers.numbering import assign_number
from tracker.handovers.receipt import can_confirm, complete_handover, confirm_items
from tracker.handovers.scans import check_scan, scan_name
from tracker.notices import send as notices
from tracker.models import AssetKind, AssetStatus, Handover, HandoverItem, HandoverStatus, User
from tracker.models.base import utcnow

__all__ = ["DraftInput", "PartyInput", "add_assets", "add_matching", "attach_signed_scan", "can_confirm",
           "can_manage", "complete_handover", "confirm_items", "describe", "due_date", "issue_handover",
           "handable", "issue_blockers", "prepare_handover", "record_decision", "remove_items", "update_draft", "void_handover"]

MIN_REASON = 10
OPEN_STATUSES = (HandoverStatus.DRAFT, HandoverStatus.ISSUED, HandoverStatus.SIGNED)


def _secret() -> str:
    config = current_app.config
    return config.get("MINUTES_SECRET") or config["SECRET_KEY"]


PLACEHOLDER = re.compile(r"…|\.\.\.")  # the '…' a default line leaves for the officer to fill
SIDE_NAMES = {"giver": "bên giao", "receiver": "bên nhận", "witness": "chứng kiến"}


def _unfilled(handover: Handover) -> list[str]:
    """Each field of the draft still holding a placeholder, named as the form names it."""
    found = []
    if handover.place and PLACEHOLDER.search(handover.place):
        found.append("địa điểm còn chỗ trống «…»")
    for n, line in enumerate(handover.legal_basis or [], start=1):
        if PLACEHOLDER.search(line):
            found.append(f"căn cứ dòng {n} còn chỗ trống «…» ({line.strip()[:70]})")
    for party in handover.parties:
        if any(PLACEHOLDER.search(v or "") for v in (party.full_name, party.position, party.organisation)):
            found.append(f"đại diện {SIDE_NAMES.get(party.side, party.side)} «{party.full_name}» còn chỗ trống «…»")
    return found


def issue_blockers(handover: Handover, item_count: int, items: list[HandoverItem] | None = None) -> list[str]:
    """What still stops the draft from being issued, in the words of the refusal; [] when ready.

    The draft page lists them from the start; issuing refuses while any is left. ``items`` (when
    given) also checks that «đưa vào sử dụng ngay» has a headquarters to apply to."""
    missing = []
    if item_count == 0:
        missing.append("chưa có tài sản nào")
    if handover.handover_date is None:
        missing.append("chưa có ngày bàn giao")
    if not handover.place:
        missing.append("chưa có địa điểm")
    if not handover.legal_basis:
        missing.append("chưa có căn cứ")
    sides = {p.side for p in handover.parties}
    if "giver" not in sides:
        missing.append("chưa có đại diện bên giao")
    if "receiver" not in sides:
        missing.append("chưa có đại diện bên nhận")
    missing += _unfilled(handover)
    if items is not None and handover.immediate_use and not any(i.asset.kind == AssetKind.HEADQUARTERS
                                                                for i in items):
        missing.append("«đưa vào sử dụng ngay» chỉ áp dụng khi bàn giao trụ sở")
    return missing


def _ready_to_issue(handover: Handover, items: list[HandoverItem]) -> None:
    if missing := issue_blockers(handover, len(items), items):
        raise DomainError("Chưa phát hành được: " + "; ".join(missing) + ".")


def issue_handover(handover: Handover, actor: User) -> Handover:
    """Number the minutes, freeze and lock the assets, generate and store the DOCX with its SHA-256."""
    if handover.status != HandoverStatus.DRAFT:
        raise DomainError(f"{sentence(describe(handover))} đã phát hành.")
    items = list(db.session.scalars(
        sa.select(HandoverItem).where(HandoverItem.handover_id == handover.id)
        .options(selectinload(HandoverItem.asset)).order_by(HandoverItem.id)))
    _ready_to_issue(handover, items)
    record_all([item.asset_id for item in items], "issued", actor, handover, expect=[AssetStatus.IN_HANDOVER],
               status=AssetStatus.ISSUED)
    snapshots = []
    for item in items:
        item.snapshot = item_snapshot(item.asset)
        snapshots.append(item.snapshot)
    assign_number(handover, handover.handover_date.year)
    handover.verification_code = verification_code(handover.id, _secret())
    handover.decision_due_on = due_date(handover.handover_date, handover.immediate_use)
    content = build_minutes(minutes_data(handover, snapshots))
    file = stored_file(minutes_filename(handover), DOCX_TYPE, content)
    db.session.add(file)
    db.session.flush()
    handover.minutes_file_id, handover.minutes_sha256 = file.id, file.sha256
    handover.status, handover.issued_at = HandoverStatus.ISSUED, utcnow()
    db.session.flush()
    audit.log("handover_issued", actor, handover, number=handover.number, year=handover.year,
              sha256=file.sha256, items=len(items))
    notices.handover_issued(handover, len(items))
    return handover


def attach_signed_scan(handover: Handover, filename: str, data: bytes, actor: User) -> Handover:
    """Keep the scan of the signed paper (PDF or image); the handover and its assets become signed."""
    if handover.status not in (HandoverStatus.ISSUED, HandoverStatus.SIGNED):
        raise DomainError(f"Chỉ tải bản ký của biên bản đã phát hành, chưa tiếp nhận xong "
                          f"({describe(handover)} đang «{handover.status.label}»).")
    content_type, extension = check_scan(data)
    file = stored_file(scan_name(minutes_filename(handover), extension), content_type, data)
    db.session.add(file)
    db.session.flush()
    first_time = handover.status == HandoverStatus.ISSUED
    handover.signed_file_id, handover.signed_at = file.id, utcnow()
    handover.status = HandoverStatus.SIGNED
    if first_time:
        record_all([item.asset_id for item in handover.items], "signed", actor, handover,
                   expect=[AssetStatus.ISSUED], status=AssetStatus.SIGNED)
    db.session.flush()
    audit.log("handover_signed" if first_time else "handover_scan_replaced", actor, handover,
              sha256=file.sha256, filename=file.filename, uploaded_as=(filename or "")[:120])
    return handover


def void_handover(handover: Handover, reason: str, actor: User) -> Handover:
    """Void a handover not yet completed: its assets are as they were before the draft (registered, or
    received by the giver for a reallocation); the record and minutes stay."""
    reason = (reason or "").strip()
    if handover.status not in OPEN_STATUSES:
        raise DomainError(f"Không hủy được {describe(handover)} đang «{handover.status.label}».")
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": f"Lý do hủy: ghi rõ lý do (ít nhất {MIN_REASON} ký tự)."})
    items = list(handover.items)
    before = priors(items)
    for item in items:
        item.is_open = False
    db.session.flush()
    release(before, "voided", actor, handover, note=reason)
    handover.status, handover.voided_at, handover.void_reason = HandoverStatus.VOIDED, utcnow(), reason
    db.session.flush()
    audit.log("handover_voided", actor, handover, reason=reason, number=handover.number)
    return handover


def record_decision(handover: Handover, reference: str, actor: User) -> Handover:
    """Note the formal transfer decision that followed an HQ handed over for immediate use."""
    reference = (reference or "").strip()
    if not handover.immediate_use or handover.status in (HandoverStatus.DRAFT, HandoverStatus.VOIDED):
        raise DomainError("Chỉ ghi quyết định điều chuyển cho trụ sở đã bàn giao đưa vào sử dụng ngay.")
    if not reference or len(reference) > 120:
        raise ValidationError({"decision_ref": "Số, ngày quyết định: bắt buộc, tối đa 120 ký tự."})
    handover.decision_ref = reference
    db.session.flush()
    audit.log("handover_decision_recorded", actor, handover, decision_ref=reference)
    return handover


def decision_overdue(handover: Handover, today: dt.date | None = None) -> bool:
    """An HQ used at once whose formal decision is past due and not yet recorded."""
    today = today or dt.date.today()
    return bool(handover.decision_due_on and not handover.decision_ref and today > handover.decision_due_on
                and handover.status != HandoverStatus.VOIDED)

"""The receiving unit checks what arrived: each item received, missing or damaged; then completion.

Only staff of the receiving unit confirm. Confirming the same answer twice changes nothing and
writes no second event. Completion moves received and damaged assets to the receiver (a
damaged asset did arrive and is now the receiver's to repair or dispose of); missing ones stay
with the giving unit, flagged, for write-off.
"""
from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from tracker import audit
from tracker.errors import DomainError, ValidationError
from tracker.extensions import db
from tracker.handovers.drafts import describe, sentence
from tracker.handovers.events import record_all
from tracker.models import AssetStatus, Handover, HandoverItem, HandoverStatus, ReceiptState, Role, User
from tracker.models.base import utcnow
from tracker.notices import send as notices

STATUS_OF = {ReceiptState.RECEIVED: AssetStatus.RECEIVED, ReceiptState.MISSING: AssetStatus.MISSING,
             ReceiptState.DAMAGED: AssetStatus.DAMAGED}
MAX_NOTE = 1000


def can_confirm(user: User, handover: Handover) -> bool:
    """Staff of the receiving unit, and nobody else."""
    return user.role == Role.COMMUNE and user.unit_id is not None and user.unit_id == handover.receiver_id


def _require_confirmable(handover: Handover, actor: User) -> None:
    if not can_confirm(actor, handover):
        raise DomainError("Chỉ cán bộ của đơn vị nhận mới xác nhận tiếp nhận biên bản này.")
    if handover.status != HandoverStatus.SIGNED:
        raise DomainError(f"{sentence(describe(handover))} đang «{handover.status.label}»: chỉ xác nhận "
                          "tiếp nhận sau khi biên bản đã ký và tải bản ký lên.")


def _lock(handover: Handover) -> list[HandoverItem]:
    """Lock the handover's row and re-read it and its items as committed.

    Two confirmations at once (two tabs, a double click) would otherwise both see an item
    pending and both record it; locked, the second waits and then sees the first one's answer.
    """
    db.session.scalars(sa.select(Handover).where(Handover.id == handover.id).with_for_update()
                       .execution_options(populate_existing=True)).one()
    return list(db.session.scalars(sa.select(HandoverItem).where(HandoverItem.handover_id == handover.id)
                                   .execution_options(populate_existing=True)))


def confirm_items(handover: Handover, decisions: Mapping[int, tuple[ReceiptState, str]], actor: User) -> int:
    """Record what arrived: item id -> (state, note). Returns how many items changed."""
    items = _lock(handover)
    _require_confirmable(handover, actor)
    by_id = {item.id: item for item in items}
    unknown = [str(i) for i in decisions if i not in by_id]
    if unknown:
        raise ValidationError({"items": f"Dòng không thuộc biên bản này: {', '.join(unknown[:5])}."})
    errors = {}
    for item_id, (state, note) in decisions.items():
        if state not in STATUS_OF:
            errors[f"item-{item_id}"] = f"Dòng {item_id}: chọn đã nhận, thiếu hoặc hư hỏng."
        elif state != ReceiptState.RECEIVED and not (note or "").strip():
            errors[f"item-{item_id}"] = (f"«{by_id[item_id].asset.name}»: ghi chú bắt buộc khi báo "
                                         f"{state.label.lower()}.")
        elif len(note or "") > MAX_NOTE:
            errors[f"item-{item_id}"] = f"«{by_id[item_id].asset.name}»: ghi chú tối đa {MAX_NOTE} ký tự."
    if errors:
        raise ValidationError(errors)
    now = utcnow()
    groups: dict[tuple[ReceiptState, str | None], list] = {}
    for item_id, (state, note) in decisions.items():
        item, note = by_id[item_id], (note or "").strip() or None
        if item.receipt_state == state and item.receipt_note == note:
            continue  # the same answer submitted again: nothing new happened
        item.receipt_state, item.receipt_note = state, note
        item.confirmed_by_id, item.confirmed_at = actor.id, now
        groups.setdefault((state, note), []).append(item.asset_id)
    for (state, note), asset_ids in groups.items():  # "all the rest received" is one group, one UPDATE
        record_all(asset_ids, state.value, actor, handover, note=note, force=True,
                   expect=[AssetStatus.SIGNED, *STATUS_OF.values()], status=STATUS_OF[state])
    changed = sum(len(ids) for ids in groups.values())
    if changed:
        audit.log("handover_items_confirmed", actor, handover, changed=changed)
    return changed


def complete_handover(handover: Handover, actor: User) -> Handover:
    """Close the handover once every item is confirmed; received and damaged assets change holder."""
    _lock(handover)
    _require_confirmable(handover, actor)
    pending = [item for item in handover.items if item.receipt_state == ReceiptState.PENDING]
    if pending:
        raise DomainError(f"Còn {len(pending)} tài sản chưa xác nhận (ví dụ «{pending[0].asset.name}»).")
    arrived = [item.asset_id for item in handover.items
               if item.receipt_state in (ReceiptState.RECEIVED, ReceiptState.DAMAGED)]
    for item in handover.items:
        item.is_open = False
    db.session.flush()
    record_all(arrived, "transferred", actor, handover, effective_on=handover.handover_date,
               expect=[AssetStatus.RECEIVED, AssetStatus.DAMAGED],
               note=f"Tiếp nhận theo {describe(handover)}", holder_id=handover.receiver_id)
    handover.status, handover.completed_at = HandoverStatus.COMPLETED, utcnow()
    db.session.flush()
    counts = {state.value: sum(1 for i in handover.items if i.receipt_state == state) for state in STATUS_OF}
    audit.log("handover_completed", actor, handover, **counts)
    notices.receipt_completed(handover, counts)
    return handover

"""Preparing a handover: the draft's details and parties, and the assets picked for it.

The giving side is a dissolved unit (bàn giao, tiếp nhận) or, for a reallocation (điều chuyển
tài sản công), a unit that holds the assets: a new commune or ward, or a provincial body such as
Sở Tài chính (``Handover.is_reallocation`` follows from the giver's kind). Either way a draft
takes what the giver holds, in no open handover, with status *registered* or *received*
(``HANDED_ON``); missing, damaged-at-receipt and written-off assets are never handed on. Each
item keeps the asset's status and intended receiver from before, which a removal or a void puts
back (``release``).

An asset may be in one open handover only. The partial unique index
``uq_handover_items_open_asset`` (asset_id WHERE is_open) is the rule; the checks here only
give a friendlier message first, and a clash the checks missed (two officers at once) is turned
into the same message naming the asset and the other handover.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import audit
from tracker.errors import DomainError, ValidationError
from tracker.extensions import db
from tracker.formatting import group_thousands
from tracker.handovers.events import CHUNK, record_all
from tracker.handovers.numbering import number_label
from tracker.models import (Asset, AssetKind, AssetStatus, Handover, HandoverItem, HandoverParty, HandoverStatus,
                            Role, Unit, UnitKind, User)

RECEIVER_KINDS = (UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY)
# What a giver may hand on: not yet handed over, or received earlier (a reallocation).
HANDED_ON = (AssetStatus.REGISTERED, AssetStatus.RECEIVED)
NEVER_HANDED_ON = (AssetStatus.MISSING, AssetStatus.DAMAGED, AssetStatus.WRITTEN_OFF)
DOC_TYPES = ("assets", "archives")
DECISION_DAYS = 30  # an HQ used at once needs its formal transfer decision within 30 days
MAX_COPIES = 20


@dataclass
class PartyInput:
    side: str
    full_name: str
    position: str = ""
    organisation: str = ""


@dataclass
class DraftInput:
    """What the officer typed on the draft form, already parsed."""

    giver: Unit | None
    receiver: Unit | None
    doc_type: str = "assets"
    handover_date: dt.date | None = None
    place: str = ""
    legal_basis: list[str] = field(default_factory=list)
    remarks: str = ""
    copies: int = 4
    immediate_use: bool = False
    parties: list[PartyInput] = field(default_factory=list)


def describe(handover: Handover) -> str:
    """How messages name a handover: 'biên bản số 07/BB-BG' or 'bản nháp #12'."""
    if handover.number is not None:
        return f"biên bản số {number_label(handover.number, handover.doc_type)}"
    return f"bản nháp #{handover.id}"


def sentence(text: str) -> str:
    """First letter capital, the rest untouched ('biên bản số 07/BB-BG' -> 'Biên bản số 07/BB-BG')."""
    return text[:1].upper() + text[1:]


def check_draft(values: DraftInput, actor: User, current_giver_id: int | None = None) -> dict[str, str]:
    """Errors by field; ``current_giver_id``: an edited draft's giver, accepted even when all it could
    hand on is already on that draft (as the form's list of givers offers it)."""
    errors: dict[str, str] = {}
    giver, receiver = values.giver, values.receiver
    if giver is None:
        errors["giver_id"] = ("Bên giao: chọn đơn vị đã giải thể, hoặc (để điều chuyển) xã, phường mới "
                              "hay cơ quan cấp tỉnh đang giữ tài sản.")
    elif not giver.is_dissolved and giver.id != current_giver_id and not holds_assets(giver):
        errors["giver_id"] = (f"Bên giao: {giver.name} không giữ tài sản nào để điều chuyển (chỉ tài sản "
                              "đang ở trạng thái đã đăng ký hoặc đã nhận mới điều chuyển được).")
    if receiver is None or receiver.kind not in RECEIVER_KINDS:
        errors["receiver_id"] = "Bên nhận: chọn xã, phường mới hoặc cơ quan cấp tỉnh."
    elif giver is not None and receiver.id == giver.id:
        errors["receiver_id"] = "Bên nhận: phải khác bên giao."
    if giver is not None and receiver is not None and giver.province_id != receiver.province_id:
        errors["receiver_id"] = "Bên nhận: phải cùng tỉnh với bên giao."
    if giver is not None and actor.province_id is not None and giver.province_id != actor.province_id:
        errors["giver_id"] = "Bên giao: đơn vị không thuộc tỉnh bạn phụ trách."
    if values.doc_type not in DOC_TYPES:
        errors["doc_type"] = "Loại biên bản: chọn bàn giao tài sản hoặc giao nhận hồ sơ, tài liệu."
    if not 1 <= values.copies <= MAX_COPIES:
        errors["copies"] = f"Số bản: từ 1 đến {MAX_COPIES}."
    if len(values.place) > 200:
        errors["place"] = "Địa điểm: tối đa 200 ký tự."
    for party in values.parties:
        if party.side not in ("giver", "receiver", "witness") or not party.full_name.strip():
            errors["parties"] = "Đại diện các bên: mỗi người cần họ và tên."
    return errors


def holds_assets(unit: Unit) -> bool:
    """Whether a unit holds an asset it could hand on (registered or received), as a reallocation's
    giver must: the rule of the form's list of givers (``queries.reallocation_givers``)."""
    return db.session.scalar(sa.select(Asset.id).where(Asset.holder_id == unit.id, Asset.status.in_(HANDED_ON))
                             .limit(1)) is not None


def _apply(handover: Handover, values: DraftInput) -> None:
    handover.giver, handover.receiver = values.giver, values.receiver
    handover.province_id = values.giver.province_id
    handover.doc_type, handover.handover_date = values.doc_type, values.handover_date
    handover.place = values.place.strip() or None
    handover.legal_basis = [line.strip() for line in values.legal_basis if line.strip()]
    handover.remarks = values.remarks.strip() or None
    handover.copies, handover.immediate_use = values.copies, values.immediate_use
    handover.decision_due_on = due_date(values.handover_date, values.immediate_use)
    handover.parties.clear()
    db.session.flush()
    for order, party in enumerate(values.parties):
        handover.parties.append(HandoverParty(side=party.side, full_name=party.full_name.strip()[:120],
                                              position=party.position.strip()[:160],
                                              organisation=party.organisation.strip()[:200], position_order=order))


def due_date(handover_date: dt.date | None, immediate_use: bool) -> dt.date | None:
    """The formal transfer decision is due 30 days after an HQ handed over for immediate use."""
    if not immediate_use or handover_date is None:
        return None
    return handover_date + dt.timedelta(days=DECISION_DAYS)


def prepare_handover(values: DraftInput, actor: User) -> Handover:
    """A new draft; raises ValidationError naming each bad field."""
    errors = check_draft(values, actor)
    if errors:
        raise ValidationError(errors)
    handover = Handover(status=HandoverStatus.DRAFT, created_by_id=actor.id)
    db.session.add(handover)
    _apply(handover, values)
    db.session.flush()
    audit.log("handover_prepared", actor, handover, giver=values.giver.name, receiver=values.receiver.name)
    return handover


def require_draft(handover: Handover) -> None:
    if handover.status != HandoverStatus.DRAFT:
        raise DomainError(f"{sentence(describe(handover))} đã phát hành nên không sửa được; "
                          "nếu có sai sót, hãy hủy biên bản và lập biên bản mới.")


def update_draft(handover: Handover, values: DraftInput, actor: User, *, expected_version: int | None = None) -> Handover:
    """Change a draft's details; the giving unit and type stay while assets are on it."""
    require_draft(handover)
    if expected_version is not None and expected_version != handover.version:
        raise DomainError("Bản nháp vừa được người khác sửa; hãy tải lại trang rồi sửa lại.")
    errors = check_draft(values, actor, current_giver_id=handover.giver_id)
    if handover.items and values.giver is not None and values.giver.id != handover.giver_id:
        errors["giver_id"] = "Bên giao: bỏ hết tài sản khỏi bản nháp trước khi đổi bên giao."
    if handover.items and values.doc_type != handover.doc_type:
        errors["doc_type"] = "Loại biên bản: bỏ hết tài sản khỏi bản nháp trước khi đổi loại."
    if errors:
        raise ValidationError(errors)
    _apply(handover, values)
    db.session.flush()
    audit.log("handover_draft_updated", actor, handover)
    return handover


def _label(asset: Asset) -> str:
    return f"«{asset.name}» ({asset.plate or asset.code})"


def _in_other(item: HandoverItem) -> str:
    other = item.handover
    return (f"đã thuộc {describe(other)} của {other.giver.name} → {other.receiver.name}; "
            "một tài sản chỉ ở một biên bản chưa hoàn tất")


def _refusal(asset: Asset, handover: Handover, open_items: dict[int, HandoverItem]) -> str | None:
    label = _label(asset)
    archive = asset.kind == AssetKind.ARCHIVE_BOX
    if archive != (handover.doc_type == "archives"):
        return (f"{label}: hộp tài liệu lưu trữ lập biên bản giao nhận hồ sơ, tài liệu riêng." if archive else
                f"{label}: biên bản giao nhận hồ sơ chỉ gồm hộp tài liệu lưu trữ.")
    if asset.holder_id != handover.giver_id:
        return f"{label}: không do {handover.giver.name} đang giữ."
    if asset.id in open_items:
        return f"{label}: {_in_other(open_items[asset.id])}."
    if asset.status in NEVER_HANDED_ON:
        return (f"{label}: đang ở trạng thái «{asset.status.label}»; tài sản thiếu, hư hỏng khi tiếp nhận "
                "hoặc đã ghi giảm không được bàn giao, điều chuyển tiếp.")
    if asset.status not in HANDED_ON:
        return f"{label}: đang ở trạng thái «{asset.status.label}»."
    return None


def open_items_of(asset_ids: Sequence[int]) -> dict[int, HandoverItem]:
    """asset id -> its open handover item, for those that have one (a query per 1,000 ids)."""
    found: dict[int, HandoverItem] = {}
    for start in range(0, len(asset_ids), CHUNK):
        found.update((item.asset_id, item) for item in db.session.scalars(
            sa.select(HandoverItem).where(HandoverItem.asset_id.in_(asset_ids[start:start + CHUNK]),
                                          HandoverItem.is_open.is_(True))))
    return found


def handable(handover: Handover) -> sa.ColumnElement[bool]:
    """Condition on Asset: what this draft may still take (the giver holds it, its status is
    registered or received, it is of the draft's type and in no open handover)."""
    archive = handover.doc_type == "archives"
    kinds = [AssetKind.ARCHIVE_BOX] if archive else [k for k in AssetKind if k != AssetKind.ARCHIVE_BOX]
    in_open = sa.exists().where(HandoverItem.asset_id == Asset.id, HandoverItem.is_open.is_(True))
    return sa.and_(Asset.holder_id == handover.giver_id, Asset.status.in_(HANDED_ON), Asset.kind.in_(kinds),
                   ~in_open)


def _clash_message(asset_ids: Sequence[int], handover: Handover) -> str:
    clash = db.session.scalar(sa.select(HandoverItem).where(
        HandoverItem.asset_id.in_(asset_ids), HandoverItem.is_open.is_(True),
        HandoverItem.handover_id != handover.id).limit(1))
    if clash is None:
        return "Một tài sản vừa được người khác đưa vào biên bản khác; hãy tải lại trang."
    return f"Tài sản {_label(clash.asset)} {_in_other(clash)}."


def add_assets(handover: Handover, assets: Sequence[Asset], actor: User) -> int:
    """Put assets on a draft; all or none. Returns how many were added."""
    require_draft(handover)
    present = {item.asset_id for item in handover.items}
    assets = [a for a in dict.fromkeys(assets) if a.id not in present]
    open_items = open_items_of([a.id for a in assets])
    refusals = [msg for a in assets if (msg := _refusal(a, handover, open_items))]
    if refusals:
        more = f" (và {len(refusals) - 5} tài sản khác)" if len(refusals) > 5 else ""
        raise DomainError("Không thêm được: " + "; ".join(refusals[:5]) + more)
    if not assets:
        return 0
    try:
        # The items go in first, in their own savepoint, so the database's one-open-handover
        # rule decides a race before anything else about the assets changes.
        with db.session.begin_nested():
            db.session.execute(sa.insert(HandoverItem), [
                {"handover_id": handover.id, "asset_id": a.id, "is_open": True, "prior_status": a.status,
                 "prior_receiver_id": a.receiver_id} for a in assets])
    except IntegrityError as exc:
        raise DomainError(_clash_message([a.id for a in assets], handover)) from exc
    db.session.expire(handover, ["items"])
    # The handover decides who receives: the commune then sees what is coming to it.
    record_all([a.id for a in assets], "handover_added", actor, handover, expect=HANDED_ON,
               status=AssetStatus.IN_HANDOVER, receiver_id=handover.receiver_id)
    audit.log("handover_items_added", actor, handover, count=len(assets))
    return len(assets)


def add_matching(handover: Handover, actor: User, select: sa.Select, limit: int = 20_000) -> int:
    """Put every asset a register query finds on the draft, keeping only those that can go.

    ``select`` is the register's query (already limited to what the officer may see); only
    assets the draft may take (``handable``) are taken.
    """
    require_draft(handover)
    ids = select.order_by(None).with_only_columns(Asset.id).where(handable(handover))
    assets = list(db.session.scalars(sa.select(Asset).where(Asset.id.in_(ids)).order_by(Asset.id).limit(limit + 1)))
    if len(assets) > limit:
        raise DomainError(f"Bộ lọc chọn hơn {group_thousands(limit)} tài sản; hãy lọc hẹp hơn rồi thêm từng phần.")
    return add_assets(handover, assets, actor)


Prior = tuple[int, AssetStatus | None, int | None]  # (asset id, status and receiver before the draft)


def priors(items: Iterable[HandoverItem]) -> list[Prior]:
    """What the items' assets were before the draft, read before the items go."""
    return [(item.asset_id, item.prior_status, item.prior_receiver_id) for item in items]


def release(before: Sequence[Prior], action: str, actor: User, handover: Handover, *, note: str | None = None,
            expect: Iterable[AssetStatus] | None = None) -> None:
    """Put assets leaving an unfinished handover back as they were before the draft.

    The status goes back (registered; received for what a reallocation took); so does the
    intended receiver, unless someone changed it since the draft set it. Items from before
    ``prior_status`` was kept go back to registered and keep their receiver, as they always did.
    """
    ids = [asset_id for asset_id, _status, _receiver in before]
    receivers: dict[int, int | None] = {}
    for start in range(0, len(ids), CHUNK):
        receivers.update(db.session.execute(sa.select(Asset.id, Asset.receiver_id)
                                            .where(Asset.id.in_(ids[start:start + CHUNK]))).tuples().all())
    groups: dict[tuple, list[int]] = defaultdict(list)
    for asset_id, status, receiver_id in before:
        values: dict = {"status": status or AssetStatus.REGISTERED}
        if status is not None and receivers.get(asset_id) == handover.receiver_id:
            values["receiver_id"] = receiver_id
        groups[tuple(values.items())].append(asset_id)
    for values, asset_ids in groups.items():  # usually one or two groups: one UPDATE each
        record_all(asset_ids, action, actor, handover, note=note, expect=expect, **dict(values))


def remove_items(handover: Handover, item_ids: Sequence[int], actor: User) -> int:
    """Take items off a draft; their assets are as they were before it."""
    require_draft(handover)
    items = [i for i in handover.items if i.id in set(item_ids)]
    if not items:
        return 0
    before = priors(items)
    for item in items:
        handover.items.remove(item)
    db.session.flush()
    release(before, "handover_removed", actor, handover, expect=[AssetStatus.IN_HANDOVER])
    audit.log("handover_items_removed", actor, handover, count=len(items))
    return len(items)


def can_manage(user: User, handover: Handover) -> bool:
    """Officers of the handover's province and admins prepare, issue and void."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and user.province_id in (None, handover.province_id)

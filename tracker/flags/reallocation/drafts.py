"""A reallocation proposal becomes a draft handover, through the handovers feature's services.

The handovers feature decides what a draft may hold (one open handover per asset, the giver
holds it, registered or received, not in any open handover); this module only picks the rows and
the parties. Every source gives a draft: a dissolved unit's assets become a handover of the
rearrangement; Sở Tài chính's holdings and a unit's surplus over its norm become a reallocation
(điều chuyển tài sản công), with the decision to reallocate as its legal basis (docs/NORMS.md).
"""
from __future__ import annotations

import sqlalchemy as sa

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.flags.norms.services import ITEM_TYPES
from tracker.flags.reallocation.matching import Proposal
from tracker.flags.reallocation.proposals import ProposalSet, proposal_asset_ids
from tracker.models import Asset, Handover, Unit, User


def draft_from_proposal(proposal: Proposal, found: ProposalSet, province_id: int, actor: User) -> Handover:
    """Prepare a draft handover from the proposal's giver to its receiver holding exactly its rows."""
    from tracker.handovers import defaults, services

    giver, receiver = db.session.get(Unit, proposal.giver_id), db.session.get(Unit, proposal.receiver_id)
    ids = proposal_asset_ids(proposal, found.bundles, province_id)
    expected = sum(len(rows) for rows in proposal.lines.values())
    if len(ids) != expected:
        raise DomainError("Một số tài sản của đề xuất vừa thay đổi; hãy xem lại danh sách đề xuất.")
    province = giver.province
    items = ", ".join(f"{ITEM_TYPES[k].label.lower()}: {q}" for k, q in sorted(proposal.by_item.items()))
    values = services.DraftInput(
        giver=giver, receiver=receiver, doc_type="assets",
        legal_basis=defaults.default_legal_basis(province.code, province.name, "assets",
                                                 reallocation=not giver.is_dissolved),
        remarks=f"Điều chuyển theo đề xuất bù thiếu định mức ({items}).")
    handover = services.prepare_handover(values, actor)
    assets = list(db.session.scalars(sa.select(Asset).where(Asset.id.in_(ids)).order_by(Asset.id)))
    services.add_assets(handover, assets, actor)
    return handover

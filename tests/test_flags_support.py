"""Helpers shared by the flags tests (no tests here): named units of Thái Nguyên, equipment,
and handovers put straight into a given state so each flag test controls exactly what it sees."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tracker.models import (AssetKind, AssetStatus, Handover, HandoverItem, HandoverStatus, ReceiptState, Role,
                            UnitKind)

ASSET_STATUS = {HandoverStatus.DRAFT: AssetStatus.IN_HANDOVER, HandoverStatus.ISSUED: AssetStatus.ISSUED,
                HandoverStatus.SIGNED: AssetStatus.SIGNED, HandoverStatus.COMPLETED: AssetStatus.RECEIVED}
NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def tn(unit_by_name):
    """Units of the seed article: Sông Công city, its old wards, the three new wards, the bodies."""
    return {
        "district": unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT),
        "thang_loi": unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE),
        "pho_co": unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE),
        "song_cong": unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE),
        "ba_xuyen": unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE),
        "bach_quang": unit_by_name("Phường Bách Quang", UnitKind.NEW_COMMUNE),
        "finance": unit_by_name("Sở Tài chính Thái Nguyên", UnitKind.PROVINCIAL_BODY),
    }


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER, username="flags_officer")


def login(auth, user):
    response = auth.login(user.username)
    assert response.status_code == 302
    return user


def computers(make_asset, unit, count, start=1, equipment_type="Máy vi tính để bàn Dell Optiplex", **fields):
    """``count`` computers of a dissolved unit, one row each."""
    return [make_asset(AssetKind.EQUIPMENT, unit=unit, code=f"MT-{unit.id}-{start + i:03d}",
                       name=f"Máy vi tính số {start + i}", equipment_type=equipment_type, **fields)
            for i in range(count)]


def put_in_handover(db, giver, receiver, assets, status=HandoverStatus.ISSUED, *, issued_at=None, signed_at=None,
                    receipt=None, **kw) -> Handover:
    """A handover of these assets standing at ``status``; assets follow as the handover services move them.

    ``receipt`` maps an asset to its ReceiptState for completed handovers (missing / damaged).
    """
    receipt = receipt or {}
    handover = Handover(province_id=giver.province_id, giver_id=giver.id, receiver_id=receiver.id, status=status,
                        issued_at=issued_at or (NOW if status != HandoverStatus.DRAFT else None),
                        signed_at=signed_at or (NOW if status in (HandoverStatus.SIGNED, HandoverStatus.COMPLETED)
                                                else None), **kw)
    db.session.add(handover)
    db.session.flush()
    open_ = status in (HandoverStatus.DRAFT, HandoverStatus.ISSUED, HandoverStatus.SIGNED)
    for asset in assets:
        default = ReceiptState.RECEIVED if status == HandoverStatus.COMPLETED else ReceiptState.PENDING
        state = receipt.get(asset, default)
        db.session.add(HandoverItem(handover_id=handover.id, asset_id=asset.id, is_open=open_, receipt_state=state,
                                    receipt_note="Không thấy khi kiểm đếm" if state == ReceiptState.MISSING else None))
        # As the handover steps do: the status follows, receiver_id (the register's plan) is left
        # alone, and completion moves what arrived (missing items stay with the giver).
        asset.status = ASSET_STATUS[status]
        if status == HandoverStatus.COMPLETED:
            if state == ReceiptState.MISSING:
                asset.status = AssetStatus.MISSING
            else:
                asset.holder_id = receiver.id
                if state == ReceiptState.DAMAGED:
                    asset.status = AssetStatus.DAMAGED
    db.session.commit()
    return handover


def count_rows(db, query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))

"""Preparing, issuing, signing, receiving and voiding a handover through the services."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.handover_factory import HANDOVER_DATE, draft, equipment, issued, signed, units
from tracker.errors import DomainError, ValidationError
from tracker.handovers import services
from tracker.models import (Asset, AssetEvent, AssetKind, AssetStatus, AuditEntry, Handover, HandoverItem,
                            HandoverStatus, ReceiptState, Role)


@pytest.fixture
def setup(db, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER)
    commune = make_user(Role.COMMUNE, unit=receiver)
    return officer, commune, giver, receiver


def events(db, asset, handover=None):
    query = sa.select(AssetEvent.action).where(AssetEvent.asset_id == asset.id).order_by(AssetEvent.id)
    if handover is not None:
        query = query.where(AssetEvent.handover_id == handover.id)
    return list(db.session.scalars(query))


def test_officer_adds_assets_to_a_draft_and_they_show_as_in_handover(db, setup, make_asset):
    officer, _commune, giver, receiver = setup
    handover = draft(db, officer, giver, receiver)
    assets = equipment(make_asset, giver, 3)
    assert services.add_assets(handover, assets, officer) == 3
    db.session.commit()
    assert {a.status for a in assets} == {AssetStatus.IN_HANDOVER}
    assert events(db, assets[0], handover) == ["handover_added"]
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "handovers", AuditEntry.object_id == handover.id,
        AuditEntry.action == "handover_items_added")) == "handover_items_added"


def test_an_asset_in_one_open_handover_cannot_join_another(db, setup, make_asset, unit_by_name):
    officer, _commune, giver, receiver = setup
    first = draft(db, officer, giver, receiver)
    second = draft(db, officer, giver, unit_by_name("Phường Bá Xuyên"))
    asset = equipment(make_asset, giver, 1)[0]
    services.add_assets(first, [asset], officer)
    db.session.commit()
    with pytest.raises(DomainError, match=f"bản nháp #{first.id}"):
        services.add_assets(second, [asset], officer)


def test_the_database_refuses_a_second_open_item_even_when_the_checks_are_bypassed(db, setup, make_asset,
                                                                                  unit_by_name):
    """The friendly check is skipped (status still 'registered', as in a race): the index decides."""
    officer, _commune, giver, receiver = setup
    first = draft(db, officer, giver, receiver)
    second = draft(db, officer, giver, unit_by_name("Phường Bá Xuyên"))
    asset = equipment(make_asset, giver, 1)[0]
    db.session.add(HandoverItem(handover_id=first.id, asset_id=asset.id, is_open=True))
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.add_assets(second, [asset], officer)
    assert "Máy vi tính số 1" in refused.value.message and f"bản nháp #{first.id}" in refused.value.message
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.add(HandoverItem(handover_id=second.id, asset_id=asset.id, is_open=True))
            db.session.flush()


def test_assets_of_another_unit_or_the_wrong_kind_are_refused_with_their_names(db, setup, make_asset,
                                                                              unit_by_name):
    officer, _commune, giver, receiver = setup
    handover = draft(db, officer, giver, receiver)
    other = make_asset(AssetKind.EQUIPMENT, unit=unit_by_name("Phường Thắng Lợi"), code="TB-X", name="Máy in Canon")
    box = make_asset(AssetKind.ARCHIVE_BOX, unit=giver, name="Hộp 1", box_no="1", fonds="Phông UBND phường Phố Cò")
    with pytest.raises(DomainError, match="Máy in Canon"):
        services.add_assets(handover, [other], officer)
    with pytest.raises(DomainError, match="hồ sơ, tài liệu riêng"):
        services.add_assets(handover, [box], officer)


def test_issuing_numbers_the_minutes_locks_assets_and_stores_the_docx_with_its_hash(db, setup, make_asset):
    import hashlib

    from tracker.models import StoredFile

    officer, _commune, giver, receiver = setup
    assets = equipment(make_asset, giver, 2)
    first = issued(db, officer, giver, receiver, assets)
    second = issued(db, officer, giver, receiver, equipment(make_asset, giver, 1, start=10))
    assert (first.year, second.year) == (2025, 2025)
    assert second.number == first.number + 1
    assert services.describe(first) == f"biên bản số {first.number:02d}/BB-BG"
    assert first.status == HandoverStatus.ISSUED and {a.status for a in assets} == {AssetStatus.ISSUED}
    file = db.session.get(StoredFile, first.minutes_file_id)
    assert hashlib.sha256(file.data).hexdigest() == first.minutes_sha256 == file.sha256
    assert len(first.verification_code) == 10 and first.verification_code != second.verification_code
    assert first.items[0].snapshot["original_cost"] == assets[0].original_cost
    assert events(db, assets[0], first) == ["handover_added", "issued"]


def test_issued_assets_cannot_be_edited_and_the_draft_cannot_change(db, setup, make_asset):
    from tracker.assets.services import update_asset

    officer, _commune, giver, receiver = setup
    asset = equipment(make_asset, giver, 1)[0]
    handover = issued(db, officer, giver, receiver, [asset])
    with pytest.raises(ValidationError):
        update_asset(asset, {"name": "Đổi tên"}, officer, expected_version=asset.version)
    with pytest.raises(DomainError, match="hủy biên bản"):
        services.add_assets(handover, equipment(make_asset, giver, 1, start=50), officer)
    with pytest.raises(DomainError, match=f"^Biên bản số {handover.number:02d}/BB-BG đã phát hành"):
        services.issue_handover(handover, officer)


def test_a_draft_missing_its_parties_cannot_be_issued(db, setup, make_asset):
    officer, _commune, giver, receiver = setup
    handover = draft(db, officer, giver, receiver, parties=[], place="")
    services.add_assets(handover, equipment(make_asset, giver, 1), officer)
    with pytest.raises(DomainError) as refused:
        services.issue_handover(handover, officer)
    assert "đại diện bên giao" in refused.value.message and "địa điểm" in refused.value.message


def test_uploading_the_signed_scan_marks_the_handover_and_assets_signed(db, setup, make_asset):
    officer, _commune, giver, receiver = setup
    assets = equipment(make_asset, giver, 2)
    handover = signed(db, officer, giver, receiver, assets)
    assert handover.status == HandoverStatus.SIGNED and handover.signed_file_id
    assert {a.status for a in assets} == {AssetStatus.SIGNED}
    with pytest.raises(ValidationError):
        services.attach_signed_scan(handover, "x.txt", b"not a scan", officer)


def test_receiving_commune_confirms_items_and_completion_moves_them(db, setup, make_asset):
    officer, commune, giver, receiver = setup
    assets = equipment(make_asset, giver, 3)
    handover = signed(db, officer, giver, receiver, assets)
    items = {item.asset_id: item for item in handover.items}
    decisions = {items[assets[0].id].id: (ReceiptState.RECEIVED, ""),
                 items[assets[1].id].id: (ReceiptState.MISSING, "Không tìm thấy tại kho"),
                 items[assets[2].id].id: (ReceiptState.DAMAGED, "Vỡ màn hình")}
    assert services.confirm_items(handover, decisions, commune) == 3
    db.session.commit()
    # The same page submitted twice changes nothing and writes no second event.
    assert services.confirm_items(handover, decisions, commune) == 0
    services.complete_handover(handover, commune)
    db.session.commit()
    assert handover.status == HandoverStatus.COMPLETED
    assert [a.status for a in assets] == [AssetStatus.RECEIVED, AssetStatus.MISSING, AssetStatus.DAMAGED]
    assert [a.holder_id for a in assets] == [receiver.id, giver.id, receiver.id]
    assert events(db, assets[0], handover) == ["handover_added", "issued", "signed", "received", "transferred"]
    assert events(db, assets[1], handover) == ["handover_added", "issued", "signed", "missing"]
    moved = db.session.scalar(sa.select(AssetEvent).where(AssetEvent.asset_id == assets[0].id,
                                                          AssetEvent.action == "transferred"))
    assert moved.effective_on == HANDOVER_DATE and moved.changes["holder_id"] == [giver.id, receiver.id]
    assert not any(item.is_open for item in handover.items)


def test_completion_waits_until_every_item_is_confirmed(db, setup, make_asset):
    officer, commune, giver, receiver = setup
    handover = signed(db, officer, giver, receiver, equipment(make_asset, giver, 2))
    services.confirm_items(handover, {handover.items[0].id: (ReceiptState.RECEIVED, "")}, commune)
    with pytest.raises(DomainError, match="Còn 1 tài sản chưa xác nhận"):
        services.complete_handover(handover, commune)


def test_missing_or_damaged_needs_a_note(db, setup, make_asset):
    officer, commune, giver, receiver = setup
    handover = signed(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    with pytest.raises(ValidationError, match="ghi chú bắt buộc"):
        services.confirm_items(handover, {handover.items[0].id: (ReceiptState.MISSING, "")}, commune)


def test_commune_staff_of_another_unit_cannot_confirm(db, setup, make_asset, make_user, unit_by_name):
    officer, _commune, giver, receiver = setup
    handover = signed(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    stranger = make_user(Role.COMMUNE, unit=unit_by_name("Phường Bá Xuyên"))
    with pytest.raises(DomainError, match="đơn vị nhận"):
        services.confirm_items(handover, {handover.items[0].id: (ReceiptState.RECEIVED, "")}, stranger)
    with pytest.raises(DomainError, match="đơn vị nhận"):
        services.confirm_items(handover, {handover.items[0].id: (ReceiptState.RECEIVED, "")}, officer)
    assert handover.items[0].receipt_state == ReceiptState.PENDING


def test_voiding_keeps_the_record_and_releases_the_assets(db, setup, make_asset, unit_by_name):
    officer, _commune, giver, receiver = setup
    assets = equipment(make_asset, giver, 2)
    handover = signed(db, officer, giver, receiver, assets)
    with pytest.raises(ValidationError):
        services.void_handover(handover, "sai", officer)
    services.void_handover(handover, "Nhầm bên nhận, lập lại biên bản khác", officer)
    db.session.commit()
    assert handover.status == HandoverStatus.VOIDED and handover.minutes_sha256 and handover.number
    assert {a.status for a in assets} == {AssetStatus.REGISTERED}
    assert events(db, assets[0], handover)[-1] == "voided"
    # Released: the same assets go into a new handover.
    again = draft(db, officer, giver, unit_by_name("Phường Bá Xuyên"))
    assert services.add_assets(again, assets, officer) == 2
    with pytest.raises(DomainError):
        services.void_handover(handover, "Hủy lần thứ hai cho chắc", officer)


def test_a_completed_handover_cannot_be_voided(db, setup, make_asset):
    officer, commune, giver, receiver = setup
    handover = signed(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    services.confirm_items(handover, {handover.items[0].id: (ReceiptState.RECEIVED, "")}, commune)
    services.complete_handover(handover, commune)
    with pytest.raises(DomainError, match="Không hủy được"):
        services.void_handover(handover, "Muốn hủy sau khi đã nhận", officer)


def test_hq_for_immediate_use_gets_a_decision_deadline_thirty_days_later(db, setup, make_asset):
    officer, _commune, giver, receiver = setup
    hq = make_asset(AssetKind.HEADQUARTERS, unit=giver, name="Trụ sở UBND phường Phố Cò", address="Tổ 5",
                    code="TS-1")
    handover = issued(db, officer, giver, receiver, [hq], immediate_use=True)
    assert handover.decision_due_on == HANDOVER_DATE + dt.timedelta(days=30) == dt.date(2025, 8, 4)
    assert services.decision_overdue(handover, today=dt.date(2025, 8, 5))
    services.record_decision(handover, "Quyết định số 12/QĐ-UBND ngày 01/8/2025", officer)
    assert not services.decision_overdue(handover, today=dt.date(2025, 8, 5))


def test_immediate_use_needs_a_headquarters(db, setup, make_asset):
    officer, _commune, giver, receiver = setup
    handover = draft(db, officer, giver, receiver, immediate_use=True)
    services.add_assets(handover, equipment(make_asset, giver, 1), officer)
    with pytest.raises(DomainError, match="chỉ áp dụng khi bàn giao trụ sở"):
        services.issue_handover(handover, officer)


def test_bulk_pick_adds_every_registered_asset_of_the_giver_matching_the_filter(db, setup, make_asset,
                                                                              unit_by_name):
    from tracker.assets.queries import RegisterFilters, register_query

    officer, _commune, giver, receiver = setup
    mine = equipment(make_asset, giver, 4)
    make_asset(AssetKind.VEHICLE, unit=giver, plate="20A-999.99", name="Xe ô tô")
    make_asset(AssetKind.EQUIPMENT, unit=unit_by_name("Phường Thắng Lợi"), code="TB-OTHER", name="Máy vi tính khác")
    busy = draft(db, officer, giver, unit_by_name("Phường Bá Xuyên"))
    services.add_assets(busy, [mine[0]], officer)
    handover = draft(db, officer, giver, receiver)
    select = register_query(officer, RegisterFilters(kind=AssetKind.EQUIPMENT))
    assert services.add_matching(handover, officer, select) == 3
    db.session.commit()
    assert {i.asset_id for i in handover.items} == {a.id for a in mine[1:]}


def test_removing_an_item_from_a_draft_frees_the_asset(db, setup, make_asset):
    officer, _commune, giver, receiver = setup
    assets = equipment(make_asset, giver, 2)
    handover = draft(db, officer, giver, receiver)
    services.add_assets(handover, assets, officer)
    db.session.commit()
    assert services.remove_items(handover, [handover.items[0].id], officer) == 1
    db.session.commit()
    assert assets[0].status == AssetStatus.REGISTERED and len(handover.items) == 1
    assert events(db, assets[0], handover) == ["handover_added", "handover_removed"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HandoverItem).where(
        HandoverItem.asset_id == assets[0].id)) == 0


def test_archive_boxes_are_handed_over_in_archive_minutes(db, setup, make_asset, unit_by_name):
    officer, _commune, giver, _receiver = setup
    archive = unit_by_name("Trung tâm Lưu trữ lịch sử Thái Nguyên")
    boxes = [make_asset(AssetKind.ARCHIVE_BOX, unit=giver, name=f"Hồ sơ năm {2010 + i}", box_no=str(i + 1),
                        fonds="Phông UBND phường Phố Cò", files_count=str(10 + i), span_start=str(2010 + i),
                        span_end=str(2011 + i), linear_m="0,125") for i in range(3)]
    handover = issued(db, officer, giver, archive, boxes, doc_type="archives")
    assert services.describe(handover).endswith("/BB-GN")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset).where(
        Asset.status == AssetStatus.ISSUED, Asset.id.in_([b.id for b in boxes]))) == 3
    assert db.session.get(Handover, handover.id).minutes_sha256


def test_an_asset_put_in_a_handover_is_due_to_its_receiver_and_its_staff_see_it(db, setup, make_asset, make_user,
                                                                                  unit_by_name, auth):
    officer, staff, giver, receiver = setup
    from tracker.models import UnitKind

    other_ward = unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE)
    asset = make_asset(AssetKind.EQUIPMENT, unit=giver, receiver=other_ward, code="TB-DUE", name="Máy chiếu Epson")
    auth.login(staff.username)
    assert "TB-DUE" not in auth.client.get("/assets/?q=epson").get_data(as_text=True)

    handover = draft(db, officer, giver, receiver)
    services.add_assets(handover, [asset], officer)
    db.session.commit()
    assert asset.receiver_id == receiver.id
    assert "TB-DUE" in auth.client.get("/assets/?q=epson").get_data(as_text=True)
    added = db.session.scalar(sa.select(AssetEvent).where(AssetEvent.asset_id == asset.id,
                                                          AssetEvent.action == "handover_added"))
    assert added.changes["receiver_id"] == [other_ward.id, receiver.id]

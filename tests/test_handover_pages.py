"""The handover pages as officers, commune staff and auditors use them."""
from __future__ import annotations

import hashlib
import io
import re

import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import equipment, issued, scan_pdf, signed, units
from tracker.models import (AssetEvent, AssetKind, AssetStatus, Handover, HandoverStatus, ReceiptState, Role,
                            StoredFile)


@pytest.fixture
def people(db, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    return {
        "officer": make_user(Role.OFFICER, username="canbo"),
        "commune": make_user(Role.COMMUNE, username="songcong", unit=receiver),
        "stranger": make_user(Role.COMMUNE, username="baxuyen", unit=unit_by_name("Phường Bá Xuyên")),
        "auditor": make_user(Role.AUDITOR, username="kiemtoan"),
        "giver": giver, "receiver": receiver,
    }


def signed_in(browser, username):
    client = browser()
    Auth(client).login(username)
    return client


def test_officer_prepares_picks_all_equipment_of_the_unit_and_issues(db, people, make_asset, browser):
    giver, receiver = people["giver"], people["receiver"]
    assets = equipment(make_asset, giver, 4)
    make_asset(AssetKind.VEHICLE, unit=giver, plate="20A-555.55", name="Xe ô tô Ford")
    client = signed_in(browser, "canbo")
    form = client.get("/handovers/new").get_data(as_text=True)
    assert "Căn cứ Nghị quyết số 1683/NQ-UBTVQH15 ngày 16/6/2025" in form and "tỉnh Thái Nguyên năm 2025" in form
    response = client.post("/handovers/new", data={
        "csrf_token": csrf_token(client, "/handovers/new"), "doc_type": "assets", "giver_id": giver.id,
        "receiver_id": receiver.id, "handover_date": "2025-07-05", "place": "Trụ sở UBND phường Sông Công",
        "legal_basis": "Căn cứ Nghị quyết số 1683/NQ-UBTVQH15;\nCăn cứ Nghị định số 151/2017/NĐ-CP;",
        "giver_reps": "Nguyễn Văn An; Chủ tịch UBND phường Phố Cò", "receiver_reps": "Trần Thị Bình; Chủ tịch",
        "witness_reps": "Lê Văn Cường; Phó Giám đốc", "witness_org": "Sở Tài chính tỉnh Thái Nguyên", "copies": "4"})
    assert response.status_code == 302
    handover = db.session.scalar(sa.select(Handover).order_by(Handover.id.desc()))
    assert handover.legal_basis == ["Căn cứ Nghị quyết số 1683/NQ-UBTVQH15;", "Căn cứ Nghị định số 151/2017/NĐ-CP;"]
    assert [(p.side, p.full_name) for p in handover.parties][0] == ("giver", "Nguyễn Văn An")
    pick = client.get(f"/handovers/{handover.id}/pick?kind=equipment").get_data(as_text=True)
    assert "Thêm tất cả 4 tài sản khớp bộ lọc" in pick and "Xe ô tô Ford" not in pick
    token = csrf_token(client, f"/handovers/{handover.id}/pick")
    client.post(f"/handovers/{handover.id}/items/add", data={"csrf_token": token, "all": "1", "kind": "equipment",
                                                               "confirmed": "1"})
    db.session.expire_all()
    assert {a.status for a in assets} == {AssetStatus.IN_HANDOVER}
    client.post(f"/handovers/{handover.id}/issue", data={"csrf_token": token, "confirmed": "1"})
    db.session.expire_all()
    handover = db.session.get(Handover, handover.id)
    assert handover.status == HandoverStatus.ISSUED
    download = client.get(f"/handovers/{handover.id}/minutes.docx")
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == handover.minutes_sha256
    page = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    code = handover.verification_code
    assert f"Biên bản số {handover.number:02d}/BB-BG" in page and f"{code[:4]}-{code[4:8]}-{code[8:]}" in page


def test_the_draft_form_names_what_is_wrong(db, people, browser):
    client = signed_in(browser, "canbo")
    response = client.post("/handovers/new", data={
        "csrf_token": csrf_token(client, "/handovers/new"), "doc_type": "assets", "giver_id": "",
        "receiver_id": people["receiver"].id, "giver_reps": "; Chủ tịch", "copies": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Dòng 1: thiếu họ và tên" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 0


def test_commune_staff_see_only_handovers_coming_to_their_unit(db, people, make_asset, browser):
    officer, giver, receiver = people["officer"], people["giver"], people["receiver"]
    mine = issued(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    client = signed_in(browser, "baxuyen")
    listing = client.get("/handovers/").get_data(as_text=True)
    assert f"/handovers/{mine.id}\"" not in listing
    assert client.get(f"/handovers/{mine.id}").status_code == 404
    assert client.get(f"/handovers/{mine.id}/confirm").status_code == 404
    assert client.get(f"/handovers/{mine.id}/minutes.docx").status_code == 404
    own = signed_in(browser, "songcong")
    assert f"/handovers/{mine.id}\"" in own.get("/handovers/").get_data(as_text=True)


def test_officers_cannot_confirm_and_communes_cannot_issue_or_void(db, people, make_asset, browser):
    officer, giver, receiver = people["officer"], people["giver"], people["receiver"]
    handover = signed(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    client = signed_in(browser, "canbo")
    assert client.get(f"/handovers/{handover.id}/confirm").status_code == 403
    commune = signed_in(browser, "songcong")
    token = csrf_token(commune, f"/handovers/{handover.id}")
    assert commune.post(f"/handovers/{handover.id}/void", data={"csrf_token": token,
                                                                 "reason": "Không muốn nhận nữa"}).status_code == 403
    auditor = signed_in(browser, "kiemtoan")
    assert auditor.get(f"/handovers/{handover.id}").status_code == 200
    own_token = csrf_token(auditor, f"/handovers/{handover.id}")
    assert auditor.post(f"/handovers/{handover.id}/issue", data={"csrf_token": own_token}).status_code == 403


def test_wrong_unit_posting_a_confirmation_changes_nothing(db, people, make_asset, browser):
    officer, giver, receiver = people["officer"], people["giver"], people["receiver"]
    handover = signed(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    item_id = handover.items[0].id
    stranger = signed_in(browser, "baxuyen")
    token = csrf_token(stranger, "/handovers/verify")
    response = stranger.post(f"/handovers/{handover.id}/confirm", data={"csrf_token": token,
                                                                         f"state-{item_id}": "received"})
    assert response.status_code == 404
    assert stranger.post(f"/handovers/{handover.id}/complete", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).items[0].receipt_state == ReceiptState.PENDING


def test_receiving_commune_marks_exceptions_then_all_the_rest_received_and_completes(db, people, make_asset,
                                                                                     browser):
    officer, giver, receiver = people["officer"], people["giver"], people["receiver"]
    assets = equipment(make_asset, giver, 4)
    handover = signed(db, officer, giver, receiver, assets)
    items = {i.asset_id: i.id for i in handover.items}
    client = signed_in(browser, "songcong")
    page = client.get(f"/handovers/{handover.id}/confirm").get_data(as_text=True)
    assert "Máy vi tính số 4" in page
    token = csrf_token(client, f"/handovers/{handover.id}/confirm")
    exceptions = {"csrf_token": token, f"state-{items[assets[1].id]}": "missing",
                  f"note-{items[assets[1].id]}": "Không có tại trụ sở",
                  f"state-{items[assets[2].id]}": "damaged", f"note-{items[assets[2].id]}": "Hỏng nguồn"}
    client.post(f"/handovers/{handover.id}/confirm", data=exceptions)
    client.post(f"/handovers/{handover.id}/confirm", data=exceptions)  # double submission
    client.post(f"/handovers/{handover.id}/confirm-rest", data={"csrf_token": token, "confirmed": "1"})
    done = client.post(f"/handovers/{handover.id}/complete", data={"csrf_token": token, "confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    handover = db.session.get(Handover, handover.id)
    assert handover.status == HandoverStatus.COMPLETED
    states = [db.session.get(type(assets[0]), a.id) for a in assets]
    assert [a.status for a in states] == [AssetStatus.RECEIVED, AssetStatus.MISSING, AssetStatus.DAMAGED,
                                          AssetStatus.RECEIVED]
    assert [a.holder_id for a in states] == [receiver.id, giver.id, receiver.id, receiver.id]
    missing_events = db.session.scalars(sa.select(AssetEvent).where(
        AssetEvent.asset_id == assets[1].id, AssetEvent.action == "missing")).all()
    assert len(missing_events) == 1 and missing_events[0].note == "Không có tại trụ sở"


def test_officer_uploads_the_signed_scan_and_later_voids_with_a_reason(db, people, make_asset, browser):
    officer, giver, receiver = people["officer"], people["giver"], people["receiver"]
    assets = equipment(make_asset, giver, 2)
    handover = issued(db, officer, giver, receiver, assets)
    client = signed_in(browser, "canbo")
    token = csrf_token(client, f"/handovers/{handover.id}")
    scan = scan_pdf()
    client.post(f"/handovers/{handover.id}/signed", data={"csrf_token": token, "scan": (io.BytesIO(scan), "ky.pdf")},
                content_type="multipart/form-data")
    db.session.expire_all()
    handover = db.session.get(Handover, handover.id)
    assert handover.status == HandoverStatus.SIGNED
    assert db.session.get(StoredFile, handover.signed_file_id).sha256 == hashlib.sha256(scan).hexdigest()
    assert client.get(f"/handovers/{handover.id}/signed").data == scan
    refused = client.post(f"/handovers/{handover.id}/void", data={"csrf_token": token, "reason": "sai"},
                          follow_redirects=True).get_data(as_text=True)
    assert "ít nhất 10 ký tự" in refused
    client.post(f"/handovers/{handover.id}/void", data={"csrf_token": token, "reason": "Lập nhầm đơn vị nhận"})
    db.session.expire_all()
    handover = db.session.get(Handover, handover.id)
    assert handover.status == HandoverStatus.VOIDED and handover.void_reason == "Lập nhầm đơn vị nhận"
    assert {db.session.get(type(a), a.id).status for a in assets} == {AssetStatus.REGISTERED}
    page = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    assert "Lập nhầm đơn vị nhận" in page and re.search(r"Đã hủy", page)


def test_an_issued_handover_cannot_be_edited(db, people, make_asset, browser):
    officer, giver, receiver = people["officer"], people["giver"], people["receiver"]
    handover = issued(db, officer, giver, receiver, equipment(make_asset, giver, 1))
    client = signed_in(browser, "canbo")
    response = client.get(f"/handovers/{handover.id}/edit", follow_redirects=True)
    assert "không sửa được" in response.get_data(as_text=True)

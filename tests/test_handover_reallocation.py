"""Reallocation handovers (điều chuyển): a unit still working hands on assets it holds.

Sở Tài chính or a new ward gives what it registered or received earlier; the lifecycle is the
one of every handover (draft, issue, sign, receipt), and an asset leaving an unfinished one goes
back to its holder as it was.
"""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import delivered, draft, equipment, ready, scan_pdf, signed
from tests.test_flags_support import tn  # noqa: F401 (fixture)
from tracker.errors import DomainError
from tracker.handovers import defaults, services
from tracker.models import AssetEvent, AssetKind, AssetStatus, Handover, HandoverStatus, ReceiptState, Role

MOVED_ON = dt.date(2025, 7, 20)


@pytest.fixture
def people(make_user, tn):  # noqa: F811
    return {
        "officer": make_user(Role.OFFICER, username="canbo_so"),
        "finance": make_user(Role.COMMUNE, username="van_thu_so", unit=tn["finance"]),
        "song_cong": make_user(Role.COMMUNE, username="van_thu_song_cong", unit=tn["song_cong"]),
        "bach_quang": make_user(Role.COMMUNE, username="van_thu_bach_quang", unit=tn["bach_quang"]),
    }


@pytest.fixture
def finance_car(db, make_asset, tn, people):  # noqa: F811
    """A car of Phường Thắng Lợi that Sở Tài chính received on 05/07/2025, awaiting reallocation."""
    car = make_asset(AssetKind.VEHICLE, unit=tn["thang_loi"], code="XE-01", plate="20A-111.11",
                     name="Xe ô tô Toyota Innova")
    delivered(db, people["officer"], tn["thang_loi"], tn["finance"], [car], people["finance"])
    assert (car.holder_id, car.status) == (tn["finance"].id, AssetStatus.RECEIVED)
    return car


def actions(db, asset, handover):
    return list(db.session.scalars(sa.select(AssetEvent.action).where(
        AssetEvent.asset_id == asset.id, AssetEvent.handover_id == handover.id).order_by(AssetEvent.id)))


def test_finance_reallocates_a_received_car_and_after_receipt_the_ward_holds_it(
        db, tn, people, finance_car):  # noqa: F811
    officer, clerk = people["officer"], people["song_cong"]
    handover = draft(db, officer, tn["finance"], tn["song_cong"], handover_date=MOVED_ON)
    assert handover.is_reallocation
    services.add_assets(handover, [finance_car], officer)
    db.session.commit()
    assert (finance_car.status, finance_car.receiver_id) == (AssetStatus.IN_HANDOVER, tn["song_cong"].id)

    services.issue_handover(handover, officer)
    services.attach_signed_scan(handover, "ban-ky.pdf", scan_pdf(), officer)
    services.confirm_items(handover, {handover.items[0].id: (ReceiptState.RECEIVED, "")}, clerk)
    services.complete_handover(handover, clerk)
    db.session.commit()

    assert handover.status == HandoverStatus.COMPLETED
    assert (finance_car.holder_id, finance_car.status) == (tn["song_cong"].id, AssetStatus.RECEIVED)
    assert actions(db, finance_car, handover) == ["handover_added", "issued", "signed", "received", "transferred"]
    moved = db.session.scalar(sa.select(AssetEvent).where(AssetEvent.asset_id == finance_car.id,
                                                          AssetEvent.handover_id == handover.id,
                                                          AssetEvent.action == "transferred"))
    assert moved.effective_on == MOVED_ON and moved.changes["holder_id"] == [tn["finance"].id, tn["song_cong"].id]


def test_a_ward_hands_on_what_it_received_but_never_what_arrived_damaged_or_went_missing(
        db, tn, people, make_asset):  # noqa: F811
    officer = people["officer"]
    good, broken, lost = equipment(make_asset, tn["pho_co"], 3)
    delivered(db, officer, tn["pho_co"], tn["song_cong"], [good, broken, lost], people["song_cong"],
              receipt={broken: (ReceiptState.DAMAGED, "Vỡ màn hình"), lost: (ReceiptState.MISSING, "Không thấy")})
    onward = draft(db, officer, tn["song_cong"], tn["ba_xuyen"])

    with pytest.raises(DomainError) as refused:
        services.add_assets(onward, [good, broken], officer)
    assert "Máy vi tính số 2" in refused.value.message and "Hư hỏng khi tiếp nhận" in refused.value.message
    assert "không được bàn giao, điều chuyển tiếp" in refused.value.message
    db.session.rollback()
    assert services.add_assets(onward, [good], officer) == 1

    # The missing one stayed with the dissolved ward, flagged for write-off: no handover takes it.
    again = draft(db, officer, tn["pho_co"], tn["bach_quang"])
    with pytest.raises(DomainError, match="Thiếu khi tiếp nhận"):
        services.add_assets(again, [lost], officer)


def test_a_giver_holding_only_what_it_cannot_hand_on_is_refused_as_the_form_leaves_it_out(
        db, tn, people, make_asset):  # noqa: F811
    """The draft's check and the form's list of givers follow one rule: registered or received assets."""
    from tracker.errors import ValidationError
    from tracker.handovers import queries

    officer = people["officer"]
    broken, good = equipment(make_asset, tn["pho_co"], 2)
    delivered(db, officer, tn["pho_co"], tn["bach_quang"], [broken], people["bach_quang"],
              receipt={broken: (ReceiptState.DAMAGED, "Vỡ màn hình")})
    assert (broken.holder_id, broken.status) == (tn["bach_quang"].id, AssetStatus.DAMAGED)
    offered = queries.reallocation_givers(sa.true())
    assert tn["bach_quang"] not in offered
    with pytest.raises(ValidationError) as refused:
        draft(db, officer, tn["bach_quang"], tn["ba_xuyen"])
    assert "Phường Bách Quang không giữ tài sản nào để điều chuyển" in refused.value.errors["giver_id"]
    db.session.rollback()

    delivered(db, officer, tn["pho_co"], tn["bach_quang"], [good], people["bach_quang"])
    assert tn["bach_quang"] in queries.reallocation_givers(sa.true())
    onward = draft(db, officer, tn["bach_quang"], tn["ba_xuyen"])
    services.add_assets(onward, [good], officer)
    db.session.commit()
    # All it could hand on is on this draft now; the draft can still be edited.
    assert ready(db, officer, onward).giver_id == tn["bach_quang"].id
    with pytest.raises(ValidationError):
        draft(db, officer, tn["bach_quang"], tn["song_cong"])


def test_a_surplus_already_in_another_open_handover_is_refused_naming_it(db, tn, people, finance_car):  # noqa: F811
    officer = people["officer"]
    first = draft(db, officer, tn["finance"], tn["bach_quang"])
    second = draft(db, officer, tn["finance"], tn["ba_xuyen"])  # while the car is free, so the giver qualifies
    services.add_assets(first, [finance_car], officer)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.add_assets(second, [finance_car], officer)
    assert f"bản nháp #{first.id}" in refused.value.message and "Phường Bách Quang" in refused.value.message
    db.session.rollback()

    # Confirmed as received but not yet completed: the status says 'received' again, the open
    # handover still holds the car.
    ready(db, officer, first)
    services.issue_handover(first, officer)
    services.attach_signed_scan(first, "ban-ky.pdf", scan_pdf(), officer)
    services.confirm_items(first, {first.items[0].id: (ReceiptState.RECEIVED, "")}, people["bach_quang"])
    db.session.commit()
    assert (finance_car.status, finance_car.holder_id) == (AssetStatus.RECEIVED, tn["finance"].id)
    with pytest.raises(DomainError) as refused:
        services.add_assets(second, [finance_car], officer)
    assert f"biên bản số {first.number:02d}/BB-BG" in refused.value.message
    assert "một tài sản chỉ ở một biên bản chưa hoàn tất" in refused.value.message


def test_a_car_taken_off_a_reallocation_or_voided_goes_back_to_finance_as_received(
        db, tn, people, finance_car):  # noqa: F811
    from tracker.flags.norms.services import ensure_default_norms
    from tracker.flags.reallocation import proposals

    officer = people["officer"]
    handover = draft(db, officer, tn["finance"], tn["song_cong"])
    services.add_assets(handover, [finance_car], officer)
    services.remove_items(handover, [handover.items[0].id], officer)
    db.session.commit()
    assert (finance_car.status, finance_car.receiver_id) == (AssetStatus.RECEIVED, tn["finance"].id)
    assert actions(db, finance_car, handover) == ["handover_added", "handover_removed"]

    services.add_assets(handover, [finance_car], officer)
    ready(db, officer, handover)
    signed_one = services.attach_signed_scan(services.issue_handover(handover, officer), "ban-ky.pdf",
                                             scan_pdf(), officer)
    services.void_handover(signed_one, "Sai đơn vị nhận, lập lại theo quyết định mới", officer)
    db.session.commit()
    assert (finance_car.status, finance_car.holder_id, finance_car.receiver_id) == (
        AssetStatus.RECEIVED, tn["finance"].id, tn["finance"].id)
    # Free again: proposed to a carless commune and accepted by a new draft.
    ensure_default_norms(tn["finance"].province)
    found = proposals.province_proposals(tn["finance"].province_id)
    assert [(p.giver_id, p.source) for p in found.proposals] == [(tn["finance"].id, "finance")]
    assert services.add_assets(draft(db, officer, tn["finance"], tn["ba_xuyen"]), [finance_car], officer) == 1


def test_a_dissolved_units_draft_still_puts_its_assets_back_as_registered_with_no_receiver(db, tn, people,  # noqa: F811
                                                                                          make_asset):
    officer = people["officer"]
    assets = equipment(make_asset, tn["pho_co"], 2)
    handover = signed(db, officer, tn["pho_co"], tn["song_cong"], assets)
    assert not handover.is_reallocation
    services.void_handover(handover, "Lập nhầm đơn vị nhận", officer)
    db.session.commit()
    assert {(a.status, a.receiver_id) for a in assets} == {(AssetStatus.REGISTERED, None)}


def _giver_group(html: str) -> str:
    select = html[html.index('id="giver_id"'):]
    select = select[:select.index("</select>")]
    match = re.search(r'<optgroup label="Điều chuyển từ đơn vị đang giữ tài sản">(.*?)</optgroup>', select, re.S)
    return match.group(1) if match else ""


def test_officer_prepares_a_reallocation_by_hand_from_a_unit_that_holds_assets(
        db, tn, people, finance_car, browser):  # noqa: F811
    client = browser()
    Auth(client).login("canbo_so")
    form = client.get("/handovers/new").get_data(as_text=True)
    group = _giver_group(form)
    assert "Sở Tài chính Thái Nguyên" in group and "Phường Bách Quang" not in group
    token = csrf_token(client, "/handovers/new")
    prefilled = re.search(r'<textarea[^>]*name="legal_basis"[^>]*>(.*?)</textarea>', form, re.S).group(1).strip()
    base = {"csrf_token": token, "doc_type": "assets", "handover_date": "2025-07-20", "copies": "4",
            "legal_basis": html.unescape(prefilled), "giver_reps": "Phạm Văn Dũng; Phó Giám đốc",
            "receiver_reps": "Trần Thị Bình; Chủ tịch"}

    nothing = client.post("/handovers/new", data={**base, "giver_id": tn["bach_quang"].id,
                                                  "receiver_id": tn["song_cong"].id}).get_data(as_text=True)
    assert "Bên giao: Phường Bách Quang không giữ tài sản nào để điều chuyển" in nothing
    itself = client.post("/handovers/new", data={**base, "giver_id": tn["finance"].id,
                                                 "receiver_id": tn["finance"].id}).get_data(as_text=True)
    assert "Bên nhận: phải khác bên giao." in itself
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover).where(
        Handover.giver_id != tn["thang_loi"].id)) == 0

    saved = client.post("/handovers/new", data={**base, "giver_id": tn["finance"].id,
                                                "receiver_id": tn["song_cong"].id})
    assert saved.status_code == 302
    handover = db.session.scalar(sa.select(Handover).where(Handover.giver_id == tn["finance"].id))
    province = tn["finance"].province
    assert handover.legal_basis == defaults.reallocation_legal_basis(province.name)
    pick = client.get(f"/handovers/{handover.id}/pick").get_data(as_text=True)
    assert "20A-111.11" in pick
    client.post(f"/handovers/{handover.id}/items/add",
                data={"csrf_token": csrf_token(client, f"/handovers/{handover.id}/pick"), "asset_id": finance_car.id})
    db.session.expire_all()
    assert finance_car.status == AssetStatus.IN_HANDOVER
    page = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    assert re.search(r'id="handover-type">\s*Điều chuyển tài sản công', page)


def test_commune_staff_and_auditors_cannot_prepare_a_reallocation(db, tn, people, finance_car, browser,  # noqa: F811
                                                                   make_user):
    make_user(Role.AUDITOR, username="kiem_toan")
    for username in ("van_thu_song_cong", "kiem_toan"):
        client = browser()
        Auth(client).login(username)
        token = csrf_token(client, "/assets/")
        assert client.get("/handovers/new").status_code == 403
        response = client.post("/handovers/new", data={
            "csrf_token": token, "doc_type": "assets", "giver_id": tn["finance"].id,
            "receiver_id": tn["song_cong"].id, "copies": "4"})
        assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover).where(
        Handover.giver_id == tn["finance"].id)) == 0


def test_only_a_reallocations_minutes_say_dieu_chuyen_in_the_subject_and_the_duties():
    import dataclasses
    import io

    import docx

    from tests.test_minutes_docx import sample
    from tracker.handovers.minutes import build_minutes

    def text(data) -> str:
        return "\n".join(p.text for p in docx.Document(io.BytesIO(build_minutes(data))).paragraphs)

    rearrangement = sample(2)
    reallocation = dataclasses.replace(rearrangement, giver_name="Sở Tài chính Thái Nguyên", reallocation=True)
    before, after = text(rearrangement), text(reallocation)
    for document in (before, after):
        assert "BIÊN BẢN BÀN GIAO, TIẾP NHẬN TÀI SẢN CÔNG" in document  # the unified form's title
    assert "Bàn giao, tiếp nhận tài sản công từ Phường Phố Cò" in before and "điều chuyển từ" not in before
    assert "Bàn giao, tiếp nhận tài sản công điều chuyển từ Sở Tài chính Thái Nguyên cho Phường Sông Công" in after
    assert "ghi tăng tài sản điều chuyển" in after and "ghi tăng" not in before

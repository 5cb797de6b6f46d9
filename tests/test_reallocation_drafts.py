"""Every reallocation proposal becomes a draft handover in one step, whatever its source, and the
reallocated assets keep the register's accounts straight: reconciliation, inventory as of a date."""
from __future__ import annotations

import csv
import datetime as dt
import io

import docx
import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import HANDOVER_DATE, delivered, filled, ready, scan_pdf, signed
from tests.test_export_asof import registered_on
from tests.test_flags_support import computers, tn  # noqa: F401 (fixture)
from tracker.exports import reconciliation as rec
from tracker.flags.norms.services import ensure_default_norms
from tracker.flags.reallocation import proposals
from tracker.handovers import services
from tracker.models import AssetEvent, AssetKind, AssetStatus, Handover, HandoverItem, ReceiptState, Role, Unit

MOVED_ON = dt.date(2025, 7, 20)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER, username="canbo_so")


def staff_of(make_user, unit):
    return make_user(Role.COMMUNE, unit=unit)


def signed_in(browser, username):
    client = browser()
    assert Auth(client).login(username).status_code == 302
    return client


@pytest.fixture
def finance_car(db, province, tn, make_asset, make_user, officer):  # noqa: F811
    """(car, its proposal): Sở Tài chính received Phường Thắng Lợi's car; no commune has one."""
    ensure_default_norms(province)
    car = make_asset(AssetKind.VEHICLE, unit=tn["thang_loi"], code="XE-01", plate="20A-111.11")
    delivered(db, officer, tn["thang_loi"], tn["finance"], [car], staff_of(make_user, tn["finance"]))
    [proposal] = proposals.province_proposals(province.id).proposals
    return car, proposal


def draft_in_one_step(client, db, proposal) -> Handover:
    """The officer presses «Lập biên bản nháp» on the proposals page."""
    page = client.get("/flags/reallocation").get_data(as_text=True)
    row = page[page.index(f'data-proposal="{proposal.key}"'):].split("</tr>")[0]
    assert "Lập biên bản nháp" in row
    response = client.post("/flags/reallocation/draft", data={
        "csrf_token": csrf_token(client, "/flags/reallocation"), "key": proposal.key,
        "fingerprint": proposal.fingerprint})
    assert response.status_code == 302
    handover = db.session.scalar(sa.select(Handover).where(Handover.giver_id == proposal.giver_id,
                                                           Handover.receiver_id == proposal.receiver_id))
    assert response.headers["Location"].endswith(f"/handovers/{handover.id}")
    return handover


def test_finance_spare_car_becomes_a_draft_for_the_commune_with_no_car_which_then_holds_it(
        db, province, tn, finance_car, make_user, officer, browser):  # noqa: F811
    car, proposal = finance_car
    assert (proposal.source, proposal.giver_id, dict(proposal.by_item)) == ("finance", tn["finance"].id, {"car": 1})
    commune = db.session.get(Unit, proposal.receiver_id)

    handover = draft_in_one_step(signed_in(browser, "canbo_so"), db, proposal)
    db.session.expire_all()
    assert handover.is_reallocation and [i.asset_id for i in handover.items] == [car.id]
    assert any("về việc điều chuyển tài sản công" in line for line in handover.legal_basis)
    assert (car.status, car.receiver_id) == (AssetStatus.IN_HANDOVER, commune.id)

    ready(db, officer, handover, MOVED_ON)
    services.issue_handover(handover, officer)
    services.attach_signed_scan(handover, "ban-ky.pdf", scan_pdf(), officer)
    clerk = staff_of(make_user, commune)
    services.confirm_items(handover, {handover.items[0].id: (ReceiptState.RECEIVED, "")}, clerk)
    services.complete_handover(handover, clerk)
    db.session.commit()
    assert (car.holder_id, car.status) == (commune.id, AssetStatus.RECEIVED)
    assert proposals.province_proposals(province.id).proposals == []  # no spare car left anywhere


def _docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return text, rows


def test_computers_over_a_wards_norm_go_to_a_ward_short_of_them_and_the_minutes_say_dieu_chuyen(
        db, province, tn, make_asset, make_user, officer, browser):  # noqa: F811
    ensure_default_norms(province)
    tn["ba_xuyen"].officials_count, tn["song_cong"].officials_count = 1, 2
    db.session.commit()
    machines = computers(make_asset, tn["pho_co"], 3)
    delivered(db, officer, tn["pho_co"], tn["ba_xuyen"], machines, staff_of(make_user, tn["ba_xuyen"]))
    [proposal] = [p for p in proposals.province_proposals(province.id).proposals
                  if p.receiver_id == tn["song_cong"].id]
    assert (proposal.source, proposal.giver_id, dict(proposal.by_item)) == (
        "surplus", tn["ba_xuyen"].id, {"computer": 2})

    client = signed_in(browser, "canbo_so")
    handover = draft_in_one_step(client, db, proposal)
    edit = f"/handovers/{handover.id}/edit"
    legal_basis = "\n".join(filled(line) for line in handover.legal_basis)  # the officer types the numbers
    response = client.post(edit, data={
        "csrf_token": csrf_token(client, edit), "doc_type": "assets", "giver_id": tn["ba_xuyen"].id,
        "receiver_id": tn["song_cong"].id, "handover_date": "2025-07-20", "place": "Trụ sở UBND phường Sông Công",
        "legal_basis": legal_basis, "giver_reps": "Hoàng Văn Em; Chủ tịch UBND phường Bá Xuyên",
        "receiver_reps": "Trần Thị Bình; Chủ tịch UBND phường Sông Công", "copies": "4",
        "remarks": handover.remarks, "version": handover.version})
    assert response.status_code == 302
    client.post(f"/handovers/{handover.id}/issue", data={"csrf_token": csrf_token(client, f"/handovers/{handover.id}"),
                                                          "confirmed": "1"})
    db.session.expire_all()
    moved = [i.asset for i in db.session.get(Handover, handover.id).items]
    assert len(moved) == 2 and {a.status for a in moved} == {AssetStatus.ISSUED}

    text, rows = _docx_text(client.get(f"/handovers/{handover.id}/minutes.docx").data)
    assert "BIÊN BẢN BÀN GIAO, TIẾP NHẬN TÀI SẢN CÔNG" in text
    assert "Bàn giao, tiếp nhận tài sản công điều chuyển từ Phường Bá Xuyên cho Phường Sông Công" in text
    assert "về việc điều chuyển tài sản công" in text and "Luật Quản lý, sử dụng tài sản công" in text
    assert "ghi giảm, bên nhận ghi tăng tài sản điều chuyển" in text
    listed = {row[2] for row in rows if len(row) > 2 and row[2].startswith("MT-")}
    assert listed == {a.code for a in moved}
    stays = ({m.code for m in machines} - listed).pop()
    assert stays not in "\n".join("|".join(row) for row in rows)


def test_a_proposal_whose_surplus_went_into_another_open_handover_is_refused_with_a_message(
        db, tn, finance_car, officer, browser):  # noqa: F811
    car, proposal = finance_car
    client = signed_in(browser, "canbo_so")
    token = csrf_token(client, "/flags/reallocation")
    other = next(u for u in (tn["bach_quang"], tn["ba_xuyen"]) if u.id != proposal.receiver_id)
    meanwhile = services.prepare_handover(services.DraftInput(giver=tn["finance"], receiver=other), officer)
    services.add_assets(meanwhile, [car], officer)
    db.session.commit()

    response = client.post("/flags/reallocation/draft", data={"csrf_token": token, "key": proposal.key,
                                                               "fingerprint": proposal.fingerprint},
                           follow_redirects=True)
    assert "Đề xuất này đã thay đổi" in response.get_data(as_text=True)
    # Only the handover that brought the car to Sở Tài chính, and «meanwhile».
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 2


def test_commune_staff_and_auditors_cannot_turn_a_finance_proposal_into_a_draft(
        db, tn, finance_car, make_user, browser):  # noqa: F811
    _car, proposal = finance_car
    make_user(Role.AUDITOR, username="kiem_toan")
    make_user(Role.COMMUNE, username="van_thu", unit=db.session.get(Unit, proposal.receiver_id))
    for username in ("van_thu", "kiem_toan"):
        client = signed_in(browser, username)
        response = client.post("/flags/reallocation/draft", data={
            "csrf_token": csrf_token(client, "/assets/"), "key": proposal.key, "fingerprint": proposal.fingerprint})
        assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover).where(
        Handover.giver_id == tn["finance"].id)) == 0


def test_a_reallocated_computer_keeps_its_dissolved_ward_balanced_and_each_handover_reconciles(
        db, tn, make_asset, make_user, officer):  # noqa: F811
    first, second, third = computers(make_asset, tn["pho_co"], 3)
    given = delivered(db, officer, tn["pho_co"], tn["ba_xuyen"], [first, second, third],
                      staff_of(make_user, tn["ba_xuyen"]))

    def balance():
        [summary] = rec.unit_summaries(officer, [tn["pho_co"].id])
        return summary

    plan = services.prepare_handover(services.DraftInput(giver=tn["ba_xuyen"], receiver=tn["bach_quang"]), officer)
    services.add_assets(plan, [third], officer)
    assert balance().balanced and balance().handed_by_status == {"received": 2, "in_handover": 1}
    assert [line.reason for line in rec.unit_items(tn["pho_co"]) if line.asset_id == third.id] == [
        "Đã tiếp nhận theo biên bản; đang lập biên bản điều chuyển"]
    services.void_handover(plan, "Đơn vị nhận chưa cần máy", officer)
    onward = signed(db, officer, tn["ba_xuyen"], tn["song_cong"], [first, second], handover_date=MOVED_ON)
    assert balance().balanced and balance().handed_by_status == {"received": 1, "signed": 2}
    items = {i.asset_id: i.id for i in onward.items}
    clerk = staff_of(make_user, tn["song_cong"])
    services.confirm_items(onward, {items[first.id]: (ReceiptState.RECEIVED, ""),
                                    items[second.id]: (ReceiptState.MISSING, "Không thấy khi kiểm đếm")}, clerk)
    services.complete_handover(onward, clerk)
    db.session.commit()

    summary = balance()
    assert summary.balanced and summary.registered.count == 3
    assert summary.sums[rec.HANDED_OVER].count == 3 and summary.handed_by_status == {"received": 2, "missing": 1}
    assert [a.holder_id for a in (first, second, third)] == [tn["song_cong"].id, tn["ba_xuyen"].id, tn["ba_xuyen"].id]
    result = rec.reconcile_handover(onward)
    assert {s.value: v.count for s, v in result.by_state.items()} == {
        "received": 1, "missing": 1, "damaged": 0, "pending": 0}
    assert result.difference == 0 and rec.reconcile_handover(given).difference == 0


def test_the_inventory_as_of_a_date_has_the_car_with_finance_before_the_reallocation_and_the_ward_after(
        db, tn, make_user, officer, client, auth):  # noqa: F811
    car = registered_on(db, dt.date(2025, 6, 1), tn["thang_loi"], None, "TB-XE", 800_000_000)
    delivered(db, officer, tn["thang_loi"], tn["finance"], [car], staff_of(make_user, tn["finance"]))
    delivered(db, officer, tn["finance"], tn["song_cong"], [car], staff_of(make_user, tn["song_cong"]),
              handover_date=MOVED_ON)
    auth.login(make_user(Role.AUDITOR).username)  # the streamed CSV needs the test's own client

    def holder_on(day: str) -> str:
        response = client.get(f"/exports/as-of.csv?as_of={day}")
        rows = {r["Mã tài sản"]: r for r in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))}
        return rows["TB-XE"]["Đơn vị đang giữ"]

    assert holder_on("2025-06-30") == "Phường Thắng Lợi (Thành phố Sông Công)"
    assert holder_on("2025-07-10") == "Sở Tài chính Thái Nguyên"
    assert holder_on("2025-07-25") == "Phường Sông Công"
    events = db.session.scalars(sa.select(AssetEvent.effective_on).where(
        AssetEvent.asset_id == car.id, AssetEvent.action == "transferred").order_by(AssetEvent.id)).all()
    assert events == [HANDOVER_DATE, MOVED_ON]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HandoverItem).where(
        HandoverItem.asset_id == car.id, HandoverItem.is_open.is_(True))) == 0

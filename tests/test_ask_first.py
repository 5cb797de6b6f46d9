"""Irreversible handover buttons ask first, say what they will do with counts, and change nothing until yes."""
from __future__ import annotations

import html as html_lib
import re

import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import draft, equipment, signed, units
from tracker.models import AssetStatus, Handover, HandoverItem, HandoverStatus, ReceiptState, Role


@pytest.fixture
def people(db, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    return {"officer": make_user(Role.OFFICER, username="canbo"),
            "commune": make_user(Role.COMMUNE, username="songcong", unit=receiver),
            "giver": giver, "receiver": receiver}


def signed_in(browser, username):
    client = browser()
    Auth(client).login(username)
    return client


def asked(response) -> tuple[str, dict[str, list[str]], str]:
    """The question of the page that asks, the fields its 'yes' sends, and its 'back' link."""
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="ask-first"' in page, page[:500]
    page = page[page.index('id="ask-first"'):]
    page = page[:page.index("</form>") + len("</form>") + 200]
    question = html_lib.unescape(re.search(r'<p id="ask-question">(.*?)</p>', page, re.S).group(1))
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        fields.setdefault(name, []).append(html_lib.unescape(value))
    back = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)"', page).group(1)
    return question, fields, back


def data_ask(page: str, element_id: str) -> str:
    tag = re.search(rf'<[^>]*id="{element_id}"[^>]*>', page).group(0)
    return html_lib.unescape(re.search(r'data-ask="([^"]*)"', tag).group(1))


def draft_of(db, people, make_asset, count: int, **kw) -> Handover:
    """A draft of ``count`` computers of the giver, committed."""
    from tracker.handovers import services

    handover = draft(db, people["officer"], people["giver"], people["receiver"], **kw)
    services.add_assets(handover, equipment(make_asset, people["giver"], count), people["officer"])
    db.session.commit()
    return handover


def test_issuing_asks_first_with_the_count_and_cost_then_issues_on_yes(db, people, make_asset, browser):
    handover = draft_of(db, people, make_asset, 3)
    client = signed_in(browser, "canbo")
    detail = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    question = data_ask(detail, "issue-form")
    assert question.startswith(f"Phát hành bản nháp #{handover.id} với 3 tài sản (nguyên giá 37.506.006 đ)?")
    token = csrf_token(client, f"/handovers/{handover.id}")
    said, fields, back = asked(client.post(f"/handovers/{handover.id}/issue", data={"csrf_token": token}))
    assert said == question and back == f"/handovers/{handover.id}"
    assert fields["confirmed"] == ["1"] and fields["csrf_token"] == [token]
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.DRAFT  # nothing yet
    done = client.post(f"/handovers/{handover.id}/issue", data={k: v[0] for k, v in fields.items()})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.ISSUED


def test_removing_all_asks_but_removing_the_ticked_ones_does_not(db, people, make_asset, browser):
    handover = draft_of(db, people, make_asset, 4)
    client = signed_in(browser, "canbo")
    detail = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    assert data_ask(detail, "remove-all") == f"Bỏ tất cả 4 tài sản khỏi bản nháp #{handover.id}? Bản nháp sẽ không còn tài sản nào."
    token = csrf_token(client, f"/handovers/{handover.id}")
    question, _, _ = asked(client.post(f"/handovers/{handover.id}/items/remove", data={"csrf_token": token, "all": "1"}))
    assert question.startswith("Bỏ tất cả 4 tài sản")
    one = db.session.scalars(sa.select(HandoverItem.id).where(HandoverItem.handover_id == handover.id)).first()
    assert client.post(f"/handovers/{handover.id}/items/remove",
                       data={"csrf_token": token, "item_id": one}).status_code == 302  # no question
    count = lambda: db.session.scalar(sa.select(sa.func.count()).select_from(HandoverItem).where(  # noqa: E731
        HandoverItem.handover_id == handover.id))
    assert count() == 3
    client.post(f"/handovers/{handover.id}/items/remove", data={"csrf_token": token, "all": "1", "confirmed": "1"})
    assert count() == 0


def test_adding_all_matching_asks_with_the_number_it_will_add(db, people, make_asset, browser):
    handover = draft(db, people["officer"], people["giver"], people["receiver"])
    assets = equipment(make_asset, people["giver"], 5)
    client = signed_in(browser, "canbo")
    pick = client.get(f"/handovers/{handover.id}/pick?kind=equipment").get_data(as_text=True)
    assert data_ask(pick, "add-all-form") == f"Thêm tất cả 5 tài sản khớp bộ lọc vào bản nháp #{handover.id}?"
    token = csrf_token(client, f"/handovers/{handover.id}/pick")
    question, fields, back = asked(client.post(f"/handovers/{handover.id}/items/add",
                                               data={"csrf_token": token, "all": "1", "kind": "equipment"}))
    assert "5 tài sản" in question and fields["kind"] == ["equipment"] and back.endswith("/pick")
    db.session.expire_all()
    assert {a.status for a in assets} == {AssetStatus.REGISTERED}
    client.post(f"/handovers/{handover.id}/items/add", data={k: v[0] for k, v in fields.items()})
    db.session.expire_all()
    assert {a.status for a in assets} == {AssetStatus.IN_HANDOVER}


def test_the_receipt_buttons_ask_with_what_they_settle(db, people, make_asset, browser):
    handover = signed(db, people["officer"], people["giver"], people["receiver"],
                      equipment(make_asset, people["giver"], 4))
    items = [i.id for i in handover.items]
    client = signed_in(browser, "songcong")
    token = csrf_token(client, f"/handovers/{handover.id}/confirm")
    client.post(f"/handovers/{handover.id}/confirm", data={
        "csrf_token": token, f"state-{items[0]}": "missing", f"note-{items[0]}": "Không có tại trụ sở"})
    page = client.get(f"/handovers/{handover.id}/confirm").get_data(as_text=True)
    assert data_ask(page, "confirm-rest-form").startswith("Xác nhận đã nhận đủ 3 tài sản còn lại chưa xác nhận")
    question, _, back = asked(client.post(f"/handovers/{handover.id}/confirm-rest", data={"csrf_token": token}))
    assert question.startswith("Xác nhận đã nhận đủ 3 tài sản") and back == f"/handovers/{handover.id}/confirm"
    db.session.expire_all()
    states = lambda: sorted(s.value for s in db.session.scalars(sa.select(HandoverItem.receipt_state).where(  # noqa: E731
        HandoverItem.handover_id == handover.id)))
    assert states() == ["missing", "pending", "pending", "pending"]
    client.post(f"/handovers/{handover.id}/confirm-rest", data={"csrf_token": token, "confirmed": "1"})
    db.session.expire_all()
    assert states() == ["missing", "received", "received", "received"]
    page = client.get(f"/handovers/{handover.id}/confirm").get_data(as_text=True)
    assert ": 3 tài sản đã nhận, 0 hư hỏng, 1 thiếu?" in data_ask(page, "complete-form")
    asked(client.post(f"/handovers/{handover.id}/complete", data={"csrf_token": token}))
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.SIGNED
    client.post(f"/handovers/{handover.id}/complete", data={"csrf_token": token, "confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.COMPLETED
    assert db.session.get(HandoverItem, items[0]).receipt_state == ReceiptState.MISSING


def test_issuing_refuses_placeholders_and_the_draft_says_so_from_the_start(db, people, make_asset, browser):
    """Minutes were issued with 'Kế hoạch số …/KH-UBND ngày …/…/2025' still in their legal basis."""
    handover = draft_of(db, people, make_asset, 1, legal_basis=[
        "Căn cứ Nghị quyết số 1683/NQ-UBTVQH15 ngày 16/6/2025;",
        "Căn cứ Kế hoạch số …/KH-UBND ngày …/…/2025 của Ủy ban nhân dân tỉnh Thái Nguyên;"])
    client = signed_in(browser, "canbo")
    page = client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    blockers = page[page.index('id="issue-blockers"'):]
    blockers = html_lib.unescape(blockers[:blockers.index("</div>")])
    assert "căn cứ dòng 2 còn chỗ trống «…» (Căn cứ Kế hoạch số …/KH-UBND" in blockers
    assert "dòng 1" not in blockers
    token = csrf_token(client, f"/handovers/{handover.id}")
    refused = client.post(f"/handovers/{handover.id}/issue", data={"csrf_token": token, "confirmed": "1"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Chưa phát hành được: căn cứ dòng 2 còn chỗ trống «…»" in html_lib.unescape(refused)
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.DRAFT
    handover = db.session.get(Handover, handover.id)
    handover.legal_basis = [handover.legal_basis[0], "Căn cứ Kế hoạch số 15/KH-UBND ngày 20/6/2025;"]
    db.session.commit()
    assert 'id="issue-blockers"' not in client.get(f"/handovers/{handover.id}").get_data(as_text=True)
    client.post(f"/handovers/{handover.id}/issue", data={"csrf_token": token, "confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.ISSUED

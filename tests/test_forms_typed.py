"""Forms read what an official types (dd/mm/yyyy days, whole numbers), refuse the rest in Vietnamese
naming the value, show every error at once and keep what was typed."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token
from tests.handover_factory import units
from tests.test_notices import signed_in
from tracker.formfields import parse_day
from tracker.models import Handover, Role


@pytest.mark.parametrize("typed", ["05/07/2025", "5/7/2025", "05-07-2025", "05.07.2025", "2025-07-05", " 5/07/2025 "])
def test_a_day_is_read_however_an_official_writes_it(typed):
    assert parse_day(typed) == dt.date(2025, 7, 5)


@pytest.mark.parametrize("typed", ["31/02/2025", "07/05", "2025", "ngày 5 tháng 7", "5/7/25", "00/01/2025"])
def test_what_is_not_a_day_is_refused(typed):
    with pytest.raises(ValueError):
        parse_day(typed)


def _draft(giver, receiver, **changes):
    data = {"doc_type": "assets", "giver_id": giver.id, "receiver_id": receiver.id, "handover_date": "5/7/2025",
            "place": "Trụ sở UBND phường Sông Công", "legal_basis": "Căn cứ Nghị định số 151/2017/NĐ-CP;",
            "giver_reps": "Nguyễn Văn An; Chủ tịch", "receiver_reps": "Trần Thị Bình; Chủ tịch", "copies": "4"}
    data.update(changes)
    return data


def test_the_draft_takes_a_typed_day_and_shows_it_back_as_dd_mm_yyyy(db, browser, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    page = signed_in(browser, make_user(Role.OFFICER))
    form = page.get("/handovers/new").get_data(as_text=True)
    assert 'id="handover_date"' in form and 'type="date"' not in form and 'placeholder="dd/mm/yyyy"' in form
    answer = page.post("/handovers/new", data={"csrf_token": csrf_token(page, "/handovers/new"),
                                               **_draft(giver, receiver)})
    assert answer.status_code == 302
    handover = db.session.scalar(sa.select(Handover))
    assert handover.handover_date == dt.date(2025, 7, 5)
    edit = page.get(f"/handovers/{handover.id}/edit").get_data(as_text=True)
    assert 'value="05/07/2025"' in edit


def test_a_refused_draft_names_every_error_in_vietnamese_and_keeps_the_typing(db, browser, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    page = signed_in(browser, make_user(Role.OFFICER))
    answer = page.post("/handovers/new", data=MultiDict({
        "csrf_token": csrf_token(page, "/handovers/new"),
        **_draft(giver, receiver, handover_date="31/02/2025", copies="bốn", receiver_id=giver.id)}))
    html = answer.get_data(as_text=True)
    assert "Ngày không đọc được: «31/02/2025». Nhập theo dạng ngày/tháng/năm, ví dụ 05/07/2025." in html
    assert "Cần một số nguyên (ví dụ 4), không phải «bốn»." in html
    assert "Bên nhận: chọn xã, phường mới hoặc cơ quan cấp tỉnh." in html  # the draft's own rule, in the same answer
    assert "Not a valid" not in html
    assert 'value="31/02/2025"' in html and 'value="bốn"' in html and 'value="Trụ sở UBND phường Sông Công"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 0


def test_the_token_days_are_refused_in_vietnamese(db, browser, make_user):
    page = signed_in(browser, make_user(Role.ADMIN))
    officer = make_user(Role.OFFICER)
    html = page.post("/account/api-tokens/new", data={"csrf_token": csrf_token(page, "/account/api-tokens/"),
                                                       "user_id": officer.id,
                                                       "name": "Đối chiếu", "days": "chín mươi"}).get_data(as_text=True)
    assert "Cần một số nguyên (ví dụ 4), không phải «chín mươi»." in html and "Not a valid" not in html

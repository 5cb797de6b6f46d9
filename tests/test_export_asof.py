"""The inventory as of a date, rebuilt from the history, across a handover made between two dates."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from tests.handover_factory import HANDOVER_DATE, signed
from tracker import history
from tracker.exports.asof import event_day, replay
from tracker.handovers.receipt import complete_handover, confirm_items
from tracker.models import Asset, AssetKind, AssetStatus, ReceiptState, Role, UnitKind

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 15)


def registered_on(db, day: dt.date, unit, receiver, code: str, cost: int) -> Asset:
    """An asset taken from an inventory dated ``day``: its creation event is effective that day,
    written the way ``tracker.history.record`` writes every event."""
    asset = Asset(kind=AssetKind.EQUIPMENT, code=code, name=f"Máy vi tính {code}", equipment_type="Máy vi tính",
                  province_id=unit.province_id, unit=unit, holder=unit, receiver=receiver,
                  status=AssetStatus.REGISTERED, original_cost=cost, remaining_value=cost // 2)
    db.session.add(asset)
    db.session.flush()
    history.record(asset, "imported", None, None, effective_on=day)
    db.session.commit()
    return asset


@pytest.fixture
def story(db, make_user, make_asset, unit_by_name):
    """Phố Cò holds three computers from 01/06/2025; two go to Phường Sông Công on 05/07/2025;
    one more is found on 10/07/2025; one is typed in today with no inventory date."""
    giver = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    receiver = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    officer = make_user(Role.OFFICER)
    clerk = make_user(Role.COMMUNE, unit=receiver)
    moved = [registered_on(db, dt.date(2025, 6, 1), giver, receiver, f"TB-{i}", 10_000_000 + i) for i in (1, 2)]
    stays = registered_on(db, dt.date(2025, 6, 1), giver, receiver, "TB-3", 7_000_003)
    late = registered_on(db, dt.date(2025, 7, 10), giver, receiver, "TB-4", 1_000_004)
    today = make_asset(AssetKind.EQUIPMENT, unit=giver, code="TB-5", name="Máy in mới", equipment_type="Máy in")
    handover = signed(db, officer, giver, receiver, moved)
    confirm_items(handover, {item.id: (ReceiptState.RECEIVED, "") for item in handover.items}, clerk)
    complete_handover(handover, clerk)
    db.session.commit()
    return {"giver": giver, "receiver": receiver, "moved": moved, "stays": stays, "late": late, "today": today}


@pytest.fixture
def auditor(make_user, auth):
    user = make_user(Role.AUDITOR)
    auth.login(user.username)
    return user


def csv_rows(response):
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    return {r["Mã tài sản"]: r for r in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))}


def test_the_handover_history_is_dated_on_the_handover_day(db, story):
    assert HANDOVER_DATE == dt.date(2025, 7, 5)
    assert story["moved"][0].holder_id == story["receiver"].id  # today: with the new ward


def test_as_of_30_06_the_computers_are_still_with_the_old_ward(client, auditor, story):
    rows = csv_rows(client.get("/exports/as-of.csv?as_of=2025-06-30"))
    assert sorted(rows) == ["TB-1", "TB-2", "TB-3"]  # TB-4 was found later, TB-5 typed today
    for code in rows:
        assert rows[code]["Đơn vị đang giữ"] == "Phường Phố Cò (Thành phố Sông Công)"
        assert rows[code]["Trạng thái"] == "Chưa bàn giao"


def test_as_of_15_07_the_handed_over_ones_are_with_the_new_ward(client, auditor, story):
    rows = csv_rows(client.get("/exports/as-of.csv?as_of=15/07/2025"))
    assert sorted(rows) == ["TB-1", "TB-2", "TB-3", "TB-4"]
    assert rows["TB-1"]["Đơn vị đang giữ"] == rows["TB-2"]["Đơn vị đang giữ"] == "Phường Sông Công"
    assert rows["TB-3"]["Đơn vị đang giữ"] == "Phường Phố Cò (Thành phố Sông Công)"
    assert rows["TB-4"]["Nguyên giá (đồng)"] == "1000004"


def test_the_as_of_xlsx_has_the_day_on_the_sheet_and_totals_of_that_day(client, auditor, story):
    response = client.get("/exports/as-of.xlsx?as_of=2025-07-15&holder_id=%d" % story["receiver"].id)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data), data_only=True)["Máy móc, thiết bị"]
    assert "15/07/2025" in sheet["A1"].value and "15/07/2025" in sheet["A2"].value
    header = [c.value for c in sheet[6]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=7, values_only=True)]
    data, total = rows[:-1], rows[-1]
    assert [r["Mã tài sản"] for r in data] == ["TB-1", "TB-2"]
    assert total["Nguyên giá (đồng)"] == 10_000_001 + 10_000_002
    before = openpyxl.load_workbook(io.BytesIO(client.get(
        "/exports/as-of.xlsx?as_of=2025-06-30&holder_id=%d" % story["receiver"].id).data))
    assert before.sheetnames == ["Trống"]  # the new ward held none of them on 30/06


def test_today_the_inventory_matches_the_register(client, auditor, story):
    today = dt.date.today() + dt.timedelta(days=1)
    rows = csv_rows(client.get(f"/exports/as-of.csv?as_of={today.isoformat()}"))
    assert sorted(rows) == ["TB-1", "TB-2", "TB-3", "TB-4", "TB-5"]
    assert rows["TB-1"]["Trạng thái"] == "Đã tiếp nhận"


def test_a_missing_day_sends_the_auditor_back_to_choose_one(client, auditor, story):
    response = client.get("/exports/as-of.xlsx")
    assert response.status_code == 302 and "/exports/" in response.headers["Location"]


def test_a_day_before_any_data_warns_and_offers_the_first_day_with_some(client, auditor, story):
    """The inventory of 01/01/2025 would be empty: the auditor is told why and gets 01/06/2025 filled in."""
    response = client.get("/exports/as-of.xlsx?as_of=01/01/2025&kind=equipment")
    assert response.status_code == 302
    assert "as_of=01/06/2025" in response.headers["Location"] and "kind=equipment" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Ngày 01/01/2025 trước mọi dữ liệu đã ghi: tài sản sớm nhất khớp bộ lọc có từ ngày 01/06/2025.") in page
    assert 'value="01/06/2025"' in page
    # That day has the three computers of the inventory of 01/06/2025.
    assert sorted(csv_rows(client.get("/exports/as-of.csv?as_of=01/06/2025"))) == ["TB-1", "TB-2", "TB-3"]
    # A filter nothing matches on any day says so instead of sending an empty file.
    nothing = client.get("/exports/as-of.csv?as_of=01/06/2025&kind=vehicle", follow_redirects=True)
    assert "Không có tài sản nào khớp bộ lọc ở bất kỳ ngày nào" in nothing.get_data(as_text=True)


def test_replay_skips_events_after_the_day_and_assets_created_after_it():
    at = dt.datetime(2025, 6, 29, 18, 0, tzinfo=dt.timezone.utc)  # 30/06 01:00 in Vietnam
    events = [(at, None, {"status": [None, "registered"], "holder_id": [None, 1]}),
              (at, dt.date(2025, 7, 5), {"holder_id": [1, 2]})]
    assert event_day(at, None) == dt.date(2025, 6, 30)
    assert replay(events, dt.date(2025, 6, 29)) is None
    assert replay(events, dt.date(2025, 6, 30)) == {"status": "registered", "holder_id": 1}
    assert replay(events, dt.date(2025, 7, 5)) == {"status": "registered", "holder_id": 2}

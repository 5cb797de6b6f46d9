"""Reconciliation: per dissolved unit registered = handed over + held + written off + difference,
per handover issued = received + missing + damaged + pending; differences listed item by item."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from tests.handover_factory import signed
from tracker import history
from tracker.assets.services import update_asset
from tracker.exports import reconciliation as rec
from tracker.handovers.receipt import complete_handover, confirm_items
from tracker.models import AssetKind, AssetStatus, HandoverItem, ReceiptState, Role, UnitKind


def cost(n: int) -> int:
    return 1_000_000 * n + n  # every asset's cost is recognisable in a sum


@pytest.fixture
def story(db, make_user, make_asset, unit_by_name):
    giver = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    receiver = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    other = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    officer = make_user(Role.OFFICER)
    clerk = make_user(Role.COMMUNE, unit=receiver)
    a = {n: make_asset(AssetKind.EQUIPMENT, unit=giver, receiver=receiver, code=f"TB-{n:02d}", name=f"Máy số {n}",
                       equipment_type="Máy vi tính", original_cost=cost(n), remaining_value=n) for n in range(1, 11)}
    done = signed(db, officer, giver, receiver, [a[1], a[2]])
    confirm_items(done, {i.id: (ReceiptState.RECEIVED, "") for i in done.items}, clerk)
    complete_handover(done, clerk)
    open_one = signed(db, officer, giver, receiver, [a[3], a[4], a[5]])
    items = {i.asset_id: i for i in open_one.items}
    confirm_items(open_one, {items[a[3].id].id: (ReceiptState.MISSING, "Không thấy máy khi kiểm đếm"),
                             items[a[4].id].id: (ReceiptState.RECEIVED, "")}, clerk)
    # a[6] stays with the unit. a[7] is written off. a[8] went to another unit with no minutes.
    # a[9] was moved onto another unit's list. a[10] says received with no minutes behind it.
    for n, changes in ((7, {"status": AssetStatus.WRITTEN_OFF}), (8, {"holder_id": receiver.id}),
                       (10, {"status": AssetStatus.RECEIVED})):
        before = history.snapshot(a[n])
        for name, value in changes.items():
            setattr(a[n], name, value)
        history.record(a[n], "updated", officer, before)
    update_asset(a[9], {"name": "Máy số 9", "equipment_type": "Máy vi tính", "original_cost": cost(9),
                        "remaining_value": 9}, officer, expected_version=None, unit=other)
    db.session.commit()
    return {"giver": giver, "other": other, "assets": a, "open": open_one, "done": done}


def test_a_dissolved_units_register_balances_with_the_difference_named(db, story, make_user):
    auditor = make_user(Role.AUDITOR)
    [summary] = rec.unit_summaries(auditor, [story["giver"].id])
    counts = {k: s.count for k, s in summary.sums.items()}
    assert counts == {rec.HANDED_OVER: 5, rec.HELD: 1, rec.WRITTEN_OFF: 1, rec.DIFFERENCE: 2, rec.MOVED: 1}
    assert summary.registered.count == 10
    assert summary.registered.original_cost == sum(cost(n) for n in range(1, 11))
    assert summary.sums[rec.HANDED_OVER].original_cost == sum(cost(n) for n in (1, 2, 3, 4, 5))
    assert summary.sums[rec.DIFFERENCE].original_cost == cost(8) + cost(10)
    assert summary.handed_by_status == {"received": 3, "missing": 1, "signed": 1}
    assert not summary.balanced
    lines = {line.code: line for line in rec.unit_items(story["giver"]) if line.category != rec.HANDED_OVER}
    assert "Phường Sông Công" in lines["TB-08"].reason and "không có biên bản" in lines["TB-08"].reason
    assert "Đã tiếp nhận" in lines["TB-10"].reason
    assert lines["TB-09"].category == rec.MOVED and "Phường Thắng Lợi" in lines["TB-09"].reason
    assert lines["TB-06"].category == rec.HELD and lines["TB-07"].category == rec.WRITTEN_OFF


def test_a_handovers_issued_items_equal_received_missing_damaged_and_pending(db, story):
    result = rec.reconcile_handover(story["open"])
    assert result.issued.count == 3
    by_state = {s.value: v.count for s, v in result.by_state.items()}
    assert by_state == {"received": 1, "missing": 1, "damaged": 0, "pending": 1}
    assert result.by_state[ReceiptState.PENDING].original_cost == cost(5)
    assert result.issued.original_cost == cost(3) + cost(4) + cost(5)  # as printed on the minutes
    assert result.difference == 1 and result.dropped == []
    assert rec.reconcile_handover(story["done"]).difference == 0


def test_an_item_removed_from_issued_minutes_shows_as_a_difference(db, story):
    victim = story["assets"][5].id
    db.session.execute(sa.delete(HandoverItem).where(HandoverItem.asset_id == victim,
                                                     HandoverItem.handover_id == story["open"].id))
    db.session.commit()
    result = rec.reconcile_handover(story["open"])
    assert result.dropped == [victim] and result.issued.count == 2 and result.difference == 1


def test_auditor_sees_the_balance_and_downloads_the_items_of_a_unit(client, auth, make_user, story):
    auth.login(make_user(Role.AUDITOR).username)
    html = client.get("/audit/reconciliation/").get_data(as_text=True)
    assert "Phường Phố Cò" in html and "table-warning" in html
    page = client.get(f"/audit/reconciliation/units/{story['giver'].id}").get_data(as_text=True)
    assert "TB-08" in page and "TB-10" in page and "TB-09" in page and "TB-06" not in page
    response = client.get(f"/audit/reconciliation/units/{story['giver'].id}/items.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data), data_only=True).active
    header = [c.value for c in sheet[5]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=6, values_only=True)]
    data, total = rows[:-1], rows[-1]
    assert len(data) == 10
    assert total["Nguyên giá (đồng)"] == sum(cost(n) for n in range(1, 11))
    groups = {}
    for row in data:
        groups[row["Nhóm đối chiếu"]] = groups.get(row["Nhóm đối chiếu"], 0) + 1
    assert groups == {"Đã bàn giao": 5, "Đơn vị còn giữ": 1, "Đã ghi giảm": 1, "Chênh lệch (chưa giải trình)": 2,
                      "Đã chuyển sang danh mục đơn vị khác": 1}


def test_auditor_sees_the_pending_item_of_a_handover(client, auth, make_user, story):
    auth.login(make_user(Role.AUDITOR).username)
    page = client.get(f"/audit/reconciliation/handovers/{story['open'].id}").get_data(as_text=True)
    assert "Chờ xác nhận" in page and "Máy số 5" in page
    rows = client.get(f"/audit/reconciliation/handovers/{story['open'].id}/items.csv").data.decode("utf-8-sig")
    assert "Chờ xác nhận" in rows and "Thiếu" in rows and "Không thấy máy khi kiểm đếm" in rows


def test_commune_staff_cannot_open_reconciliation(client, auth, make_user, story, unit_by_name):
    clerk = make_user(Role.COMMUNE, unit=unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE))
    auth.login(clerk.username)
    assert client.get("/audit/reconciliation/").status_code == 403
    assert client.get(f"/audit/reconciliation/units/{story['giver'].id}/items.csv").status_code == 403

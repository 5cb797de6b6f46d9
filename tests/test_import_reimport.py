"""Re-importing a list moves nothing silently, and the preview says what changes in words.

A box list imported again with the city chosen as its unit must not move boxes registered under
their wards (class 6 of issue 11); an HQ matched by name whose money changed beyond a rounding
waits for the officer's tick; the preview speaks in labels, unit names and Vietnamese numbers, and
a problem every row shares is said once (class 7).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import import_builders as build
from tests.conftest import csrf_token
from tracker.importing import describe
from tracker.importing.commit import commit_plan
from tracker.importing.parse import parse_file
from tracker.importing.plan import beyond_rounding, build_plan
from tracker.models import Asset, AssetKind, Role, UnitKind

CORPUS = Path(__file__).resolve().parent / "corpus"


def _import(db, data: bytes, name: str, actor, unit=None, confirm=()):
    plan = build_plan(parse_file(data, name), actor, unit)
    plan.confirm(confirm)
    if plan.writes and not plan.problems:
        commit_plan(plan, actor)
        db.session.commit()
    return plan


def test_a_box_list_imported_again_with_the_city_chosen_keeps_each_box_in_its_ward(db, make_user, unit_by_name):
    officer = make_user()
    data = (CORPUS / "04-hop-luu-tru-theo-phong.xlsx").read_bytes()
    _import(db, data, "hop.xlsx", officer)
    city = unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT)
    plan = _import(db, data, "hop.xlsx", officer, unit=city)
    assert (plan.counts()["created"], plan.counts()["updated"], plan.counts()["held"]) == (0, 0, 0)
    thang_loi = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    boxes = db.session.scalars(sa.select(Asset).where(Asset.fonds == "Phông UBND phường Thắng Lợi")).all()
    assert len(boxes) == 4 and {b.unit_id for b in boxes} == {thang_loi.id}


def test_a_move_and_a_money_change_beyond_rounding_wait_for_a_tick_and_stay_as_they_were(db, make_user,
                                                                                        unit_by_name):
    officer = make_user()
    header = ["STT", "Đơn vị", "Tên cơ sở nhà, đất", "Địa chỉ", "Nguyên giá", "Giá trị còn lại"]
    first = [header, [1, "Phường Phố Cò", "Trụ sở cũ", "Tổ 5", "4.800.000.000", "2.880.000.000"],
             [2, "Phường Phố Cò", "Nhà kho", "Tổ 6", "500.000.000", "100.000.000"]]
    _import(db, build.xlsx_of(first), "ts.xlsx", officer)
    changed = [header, first[1], [2, "Phường Phố Cò", "Nhà kho", "Tổ 6", "500.000.000", "100.000.600"]]
    plan = _import(db, build.xlsx_of(changed), "ts.xlsx", officer)  # 600 đ more: a rounding, applied
    assert plan.counts()["updated"] == 1 and plan.updates[0].changes == {"remaining_value": [100_000_000, 100_000_600]}
    code = db.session.scalar(sa.select(Asset.code).where(Asset.name == "Trụ sở cũ"))
    header_with_code = ["STT", "Mã tài sản", *header[1:]]
    moved = [header_with_code, [1, code, "Phường Phố Cò", "Trụ sở cũ", "Tổ 5", "5.300.000.000", "2.880.000.000"]]
    plan = _import(db, build.xlsx_of(moved), "ts.xlsx", officer)
    assert (plan.counts()["held"], plan.counts()["updated"]) == (1, 0)
    assert plan.held[0].held == ["Nguyên giá (đồng) thay đổi quá mức làm tròn"]
    assert db.session.scalar(sa.select(Asset.original_cost).where(Asset.code == code)) == 4_800_000_000
    asset_id = plan.held[0].asset_id
    plan = _import(db, build.xlsx_of(moved), "ts.xlsx", officer, confirm=[asset_id])
    assert plan.counts()["updated"] == 1
    assert db.session.get(Asset, asset_id).original_cost == 5_300_000_000


@pytest.mark.parametrize("before, after, beyond", [(12_500_000, 12_500_900, False), (12_500_000, 12_513_000, True),
                                                    (2_350_000_000, 2_351_000_000, False),
                                                    (2_350_000_000, 2_360_000_000, True), (0, 500, False)])
def test_a_rounding_is_a_thousand_dong_or_a_thousandth(before, after, beyond):
    assert beyond_rounding(before, after) is beyond


def test_the_preview_says_a_change_in_labels_unit_names_and_vietnamese_numbers(db, make_user, unit_by_name):
    officer = make_user()
    header = ["STT", "Đơn vị", "Phông lưu trữ", "Số hộp", "Số hồ sơ", "Số mét giá", "Tình trạng chỉnh lý"]
    rows = [header, [1, "Phường Thắng Lợi", "Phông UBND phường Thắng Lợi", "7", 48, "0,125", "Đã chỉnh lý"]]
    _import(db, build.xlsx_of(rows), "hop.xlsx", officer)
    rows[1][4:] = [4862, "2.340", "Chưa chỉnh lý"]
    plan = build_plan(parse_file(build.xlsx_of(rows), "hop.xlsx"), officer)
    words = describe.changes(plan.updates[0], plan)
    assert ("Tình trạng chỉnh lý", "Đã chỉnh lý", "Chưa chỉnh lý") in words
    assert ("Số hồ sơ (đơn vị bảo quản)", "48", "4.862") in words
    assert ("Số mét giá", "0,125", "2.340") in words
    rows[1][1] = "Phường Phố Cò"
    plan = build_plan(parse_file(build.xlsx_of(rows), "hop.xlsx"), officer)
    assert ("Đơn vị giao (đã giải thể)", "Phường Thắng Lợi", "Phường Phố Cò") in describe.changes(plan.held[0], plan)


def test_a_problem_every_row_shares_is_said_once_for_the_sheet(db, make_user):
    officer = make_user()
    rows = [["STT", "Tên tài sản", "Loại thiết bị", "Nguyên giá"]] + [[i, f"Máy {i}", "Máy in", 1_000] for i in range(1, 196)]
    plan = build_plan(parse_file(build.xlsx_of(rows), "khong-don-vi.xlsx"), officer)
    groups = describe.problem_groups(plan)
    assert plan.rejected_rows == 195 and len(groups) == 1
    assert groups[0].where == "mọi dòng (195 dòng)" and "Chưa rõ đơn vị" in groups[0].message


def test_the_officer_ticks_one_held_change_on_the_page_and_only_it_is_applied(db, client, make_user, auth):
    officer = make_user(Role.OFFICER)
    auth.login(officer.username)
    rows = build.simple_equipment_rows(2)
    _import(db, build.xlsx_of(rows), "v1.xlsx", officer)
    rows[1][5], rows[2][5] = 90_000_000, 80_000_000  # both far beyond a rounding
    token = csrf_token(client, "/imports/")
    response = client.post("/imports/", data={"file": (io.BytesIO(build.xlsx_of(rows)), "v2.xlsx"), "unit_id": "",
                                              "csrf_token": token}, content_type="multipart/form-data")
    upload = re.search(r"/imports/([A-Za-z0-9_-]{20,})", response.headers["Location"]).group(1)
    page = client.get(f"/imports/{upload}").get_data(as_text=True)
    assert 'data-count="held">2<' in page and "quá mức làm tròn" in page
    first = db.session.scalar(sa.select(Asset).where(Asset.code == "SE-001"))
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    client.post(f"/imports/{upload}/commit", data={"csrf_token": csrf_token(client, f"/imports/{upload}"),
                                                   "fingerprint": fingerprint, "confirm": str(first.id)})
    db.session.expire_all()
    costs = dict(db.session.execute(sa.select(Asset.code, Asset.original_cost)
                                    .where(Asset.kind == AssetKind.EQUIPMENT)).all())
    assert costs == {"SE-001": 90_000_000, "SE-002": 10_000_002}


def test_a_box_without_a_fonds_anywhere_is_refused_naming_the_row(db, make_user):
    officer = make_user()
    rows = [["STT", "Đơn vị", "Số hộp", "Tình trạng chỉnh lý"], [1, "Phường Thắng Lợi", "1", "Đã chỉnh lý"]]
    plan = build_plan(parse_file(build.xlsx_of(rows), "hop.xlsx"), officer)
    assert [(p.row, p.message) for p in plan.problems] == [(2, "Phông lưu trữ: chưa nhập (bắt buộc).")]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == 0

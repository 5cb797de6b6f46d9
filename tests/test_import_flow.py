"""Importing hand-made lists end to end on the real database (SQLite and PostgreSQL): counts, money
to the đồng, units from sections, re-import idempotence, history, all-or-nothing."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests import import_builders as build
from tracker import history
from tracker.importing import commit as commit_module
from tracker.importing.commit import commit_plan
from tracker.importing.parse import parse_file
from tracker.importing.plan import build_plan
from tracker.models import (Arrangement, Asset, AssetEvent, AssetKind, AssetStatus, AuditEntry, Condition,
                            ImportBatch, UnitKind)


def run_import(db, data: bytes, name: str, actor=None, unit=None, confirm=False):
    """Preview then commit, as the page and the command do; returns (plan, batch or None).

    ``confirm``: tick every held change (a move to another unit, money changed beyond a rounding)."""
    plan = build_plan(parse_file(data, name), actor, unit)
    if confirm:
        plan.confirm(u.asset_id for u in plan.held)
    if not plan.can_commit or not plan.writes:
        return plan, None
    batch = commit_plan(plan, actor)
    db.session.commit()
    return plan, batch


def counts(db) -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in (Asset, AssetEvent, ImportBatch))


def test_officer_imports_a_handmade_equipment_list_with_sections_subtotals_and_signatures(db, make_user, unit_by_name):
    officer = make_user()
    data, expected = build.handmade_equipment()
    plan, batch = run_import(db, data, "danh-sach.xlsx", officer)
    assert plan.counts()["created"] == expected["created"] == 7
    assert plan.counts()["rejected"] == 0
    # column numbers, two sections, two subtotals, the grand total and the signature block are not assets
    assert plan.counts()["skipped"] == 10
    thang_loi = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    tan_quang = unit_by_name("Xã Tân Quang", UnitKind.OLD_COMMUNE)
    assets = db.session.scalars(sa.select(Asset).where(Asset.unit_id.in_([thang_loi.id, tan_quang.id]))).all()
    assert len(assets) == 7
    assert sum(a.original_cost for a in assets) == expected["cost"] == 110_790_000
    assert sum(a.remaining_value for a in assets) == expected["remaining"] == 25_770_000
    by_code = {a.code: a for a in assets}
    assert {c for c, _ in expected["by_unit"]["Phường Thắng Lợi"]} <= {a.code for a in assets if a.unit_id == thang_loi.id}
    assert by_code["TL-002"].name == "Máy in Canon LBP 2900"  # decomposed Unicode and stray spaces cleaned
    assert by_code["TL-002"].condition == Condition.DAMAGED  # 'hu hong' without diacritics
    assert by_code["TL-004"].original_cost == 12_500_000 and by_code["TL-004"].quantity == 2
    assert by_code["TL-003"].original_cost == 52_800_000  # '52,800,000'
    assert by_code["TL-004"].equipment_type == "Điều hòa"
    # the row without a code got the next code of its unit's series, as services.next_code gives
    generated = [a for a in assets if a.unit_id == tan_quang.id and a.code.startswith("TB-")]
    assert [a.code for a in generated] == [f"TB-{tan_quang.code}-00001"]
    assert all(a.search_text for a in assets) and "may in canon" in by_code["TL-002"].search_text
    # the wrong subtotal is shown, the right ones and the grand total agree
    mismatches = [c for _s, c in plan.totals() if not c.ok]
    assert [(c.row, c.field, c.written - c.computed) for c in mismatches] == [(21, "original_cost", 1_000)]
    assert batch.created_count == 7 and batch.user_id == officer.id and batch.summary["sum_mismatches"] == 1


def test_every_imported_asset_has_one_history_event_pointing_at_the_import(db, make_user):
    officer = make_user()
    data, _ = build.handmade_equipment()
    _plan, batch = run_import(db, data, "danh-sach.xlsx", officer)
    assets = db.session.scalars(sa.select(Asset).where(Asset.code.in_(["TL-001", "TL-003", "TQ-002"]))).all()
    for asset in assets:
        events = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.asset_id == asset.id)).all()
        assert len(events) == 1
        event = events[0]
        assert (event.action, event.import_id, event.user_id) == ("imported", batch.id, officer.id)
        # the same changes history.record writes for an asset created by hand: every field against null
        assert event.changes == history.diff(None, history.snapshot(asset))
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import")).object_id == batch.id
    assert len(batch.sha256) == 64 and batch.filename == "danh-sach.xlsx"


def test_reimporting_the_same_file_changes_nothing_and_creates_no_duplicates(db, make_user):
    officer = make_user()
    data, expected = build.handmade_equipment()
    run_import(db, data, "danh-sach.xlsx", officer)
    before = counts(db)
    plan, batch = run_import(db, data, "danh-sach.xlsx", officer)
    assert plan.counts() | {"skipped": 0} == {"created": 0, "updated": 0, "unchanged": expected["created"],
                                              "skipped": 0, "rejected": 0, "held": 0}
    assert batch is None and counts(db) == before


def test_a_corrected_file_updates_the_same_assets_and_the_preview_names_the_changed_fields(db, make_user):
    officer = make_user()
    data, _ = build.handmade_equipment()
    run_import(db, data, "v1.xlsx", officer)
    original = db.session.scalar(sa.select(Asset).where(Asset.code == "TL-001"))
    version = original.version
    fixed = [("TL-001", "Máy vi tính để bàn Dell", "Máy vi tính", "CN0F7K2", "bộ", 1, 15_600_000, 15_600_000,
              "3.000.000", 3_000_000, "Tốt")]
    build.EQUIPMENT_THANG_LOI, saved = fixed + build.EQUIPMENT_THANG_LOI[1:], build.EQUIPMENT_THANG_LOI
    try:
        corrected, _ = build.handmade_equipment()
    finally:
        build.EQUIPMENT_THANG_LOI = saved
    before = counts(db)
    preview = build_plan(parse_file(corrected, "v2.xlsx"), officer)
    # 120.000 đ less is more than a rounding: held for the officer's tick, the asset as it was by default
    assert (preview.counts()["created"], preview.counts()["updated"], preview.counts()["held"],
            preview.counts()["unchanged"]) == (0, 0, 1, 6)
    assert preview.held[0].held == ["Giá trị còn lại (đồng) thay đổi quá mức làm tròn"]
    plan, batch = run_import(db, corrected, "v2.xlsx", officer, confirm=True)
    assert (plan.counts()["created"], plan.counts()["updated"], plan.counts()["unchanged"]) == (0, 1, 6)
    update = plan.updates[0]
    assert update.changes == {"remaining_value": [3_120_000, 3_000_000], "condition": ["in_use", "good"]}
    assert counts(db)[0] == before[0]  # no new asset
    db.session.expire_all()
    asset = db.session.get(Asset, original.id)
    assert (asset.remaining_value, asset.condition, asset.version) == (3_000_000, Condition.GOOD, version + 1)
    event = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.asset_id == asset.id)
                               .order_by(AssetEvent.id.desc())).first()
    assert event.import_id == batch.id and event.changes == update.changes


def test_vehicles_archives_and_headquarters_load_from_one_workbook_with_their_own_wording(db, make_user, unit_by_name):
    officer = make_user()
    data, expected = build.multi_kind_workbook()
    plan, batch = run_import(db, data, "nhieu-trang.xlsx", officer)
    assert plan.counts()["created"] == sum(expected.values()) and plan.counts()["rejected"] == 0
    thang_loi = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    cars = db.session.scalars(sa.select(Asset).where(Asset.kind == AssetKind.VEHICLE)).all()
    assert {c.plate: c.year_made for c in cars} == {canon: year for _w, canon, _m, _s, _yw, year in build.VEHICLES}
    assert {c.unit_id for c in cars} == {thang_loi.id}
    assert sum(c.original_cost for c in cars) == sum((700 + i) * 1_000_000 for i in range(1, 5))
    boxes = db.session.scalars(sa.select(Asset).where(Asset.kind == AssetKind.ARCHIVE_BOX).order_by(Asset.box_no)).all()
    assert [(b.box_no, b.span_start, b.span_end, b.arrangement) for b in boxes] == [
        ("1", 2010, 2012, Arrangement.UNSORTED), ("2", 2012, 2015, Arrangement.SORTED), ("3", 2016, 2016, Arrangement.UNSORTED)]
    assert {b.fonds for b in boxes} == {"Phông UBND phường Thắng Lợi"}
    assert all(b.linear_m == Decimal("0.125") for b in boxes)
    offices = db.session.scalars(sa.select(Asset).where(Asset.kind == AssetKind.HEADQUARTERS).order_by(Asset.id)).all()
    assert [(o.land_area, o.year_built, o.original_cost) for o in offices] == [
        (Decimal(land), year, cost) for _n, _a, _lw, land, _yw, year, _cw, cost in build.HEADQUARTERS]
    again, _ = run_import(db, data, "nhieu-trang.xlsx", officer)  # matched by plate, fonds + box, code
    assert again.counts()["created"] == 0 and again.counts()["unchanged"] == sum(expected.values())


def test_plates_written_differently_are_the_same_vehicle(db, make_user, make_asset, unit_by_name):
    officer = make_user()
    unit = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    car = make_asset(AssetKind.VEHICLE, plate="20A-123.45", name="Xe cũ", unit=unit)
    rows = [["STT", "Biển kiểm soát", "Tên tài sản", "Số chỗ ngồi"], [1, "20a - 123.45", "Xe cũ", 7]]
    plan, _batch = run_import(db, build.xlsx_of(rows), "xe.xlsx", officer, unit)
    assert plan.counts()["created"] == 0 and plan.updates[0].asset_id == car.id
    assert plan.updates[0].changes == {"seats": [None, 7]}


@pytest.mark.parametrize("rows, column, reason", [
    ([[1, "Phường Thắng Lợi", "D-1", "Máy A", "Máy in", 100], [2, "Phường Thắng Lợi", "D-1", "Máy B", "Máy in", 200]],
     "Mã tài sản", "Trùng với dòng 3"),
    ([[1, "Phường Không Có Thật", "U-1", "Máy A", "Máy in", 100]], "Đơn vị", "Không tìm thấy đơn vị «Phường Không Có Thật»"),
    ([[1, "Phường Thắng Lợi", "M-1", "Máy A", "Máy in", "mười triệu"]], "Nguyên giá", "không phải số tiền"),
    ([[1, "Phường Trung Thành", "A-1", "Máy A", "Máy in", 100]], "Đơn vị", "trùng với 2 đơn vị"),
])
def test_a_refused_row_is_listed_with_its_row_column_and_reason_and_nothing_is_stored(db, make_user, rows, column, reason):
    officer = make_user()
    header = [["STT", "Đơn vị", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá"]]
    ok_row = [[9, "Phường Thắng Lợi", "OK-1", "Máy tốt", "Máy in", 100]]
    before = counts(db)
    plan, batch = run_import(db, build.xlsx_of(header + ok_row + rows), "loi.xlsx", officer)
    assert batch is None and counts(db) == before
    problem = plan.problems[-1]
    assert problem.column.startswith(f"«{column}»") or problem.column == column
    assert reason in problem.message
    assert problem.row == 2 + len(rows)  # spreadsheet numbering: header is row 1
    with pytest.raises(Exception, match="từ chối"):
        commit_plan(plan, officer)


def test_a_district_in_brackets_tells_apart_communes_of_the_same_name(db, make_user):
    officer = make_user()
    rows = [["STT", "Đơn vị", "Mã tài sản", "Tên tài sản", "Loại thiết bị"],
            [1, "Phường Trung Thành (TP Phổ Yên)", "PY-1", "Máy A", "Máy in"]]
    plan, batch = run_import(db, build.xlsx_of(rows), "py.xlsx", officer)
    assert plan.counts()["rejected"] == 0 and batch.created_count == 1


def test_an_officer_cannot_import_into_another_province(db, make_user, province):
    from tracker.models import Province

    other = Province(code=99, name="Tỉnh Thử", name_folded="tinh thu")
    db.session.add(other)
    db.session.flush()
    outsider = make_user(province=other)
    plan, batch = run_import(db, build.xlsx_of(build.simple_equipment_rows(1)), "x.xlsx", outsider)
    assert batch is None and "Không tìm thấy đơn vị «Phường Thắng Lợi»" in plan.problems[0].message


def test_a_failure_while_writing_leaves_the_database_exactly_as_before(db, make_user, monkeypatch):
    officer = make_user()
    data, _ = build.handmade_equipment()
    before = counts(db)
    plan = build_plan(parse_file(data, "x.xlsx"), officer, None)

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit_module, "_apply_updates", explode)  # after assets and events were inserted
    with pytest.raises(RuntimeError):
        commit_plan(plan, officer)
    db.session.rollback()
    assert counts(db) == before


def test_assets_already_handed_over_are_not_changed_by_an_import(db, make_user, make_asset, unit_by_name):
    officer = make_user()
    unit = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    asset = make_asset(code="H-1", name="Máy A", unit=unit, original_cost=100)
    db.session.execute(sa.update(Asset).where(Asset.id == asset.id).values(status=AssetStatus.ISSUED))
    rows = [["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá"], [1, "H-1", "Máy A", "Máy vi tính", 999]]
    plan, batch = run_import(db, build.xlsx_of(rows), "x.xlsx", officer, unit)
    assert batch is None and "đã có biên bản phát hành" in plan.problems[0].message


def test_a_plan_made_stale_by_another_edit_is_refused_at_commit(db, make_user, make_asset, unit_by_name):
    officer = make_user()
    unit = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    asset = make_asset(code="S-1", name="Máy A", unit=unit, original_cost=100)
    rows = [["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá"], [1, "S-1", "Máy A", "Máy vi tính", 200]]
    plan = build_plan(parse_file(build.xlsx_of(rows), "x.xlsx"), officer, unit)
    db.session.execute(sa.update(Asset).where(Asset.id == asset.id).values(version=Asset.version + 1))
    with pytest.raises(commit_module.StalePlan):
        commit_plan(plan, officer)
    db.session.rollback()
    assert db.session.get(Asset, asset.id).original_cost == 100


def test_events_store_json_that_reads_back_as_written(db, make_user):
    officer = make_user()
    run_import(db, build.xlsx_of(build.simple_equipment_rows(2)), "x.xlsx", officer)
    raw = db.session.execute(sa.text("SELECT changes FROM asset_events ORDER BY id DESC LIMIT 1")).scalar()
    changes = raw if isinstance(raw, dict) else json.loads(raw)
    assert changes["kind"] == [None, "equipment"] and changes["status"] == [None, "registered"]


def test_a_chosen_unit_that_is_not_a_dissolved_unit_of_the_officers_province_is_refused(db, make_user, unit_by_name):
    officer = make_user()
    new_ward = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    rows = [["STT", "Tên tài sản", "Loại thiết bị"], [1, "Máy in", "Máy in"]]
    plan, batch = run_import(db, build.xlsx_of(rows), "x.xlsx", officer, new_ward)
    assert batch is None and "không phải đơn vị đã giải thể" in plan.problems[0].message


def test_a_reimport_still_sees_a_move_a_receiver_and_a_row_without_code_as_the_field_comparison_does(db, make_user):
    """Unchanged rows are told by comparing whole tuples; what that shortcut must not swallow."""
    officer = make_user()
    header = ["STT", "Đơn vị", "Biển kiểm soát", "Tên tài sản", "Số chỗ ngồi", "Nguyên giá"]
    first = [header, [1, "Phường Thắng Lợi", "20A-111.11", "Xe con", 5, 700_000_000],
             [2, "Phường Thắng Lợi", "20A-222.22", "Xe tải", 3, 500_000_000]]
    plan, batch = run_import(db, build.xlsx_of(first), "xe.xlsx", officer)
    assert batch.created_count == 2
    again, batch = run_import(db, build.xlsx_of(first), "xe.xlsx", officer)
    assert (again.counts()["unchanged"], batch) == (2, None)

    moved = [header, [1, "Phường Phố Cò", "20A-111.11", "Xe con", 5, 700_000_000], first[2]]
    plan, batch = run_import(db, build.xlsx_of(moved), "xe.xlsx", officer)
    assert (plan.counts()["held"], plan.counts()["unchanged"], batch) == (1, 1, None)  # a move waits for a tick
    plan, _ = run_import(db, build.xlsx_of(moved), "xe.xlsx", officer, confirm=True)
    assert (plan.counts()["updated"], plan.counts()["unchanged"]) == (1, 1)
    assert set(plan.updates[0].changes) >= {"unit_id", "holder_id"}

    with_receiver = [header + ["Đơn vị dự kiến nhận"], moved[1] + ["Phường Sông Công"], first[2] + [None]]
    plan, _ = run_import(db, build.xlsx_of(with_receiver), "xe.xlsx", officer)
    assert plan.counts()["updated"] == 1 and set(plan.updates[0].changes) == {"receiver_id"}

    equipment = [["STT", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Nguyên giá"],
                 [1, None, "Máy in không mã", "Máy in", 4_000_000], [2, "MC-1", "Máy chiếu", "Máy chiếu", 9_000_000]]
    thang_loi = db.session.scalar(sa.select(Asset.unit_id).where(Asset.plate == "20A-222.22"))
    from tracker.models import Unit

    unit = db.session.get(Unit, thang_loi)
    run_import(db, build.xlsx_of(equipment), "tb.xlsx", officer, unit)
    plan, batch = run_import(db, build.xlsx_of(equipment), "tb.xlsx", officer, unit)
    assert (plan.counts()["unchanged"], batch) == (2, None)  # the one without a code matched by its name
    equipment[1][4] = 4_500_000
    plan, _ = run_import(db, build.xlsx_of(equipment), "tb.xlsx", officer, unit, confirm=True)
    assert plan.counts()["updated"] == 1 and plan.updates[0].changes == {"original_cost": [4_000_000, 4_500_000]}

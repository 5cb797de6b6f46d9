"""``flask assets import``: the same preview as the page, then all or nothing."""
from __future__ import annotations

import sqlalchemy as sa

from tests import import_builders as build
from tracker.models import Asset, AssetEvent, ImportBatch, Role, UnitKind


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_dry_run_prints_the_preview_and_stores_nothing(db, runner, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(build.handmade_equipment()[0])
    result = runner.invoke(args=["assets", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Tạo mới: 7 · Cập nhật: 0 · Chờ xác nhận: 0 · Không đổi: 0 · Bỏ qua (không phải tài sản): 10 · Từ chối: 0" in result.output
    assert "lệch 1.000 đ" in result.output and "Chạy thử: không ghi gì" in result.output
    assert count(db, Asset) == 0 and count(db, ImportBatch) == 0


def test_counts_are_printed_as_officials_write_numbers(db, runner, tmp_path):
    path = tmp_path / "lon.xlsx"
    path.write_bytes(build.xlsx_of(build.simple_equipment_rows(1_200)))
    result = runner.invoke(args=["assets", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1.200 dòng dữ liệu" in result.output and "Tạo mới: 1.200 · Cập nhật: 0" in result.output
    assert "tạo mới 1.200, cập nhật 0" in result.output and count(db, Asset) == 1_200


def test_an_import_for_a_named_officer_and_unit_is_recorded_with_its_history(db, runner, tmp_path, make_user,
                                                                              unit_by_name):
    officer = make_user(Role.OFFICER)
    path = tmp_path / "thiet-bi.csv"
    rows = [["STT", "Tên tài sản", "Loại thiết bị", "Nguyên giá"], [1, "Máy in", "Máy in", "1.000.000"],
            [2, "Máy chiếu", "Máy chiếu", "2.000.000"]]
    path.write_bytes(build.csv_file(rows))
    result = runner.invoke(args=["assets", "import", str(path), "--unit", "UBND phường Phố Cò",
                                 "--user", officer.username])
    assert result.exit_code == 0, result.output
    assert "Đã ghi lần nhập" in result.output
    unit = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    assets = db.session.scalars(sa.select(Asset).where(Asset.unit_id == unit.id)).all()
    assert sorted(a.original_cost for a in assets) == [1_000_000, 2_000_000]
    batch = db.session.scalar(sa.select(ImportBatch))
    assert batch.user_id == officer.id and count(db, AssetEvent) == 2
    again = runner.invoke(args=["assets", "import", str(path), "--unit", "Phường Phố Cò", "--user", officer.username])
    assert "Không đổi: 2" in again.output and count(db, Asset) == 2


def test_refused_rows_fail_the_command_and_store_nothing(db, runner, tmp_path):
    path = tmp_path / "loi.xlsx"
    rows = build.simple_equipment_rows(2) + [[3, "Phường Thắng Lợi", "SE-001", "Trùng mã", "Máy in", 1, "Tốt"]]
    path.write_bytes(build.xlsx_of(rows))
    result = runner.invoke(args=["assets", "import", str(path)])
    assert result.exit_code == 1
    assert "Trùng với dòng 2" in result.output and count(db, Asset) == 0


def test_a_bad_file_or_unknown_unit_is_refused_in_vietnamese(db, runner, tmp_path, make_user):
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    result = runner.invoke(args=["assets", "import", str(empty)])
    assert result.exit_code != 0 and "rỗng" in result.output
    good = tmp_path / "x.xlsx"
    good.write_bytes(build.xlsx_of(build.simple_equipment_rows(1)))
    result = runner.invoke(args=["assets", "import", str(good), "--unit", "Xã Không Tồn Tại"])
    assert result.exit_code != 0 and "Không tìm thấy đơn vị" in result.output
    auditor = make_user(Role.AUDITOR)
    result = runner.invoke(args=["assets", "import", str(good), "--user", auditor.username])
    assert result.exit_code != 0 and "không có quyền" in result.output
    assert count(db, Asset) == 0

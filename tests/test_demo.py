"""The unit map loaded from the official data, and the demo province built on it."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from tracker.models import (Arrangement, Asset, AssetEvent, AssetKind, Province, Role, Unit, UnitKind,
                            UnitSuccession, User)


def _count(db, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(*conditions))


def test_new_thai_nguyen_has_92_units_built_from_280_old_communes_of_17_old_districts(db, province):
    here = Unit.province_id == province.id
    assert _count(db, here, Unit.kind == UnitKind.NEW_COMMUNE) == 92
    assert _count(db, here, Unit.kind == UnitKind.OLD_COMMUNE) == 280
    assert _count(db, here, Unit.kind == UnitKind.OLD_DISTRICT) == 17


def test_old_thai_nguyen_alone_had_172_communes_that_became_55(db, province):
    old = sa.select(Unit.id).where(Unit.province_id == province.id, Unit.kind == UnitKind.OLD_COMMUNE,
                                   Unit.old_province_name == "Tỉnh Thái Nguyên")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(old.subquery())) == 172
    successors = sa.select(sa.func.count(sa.distinct(UnitSuccession.successor_id))).where(
        UnitSuccession.predecessor_id.in_(old))
    assert db.session.scalar(successors) == 55


def test_a_commune_split_between_two_new_communes_has_both_successors(unit_by_name):
    phu_cuong = unit_by_name("Xã Phú Cường", UnitKind.OLD_COMMUNE)

    assert phu_cuong.parent.name == "Huyện Đại Từ"
    assert [u.name for u in phu_cuong.successors] == ["Xã Phú Thịnh", "Xã Phú Xuyên"]


def test_phuong_song_cong_5518_was_formed_from_thang_loi_pho_co_and_cai_dan(db):
    song_cong = db.session.scalar(sa.select(Unit).where(Unit.source_key == "new:5518"))

    assert (song_cong.name, song_cong.code, song_cong.kind) == ("Phường Sông Công", "5518", UnitKind.NEW_COMMUNE)
    assert [u.name for u in song_cong.predecessors] == ["Phường Cải Đan", "Phường Phố Cò", "Phường Thắng Lợi"]
    assert {u.parent.name for u in song_cong.predecessors} == {"Thành phố Sông Công"}


def test_the_provinces_finance_department_and_archive_can_receive(unit_by_name):
    for name in ("Sở Tài chính Thái Nguyên", "Trung tâm Lưu trữ lịch sử Thái Nguyên"):
        body = unit_by_name(name, UnitKind.PROVINCIAL_BODY)
        assert body is not None, name
        assert not body.is_dissolved


def test_loading_all_34_provinces_gives_3321_new_units_in_well_under_a_minute(db):
    from tracker.units.loader import load_all

    started = time.perf_counter()
    result = load_all()
    elapsed = time.perf_counter() - started

    assert len(result.provinces) == 34
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Province)) == 34
    assert _count(db, Unit.kind == UnitKind.NEW_COMMUNE) == 3321
    assert _count(db, Unit.kind == UnitKind.OLD_DISTRICT) == 696
    assert elapsed < 30, f"load_all took {elapsed:.1f} s"


# --- the demo ---------------------------------------------------------------------------------------

@pytest.fixture
def demo(db, runner):
    """Run ``flask demo --no-serve`` once and return its output."""
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    return result.output


def _assets(db, kind: AssetKind) -> list[Asset]:
    city = sa.select(Unit.id).where(Unit.name == "Thành phố Sông Công", Unit.kind == UnitKind.OLD_DISTRICT)
    givers = sa.select(Unit.id).where(sa.or_(Unit.id.in_(city), Unit.parent_id.in_(city)))
    return db.session.scalars(sa.select(Asset).where(Asset.kind == kind, Asset.unit_id.in_(givers))
                              .order_by(Asset.id)).all()


def test_demo_registers_song_cong_headquarters_with_their_2025_uses_and_the_citys_cars(db, demo):
    by_giver = {}
    for hq in _assets(db, AssetKind.HEADQUARTERS):
        by_giver.setdefault(hq.unit.name, []).append(hq)
        assert hq.address and hq.land_area and hq.floor_area and hq.year_built and hq.land_certificate_no
        assert 0 < hq.remaining_value <= hq.original_cost
    party = next(h for h in by_giver["Thành phố Sông Công"] if h.name == "Trụ sở Thành ủy Sông Công")
    assert party.intended_use == "Trụ sở Đảng ủy, HĐND, UBND phường Sông Công"
    assert party.receiver.name == "Phường Sông Công"
    thang_loi, = by_giver["Phường Thắng Lợi"]
    assert "Ủy ban MTTQ" in thang_loi.intended_use and "Trung tâm Phục vụ hành chính công" in thang_loi.intended_use
    pho_co, = by_giver["Phường Phố Cò"]
    assert "Công an phường" in pho_co.intended_use and "đơn vị sự nghiệp" in pho_co.intended_use
    cai_dan, = by_giver["Phường Cải Đan"]
    assert cai_dan.intended_use.startswith("Dôi dư")

    cars = _assets(db, AssetKind.VEHICLE)
    assert len(cars) >= 4
    assert all(car.plate.startswith("20A-") and len(car.plate) == len("20A-123.45") for car in cars)
    assert all(car.unit.name == "Thành phố Sông Công" and car.seats and car.year_made for car in cars)
    receivers = {car.receiver.name for car in cars}
    assert {"Phường Sông Công", "Phường Bá Xuyên", "Phường Bách Quang", "Sở Tài chính Thái Nguyên"} <= receivers


def test_demo_registers_hundreds_of_equipment_rows_and_boxes_of_four_fonds_all_with_history(db, demo):
    rows = _assets(db, AssetKind.EQUIPMENT)
    assert len(rows) >= 200
    types = {r.equipment_type for r in rows}
    assert {"Máy vi tính", "Máy in", "Máy photocopy", "Máy chiếu", "Điều hòa", "Tủ đựng tài liệu"} <= types
    assert all(0 <= r.remaining_value <= r.original_cost and r.original_cost > 0 for r in rows)
    assert sum(r.serial is not None for r in rows) > len(rows) // 2
    assert {"Hư hỏng", "Đang sử dụng", "Cần sửa chữa"} <= {r.condition.label for r in rows}
    assert all(r.receiver.name == "Sở Tài chính Thái Nguyên" for r in rows if r.condition.label == "Hư hỏng")

    boxes = _assets(db, AssetKind.ARCHIVE_BOX)
    assert {b.fonds for b in boxes} == {"Phông UBND phường Thắng Lợi", "Phông UBND phường Phố Cò",
                                        "Phông UBND phường Cải Đan", "Phông UBND thành phố Sông Công"}
    assert {b.arrangement for b in boxes} == set(Arrangement)
    assert all(b.files_count > 0 and b.span_start <= b.span_end and b.retention for b in boxes)

    assets = db.session.scalar(sa.select(sa.func.count()).select_from(Asset))
    created = db.session.scalar(sa.select(sa.func.count(sa.distinct(AssetEvent.asset_id))).where(
        AssetEvent.action == "created"))
    assert assets > 0 and created == assets


def test_the_generator_gives_the_same_inventory_every_time(db):
    from tracker.demo.generator import generate_song_cong

    def fingerprint():
        return db.session.execute(sa.select(Asset.code, Asset.name, Asset.plate, Asset.serial, Asset.original_cost,
                                            Asset.condition, Asset.receiver_id).order_by(Asset.code)).all()

    nested = db.session.begin_nested()
    generate_song_cong()
    first = fingerprint()
    nested.rollback()
    assert fingerprint() == []

    generate_song_cong()
    assert fingerprint() == first and len(first) > 500


def test_demo_prints_four_logins_and_a_second_run_keeps_what_users_entered(db, runner, demo):
    from tracker.assets.services import update_asset
    from tracker.history import snapshot

    assert "http://127.0.0.1:5000/" in demo and "Nui-Coc-ban-giao-25" in demo
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    for username in ("admin", "sotaichinh", "songcong", "kiemtoan"):
        assert username in demo and users[username].check_password("Nui-Coc-ban-giao-25")
    assert users["admin"].role == Role.ADMIN and users["admin"].province_id is None
    assert users["sotaichinh"].role == Role.OFFICER and users["sotaichinh"].province.name == "Thái Nguyên"
    assert users["songcong"].role == Role.COMMUNE and users["songcong"].unit.source_key == "new:5518"
    assert users["kiemtoan"].role == Role.AUDITOR and users["kiemtoan"].province.name == "Thái Nguyên"

    before = db.session.scalar(sa.select(sa.func.count()).select_from(Asset))
    car = _assets(db, AssetKind.VEHICLE)[0]
    raw = {k: v for k, v in snapshot(car).items() if v is not None}
    update_asset(car, {**raw, "odometer_km": 123456, "notes": "Đã thay lốp"}, users["sotaichinh"],
                 expected_version=car.version)
    users["songcong"].set_password("matkhau-rieng")
    db.session.commit()

    again = runner.invoke(args=["demo", "--no-serve"])

    assert again.exit_code == 0, again.output
    assert "giữ nguyên" in again.output
    assert "songcong    (đã được đổi)" in again.output  # a changed password is not reset nor printed
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == before
    assert (car.odometer_km, car.notes) == (123456, "Đã thay lốp")
    assert users["songcong"].check_password("matkhau-rieng")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.username == "admin")) == 1


def test_the_first_run_prints_one_short_line_a_step_and_no_alembic_chatter(tmp_path):
    """Issue 15: the run command printed Alembic's English INFO line per revision; now only its own steps."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "TRACKER_QUEUE_URL": "memory://"}
    env.pop("FLASK_APP", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "demo", "--no-serve"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = (done.stdout + done.stderr).splitlines()
    assert not [line for line in printed if "INFO" in line or "alembic" in line.lower() or "\x1b[" in line], printed
    assert [line[:4] for line in printed if line[:1].isdigit()] == ["1/4 ", "2/4 ", "3/4 ", "4/4 "]
    assert len(printed) <= 14 and max(map(len, printed)) <= 100, printed

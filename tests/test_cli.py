"""The command line: loading the unit map and creating users, as an installer would type them."""
from __future__ import annotations

import sqlalchemy as sa

from tracker.models import Province, Role, Unit, UnitKind, User


def _units(db, province_id: int | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(Unit)
    if province_id is not None:
        query = query.where(Unit.province_id == province_id)
    return db.session.scalar(query)


def test_loading_dien_bien_creates_its_units_once_and_a_second_run_creates_nothing(db, runner):
    first = runner.invoke(args=["units", "load", "--province", "Điện Biên"])

    assert first.exit_code == 0, first.output
    province = db.session.scalar(sa.select(Province).where(Province.name == "Điện Biên"))
    assert province is not None
    loaded = _units(db, province.id)
    new_units = db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(
        Unit.province_id == province.id, Unit.kind == UnitKind.NEW_COMMUNE))
    assert new_units == 45  # Điện Biên's 45 communes and wards after 1 July 2025
    assert f"tạo mới {loaded} đơn vị" in first.output

    second = runner.invoke(args=["units", "load", "--province", "dien bien"])

    assert second.exit_code == 0, second.output
    assert "tạo mới 0 đơn vị, cập nhật 0, 0 liên kết" in second.output
    assert _units(db, province.id) == loaded


def test_unknown_province_is_refused_in_vietnamese_and_changes_nothing(db, runner):
    before = _units(db)

    result = runner.invoke(args=["units", "load", "--province", "Hà Tây"])

    assert result.exit_code != 0
    assert "Không có tỉnh, thành phố nào tên «Hà Tây»" in result.output
    assert "Điện Biên" in result.output  # the message lists the valid names
    assert _units(db) == before


def test_units_load_needs_a_province_or_all(runner):
    result = runner.invoke(args=["units", "load"])

    assert result.exit_code == 2
    assert "Cần --province TÊN hoặc --all." in result.output


def test_users_create_makes_an_officer_who_can_sign_in(db, runner, province):
    result = runner.invoke(args=["users", "create", "thuha", "--role", "officer", "--password", "Cay-bang-ven-song-42",
                                 "--name", "Nguyễn Thị Thu Hà", "--province", "thai nguyen"])

    assert result.exit_code == 0, result.output
    assert "Đã tạo người dùng thuha" in result.output
    user = db.session.scalar(sa.select(User).where(User.username == "thuha"))
    assert user.role == Role.OFFICER and user.province_id == province.id
    assert user.full_name == "Nguyễn Thị Thu Hà" and user.check_password("Cay-bang-ven-song-42")


def test_users_create_binds_commune_staff_to_their_new_ward_by_official_code(db, runner):
    result = runner.invoke(args=["users", "create", "songcong1", "--role", "commune", "--password", "Cay-bang-ven-song-42",
                                 "--unit", "5518"])

    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "songcong1"))
    assert user.unit.name == "Phường Sông Công"


def test_users_create_refuses_a_duplicate_username(db, runner):
    args = ["users", "create", "thuha", "--role", "auditor", "--password", "Cay-bang-ven-song-42"]
    assert runner.invoke(args=args).exit_code == 0

    again = runner.invoke(args=args)

    assert again.exit_code != 0
    assert "Tên đăng nhập «thuha» đã có người dùng." in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.username == "thuha")) == 1


def test_users_create_refuses_commune_staff_without_a_unit(db, runner):
    result = runner.invoke(args=["users", "create", "xa1", "--role", "commune", "--password", "Cay-bang-ven-song-42"])

    assert result.exit_code != 0
    assert "Cán bộ xã, phường phải gắn với một đơn vị." in result.output
    assert db.session.scalar(sa.select(User).where(User.username == "xa1")) is None


def test_ci_runs_exactly_the_readme_test_command():
    """.ci/run must run what the README tells people to type, so the two cannot drift apart."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.endswith(".venv/bin/python -m pytest"))
    assert command in ci.splitlines()
    assert "export REQUIRE_POSTGRES=1" in ci  # the PostgreSQL half fails rather than skips
    assert (root / ".ci" / "run").stat().st_mode & 0o111  # executable

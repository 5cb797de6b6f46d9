"""The users page: an admin lists, creates and changes users; errors stay on the form, nothing is stored."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tracker.models import AuditEntry, Role, Unit, User


@pytest.fixture
def client(browser):
    """A browser of its own, so nothing from one request's ``g`` leaks into the next."""
    return browser()


@pytest.fixture
def admin(make_user, auth):
    user = make_user(Role.ADMIN, username="quantri", full_name="Quản trị viên")
    auth.login("quantri")
    return user


@pytest.fixture
def song_cong(db):
    return db.session.scalar(sa.select(Unit).where(Unit.source_key == "new:5518"))


def _user(db, username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def _create(client, **fields):
    data = {"username": "", "full_name": "", "position": "", "role": "officer", "province": "", "unit": "",
            "password": "", **fields}
    data["csrf_token"] = csrf_token(client, "/admin/users/new")
    return client.post("/admin/users/new", data=data)


def test_admin_sees_every_user_with_role_and_scope(db, client, admin, make_user, song_cong):
    make_user(Role.COMMUNE, username="songcong1", unit=song_cong, full_name="Trần Văn Minh")
    make_user(Role.OFFICER, username="thuha", full_name="Nguyễn Thị Thu Hà")

    html = client.get("/admin/users").get_data(as_text=True)

    for text in ("songcong1", "Trần Văn Minh", "Cán bộ xã, phường", "Phường Sông Công", "thuha",
                 "Cán bộ Sở Tài chính", "Thái Nguyên", "quantri", "Toàn quốc"):
        assert text in html
    assert 'href="/admin/users"' in html  # the navigation shows the users page to admins


def test_admin_creates_commune_staff_who_can_then_sign_in(db, client, admin, song_cong, browser):
    response = _create(client, username="ngoclan", full_name="Phạm Ngọc Lan", position="Công chức Văn phòng",
                       role="commune", unit=str(song_cong.id), password="matkhau-moi-cua-lan")

    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    user = _user(db, "ngoclan")
    assert user.role == Role.COMMUNE and user.unit_id == song_cong.id
    assert user.province_id == song_cong.province_id  # a commune's province follows its unit
    assert (user.full_name, user.position) == ("Phạm Ngọc Lan", "Công chức Văn phòng")
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "user_created", AuditEntry.object_id == user.id)).user_id == admin.id
    other = browser()
    assert Auth(other).login("ngoclan", "matkhau-moi-cua-lan").status_code == 302


def test_duplicate_username_is_refused_under_its_field_and_nothing_is_stored(db, client, admin, make_user):
    make_user(Role.OFFICER, username="thuha")
    before = _count(db)

    response = _create(client, username="thuha", role="officer", province="", password="Cay-bang-ven-song-42")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Tên đăng nhập «thuha» đã có người dùng." in html
    assert "is-invalid" in html
    assert _count(db) == before


@pytest.mark.parametrize(("fields", "message"), [
    ({"username": "xa1", "role": "commune", "password": "Cay-bang-ven-song-42"}, "Cán bộ xã, phường phải gắn với một đơn vị."),
    ({"username": "ngan", "role": "officer", "password": "ngan"}, "Mật khẩu cần ít nhất 8 ký tự."),
    ({"username": "có dấu cách", "role": "officer", "password": "Cay-bang-ven-song-42"}, "Tên đăng nhập chỉ gồm chữ"),
    ({"username": "vaitro", "role": "superuser", "password": "Cay-bang-ven-song-42"}, "Vai trò không hợp lệ."),
    ({"username": "", "role": "officer", "password": "Cay-bang-ven-song-42"}, "Chưa nhập tên đăng nhập."),
])
def test_bad_input_is_explained_in_vietnamese_and_nothing_is_stored(db, client, admin, fields, message):
    before = _count(db)

    response = _create(client, **fields)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db) == before


def test_commune_staff_must_belong_to_a_new_unit_not_a_dissolved_one(db, client, admin, unit_by_name):
    from tracker.models import UnitKind

    old = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)

    response = _create(client, username="cu", role="commune", unit=str(old.id), password="Cay-bang-ven-song-42")

    assert response.status_code == 422
    assert "chỉ gắn với đơn vị mới" in response.get_data(as_text=True)
    assert _user(db, "cu") is None


def test_admin_changes_role_and_scope_and_the_audit_log_keeps_before_and_after(db, client, admin, make_user,
                                                                                province):
    target = make_user(Role.OFFICER, username="thuha")
    token = csrf_token(client, f"/admin/users/{target.id}")

    response = client.post(f"/admin/users/{target.id}", data={
        "csrf_token": token, "full_name": "Nguyễn Thị Thu Hà", "position": "Kiểm toán viên", "role": "auditor",
        "province": str(province.id), "unit": "", "active": "y", "password": ""})

    assert response.status_code == 302
    user = _user(db, "thuha")
    assert (user.role, user.province_id, user.position) == (Role.AUDITOR, province.id, "Kiểm toán viên")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user_updated"))
    assert entry.detail["before"]["role"] == "officer" and entry.detail["after"]["role"] == "auditor"


def test_locking_an_account_stops_its_owner_signing_in(db, client, admin, make_user, browser):
    target = make_user(Role.OFFICER, username="thuha")
    token = csrf_token(client, f"/admin/users/{target.id}")

    client.post(f"/admin/users/{target.id}", data={
        "csrf_token": token, "role": "officer", "province": str(target.province_id), "unit": "", "password": ""})

    assert _user(db, "thuha").active is False
    assert Auth(browser()).login("thuha").status_code == 401


def test_resetting_a_password_replaces_the_old_one(db, client, admin, make_user, browser):
    target = make_user(Role.OFFICER, username="thuha")
    token = csrf_token(client, f"/admin/users/{target.id}")

    client.post(f"/admin/users/{target.id}", data={
        "csrf_token": token, "role": "officer", "province": str(target.province_id), "unit": "", "active": "y",
        "password": "matkhau-thay-the"})

    assert Auth(browser()).login("thuha", "Cay-bang-ven-song-42").status_code == 401
    assert Auth(browser()).login("thuha", "matkhau-thay-the").status_code == 302


def test_edit_form_shows_the_current_values(client, admin, make_user, song_cong):
    target = make_user(Role.COMMUNE, username="songcong1", unit=song_cong)

    html = client.get(f"/admin/users/{target.id}").get_data(as_text=True)

    assert f'<option selected value="{song_cong.id}">' in html
    assert '<option selected value="commune">' in html
    assert re.search(r'<input checked[^>]*name="active"', html)


def test_a_bad_edit_changes_nothing(db, client, admin, make_user, song_cong):
    target = make_user(Role.COMMUNE, username="songcong1", unit=song_cong)
    token = csrf_token(client, f"/admin/users/{target.id}")

    response = client.post(f"/admin/users/{target.id}", data={
        "csrf_token": token, "role": "commune", "province": "", "unit": "", "active": "y", "password": "ngan"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Cán bộ xã, phường phải gắn với một đơn vị." in html and "Mật khẩu cần ít nhất 8 ký tự." in html
    user = _user(db, "songcong1")
    assert user.unit_id == song_cong.id and user.check_password("Cay-bang-ven-song-42")


def test_admin_cannot_lock_themselves_out(db, client, admin):
    token = csrf_token(client, f"/admin/users/{admin.id}")

    response = client.post(f"/admin/users/{admin.id}", data={
        "csrf_token": token, "role": "officer", "province": "", "unit": "", "active": "y", "password": ""})

    assert response.status_code == 422
    assert "Không thể tự khóa hoặc bỏ quyền quản trị của chính mình." in response.get_data(as_text=True)
    assert _user(db, "quantri").role == Role.ADMIN


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.COMMUNE])
def test_only_admins_reach_the_users_page(db, client, auth, make_user, song_cong, role):
    make_user(role, username="khac", unit=song_cong if role == Role.COMMUNE else None)
    auth.login("khac")
    before = _count(db)

    assert client.get("/admin/users").status_code == 403
    token = csrf_token(client, "/admin/users")  # the refusal page still carries the layout's token
    response = client.post("/admin/users/new", data={"csrf_token": token, "username": "lẻn", "role": "admin",
                                                     "password": "Cay-bang-ven-song-42"})
    assert response.status_code == 403
    assert _count(db) == before
    assert 'href="/admin/users"' not in client.get("/admin/users").get_data(as_text=True)

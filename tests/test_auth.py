"""Signing in and out, refused sign-ins, safe redirects and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, is_signed_in
from tracker.models import AuditEntry, Role


@pytest.fixture
def client(browser):
    """A browser of its own, so nothing from one request's ``g`` leaks into the next."""
    return browser()


def _audit(db, action: str, username: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.username == username)).all()


_signed_in = is_signed_in


def test_officer_signs_in_with_the_right_password_and_is_signed_in(db, client, auth, make_user):
    make_user(Role.OFFICER, username="thuha")
    assert not _signed_in(client)

    response = auth.login("thuha")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in(client)
    assert len(_audit(db, "login", "thuha")) == 1


def test_wrong_password_is_refused_in_vietnamese_and_written_to_the_audit_log(db, client, auth, make_user):
    make_user(Role.OFFICER, username="thuha")

    response = auth.login("thuha", "saimatkhau")

    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert not _signed_in(client)
    failed = _audit(db, "login_failed", "thuha")
    assert len(failed) == 1 and failed[0].detail == {"failures": 1}  # the count that locks at five


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(db, client, auth):
    response = auth.login("khongcoai", "Cay-bang-ven-song-42")

    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert len(_audit(db, "login_failed", "khongcoai")) == 1


def test_locked_account_cannot_sign_in_even_with_the_right_password(db, client, auth, make_user):
    user = make_user(Role.AUDITOR, username="dakhoa")
    user.active = False
    db.session.commit()

    response = auth.login("dakhoa")

    assert response.status_code == 401
    assert not _signed_in(client)
    assert len(_audit(db, "login_failed", "dakhoa")) == 1


def test_empty_form_names_the_missing_fields(client):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": "", "password": "", "csrf_token": token})

    html = response.get_data(as_text=True)
    assert "Chưa nhập tên đăng nhập." in html and "Chưa nhập mật khẩu." in html
    assert not _signed_in(client)


def test_sign_in_without_the_csrf_token_is_refused(client, make_user):
    make_user(Role.OFFICER, username="thuha")

    response = client.post("/login", data={"username": "thuha", "password": "Cay-bang-ven-song-42"})

    assert response.status_code == 400
    assert not _signed_in(client)


def test_signing_out_ends_the_session(db, client, auth, make_user):
    make_user(Role.COMMUNE, username="songcong1", unit=_ward(db))
    auth.login("songcong1")
    assert _signed_in(client)

    response = auth.logout()

    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not _signed_in(client)
    assert len(_audit(db, "logout", "songcong1")) == 1


def test_signing_out_needs_a_post_so_a_link_cannot_sign_people_out(client, auth, make_user):
    make_user(Role.OFFICER, username="thuha")
    auth.login("thuha")

    assert client.get("/logout").status_code == 405
    assert _signed_in(client)


def test_after_sign_in_the_officer_returns_to_the_page_they_asked_for(client, make_user):
    make_user(Role.OFFICER, username="thuha")
    token = csrf_token(client, "/login")

    response = client.post("/login?next=/assets/?kind=vehicle",
                           data={"username": "thuha", "password": "Cay-bang-ven-song-42", "csrf_token": token})

    assert response.headers["Location"] == "/assets/?kind=vehicle"


@pytest.mark.parametrize("target", [
    "//evil.com", "//evil.com/login", "https://evil.com/", "http:evil.com", "/\\evil.com", "\\\\evil.com",
    "javascript:alert(1)", "/\\/evil.com", "/\t/evil.com", "/%5Cevil.com",
])
def test_sign_in_never_redirects_to_another_site(client, make_user, target):
    make_user(Role.OFFICER, username="thuha")
    token = csrf_token(client, "/login")

    response = client.post("/login", query_string={"next": target},
                           data={"username": "thuha", "password": "Cay-bang-ven-song-42", "csrf_token": token})

    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\\" not in location and "\t" not in location
    # A local path only: no scheme, no host, nothing a browser reads as '//host' ('\\' counts as '/').
    assert urlsplit(location).scheme == "" and urlsplit(location).netloc == "", location
    assert location.startswith("/") and not location.replace("\\", "/").startswith("//"), location


def test_language_switch_sets_a_cookie_and_the_page_becomes_english(client):
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)
    token = csrf_token(client, "/login")

    response = client.post("/lang/en", data={"csrf_token": token, "next": "/login"})

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "en"
    assert 'html lang="en"' in client.get("/login").get_data(as_text=True)


def test_unknown_language_changes_nothing(client):
    token = csrf_token(client, "/login")

    client.post("/lang/xx", data={"csrf_token": token, "next": "/login"})

    assert client.get_cookie("lang") is None
    assert 'html lang="vi"' in client.get("/login").get_data(as_text=True)


def test_language_switch_never_redirects_to_another_site(client):
    token = csrf_token(client, "/login")

    response = client.post("/lang/en", data={"csrf_token": token, "next": "//evil.com"})

    assert response.headers["Location"] == "/"


def _ward(db):
    from tracker.models import Unit

    return db.session.scalar(sa.select(Unit).where(Unit.source_key == "new:5518"))

"""What every answer carries and what an upload must be (issue 13): security headers on every page,
files served as attachments, Secure cookies over HTTPS (also behind a proxy), scans checked by
parsing them, and bounds on the uploads nobody finished."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.test import Client

from tests import import_builders as build
from tests.conftest import Auth, csrf_token
from tests.handover_factory import equipment, issued, scan_pdf, units
from tracker.hardening import CONTENT_SECURITY_POLICY, behind_proxy
from tracker.models import AuditEntry, Handover, HandoverStatus, Role, StoredFile


def _get_routes(app) -> list[str]:
    """Every GET page of the URL map that takes no argument."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(("/static",
                                                                                                 "/bootstrap"))})


def test_every_page_carries_the_security_headers_signed_in_or_not(app, browser, make_user):
    make_user(Role.ADMIN, username="quantri")
    admin, anonymous = browser(), browser()
    Auth(admin).login("quantri")
    routes = _get_routes(app)
    assert len(routes) > 20
    html_pages = 0

    for client in (admin, anonymous):
        for route in routes:
            response = client.get(route)
            assert response.headers["X-Content-Type-Options"] == "nosniff", route
            assert response.headers["Referrer-Policy"] == "same-origin", route
            assert response.headers["X-Frame-Options"] == "DENY", route
            if response.mimetype == "text/html":
                html_pages += 1
                policy = response.headers["Content-Security-Policy"]
                assert policy == CONTENT_SECURITY_POLICY, route
                assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
    assert html_pages > 20


def test_no_page_needs_an_inline_script_or_style(app, browser, make_user):
    """The policy forbids them; a template that slipped one in would break in the browser."""
    import re

    make_user(Role.ADMIN, username="quantri")
    admin = browser()
    Auth(admin).login("quantri")
    for route in _get_routes(app):
        response = admin.get(route)
        if response.mimetype != "text/html":
            continue  # the favicon and other files are not pages
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), route
        assert not re.search(r"\sstyle=\"|<style|\son[a-z]+=\"", html), route


@pytest.fixture
def people(db, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    return {"officer": make_user(Role.OFFICER, username="canbo"), "giver": giver, "receiver": receiver}


def _upload_scan(client, handover, data: bytes, name: str):
    token = csrf_token(client, f"/handovers/{handover.id}")
    return client.post(f"/handovers/{handover.id}/signed", data={"csrf_token": token, "scan": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(("data", "name"), [
    (b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>", "x.html"),
    (b"%PDF-1.4 signed scan", "ban-ky.pdf"),
    (scan_pdf()[:120], "cut-short.pdf"),
    (_image("PNG")[:60], "cut-short.png"),
    (b"\xff\xd8\xff\xe0" + b"<html>" * 50, "anh.jpg"),
    (b"<html><body>hello</body></html>", "ban-ky.pdf"),
    (_image("GIF"), "ban-ky.gif"),
])
def test_a_scan_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(db, people, make_asset, browser,
                                                                            data, name):
    handover = issued(db, people["officer"], people["giver"], people["receiver"],
                      equipment(make_asset, people["giver"], 1))
    client = browser()
    Auth(client).login("canbo")
    files_before = db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))

    page = _upload_scan(client, handover, data, name).get_data(as_text=True)

    assert "chỉ nhận tệp PDF, JPEG hoặc PNG đọc được" in page
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == HandoverStatus.ISSUED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == files_before


@pytest.mark.parametrize(("data", "name", "content_type", "extension"), [
    (scan_pdf(), "scan <b>ký</b>.html", "application/pdf", "pdf"),
    (_image("PNG"), "ảnh chụp.pdf", "image/png", "png"),
    (_image("JPEG"), "../../etc/passwd", "image/jpeg", "jpg"),
])
def test_a_real_scan_is_kept_under_a_safe_name_and_served_only_as_an_attachment(db, people, make_asset, browser,
                                                                                data, name, content_type, extension):
    handover = issued(db, people["officer"], people["giver"], people["receiver"],
                      equipment(make_asset, people["giver"], 1))
    client = browser()
    Auth(client).login("canbo")

    _upload_scan(client, handover, data, name)

    db.session.expire_all()
    handover = db.session.get(Handover, handover.id)
    assert handover.status == HandoverStatus.SIGNED
    stored = db.session.get(StoredFile, handover.signed_file_id)
    assert stored.content_type == content_type
    assert stored.filename.endswith(f"-ban-ky.{extension}") and stored.filename.isascii()
    assert "/" not in stored.filename and "<" not in stored.filename and " " not in stored.filename
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "handover_signed"))
    assert entry.detail["uploaded_as"] == name  # what the person uploaded stays on the record
    served = client.get(f"/handovers/{handover.id}/signed")
    assert served.data == data
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    minutes = client.get(f"/handovers/{handover.id}/minutes.docx")
    assert minutes.headers["Content-Disposition"].startswith("attachment;")


def _set_cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_the_session_cookie_is_secure_over_https_and_not_over_plain_http(app):
    plain = app.test_client().get("/login")
    secure = app.test_client().get("/login", base_url="https://tracker.example")

    assert [c for c in _set_cookie_headers(plain) if c.startswith("session=")]
    assert all("Secure" not in c for c in _set_cookie_headers(plain))
    assert all("Secure" in c and "HttpOnly" in c for c in _set_cookie_headers(secure) if c.startswith("session="))
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_its_scheme_and_the_clients_address_are_honoured_only_when_configured(app):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "ts.example"}
    trusted = Client(behind_proxy(app.wsgi_app, 1), app.response_class)
    untrusted = Client(app.wsgi_app, app.response_class)

    secure = trusted.get("/login", headers=forwarded)
    ignored = untrusted.get("/login", headers=forwarded)

    assert any("Secure" in c for c in _set_cookie_headers(secure) if c.startswith("session="))
    assert all("Secure" not in c for c in _set_cookie_headers(ignored))


def test_the_language_cookie_is_secure_over_https_too(app):
    client = app.test_client()
    page = client.get("/login", base_url="https://tracker.example").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/lang/en", data={"csrf_token": token}, base_url="https://tracker.example",
                           headers={"Referer": "https://tracker.example/login"})  # CSRF over HTTPS checks it
    assert response.status_code == 302
    assert any(c.startswith("lang=en") and "Secure" in c for c in _set_cookie_headers(response))


def _upload(client, rows: int = 3):
    token = csrf_token(client, "/imports/")
    return client.post("/imports/", data={"file": (io.BytesIO(build.xlsx_of(build.simple_equipment_rows(rows))),
                                                   "x.xlsx"), "unit_id": "", "csrf_token": token},
                       content_type="multipart/form-data")


def test_a_person_keeps_at_most_five_previews_waiting_the_oldest_idle_one_goes(app, db, browser, make_user):
    from tracker.importing.uploads import PENDING_PER_USER, waiting

    officer = make_user(Role.OFFICER, username="canbo")
    client = browser()
    Auth(client).login("canbo")

    tokens = [_upload(client).headers["Location"].rsplit("/", 1)[1] for _ in range(PENDING_PER_USER + 2)]

    db.session.expire_all()
    mine = [job.token for job in waiting(officer.id)]
    assert mine == tokens[-PENDING_PER_USER:]
    assert client.get(f"/imports/{tokens[0]}").status_code == 404


def test_uploads_wait_only_while_there_is_room_and_a_refusal_says_so(app, db, browser, make_user, monkeypatch):
    from tracker.importing.uploads import waiting

    make_user(Role.OFFICER, username="canbo")
    client = browser()
    Auth(client).login("canbo")
    monkeypatch.setitem(app.config, "IMPORT_PENDING_TOTAL_MB", 0)

    refused = _upload(client)

    assert refused.status_code == 200
    assert "Máy chủ đang giữ quá nhiều tệp chờ nhập" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert waiting() == []

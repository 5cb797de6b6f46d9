"""The import pages: upload, progress, preview, commit or cancel, templates, limits and permissions."""
from __future__ import annotations

import io
import re
import time

import pytest
import sqlalchemy as sa

from tests import import_builders as build
from tests.conftest import csrf_token
from tracker.importing.parse import parse_file
from tracker.importing.safety import FileRefused
from tracker.models import Asset, AssetEvent, BackgroundJob, ImportBatch, JobChunk, Role, UnitKind


def upload(client, data: bytes, name: str, unit_id: int | str = ""):
    token = csrf_token(client, "/imports/")
    return client.post("/imports/", data={"file": (io.BytesIO(data), name), "unit_id": str(unit_id),
                                          "csrf_token": token}, content_type="multipart/form-data")


def preview_token(response) -> str:
    return re.search(r"/imports/([A-Za-z0-9_-]{20,})", response.headers["Location"]).group(1)


def commit(client, token: str, confirm_all: bool = False):
    """Press «Ghi vào cơ sở dữ liệu» on the preview (ticking «Đồng ý tất cả» first if asked); returns the page
    the browser lands on (a redirect)."""
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html).group(1)
    data = {"csrf_token": csrf_token(client, f"/imports/{token}"), "fingerprint": fingerprint}
    if confirm_all:
        data["confirm_all"] = "1"
    response = client.post(f"/imports/{token}/commit", data=data)
    assert response.headers["Location"].endswith(f"/imports/{token}")
    return client.get(f"/imports/{token}")


def asset_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Asset))


@pytest.fixture
def officer(make_user, auth):
    user = make_user(Role.OFFICER)
    auth.login(user.username)
    return user


def test_officer_previews_then_commits_a_handmade_list(client, db, officer):
    data, expected = build.handmade_equipment()
    response = upload(client, data, "danh-sach-song-cong.xlsx")
    assert response.status_code == 302
    token = preview_token(response)
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    assert re.search(r'data-count="created">7<', html) and re.search(r'data-count="rejected">0<', html)
    assert re.search(r'data-count="skipped">10<', html)
    assert "lệch 1.000 đ" in html  # the wrong subtotal is shown before anything is stored
    assert "Phường Thắng Lợi (4)" in html and "Xã Tân Quang (3)" in html
    assert asset_count(db) == 0
    response = commit(client, token)
    assert response.status_code == 302 and "/imports/batches/" in response.headers["Location"]
    batch = db.session.scalar(sa.select(ImportBatch))
    assert (batch.created_count, batch.user_id, batch.filename) == (7, officer.id, "danh-sach-song-cong.xlsx")
    assert asset_count(db) == expected["created"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert batch.sha256 in page
    landing = client.get(f"/imports/{token}")  # the preview's address now leads to what was stored
    assert landing.status_code == 302 and landing.headers["Location"].endswith(f"/imports/batches/{batch.id}")
    job = db.session.scalar(sa.select(BackgroundJob).where(BackgroundJob.token == token))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobChunk).where(JobChunk.job_id == job.id)) == 0


def test_a_preview_with_refused_rows_offers_no_commit_and_a_forced_commit_stores_nothing(client, db, officer):
    rows = build.simple_equipment_rows(2) + [[3, "Phường Không Có", "X-1", "Máy", "Máy in", 5, "Tốt"]]
    token = preview_token(upload(client, build.xlsx_of(rows), "loi.xlsx"))
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    assert 'id="commit-form"' not in html
    assert "Không tìm thấy đơn vị «Phường Không Có»" in html and ">dòng 4</td>" in html
    fingerprint = re.search(r'value="([0-9a-f]{64})"', html)
    assert fingerprint is None
    client.post(f"/imports/{token}/commit", data={"csrf_token": csrf_token(client, f"/imports/{token}"),
                                                  "fingerprint": "x"})
    assert asset_count(db) == 0


def test_cancel_stores_nothing_and_forgets_the_upload(client, db, officer):
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(2)), "x.xlsx"))
    response = client.post(f"/imports/{token}/cancel", data={"csrf_token": csrf_token(client, f"/imports/{token}")})
    assert response.status_code == 302
    assert asset_count(db) == 0 and client.get(f"/imports/{token}").status_code == 404


def test_commit_needs_the_csrf_token(client, db, officer):
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(1)), "x.xlsx"))
    assert client.post(f"/imports/{token}/commit", data={"fingerprint": "x"}).status_code == 400
    assert asset_count(db) == 0


def test_a_commit_after_the_data_moved_shows_the_new_preview_instead(client, db, officer, make_asset, unit_by_name):
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(2)), "x.xlsx"))
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html).group(1)
    make_asset(code="SE-001", name="Máy tính số 1", equipment_type="Máy vi tính",
               unit=unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE))
    before = asset_count(db)
    response = client.post(f"/imports/{token}/commit", data={"csrf_token": csrf_token(client, f"/imports/{token}"),
                                                             "fingerprint": fingerprint})
    assert response.headers["Location"].endswith(f"/imports/{token}")
    assert asset_count(db) == before
    assert "Dữ liệu đã thay đổi" in client.get(f"/imports/{token}").get_data(as_text=True)


def test_the_unit_chosen_on_the_form_applies_to_rows_that_name_none(client, db, officer, unit_by_name):
    unit = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    rows = [["STT", "Tên tài sản", "Loại thiết bị"], [1, "Máy in", "Máy in"]]
    token = preview_token(upload(client, build.xlsx_of(rows), "x.xlsx", unit.id))
    commit(client, token)
    assert db.session.scalar(sa.select(Asset.unit_id)) == unit.id


def test_big_imports_are_written_in_the_background_with_progress(client, db, officer, app, monkeypatch):
    from tracker.jobs import store

    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 0)
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(50)), "x.xlsx"))
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html).group(1)
    response = client.post(f"/imports/{token}/commit", data={"csrf_token": csrf_token(client, f"/imports/{token}"),
                                                             "fingerprint": fingerprint})
    assert response.headers["Location"].endswith(f"/imports/{token}")
    db.session.expire_all()
    job = store.by_token(token)
    assert job.state == "committed" and job.attempts == 2  # read once, written once, by the queue's task
    landing = client.get(f"/imports/{token}")
    assert "/imports/batches/" in landing.headers["Location"]
    assert asset_count(db) == 50


def test_big_files_are_read_in_the_background_with_progress(client, db, officer, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_BYTES", 0)
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(300)), "lon.xlsx"))
    deadline = time.monotonic() + 30
    while True:
        status = client.get(f"/imports/{token}/status").get_json()
        assert status["state"] in ("reading", "ready") and 0 <= status["percent"] <= 100
        if status["state"] == "ready" or time.monotonic() > deadline:
            break
        page = client.get(f"/imports/{token}").get_data(as_text=True)
        assert "import.js" in page or 'data-count="created"' in page
        time.sleep(0.05)
    assert status["state"] == "ready"
    assert re.search(r'data-count="created">300<', client.get(f"/imports/{token}").get_data(as_text=True))


@pytest.mark.parametrize("data, name, message", [
    (b"", "rong.xlsx", "rỗng"),
    (b"khong phai excel" * 100, "gia.xlsx", "không phải bảng tính Excel"),
    (None, "mat-khau.xlsx", "đặt mật khẩu"),
    (None, "bom.xlsx", "zip bomb"),
])
def test_bad_files_get_a_vietnamese_message_and_change_nothing(client, db, officer, data, name, message):
    data = data if data is not None else (build.encrypted_xlsx() if "mat-khau" in name else build.zip_bomb(200))
    token = preview_token(upload(client, data, name))
    html = client.get(f"/imports/{token}").get_data(as_text=True)
    assert 'id="import-failed"' in html and message in html
    assert asset_count(db) == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_an_upload_over_the_limit_is_refused_with_the_limit_in_the_message(client, db, officer, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 50 * 1024 * 1024
    token = csrf_token(client, "/imports/")
    response = client.post("/imports/", data={"file": (io.BytesIO(b"0" * (60 * 1024 * 1024)), "lon.xlsx"),
                                              "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "giới hạn 50 MB" in response.get_data(as_text=True)
    assert asset_count(db) == 0


def test_templates_download_for_every_kind_and_are_recognised(client, officer):
    html = client.get("/imports/").get_data(as_text=True)
    for kind in ("headquarters", "vehicle", "equipment", "archive_box"):
        assert f"/imports/templates/{kind}.xlsx" in html
        response = client.get(f"/imports/templates/{kind}.xlsx")
        assert response.status_code == 200 and response.data[:2] == b"PK"
        with pytest.raises(FileRefused, match="không có dòng tài sản nào"):
            parse_file(response.data, f"{kind}.xlsx")


def test_only_officers_and_admins_import_and_nobody_sees_anothers_upload(client, db, make_user, auth, unit_by_name):
    first = make_user(Role.OFFICER)
    auth.login(first.username)
    token = preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(1)), "x.xlsx"))
    auth.logout()
    second = make_user(Role.OFFICER)
    auth.login(second.username)
    assert client.get(f"/imports/{token}").status_code == 404
    assert client.get(f"/imports/{token}/status").status_code == 404
    auth.logout()
    for role in (Role.AUDITOR, Role.COMMUNE):
        user = make_user(role, unit=unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE) if role == Role.COMMUNE
                         else None)
        auth.login(user.username)
        assert client.get("/imports/").status_code == 403
        assert "/imports/" not in client.get("/assets/").get_data(as_text=True)
        auth.logout()


def test_auditors_read_the_import_record(client, db, make_user, auth):
    officer = make_user(Role.OFFICER)
    auth.login(officer.username)
    commit(client, preview_token(upload(client, build.xlsx_of(build.simple_equipment_rows(2)), "x.xlsx")))
    batch = db.session.scalar(sa.select(ImportBatch))
    auth.logout()
    auditor = make_user(Role.AUDITOR)
    auth.login(auditor.username)
    page = client.get(f"/imports/batches/{batch.id}").get_data(as_text=True)
    assert batch.sha256 in page and officer.username in page
    events = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.import_id == batch.id)).all()
    assert len(events) == 2


def test_the_import_record_lists_each_asset_it_changed_and_which_fields(client, db, officer):
    rows = build.simple_equipment_rows(2)
    commit(client, preview_token(upload(client, build.xlsx_of(rows), "v1.xlsx")))
    rows[1][5] = 99_000_000  # far beyond a rounding: held until ticked
    landing = commit(client, preview_token(upload(client, build.xlsx_of(rows), "v2.xlsx")), confirm_all=True)
    page = client.get(landing.headers["Location"]).get_data(as_text=True)
    assert "SE-001" in page and "sửa: Nguyên giá (đồng)" in page and "SE-002" not in page

"""A big export is written by the queue's worker and fetched from its page; the file must be exactly
the one the request would have streamed.

The worker reads the database through its own connection, so it only sees committed rows: these
tests use a database of their own (not the suite's rolled-back transaction), built by the
migrations and filled through the real services, on SQLite and on PostgreSQL. The queue runs each
job at once (TestConfig); tests/test_two_hosts.py runs a real worker process.
"""
from __future__ import annotations

import csv
import io

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import Auth
from tracker.jobs import store
from tracker.models import AssetKind, Role, UnitKind

TRICKY = ['Máy tính "Dell", phòng Một Cửa', "=HYPERLINK(\"http://x\")", "dòng một\r\ndòng hai", "+84 912",
          "-2 chiếc hỏng", "@SUM(A1)", "Thắng Lợi", "Thăng Long (decomposed: Tha\u0306ng)", "", None]


def _database_for(database_url: str, tmp_path_factory) -> tuple[str, callable]:
    """A fresh empty database beside the suite's one, and how to remove it."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path_factory.mktemp('exportjobs') / 'exports.db'}", lambda: None
    url = sa.engine.make_url(database_url)
    admin = f"host={url.host} port={url.port} user={url.username} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS tracker_export_jobs")
        conn.execute("CREATE DATABASE tracker_export_jobs")

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS tracker_export_jobs WITH (FORCE)")

    return url.set(database="tracker_export_jobs").render_as_string(hide_password=False), drop


@pytest.fixture(scope="module")
def committed_app(database_url, tmp_path_factory):
    """An app on its own database: Thái Nguyên, an admin, a clerk of Bá Xuyên and 41 committed assets."""
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.admin.services import create_user
    from tracker.assets.services import create_asset
    from tracker.config import TestConfig
    from tracker.extensions import db
    from tracker.models import Province, Unit
    from tracker.units.loader import load_province

    url, drop = _database_for(database_url, tmp_path_factory)
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        province = db.session.scalar(sa.select(Province).where(Province.code == 19))

        def unit(name, kind=UnitKind.OLD_COMMUNE):
            return db.session.scalar(sa.select(Unit).where(Unit.name == name, Unit.kind == kind,
                                                           Unit.province_id == province.id))

        thang_loi, pho_co = unit("Phường Thắng Lợi"), unit("Phường Phố Cò")
        ba_xuyen = unit("Phường Bá Xuyên", UnitKind.NEW_COMMUNE)  # not the successor of either
        create_user("xuat_admin", "Cay-bang-ven-song-42", Role.ADMIN)
        create_user("xuat_clerk", "Cay-bang-ven-song-42", Role.COMMUNE, province=province, unit=ba_xuyen)
        for n in range(40):
            text = TRICKY[n % len(TRICKY)]
            owner = pho_co if n % 3 == 0 else thang_loi
            kind = (AssetKind.EQUIPMENT, AssetKind.HEADQUARTERS, AssetKind.ARCHIVE_BOX, AssetKind.VEHICLE)[n % 4]
            fields = {AssetKind.EQUIPMENT: {"equipment_type": "Máy vi tính"},
                      AssetKind.HEADQUARTERS: {"address": f"Tổ {n}", "land_area": f"{n},25", "floor_area": "80"},
                      AssetKind.ARCHIVE_BOX: {"fonds": "Phông UBND", "box_no": str(n), "arrangement": "unsorted",
                                              "linear_m": "0,125"},
                      AssetKind.VEHICLE: {"plate": f"20A-{n:03d}.45"}}[kind]
            create_asset(kind, {"name": text or f"Tài sản {n}", "notes": text, "original_cost": 12_500_000 + n,
                                "remaining_value": n, "code": f"S-{n:03d}", **fields}, None, unit=owner,
                         receiver=ba_xuyen if owner is pho_co else None)
        create_asset(AssetKind.EQUIPMENT, {"name": "Máy in", "equipment_type": "Máy in", "code": "S-LAST"}, None,
                     unit=thang_loi)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()
    drop()


def download(app, username: str, path: str = "/exports/register.csv", job_rows: int = 0) -> tuple[bytes, str | None]:
    """The export's bytes, and the job's page if it went through one (``job_rows``: EXPORT_JOB_ROWS)."""
    app.config["EXPORT_JOB_ROWS"] = job_rows
    client = app.test_client()
    Auth(client).login(username)
    response = client.get(path)
    if response.status_code == 200:
        return response.data, None
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"], response.status_code
    page = response.headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert 'id="job-done"' in html, html[:3000]
    got = client.get(page + "/download")
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    assert int(got.headers["Content-Length"]) == len(got.data)
    return got.data, page


@pytest.mark.parametrize("username, path, expected_rows", [
    ("xuat_admin", "/exports/register.csv", 41),
    ("xuat_admin", "/exports/register.csv?kind=equipment&q=dell", 2),
    ("xuat_clerk", "/exports/register.csv", 14),  # commune staff: only what comes to their unit
])
def test_a_big_export_comes_from_its_job_page_byte_for_byte_the_streamed_file(committed_app, username, path,
                                                                             expected_rows):
    streamed, page = download(committed_app, username, path, job_rows=0)
    assert page is None
    from_job, page = download(committed_app, username, path, job_rows=1)
    assert page is not None and from_job == streamed
    rows = list(csv.reader(io.StringIO(from_job.decode("utf-8-sig"))))
    assert len(rows) == expected_rows + 1


def test_a_big_xlsx_export_is_a_real_workbook_from_the_job(committed_app):
    import openpyxl

    data, page = download(committed_app, "xuat_admin", "/exports/register.xlsx", job_rows=1)
    assert page is not None
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert sum(sheet.max_row for sheet in book.worksheets) > 41


def test_only_who_asked_for_an_export_may_see_or_fetch_it(committed_app):
    _, page = download(committed_app, "xuat_admin", job_rows=1)
    other = committed_app.test_client()
    Auth(other).login("xuat_clerk")
    assert other.get(page).status_code == 404
    assert other.get(page + "/download").status_code == 404
    assert other.get(page + "/status").status_code == 404
    assert committed_app.test_client().get(page + "/download").status_code in (302, 401)


def test_an_export_job_that_crashes_says_so_and_leaves_no_file(committed_app, monkeypatch):
    from tracker.exports import jobs as export_jobs

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
        yield b""  # pragma: no cover

    monkeypatch.setattr(export_jobs, "register_csv", broken)
    committed_app.config["EXPORT_JOB_ROWS"] = 1
    client = committed_app.test_client()
    Auth(client).login("xuat_admin")
    page = client.get("/exports/register.csv").headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert 'id="job-failed"' in html and "lỗi không lường trước" in html
    assert client.get(page + "/download").status_code == 404
    with committed_app.app_context():
        job = store.by_token(page.rsplit("/", 1)[1])
        assert job.state == "failed" and not store.has_file(job, "export")

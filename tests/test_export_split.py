"""A big CSV export is written by two processes; the file must be exactly the one-process file.

The second process reads the database through its own connection, so it only sees committed
rows: these tests use a database of their own (not the suite's rolled-back transaction), built
by the migrations and filled through the real services, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import csv
import io
import logging
import sys
import tempfile

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import Auth
from tracker.exports import split
from tracker.models import AssetKind, Role, UnitKind

TRICKY = ['Máy tính "Dell", phòng Một Cửa', "=HYPERLINK(\"http://x\")", "dòng một\r\ndòng hai", "+84 912",
          "-2 chiếc hỏng", "@SUM(A1)", "Thắng Lợi", "Thăng Long (decomposed: Tha\u0306ng)", "", None]


def _database_for(database_url: str, tmp_path_factory) -> tuple[str, callable]:
    """A fresh empty database beside the suite's one, and how to remove it."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path_factory.mktemp('split') / 'split.db'}", lambda: None
    url = sa.engine.make_url(database_url)
    admin = f"host={url.host} port={url.port} user={url.username} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS tracker_split")
        conn.execute("CREATE DATABASE tracker_split")

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS tracker_split WITH (FORCE)")

    return url.set(database="tracker_split").render_as_string(hide_password=False), drop


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
        create_user("split_admin", "Cay-bang-ven-song-42", Role.ADMIN)
        create_user("split_clerk", "Cay-bang-ven-song-42", Role.COMMUNE, province=province, unit=ba_xuyen)
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


def download(app, username: str, query: str = "", split_rows: int = 0) -> bytes:
    app.config["EXPORT_SPLIT_ROWS"] = split_rows
    client = app.test_client()
    Auth(client).login(username)
    response = client.get(f"/exports/register.csv{query}")
    assert response.status_code == 200
    return response.data


@pytest.fixture
def started(monkeypatch):
    """The second processes started during the test."""
    parts: list[split.SecondPart] = []
    original = split.start

    def spy(*args, **kwargs):
        parts.append(original(*args, **kwargs))
        return parts[-1]

    monkeypatch.setattr(split, "start", spy)
    return parts


@pytest.mark.parametrize("username, query, expected_rows", [
    ("split_admin", "", 41),
    ("split_admin", "?kind=equipment&q=dell", 2),
    ("split_clerk", "", 14),  # commune staff: only what comes to their unit, in both processes
])
def test_a_csv_written_by_two_processes_is_byte_for_byte_the_one_process_file(committed_app, started, username,
                                                                               query, expected_rows):
    alone = download(committed_app, username, query, split_rows=0)
    assert not started
    together = download(committed_app, username, query, split_rows=1)
    assert len(started) == 1 and started[0].process.returncode == 0  # it ran, and did not fall back
    assert together == alone
    rows = list(csv.reader(io.StringIO(together.decode("utf-8-sig"))))
    assert len(rows) == 1 + expected_rows
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == sorted(set(ids))  # registration order, each asset once across the cut
    notes = {r[rows[0].index("Ghi chú")] for r in rows[1:]}
    if username == "split_admin" and not query:
        # Neutralised formulas, quotes and commas kept, Unicode composed (the service cleans text on the way in).
        assert notes == {"", "'+84 912", "'=HYPERLINK(\"http://x\")", "'-2 chiếc hỏng", "'@SUM(A1)", "dòng một dòng hai",
                         'Máy tính "Dell", phòng Một Cửa', "Thăng Long (decomposed: Thăng)", "Thắng Lợi"}


def test_a_failing_second_process_costs_time_not_rows(committed_app, started, monkeypatch, caplog):
    alone = download(committed_app, "split_admin", split_rows=0)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the second process dies at once
    with caplog.at_level(logging.ERROR, logger="tracker.exports.split"):
        together = download(committed_app, "split_admin", split_rows=1)
    assert started[0].process.returncode != 0
    assert "second export process failed" in caplog.text
    assert together == alone


def test_an_abandoned_download_stops_the_second_process_and_removes_its_file(committed_app, started, monkeypatch,
                                                                             tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    committed_app.config["EXPORT_SPLIT_ROWS"] = 1
    client = committed_app.test_client()
    Auth(client).login("split_admin")
    response = client.get("/exports/register.csv", buffered=False)
    body = iter(response.response)
    assert next(body).startswith("\ufeff".encode())  # the header, then the reader hangs up
    next(body)
    response.close()
    assert started and started[0].process.poll() is not None
    assert not list(tmp_path.glob("tracker-export-*"))


def test_small_exports_stay_in_one_process(committed_app, started):
    download(committed_app, "split_admin", split_rows=42)  # one row more than there are
    assert not started


def test_a_second_process_that_cannot_start_leaves_the_worker_to_write_everything(committed_app, monkeypatch,
                                                                                  tmp_path, caplog):
    alone = download(committed_app, "split_admin", split_rows=0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with caplog.at_level(logging.ERROR, logger="tracker.exports.split"):
        together = download(committed_app, "split_admin", split_rows=1)
    assert "could not start the second export process" in caplog.text
    assert together == alone
    assert not list(tmp_path.glob("tracker-export-*"))

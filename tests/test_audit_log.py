"""The audit log and histories: complete (failed sign-ins too), filterable, exportable, never edited;
and an auditor can change nothing anywhere."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import signed
from tracker.models import AssetKind, AuditEntry, Role, UnitKind

ROOT = Path(__file__).resolve().parent.parent
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What an auditor may post: their own session and language, checking a file against issued
# minutes (which stores nothing), and marking their own notices read (only their read times
# change). Everything else must answer 403.
AUDITOR_MAY_POST = {"auth.login", "auth.logout", "auth.set_language", "handovers.verify", "notices.read_all"}
# The only table an auditor's requests may add to: the log itself (sign-ins, exports).
MAY_GROW = {"audit_log"}


@pytest.fixture
def people(make_user):
    return {"admin": make_user(Role.ADMIN, username="quantri"), "auditor": make_user(Role.AUDITOR, username="kt.ha"),
            "officer": make_user(Role.OFFICER, username="cb.so")}


def test_failed_sign_ins_are_in_the_log_filterable_and_exported(client, people):
    auth = Auth(client)
    assert auth.login("kt.ha", "sai-mat-khau").status_code == 401
    assert auth.login("ai-do-la", "doan-mo").status_code == 401
    auth.login("quantri")
    html = client.get("/audit/?action=login_failed").get_data(as_text=True)
    assert "kt.ha" in html and "ai-do-la" in html and "Đăng nhập thất bại" in html
    assert "quantri" not in re.sub(r"<form.*?</form>", "", html.split('id="audit-log"')[1], flags=re.S)
    rows = list(csv.DictReader(io.StringIO(client.get("/audit/log.csv?action=login_failed").data.decode("utf-8-sig"))))
    assert {r["Người dùng"] for r in rows} == {"kt.ha", "ai-do-la"}
    assert {r["Hành động"] for r in rows} == {"Đăng nhập thất bại"}
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/audit/log.xlsx?username=quantri").data)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "Đăng nhập" in values and "kt.ha" not in values


def test_a_provincial_auditor_sees_their_provinces_people_but_not_unknown_names(client, people):
    auth = Auth(client)
    auth.login("cb.so", "sai-mat-khau")
    auth.login("ai-do-la", "doan-mo")
    auth.login("kt.ha")
    html = client.get("/audit/?action=login_failed").get_data(as_text=True)
    assert "cb.so" in html and "ai-do-la" not in html


def test_the_log_filters_by_date_range_and_pages_backwards(client, db, people):
    from tracker import audit

    for i in range(105):
        audit.log("user_updated", people["admin"], people["officer"], step=i)
    db.session.commit()
    Auth(client).login("quantri")
    first = client.get("/audit/?action=user_updated").get_data(as_text=True)
    older = re.search(r'href="(/audit/\?before=\d+[^"]*)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert second.count('"step": 0') == 1 and first.count('"step": 104') == 1
    assert "user_updated" in older or "action=user_updated" in older
    assert "Không có bản ghi" in client.get("/audit/?date_to=2000-01-01").get_data(as_text=True)


def test_no_page_or_command_edits_or_deletes_the_log(app):
    """Every audit, export and API route is read-only; no route or command is named for editing the log."""
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if blueprint in ("audit", "reconciliation", "exports", "api"):
            assert not (rule.methods & WRITE_METHODS), f"{rule} accepts {rule.methods}"
        if "audit" in rule.rule or "log" in rule.endpoint:
            assert not re.search(r"edit|delete|remove|purge|update", rule.endpoint), rule.endpoint

    def commands(group, prefix=""):
        for name, command in getattr(group, "commands", {}).items():
            yield f"{prefix}{name}"
            yield from commands(command, f"{prefix}{name} ")
    for name in commands(app.cli):
        assert not re.search(r"(audit|log|history).*(delete|purge|edit|clear)|(delete|purge|clear).*(audit|log)", name)


def test_no_code_path_updates_or_deletes_history_rows():
    """Only INSERTs reach audit_log and asset_events: no ORM update/delete, no raw UPDATE/DELETE."""
    forbidden = re.compile(
        r"(update|delete)\(\s*(AuditEntry|AssetEvent)\b|UPDATE\s+(audit_log|asset_events)|"
        r"DELETE\s+FROM\s+(audit_log|asset_events)|session\.delete\(\s*(entry|event)\b", re.I)
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in (ROOT / "tracker").rglob("*.py")
                 for m in forbidden.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_database_refuses_an_orm_edit_of_a_log_entry(db, people):
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.session.begin_nested():
            entry.action = "forged"
            db.session.flush()
    db.session.rollback()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.delete(db.session.get(AuditEntry, entry.id))
            db.session.flush()


def test_histories_of_an_asset_a_unit_and_a_handover_open_and_export(client, db, people, make_asset,
                                                                     unit_by_name):
    giver = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    receiver = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    assets = [make_asset(AssetKind.EQUIPMENT, unit=giver, code=f"TB-{i}", name=f"Máy {i}", equipment_type="Máy in",
                         original_cost=2_000_000 + i) for i in range(2)]
    handover = signed(db, people["officer"], giver, receiver, assets)
    Auth(client).login("kt.ha")
    page = client.get(f"/audit/assets/{assets[0].id}").get_data(as_text=True)
    assert "Phát hành biên bản" in page and "Nguyên giá" in page and "2.000.000 đ" in page
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/audit/assets/{assets[0].id}/history.csv").data.decode("utf-8-sig"))))
    assert {r["Hành động"] for r in rows} >= {"Tạo mới", "Phát hành biên bản", "Ký biên bản"}
    status_rows = [r for r in rows if r["Thông tin"] == "Trạng thái"]
    assert [r["Sau"] for r in status_rows][-2:] == ["Đã phát hành biên bản", "Đã ký biên bản"]
    handover_page = client.get(f"/audit/handovers/{handover.id}").get_data(as_text=True)
    assert "TB-0" in handover_page and "TB-1" in handover_page
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/audit/handovers/{handover.id}/history.xlsx").data))
    assert {c.value for c in book.active["F"]} >= {"TB-0 – Máy 0", "TB-1 – Máy 1"}
    assert client.get(f"/audit/units/{giver.id}").status_code == 200
    unit_rows = client.get(f"/audit/units/{giver.id}/history.csv").data.decode("utf-8-sig")
    assert "TB-0 – Máy 0" in unit_rows and "TB-1 – Máy 1" in unit_rows


def test_commune_staff_cannot_read_the_log_or_histories(client, make_user, make_asset, unit_by_name):
    ward = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    asset = make_asset(AssetKind.EQUIPMENT, receiver=ward)
    clerk = make_user(Role.COMMUNE, unit=ward)
    Auth(client).login(clerk.username)
    for url in ("/audit/", "/audit/log.csv", f"/audit/assets/{asset.id}", f"/audit/units/{ward.id}"):
        assert client.get(url).status_code == 403, url


def _fingerprint(db) -> dict[str, str]:
    """A hash of every row of every table, to prove nothing changed."""
    prints = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        prints[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return prints


def test_an_auditor_can_write_nothing_anywhere(app, client, db, people, make_asset, unit_by_name):
    giver = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    receiver = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    asset = make_asset(AssetKind.EQUIPMENT, unit=giver, receiver=receiver)
    handover = signed(db, people["officer"], giver, receiver, [asset])
    ids = {"asset_id": asset.id, "handover_id": handover.id, "unit_id": giver.id, "user_id": people["admin"].id,
           "item_id": handover.items[0].id, "file_id": handover.minutes_file_id, "province_id": giver.province_id}
    words = {"kind": "equipment", "code": "vi", "fmt": "csv", "doc": "minutes"}
    Auth(client).login("kt.ha")
    token = csrf_token(client, "/exports/")
    before = _fingerprint(db)
    adapter = app.url_map.bind("localhost")
    refused, accepted = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = rule.methods & WRITE_METHODS
        if not methods or rule.endpoint == "auth.logout":
            continue
        values = {arg: ids.get(arg, 1) if arg.endswith("_id") else words.get(arg, "x") for arg in rule.arguments}
        url = adapter.build(rule.endpoint, values)
        for method in methods:
            response = client.open(url, method=method, data={"csrf_token": token, "name": "thử", "reason": "thử ghi"})
            if rule.endpoint in AUDITOR_MAY_POST:
                accepted.append((rule.endpoint, response.status_code))
            else:
                refused.append((rule.endpoint, response.status_code))
    assert refused, "no write routes found"
    assert [r for r in refused if r[1] != 403] == []
    assert all(code < 500 for _, code in accepted)
    db.session.expire_all()
    after = _fingerprint(db)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= MAY_GROW, changed


def test_every_asset_change_in_scope_is_exported_with_who_and_when(client, make_asset, people):
    make_asset(AssetKind.EQUIPMENT, code="TB-9", name="Máy chiếu", equipment_type="Máy chiếu", actor=people["officer"])
    Auth(client).login("kt.ha")
    rows = list(csv.DictReader(io.StringIO(client.get("/audit/changes.csv?username=cb.so").data.decode("utf-8-sig"))))
    assert rows and {r["Tài sản"] for r in rows} == {"TB-9 – Máy chiếu"}
    assert {r["Người thực hiện"] for r in rows} == {"cb.so"} and {r["Hành động"] for r in rows} == {"Tạo mới"}
    assert client.get("/audit/changes.csv?username=nobody").data.decode("utf-8-sig").count("\r\n") == 1

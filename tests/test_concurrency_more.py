"""Two people at once, really at once: a receipt confirmed twice, an asset edited from two stale
forms, the same import committed twice. Issue 13: what must hold must hold under races.

The usual fixture rolls each test back on one connection, which cannot show two transactions
racing. Here each thread has its own session and connection on the app's engine and commits for
real; a barrier releases them together and the first holds its transaction open a moment, so the
second really runs into it. Rows created are deleted afterwards (history tables too: their
triggers are switched off, or dropped and recreated on SQLite, for that cleanup only).
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from tests import handover_factory as hf
from tests import import_builders as build
from tests.committed_data import committed_on_any_database  # noqa: F401 - a fixture
from tests.conftest import Auth, IsolatedClient, csrf_token
from tracker.errors import DomainError
from tracker.models import (Asset, AssetEvent, AssetKind, AuditEntry, Handover, HandoverItem, ImportBatch,
                            ReceiptState, Role, Unit, UnitKind, User)

PASSWORD = "ghế đá - cầu Gia Bảy - 1947"  # passes the sign-in strength rules
HOLD = 0.3  # seconds the first transaction stays open after its writes, so the other one overlaps


@pytest.fixture
def committed(committed_on_any_database):
    return committed_on_any_database


def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite lets one writer at a time, and a second transaction that read "
                    "before the first committed is refused outright, so the two cannot interleave")


def race(app, db, work: Callable[[int], object], runs: int = 2) -> dict[int, object]:
    """Run ``work(i)`` in ``runs`` threads released together; each commits, or rolls back on refusal.

    Returns i -> "ok" or the refusal (the DomainError's message, or the exception itself).
    """
    barrier, results = threading.Barrier(runs), {}

    def run(i):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                work(i)
                time.sleep(HOLD)
                db.session.commit()
                results[i] = "ok"
            except DomainError as exc:
                db.session.rollback()
                results[i] = exc.message
            except Exception as exc:  # noqa: BLE001 - the test asserts on what the loser got
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _unit(db, name: str, kind: UnitKind) -> Unit:
    return db.session.scalars(sa.select(Unit).where(Unit.name == name, Unit.kind == kind)).first()


def _officer(db, username: str = "dongthoi") -> User:
    from tracker.admin.services import create_user

    giver = _unit(db, "Phường Phố Cò", UnitKind.OLD_COMMUNE)
    return create_user(username, PASSWORD, Role.OFFICER, province=giver.province, full_name="Cán bộ đồng thời")


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# (a) The receiving commune confirms the same item from two tabs at once.

def test_the_same_item_confirmed_received_twice_at_once_is_recorded_once(app, committed, database_url):
    postgres_only(database_url)
    db = committed
    from tracker.admin.services import create_user
    from tracker.assets.services import create_asset
    from tracker.handovers import services

    giver, receiver = hf.units(lambda name, kind: _unit(db, name, kind))
    officer = _officer(db)
    clerk = create_user("xacnhan", PASSWORD, Role.COMMUNE, unit=receiver, full_name="Cán bộ xã")
    asset = create_asset(AssetKind.EQUIPMENT, {"name": "Máy vi tính nhận hai lần", "code": "TB-CONF-1",
                                               "equipment_type": "Máy vi tính", "original_cost": "9.000.000"},
                         officer, unit=giver)
    db.session.commit()
    handover = hf.signed(db, officer, giver, receiver, [asset])
    handover_id, asset_id, clerk_id = handover.id, asset.id, clerk.id
    item_id = handover.items[0].id
    db.session.remove()

    def confirm(_i):
        handover = db.session.get(Handover, handover_id)
        return services.confirm_items(handover, {item_id: (ReceiptState.RECEIVED, "")},
                                      db.session.get(User, clerk_id))

    results = race(app, db, confirm)
    assert list(results.values()) == ["ok", "ok"], results  # the second click is not an error, just nothing new
    received = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.asset_id == asset_id,
                                                              AssetEvent.action == "received")).all()
    assert len(received) == 1, [(e.id, e.changes) for e in received]
    assert received[0].changes == {"status": ["signed", "received"]}
    assert count(db, AuditEntry, AuditEntry.action == "handover_items_confirmed",
                 AuditEntry.object_id == handover_id) == 1
    item = db.session.get(HandoverItem, item_id)
    assert item.receipt_state == ReceiptState.RECEIVED and item.confirmed_by_id == clerk_id


# (b) Two officers save the same asset, both from the page they opened at version 1.

def test_two_saves_from_stale_forms_at_once_the_second_is_told_and_nothing_is_overwritten(
        app, committed, database_url, monkeypatch):
    postgres_only(database_url)
    db = committed
    from tracker.admin.services import create_user
    from tracker.assets import views
    from tracker.assets.services import create_asset

    unit = _unit(db, "Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    users = [create_user(f"suacung{i}", PASSWORD, Role.OFFICER, province=unit.province, full_name=f"Cán bộ {i}")
             for i in (1, 2)]
    asset = create_asset(AssetKind.EQUIPMENT, {"name": "Máy photocopy", "code": "TB-EDIT-1",
                                               "equipment_type": "Máy photocopy"}, users[0], unit=unit)
    db.session.commit()
    asset_id, unit_id, path = asset.id, unit.id, f"/assets/{asset.id}/edit"
    names = ["Máy photocopy Ricoh", "Máy photocopy Toshiba"]
    browsers, tokens = [], []
    for user in users:
        browser = IsolatedClient(app, app.response_class, use_cookies=True)
        Auth(browser).login(user.username, PASSWORD)
        tokens.append(csrf_token(browser, path))  # both open the form at version 1
        browsers.append(browser)
    db.session.remove()

    real_update, barrier = views.update_asset, threading.Barrier(2)

    def update_together(*args, **kwargs):
        barrier.wait(timeout=10)  # both requests have read the asset at version 1
        saved = real_update(*args, **kwargs)
        time.sleep(HOLD)  # written, not yet committed: the other UPDATE waits on the row
        return saved

    monkeypatch.setattr(views, "update_asset", update_together)
    responses = {}

    def save(i):
        responses[i] = browsers[i].post(path, data={"csrf_token": tokens[i], "version": "1", "unit_id": unit_id,
                                                    "name": names[i], "equipment_type": "Máy photocopy"})

    threads = [threading.Thread(target=save, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r.status_code for r in responses.values()) == [302, 422]
    winner = next(i for i, r in responses.items() if r.status_code == 302)
    loser = 1 - winner
    page = responses[loser].get_data(as_text=True)
    # Told in Vietnamese, with what they typed kept and the saved version one click away.
    assert "Tài sản này vừa được người khác sửa" in page
    assert re.search(rf'name="name"[^>]*value="{names[loser]}"', page)
    assert f'href="/assets/{asset_id}"' in page and "Mở bản hiện tại ở thẻ mới" in page
    current = browsers[loser].get(f"/assets/{asset_id}").get_data(as_text=True)
    assert names[winner] in current
    saved = db.session.get(Asset, asset_id)
    assert (saved.name, saved.version) == (names[winner], 2)
    updates = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.asset_id == asset_id,
                                                             AssetEvent.action == "updated")).all()
    assert [e.changes for e in updates] == [{"name": ["Máy photocopy", names[winner]]}]


# (c) The same file committed twice at once (two tabs, or the page and the command).

def test_the_same_import_committed_twice_at_once_creates_each_asset_once(app, committed, database_url):
    db = committed
    from tracker.importing import commit as commit_module
    from tracker.importing.commit import commit_plan
    from tracker.importing.parse import parse_file
    from tracker.importing.plan import build_plan

    rows = build.simple_equipment_rows(300, prefix="RACE")
    rows += [[301, "Phường Thắng Lợi", "", "Máy in không mã", "Máy in", 4_000_000, "Tốt"]]  # a code is made up
    data = build.xlsx_of(rows)
    before = count(db, Asset)
    db.session.remove()

    def commit(_i):
        # As the command and the commit request do: plan against the database, then write, one transaction.
        plan = build_plan(parse_file(data, "trung-lap.xlsx"), None)
        assert plan.counts()["created"] == 301
        commit_plan(plan, None)

    results = race(app, db, commit)
    assert sorted(r == "ok" for r in results.values()) == [False, True], results
    refusal = next(r for r in results.values() if r != "ok")
    if database_url.startswith("postgresql"):
        # The loser passed every check (the winner had not committed); the unique key refused it.
        assert refusal == commit_module.TAKEN
    else:  # SQLite: the loser read before the winner wrote, so its first write is refused as stale
        assert refusal == commit_module.BUSY
    assert count(db, Asset) == before + 301
    assert count(db, ImportBatch, ImportBatch.filename == "trung-lap.xlsx") == 1
    duplicates = db.session.execute(sa.select(Asset.unit_id, Asset.code).group_by(Asset.unit_id, Asset.kind, Asset.code)
                                    .having(sa.func.count() > 1)).all()
    assert duplicates == []
    batch_id = db.session.scalar(sa.select(ImportBatch.id).where(ImportBatch.filename == "trung-lap.xlsx"))
    assert count(db, AssetEvent, AssetEvent.import_id == batch_id) == 301  # one history event each, once

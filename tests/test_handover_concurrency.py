"""Two officers at once on PostgreSQL: the database, not the form, keeps an asset in one open handover.

The usual fixture rolls each test back on one connection, which cannot show two transactions
racing. These tests commit for real (tests/committed_data.py) and delete what they created
afterwards (history tables included).
"""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from tests.committed_data import committed_on_any_database  # noqa: F401 - a fixture
from tests.handover_factory import HANDOVER_DATE
from tracker.errors import DomainError
from tracker.handovers import services
from tracker.models import Asset, AssetKind, Handover, HandoverItem, Role, User


@pytest.fixture
def committed(request, database_url):
    """db.session with real commits (tests/committed_data.py), on PostgreSQL only."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so two transactions cannot race")
    return request.getfixturevalue("committed_on_any_database")


def _setup(db, unit_by_name_now, count_assets=1):
    from tracker.admin.services import create_user
    from tracker.assets.services import create_asset

    giver, receiver = unit_by_name_now("Phường Phố Cò"), unit_by_name_now("Phường Sông Công")
    other = unit_by_name_now("Phường Bá Xuyên")
    officer = create_user("dongthoi", "Cay-bang-ven-song-42", Role.OFFICER, province=giver.province)
    assets = [create_asset(AssetKind.EQUIPMENT, {"name": f"Máy chủ {i}", "code": f"TB-RACE-{i}",
                                                 "equipment_type": "Máy vi tính", "original_cost": "1.000.000"},
                           officer, unit=giver) for i in range(count_assets)]
    drafts = []
    for target in (receiver, other):
        drafts.append(services.prepare_handover(services.DraftInput(
            giver=giver, receiver=target, handover_date=HANDOVER_DATE, place="Trụ sở",
            legal_basis=["Căn cứ Nghị định số 151/2017/NĐ-CP;"], parties=[services.PartyInput("giver", "A"), services.PartyInput("receiver", "B")]),
            officer))
    db.session.commit()
    return officer.id, [a.id for a in assets], [h.id for h in drafts]


def _unit_finder(db):
    from tracker.models import Unit, UnitKind

    def find(name):
        kinds = (UnitKind.OLD_COMMUNE,) if name == "Phường Phố Cò" else (UnitKind.NEW_COMMUNE,)
        return db.session.scalars(sa.select(Unit).where(Unit.name == name, Unit.kind.in_(kinds))).first()
    return find


def _race(app, db, work, handover_ids):
    barrier, results = threading.Barrier(len(handover_ids)), {}

    def run(handover_id):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                work(handover_id)
                time.sleep(0.3)  # hold the transaction open so the other one really overlaps
                db.session.commit()
                results[handover_id] = "ok"
            except DomainError as exc:
                db.session.rollback()
                results[handover_id] = exc.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(h,)) for h in handover_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_officers_adding_the_same_asset_at_once_exactly_one_wins(app, committed):
    db = committed
    officer_id, (asset_id,), handover_ids = _setup(db, _unit_finder(db))

    def add(handover_id):
        services.add_assets(db.session.get(Handover, handover_id), [db.session.get(Asset, asset_id)],
                            db.session.get(User, officer_id))

    results = _race(app, db, add, handover_ids)
    assert sorted(r == "ok" for r in results.values()) == [False, True]
    loser_message = next(r for r in results.values() if r != "ok")
    # The loser passed the friendly check (the winner had not committed): the unique index refused it.
    assert "Máy chủ 0" in loser_message and "đã thuộc bản nháp #" in loser_message
    open_items = db.session.scalars(sa.select(HandoverItem).where(HandoverItem.asset_id == asset_id,
                                                                  HandoverItem.is_open.is_(True))).all()
    assert len(open_items) == 1 and results[open_items[0].handover_id] == "ok"


def test_two_handovers_issued_at_once_get_different_numbers(app, committed):
    db = committed
    officer_id, asset_ids, handover_ids = _setup(db, _unit_finder(db), count_assets=2)
    officer = db.session.get(User, officer_id)
    for handover_id, asset_id in zip(handover_ids, asset_ids):
        services.add_assets(db.session.get(Handover, handover_id), [db.session.get(Asset, asset_id)], officer)
    db.session.commit()
    db.session.remove()

    def issue(handover_id):
        services.issue_handover(db.session.get(Handover, handover_id), db.session.get(User, officer_id))

    results = _race(app, db, issue, handover_ids)
    assert list(results.values()) == ["ok", "ok"]
    numbers = db.session.scalars(sa.select(Handover.number).where(Handover.id.in_(handover_ids))).all()
    assert len(set(numbers)) == 2 and None not in numbers

"""The register's kept totals (migration 0013): every way of writing assets keeps them equal to the sum."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests import import_builders as build
from tests.committed_data import committed_on_any_database  # noqa: F401 - a fixture
from tracker.assets import totals
from tracker.assets.queries import RegisterFilters, register_page, register_query
from tracker.models import Asset, AssetKind, AssetStatus, AssetTotals, Province, Role


def summed(db, province_id=None) -> tuple[int, int, int]:
    query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Asset.original_cost), 0),
                      sa.func.coalesce(sa.func.sum(Asset.remaining_value), 0))
    if province_id is not None:
        query = query.where(Asset.province_id == province_id)
    return tuple(int(v) for v in db.session.execute(query).one())


def kept(user) -> tuple[int, int, int]:
    t = totals.of_scope(user)
    return t.count, t.original_cost, t.remaining_value


@pytest.fixture
def users(make_user):
    return make_user(Role.OFFICER), make_user(Role.ADMIN)


def test_every_way_of_writing_assets_keeps_the_totals(db, runner, tmp_path, make_asset, users, province):
    officer, admin = users
    assert kept(officer) == summed(db, province.id) and kept(admin) == summed(db)
    first = make_asset(original_cost=12_500_000, remaining_value=5_000_000)  # the form's service
    make_asset(kind=AssetKind.VEHICLE, original_cost=700_000_000, remaining_value=0)
    assert kept(officer) == summed(db, province.id) and kept(officer)[1] >= 712_500_000

    path = tmp_path / "thiet-bi.xlsx"  # the importer: multi-row INSERTs on SQLite, COPY on PostgreSQL
    path.write_bytes(build.xlsx_of(build.simple_equipment_rows(1_200)))
    result = runner.invoke(args=["assets", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert kept(officer) == summed(db, province.id) and kept(officer)[0] >= 1_202

    rows = build.simple_equipment_rows(1_200)  # a re-import that changes every cost: UPDATEs
    for row in rows[1:]:
        row[5] += 1_000
    path.write_bytes(build.xlsx_of(rows))
    result = runner.invoke(args=["assets", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert kept(officer) == summed(db, province.id)

    other = Province(code=990, name="Tỉnh thử", name_folded="tinh thu")  # SQL by hand: move, delete
    db.session.add(other)
    db.session.flush()
    db.session.execute(sa.update(Asset).where(Asset.id == first.id).values(province_id=other.id))
    assert kept(officer) == summed(db, province.id) and kept(admin) == summed(db)
    assert db.session.scalar(sa.select(sa.func.sum(AssetTotals.asset_count)).where(
        AssetTotals.province_id == other.id)) == 1
    by_hand = db.session.execute(sa.insert(Asset.__table__).values(
        kind=AssetKind.EQUIPMENT, code="BY-HAND", name="Máy in", province_id=province.id, unit_id=first.unit_id,
        holder_id=first.unit_id, original_cost=3_000_000, remaining_value=1_000_000, quantity=1)).inserted_primary_key[0]
    assert kept(officer) == summed(db, province.id)
    db.session.execute(sa.delete(Asset).where(Asset.id == by_hand))  # assets with history cannot go
    assert kept(officer) == summed(db, province.id) and kept(admin) == summed(db)


def test_a_status_change_adds_no_totals_row(db, make_asset, users):
    make_asset()
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(AssetTotals))
    db.session.execute(sa.update(Asset).values(status=AssetStatus.IN_HANDOVER))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AssetTotals)) == rows


def test_the_unfiltered_register_reads_the_kept_totals_and_a_filtered_one_sums_its_rows(db, make_asset, users,
                                                                                      province):
    officer, admin = users
    for i in range(3):
        make_asset(original_cost=1_000_000 * (i + 1))
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page, sums = register_page(officer, RegisterFilters(), 1, 50)
        unfiltered = list(statements)
        statements.clear()
        filtered_page, filtered = register_page(officer, RegisterFilters(kind=AssetKind.EQUIPMENT), 1, 50)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert (sums.count, sums.original_cost, sums.remaining_value) == summed(db, province.id)
    assert page.total == sums.count and len(page.items) == min(50, sums.count)
    assert any("asset_totals" in s for s in unfiltered)
    assert not any("count(" in s.lower() and "asset_totals" not in s for s in unfiltered)
    assert not any("asset_totals" in s for s in statements)
    expected = totals.of_query(register_query(officer, RegisterFilters(kind=AssetKind.EQUIPMENT)))
    assert filtered == expected and filtered_page.total == expected.count


def test_commune_staff_lists_always_sum_their_rows(db, make_user, unit_by_name):
    from tracker.models import UnitKind

    clerk = make_user(Role.COMMUNE, unit=unit_by_name("Phường Phan Đình Phùng", UnitKind.NEW_COMMUNE))
    assert totals.of_scope(clerk) is None


def test_compacting_folds_a_province_into_one_row_and_keeps_its_sums(db, make_asset, users, province):
    officer, _ = users
    for _ in range(4):
        make_asset()
    before = kept(officer)
    folded = totals.compact(db.session.connection())
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(AssetTotals).where(
        AssetTotals.province_id == province.id))
    assert kept(officer) == before == summed(db, province.id)
    assert rows == 1
    if db.engine.dialect.name == "postgresql":
        assert folded >= 3  # one row per writing statement before


def test_two_writers_of_one_province_do_not_wait_for_each_other(committed_on_any_database, make_asset,
                                                                unit_by_name, users):
    """PostgreSQL: the totals are delta rows, so an open import does not hold the province's row."""
    db = committed_on_any_database
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    from tracker.models import UnitKind

    unit = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    asset_row = dict(kind=AssetKind.EQUIPMENT, name="Máy in", province_id=unit.province_id, unit_id=unit.id,
                     holder_id=unit.id, original_cost=1_000, remaining_value=0, quantity=1)
    insert = sa.insert(Asset.__table__)  # Core applies the columns' defaults
    engine = db.engine  # the thread has no app context
    first = engine.connect()
    first_tx = first.begin()
    first.execute(insert, {**asset_row, "code": "TOTALS-A"})
    outcome: list[str] = []

    def second_writer():
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL lock_timeout = '3s'"))
                conn.execute(insert, {**asset_row, "code": "TOTALS-B"})
            outcome.append("committed")
        except sa.exc.DBAPIError as exc:
            outcome.append(str(exc.orig))

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(10)
    first_tx.commit()
    first.close()
    assert outcome == ["committed"]
    with db.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(AssetTotals.asset_count)).where(
            AssetTotals.province_id == unit.province_id)).scalar()
        count = conn.execute(sa.select(sa.func.count()).select_from(Asset).where(
            Asset.province_id == unit.province_id)).scalar()
    assert total == count

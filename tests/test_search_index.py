"""Diacritic-free search through the index (FTS5 on SQLite, pg_trgm on PostgreSQL): what officers type
finds what they mean, whole words first, edits and imports keep the index right, and the query really
uses the index (a fall back to LIKE '%w%' would fail here)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import import_builders as build
from tracker.assets import search
from tracker.assets.queries import RegisterFilters, register_query
from tracker.assets.services import update_asset
from tracker.importing.commit import commit_plan
from tracker.importing.parse import parse_file
from tracker.importing.plan import build_plan
from tracker.models import Asset, AssetKind, Role, UnitKind


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def register(db, make_asset, unit_by_name):
    """Assets whose names share words and pieces of words: cars, archive boxes, equipment, an HQ."""
    thang_loi = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    district = unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT)
    made = {
        "car": make_asset(AssetKind.VEHICLE, unit=district, code="Z-09", name="Xe ô tô Toyota Fortuner",
                          plate="98A-811.18"),
        # "to" and "o" only start words here ("tổng", "ong"): found by "o to", but after the car.
        "box": make_asset(AssetKind.ARCHIVE_BOX, unit=thang_loi, code="A-01",
                          name="Hộp tài liệu tổng hợp ong mật 2001–2004", fonds="Phông UBND phường Thắng Lợi",
                          box_no="3", arrangement="chưa chỉnh lý"),
        "pc": make_asset(AssetKind.EQUIPMENT, unit=thang_loi, code="B-02", name="Máy vi tính Dell",
                         equipment_type="Máy vi tính"),
        "hq": make_asset(AssetKind.HEADQUARTERS, unit=thang_loi, code="C-03",
                         name="Trụ sở Điện lực Thắng Lợi", address="Tổ 5, phường Thắng Lợi"),
    }
    db.session.commit()
    return made


def found(db, user, q: str) -> list[Asset]:
    return list(db.session.scalars(register_query(user, RegisterFilters(q=q))))


def test_a_word_typed_without_diacritics_finds_the_word_with_them(db, officer, register):
    assert found(db, officer, "dien") == [register["hq"]]  # Đ folds to d, as fold() does, not as FTS5 would
    assert found(db, officer, "ĐIỆN lực") == [register["hq"]]
    assert set(found(db, officer, "thang")) == {register["hq"], register["box"]}  # the start of "thắng"
    assert found(db, officer, "fortuner") == [register["car"]]
    assert found(db, officer, "2004") == [register["box"]]  # after an en dash, with no space


def test_every_typed_word_must_match_the_start_of_a_word(db, officer, register):
    assert found(db, officer, "may tinh") == [register["pc"]]
    assert found(db, officer, "may canon") == []
    assert found(db, officer, "inh") == []  # mid-word pieces do not match (docs/DECISIONS.md)
    assert found(db, officer, "100%_") == [] and found(db, officer, "--") == []


def test_o_to_lists_cars_before_boxes_that_only_have_words_starting_with_to(db, officer, register):
    assert found(db, officer, "o to") == [register["car"], register["box"]]  # by code the box comes first
    assert found(db, officer, "ô tô") == [register["car"], register["box"]]


def test_plates_typed_any_way_find_the_car(db, officer, register, make_asset, unit_by_name):
    loose = make_asset(AssetKind.VEHICLE, unit=unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT),
                       code="A-00", name="Xe ô tô Ford", plate="98AB-811.18")
    for typed in ("98A-811.18", "98a81118", "98A 811.18", "98a-811"):
        assert found(db, officer, typed)[0] == register["car"], typed
    assert found(db, officer, "98a8118") == [loose, register["car"]]  # a dropped digit: both match loosely, by code
    assert found(db, officer, "98a9999") == []


def test_an_edited_asset_is_found_by_its_new_words_not_its_old_ones(db, officer, register):
    pc = register["pc"]
    update_asset(pc, {"name": "Máy chiếu Epson", "equipment_type": "Máy chiếu"}, officer,
                 expected_version=pc.version)
    db.session.commit()
    assert found(db, officer, "chieu epson") == [pc]
    assert found(db, officer, "dell") == [] and found(db, officer, "vi tinh") == []
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("INSERT INTO assets_fts(assets_fts, rank) VALUES ('integrity-check', 1)"))


def test_rows_written_and_removed_by_plain_sql_are_indexed_and_unindexed(db, officer, register, unit_by_name):
    """The importer writes with driver-level INSERTs (COPY on PostgreSQL): the index follows any writer."""
    unit = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    columns = {c.name: c for c in Asset.__table__.columns}
    row = {"kind": "equipment", "code": "SQL-1", "name": "Bàn ghế họp", "search_text": "ban ghe hop sql-1",
           "province_id": unit.province_id, "unit_id": unit.id, "holder_id": unit.id, "status": "registered",
           "condition": "in_use", "ownership": "own", "quantity": 1, "unit_of_measure": "bộ", "original_cost": 0,
           "remaining_value": 0, "version": 1}
    row |= {name: sa.func.now() for name in ("created_at", "updated_at") if name in columns}
    new_id = db.session.execute(sa.insert(Asset.__table__).values(row).returning(Asset.__table__.c.id)).scalar_one()
    assert [a.id for a in found(db, officer, "ban ghe")] == [new_id]
    db.session.execute(sa.delete(Asset.__table__).where(Asset.__table__.c.id == new_id))
    assert found(db, officer, "ban ghe") == []
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("INSERT INTO assets_fts(assets_fts, rank) VALUES ('integrity-check', 1)"))


def test_assets_created_by_the_importer_are_found(db, officer):
    rows = build.simple_equipment_rows(3, prefix="TIM")
    rows[2][3] = "Máy điều hòa Daikin"
    plan = build_plan(parse_file(build.xlsx_of(rows), "ds.xlsx"), officer, None)
    assert plan.can_commit
    commit_plan(plan, officer)
    db.session.commit()
    assert [a.code for a in found(db, officer, "dieu hoa")] == ["TIM-002"]
    assert [a.code for a in found(db, officer, "may tinh so")] == ["TIM-001", "TIM-003"]


def test_without_the_index_the_old_substring_search_is_kept_for_comparison(db, officer, register):
    old = sa.select(Asset).where(search.search_condition("inh", use_index=False))
    assert list(db.session.scalars(old)) == [register["pc"]]  # LIKE '%inh%', as before the index
    assert "LIKE" in str(search.search_condition("inh", use_index=False).compile(db.engine)).upper()


def plan_of(db, select: sa.Select) -> str:
    """The database's plan for a query, as text; on PostgreSQL with sequential scans refused, as on a big table."""
    compiled = select.compile(db.engine)
    params = compiled.params
    if db.engine.dialect.name == "sqlite":
        params = tuple(params[name] for name in compiled.positiontup)
        rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        return "\n".join(str(r[-1]) for r in rows)
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    try:
        return "\n".join(r[0] for r in db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", params))
    finally:
        db.session.execute(sa.text("SET LOCAL enable_seqscan = on"))


@pytest.mark.parametrize("q", ["may tinh", "o to", "98a8118"])
def test_the_search_is_served_by_the_index(db, make_user, register, q):
    admin = make_user(Role.ADMIN)  # sees every province: without the index, only a scan of all assets is left
    plan = plan_of(db, register_query(admin, RegisterFilters(q=q)))
    if db.engine.dialect.name == "sqlite":
        assert "assets_fts VIRTUAL TABLE INDEX" in plan, plan
        assert "SCAN assets\n" not in plan + "\n", plan
        # an officer's search is narrowed to the province inside the index, not after it
        officer = make_user(Role.OFFICER)
        ids = search._fts_ids(search.words_of(q), search.scope_province(officer))
        assert f'province_id : "{officer.province_id}"' in str(ids.compile(compile_kwargs={"literal_binds": True}))
        officer_plan = plan_of(db, register_query(officer, RegisterFilters(q=q)))
        assert "assets_fts VIRTUAL TABLE INDEX" in officer_plan
        # ...so the matches drive the query, not a walk of the province's index tested against them
        # (10 ms for 2 matches among Thanh Hóa's 100,000 assets before search.searched_scope)
        assert "USING INDEX ix_assets_province" not in officer_plan, officer_plan
    else:
        assert "Bitmap Index Scan on ix_assets_search_trgm" in plan, plan
        # one- and two-letter words too: pg_trgm reads their padded start from the word-boundary class
        assert "Seq Scan on assets" not in plan, plan


def test_sqlite_indexes_word_starts_of_up_to_five_letters(db):
    """Migration 0014: a typed word of up to 5 letters ("may", "tinh", "phong") is one term of the index,
    not a merge of every term starting with it across the country (63 -> 11 ms for "may tinh" at 2,000,000)."""
    if db.engine.dialect.name == "postgresql":  # trigrams serve a word start of any length: no prefix option
        sql = db.session.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                                 {"n": search.TRGM_INDEX}).scalar()
        assert "gin (search_text gin_trgm_ops)" in sql
        return
    sql = db.session.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = 'assets_fts'")).scalar()
    assert "prefix='1 2 3 4 5'" in sql


def test_a_searched_page_reads_the_search_once_and_its_totals_and_pager_agree(db, officer, register, make_asset,
                                                                              unit_by_name):
    from tracker.assets.queries import register_page, totals

    unit = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    for i in range(7):
        make_asset(AssetKind.EQUIPMENT, unit=unit, code=f"MT-{i}", name=f"Máy tính xách tay {i}",
                   original_cost=1_000_000 + i)
    statements: list[str] = []
    record = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page, sums = register_page(officer, RegisterFilters(q="may tinh"), 2, 3)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    marker = "MATCH" if db.engine.dialect.name == "sqlite" else "LIKE"
    assert sum(marker in s for s in statements) == 1, statements
    expected = totals(register_query(officer, RegisterFilters(q="may tinh")))
    assert sums == expected and expected.count == 8 and expected.original_cost >= 7_000_021
    everything = [a.id for a in found(db, officer, "may tinh")]
    assert page.total == 8 and page.pages == 3 and [a.id for a in page.items] == everything[3:6]
    last, _ = register_page(officer, RegisterFilters(q="may tinh"), 99, 3)  # past the end: the last page
    assert last.page == 3 and [a.id for a in last.items] == everything[6:]
    nothing, none = register_page(officer, RegisterFilters(q="khong co gi nhu the"), 1, 3)
    assert nothing.items == [] and none.count == 0

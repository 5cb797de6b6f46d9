"""Reallocation: surpluses matched to shortages, most urgent first, nearest first; one step to a draft."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.test_flags_support import computers, login, officer, put_in_handover, tn  # noqa: F401 (fixtures)
from tracker.flags.norms.services import ensure_default_norms
from tracker.flags.reallocation import proposals
from tracker.flags.reallocation.matching import SAME_DISTRICT, SAME_OLD_PROVINCE, Bundle, Need, Place, allocate
from tracker.models import AssetKind, AssetStatus, Handover, HandoverItem, HandoverStatus, Norm, Role, UnitKind


def need(uid, district, have=0, required=2, item="car", province="A"):
    return Need(uid, f"Xã {uid}", item, required - have, Decimal(have), Decimal(required),
                Place(frozenset({district}), frozenset({province})))


def bundle(holder, district, rows, item="car", quantity=1, province="A", source="dissolved"):
    return Bundle(holder, holder, AssetKind.VEHICLE, None, quantity, rows, item, source, f"Huyện {holder}",
                  Place(frozenset({district}), frozenset({province})))


def test_a_unit_with_none_comes_before_a_second_item_for_another():
    near_a, near_b, far = need(1, 10), need(2, 10), need(3, 20, province="B")
    moves = allocate([near_a, near_b, far], [bundle(100, 10, 3)])
    assert sorted((n.unit_id, tier) for n, _b, _i, tier in moves) == [(1, 0), (2, 0), (3, 2)]


def test_nearest_source_first_and_rows_are_never_split():
    unit = need(1, 10, required=3, item="computer")
    sources = [bundle(200, 30, 5, item="computer", province="B"), bundle(201, 31, 5, item="computer"),
               bundle(202, 10, 1, item="computer", quantity=5), bundle(203, 10, 1, item="computer", quantity=2)]
    moves = allocate([unit], sources)
    assert [(b.holder_id, tier) for _n, b, _i, tier in moves] == [(203, SAME_DISTRICT), (201, SAME_OLD_PROVINCE)]


def test_a_unit_over_its_norm_gives_only_its_surplus():
    unit = need(1, 10, required=5, item="computer")
    over = bundle(300, 10, 4, item="computer", source="surplus")
    moves = allocate([unit], [over], caps={(300, "computer"): 2})
    assert len(moves) == 2


def _cars(make_asset, unit, count, start=1, **fields):
    return [make_asset(AssetKind.VEHICLE, unit=unit, code=f"XE-{start + i}", name="Xe ô tô Toyota Innova",
                       plate=f"20A-{start + i:03d}.{start + i:02d}", **fields) for i in range(count)]


def test_three_unassigned_cars_of_a_district_go_one_to_each_carless_ward_nearby(db, province, tn, make_asset,
                                                                                 unit_by_name):
    ensure_default_norms(province)
    tan_cuong = unit_by_name("Xã Tân Cương", UnitKind.NEW_COMMUNE)  # also fed by a Sông Công commune
    put_in_handover(db, tn["pho_co"], tan_cuong, _cars(make_asset, tn["pho_co"], 1, start=90), HandoverStatus.COMPLETED)
    _cars(make_asset, tn["district"], 3)

    found = proposals.province_proposals(province.id)
    assert sorted(p.receiver_name for p in found.proposals) == ["Phường Bá Xuyên", "Phường Bách Quang",
                                                                "Phường Sông Công"]
    for proposal in found.proposals:
        assert proposal.giver_id == tn["district"].id and dict(proposal.by_item) == {"car": 1}
        assert proposal.urgent and proposal.tier == SAME_DISTRICT


def test_damaged_promised_or_handed_over_cars_are_not_proposed(db, province, tn, make_asset):
    ensure_default_norms(province)
    broken, promised, moving = _cars(make_asset, tn["district"], 3)
    broken.condition = "damaged"
    promised.receiver_id = tn["ba_xuyen"].id
    db.session.commit()
    put_in_handover(db, tn["district"], tn["bach_quang"], [moving], HandoverStatus.DRAFT)
    assert proposals.province_proposals(province.id).proposals == []


def test_computers_over_norm_and_held_by_finance_fill_a_short_ward(db, province, tn, make_asset):
    ensure_default_norms(province)
    tn["song_cong"].officials_count = 4
    tn["ba_xuyen"].officials_count = 1
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["ba_xuyen"], computers(make_asset, tn["pho_co"], 3), HandoverStatus.COMPLETED)
    put_in_handover(db, tn["thang_loi"], tn["finance"], computers(make_asset, tn["thang_loi"], 1, start=50),
                    HandoverStatus.COMPLETED)

    found = proposals.province_proposals(province.id)
    to_song_cong = {p.source: p for p in found.proposals if p.receiver_id == tn["song_cong"].id}
    assert dict(to_song_cong["surplus"].by_item) == {"computer": 2}  # Bá Xuyên keeps the 1 it needs
    assert dict(to_song_cong["finance"].by_item) == {"computer": 1}
    assert found.unmet.get("computer", 0) >= 1  # Sông Công still lacks one of its four


def test_officer_turns_a_proposal_into_a_draft_handover_in_one_step(db, client, auth, province, tn, make_asset,
                                                                   officer):
    ensure_default_norms(province)
    tn["song_cong"].officials_count = 2
    db.session.commit()
    machines = computers(make_asset, tn["pho_co"], 2)
    login(auth, officer)
    html = client.get("/flags/reallocation").get_data(as_text=True)
    key = f"{tn['song_cong'].id}-{tn['pho_co'].id}"
    assert f'data-proposal="{key}"' in html
    [proposal] = [p for p in proposals.province_proposals(province.id).proposals if p.key == key]

    token = csrf_token(client, "/flags/reallocation")
    stale = client.post("/flags/reallocation/draft", data={"csrf_token": token, "key": key, "fingerprint": "x"})
    assert stale.status_code == 302 and db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 0

    response = client.post("/flags/reallocation/draft",
                           data={"csrf_token": token, "key": key, "fingerprint": proposal.fingerprint})
    assert response.status_code == 302
    handover = db.session.scalar(sa.select(Handover))
    assert response.headers["Location"].endswith(f"/handovers/{handover.id}")
    assert (handover.status, handover.giver_id, handover.receiver_id) == (
        HandoverStatus.DRAFT, tn["pho_co"].id, tn["song_cong"].id)
    items = db.session.scalars(sa.select(HandoverItem.asset_id).where(HandoverItem.handover_id == handover.id)).all()
    assert sorted(items) == sorted(m.id for m in machines)
    db.session.expire_all()
    assert {m.status for m in machines} == {AssetStatus.IN_HANDOVER}
    assert f'data-proposal="{key}"' not in client.get("/flags/reallocation").get_data(as_text=True)


def test_finance_proposals_offer_a_draft_like_any_other(db, client, auth, province, tn, make_asset, officer):
    ensure_default_norms(province)
    put_in_handover(db, tn["thang_loi"], tn["finance"], _cars(make_asset, tn["thang_loi"], 1),
                    HandoverStatus.COMPLETED)
    login(auth, officer)
    found = proposals.province_proposals(province.id)
    [proposal] = found.proposals
    assert proposal.source == "finance"
    html = client.get("/flags/reallocation").get_data(as_text=True)
    row = html[html.index(f'data-proposal="{proposal.key}"'):].split("</tr>")[0]
    assert "Lập biên bản nháp" in row and "Cần quyết định điều chuyển riêng" not in row


def test_only_writers_turn_proposals_into_drafts(browser, make_user, tn):
    for role, unit in ((Role.AUDITOR, None), (Role.COMMUNE, tn["song_cong"])):
        client = browser()
        assert Auth(client).login(make_user(role, unit=unit).username).status_code == 302
        token = csrf_token(client, "/assets/")
        assert client.post("/flags/reallocation/draft", data={"csrf_token": token, "key": "1-2"}).status_code == 403
    assert client.get("/flags/reallocation").status_code == 403  # commune staff do not see the province's list


def _shape(found):
    return sorted((p.key, p.fingerprint, p.tier, p.urgent) for p in found.proposals), found.unmet


def test_reading_the_pool_as_the_matching_reaches_it_changes_nothing(db, province, tn, make_asset, unit_by_name):
    """Free rows are read as the matching reaches them (old district, old province, province); the
    proposals must be those the whole pool gives."""
    ensure_default_norms(province)
    far_ward = unit_by_name("Phường Bắc Kạn", UnitKind.NEW_COMMUNE)
    for ward, officials in ((tn["song_cong"], 4), (far_ward, 3), (tn["ba_xuyen"], 1)):
        ward.officials_count = officials
    db.session.commit()
    other_district = unit_by_name("Thành phố Phổ Yên", UnitKind.OLD_DISTRICT)
    bac_kan = unit_by_name("Huyện Ba Bể", UnitKind.OLD_DISTRICT)
    computers(make_asset, tn["district"], 1)
    computers(make_asset, other_district, 3, start=20)
    computers(make_asset, bac_kan, 2, start=40, equipment_type="Laptop HP ProBook")
    _cars(make_asset, bac_kan, 1, start=70)

    as_reached = proposals.province_proposals(province.id)
    whole = proposals.province_proposals(province.id, at_once=True)
    assert _shape(as_reached) == _shape(whole)
    to_song_cong = [p for p in as_reached.proposals if p.receiver_id == tn["song_cong"].id]
    assert {p.giver_id: p.tier for p in to_song_cong}[tn["district"].id] == SAME_DISTRICT


def test_a_ward_with_nothing_nearby_gets_the_first_source_of_its_old_province_not_the_first_read(
        db, province, tn, make_asset, unit_by_name):
    """Phường Sông Công lacks a computer and its old district has none; Phường Phổ Yên lacks one and
    its old district has two. Across the old province Sông Công gets Huyện Đại Từ's (first by name),
    as with the whole pool, though Đại Từ is no short unit's old district and Phổ Yên's spare one
    was read first."""
    ensure_default_norms(province)
    db.session.execute(sa.delete(Norm).where(Norm.province_id == province.id, Norm.item_type != "computer"))
    pho_yen_ward = unit_by_name("Phường Phổ Yên", UnitKind.NEW_COMMUNE)
    tn["song_cong"].officials_count = pho_yen_ward.officials_count = 1
    db.session.commit()
    pho_yen, dai_tu = (unit_by_name(name, UnitKind.OLD_DISTRICT) for name in ("Thành phố Phổ Yên", "Huyện Đại Từ"))
    computers(make_asset, pho_yen, 2)
    computers(make_asset, dai_tu, 1, start=10)

    found = proposals.province_proposals(province.id)
    assert _shape(found) == _shape(proposals.province_proposals(province.id, at_once=True))
    assert {p.receiver_id: (p.giver_id, p.tier) for p in found.proposals} == {
        pho_yen_ward.id: (pho_yen.id, SAME_DISTRICT), tn["song_cong"].id: (dai_tu.id, SAME_OLD_PROVINCE)}
    assert found.unmet == {}

"""Equipment gaps against the norms: the pure arithmetic, then real units of Thái Nguyên."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import csrf_token
from tests.test_flags_support import computers, login, officer, put_in_handover, tn  # noqa: F401 (fixtures)
from tracker.flags.norms import gaps
from tracker.flags.norms.gaps import Holding, NormFigure, compile_rules, map_type, unit_gaps
from tracker.flags.norms.services import DEFAULT_RULES, ensure_default_norms
from tracker.models import HandoverStatus, Norm, Role

RULES = compile_rules(DEFAULT_RULES)


@pytest.mark.parametrize("text, item", [
    ("Máy vi tính để bàn Dell Optiplex 3080", "computer"),
    ("Laptop HP ProBook 450", "computer"),
    ("Máy tính xách tay Lenovo", "computer"),
    ("MÁY TÍNH ĐỂ BÀN", "computer"),
    ("Máy in laser Canon LBP 2900", "printer"),
    ("Bộ bàn ghế họp 20 chỗ", "meeting_set"),
    ("Bàn họp", "meeting_set"),
    ("Bộ bàn ghế làm việc", "desk_set"),
    ("Tủ tài liệu sắt", "filing_cabinet"),
    ("Tủ hồ sơ 4 ngăn", "filing_cabinet"),
    ("Điện thoại bàn Panasonic", "phone"),
    ("Máy chiếu Sony", "other"),
    ("Cân điện tử", "other"),
    ("Máy photocopy Ricoh", "other"),
    ("Máy tính bảng Samsung", "other"),
    ("Xe đạp", None),
])
def test_free_text_equipment_types_map_to_norm_items(text, item):
    assert map_type(text, RULES) == item


def test_lower_priority_number_wins_then_longer_pattern():
    rules = compile_rules([("may tinh", "computer", 50), ("may tinh bang", "other", 50), ("may", "x", 10)])
    assert map_type("Máy tính bảng", rules) == "x"
    rules = compile_rules([("may tinh", "computer", 50), ("may tinh bang", "other", 50)])
    assert map_type("Máy tính bảng", rules) == "other"


def test_ten_officials_seven_computers_two_damaged_is_short_five():
    norm = NormFigure("computer", "per_official", Decimal(1))
    [gap] = unit_gaps(1, [norm], 10, None, {"computer": Holding(held=Decimal(5), unusable=Decimal(2))})
    assert (gap.required, gap.have, gap.unusable, gap.shortage, gap.surplus) == (10, 5, 2, 5, 0)


def test_items_due_count_and_fractions_round_up_to_whole_items():
    norm = NormFigure("printer", "per_room", Decimal("0.5"))
    [gap] = unit_gaps(1, [norm], None, 3, {"printer": Holding(held=Decimal(0), due=Decimal(1))})
    assert (gap.required, gap.have, gap.shortage) == (2, 1, 1)


def test_no_gap_without_the_count_the_norm_rests_on():
    figures = [NormFigure("computer", "per_official", Decimal(1)), NormFigure("printer", "per_room", Decimal(1)),
               NormFigure("car", "per_unit", Decimal(2), True)]
    by_item = {g.item_type: g for g in unit_gaps(1, figures, None, None, {})}
    assert by_item["computer"].required is None and by_item["computer"].missing_count == "officials"
    assert by_item["printer"].missing_count == "rooms"
    assert by_item["car"].shortage == 2  # cars are per unit: known without any count


def test_over_the_maximum_is_surplus():
    [gap] = unit_gaps(1, [NormFigure("car", "per_unit", Decimal(2), True)], None, None,
                      {"car": Holding(held=Decimal(3))})
    assert (gap.shortage, gap.surplus) == (0, 1)


def _computer_gap(province_id, unit):
    report = gaps.province_gaps(province_id)
    return next(g for g in report.gaps[unit.id] if g.item_type == "computer")


def test_received_computers_two_damaged_leave_ward_short_five(db, province, tn, make_asset, officer):
    ensure_default_norms(province)
    machines = computers(make_asset, tn["pho_co"], 7)
    for asset in machines[:2]:
        asset.condition = "damaged"
    tn["song_cong"].officials_count = 10
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["song_cong"], machines, HandoverStatus.COMPLETED)

    gap = _computer_gap(province.id, tn["song_cong"])
    assert (gap.required, gap.held, gap.due, gap.unusable, gap.shortage) == (10, 5, 0, 2, 5)


def test_issued_and_signed_handovers_count_as_due_but_drafts_do_not(db, province, tn, make_asset):
    ensure_default_norms(province)
    tn["ba_xuyen"].officials_count = 6
    db.session.commit()
    first, second, third = (computers(make_asset, tn["pho_co"], 2, start=s) for s in (1, 10, 20))
    put_in_handover(db, tn["pho_co"], tn["ba_xuyen"], first, HandoverStatus.ISSUED)
    put_in_handover(db, tn["pho_co"], tn["ba_xuyen"], second, HandoverStatus.SIGNED)
    put_in_handover(db, tn["pho_co"], tn["ba_xuyen"], third, HandoverStatus.DRAFT)

    gap = _computer_gap(province.id, tn["ba_xuyen"])
    assert (gap.held, gap.due, gap.shortage) == (0, 4, 2)


def test_one_unit_report_agrees_with_the_province_report(db, province, tn, make_asset):
    ensure_default_norms(province)
    tn["song_cong"].officials_count = 3
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["song_cong"], computers(make_asset, tn["pho_co"], 2), HandoverStatus.SIGNED)
    alone = gaps.province_gaps(province.id, tn["song_cong"].id).gaps[tn["song_cong"].id]
    assert alone == gaps.province_gaps(province.id).gaps[tn["song_cong"].id]


def test_unit_page_shows_shortage_and_undeclared_counts(db, client, auth, province, tn, make_asset, officer):
    login(auth, officer)
    html = client.get(f"/flags/units/{tn['song_cong'].id}").get_data(as_text=True)
    assert "chưa khai báo số cán bộ" in html

    token = csrf_token(client, f"/flags/units/{tn['song_cong'].id}")
    response = client.post(f"/flags/units/{tn['song_cong'].id}/counts",
                           data={"csrf_token": token, "officials_count": "10", "rooms_count": "4"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (tn["song_cong"].officials_count, tn["song_cong"].rooms_count) == (10, 4)
    html = client.get(f"/flags/units/{tn['song_cong'].id}").get_data(as_text=True)
    assert "chưa khai báo số cán bộ" not in html
    assert 'data-item="computer"' in html


def test_a_bad_officials_count_is_refused_with_a_message_and_nothing_changes(db, client, auth, tn, officer):
    login(auth, officer)
    token = csrf_token(client, f"/flags/units/{tn['song_cong'].id}")
    response = client.post(f"/flags/units/{tn['song_cong'].id}/counts", follow_redirects=True,
                           data={"csrf_token": token, "officials_count": "-3", "rooms_count": "x"})
    html = response.get_data(as_text=True)
    assert "Số cán bộ, công chức: phải là số nguyên" in html and "Số phòng làm việc: phải là số nguyên" in html
    db.session.expire_all()
    assert tn["song_cong"].officials_count is None


def test_an_officer_edits_a_norm_and_the_gap_follows(db, client, auth, province, tn, make_asset, officer):
    login(auth, officer)
    client.get("/flags/norms")  # seeds the defaults
    tn["song_cong"].officials_count = 4
    db.session.commit()
    norm = db.session.query(Norm).filter_by(province_id=province.id, unit_type="phường", item_type="computer").one()
    assert norm.is_default and norm.quantity == 1
    html = client.get("/flags/norms").get_data(as_text=True)
    index = html.index(f'value="{norm.id}"')
    field = html[:index].rsplit('name="', 1)[1].split('"')[0].replace("norm_id", "quantity")
    rows = _norm_form_rows(html)
    rows[field] = "2"
    response = client.post("/flags/norms/save", data={**rows, "csrf_token": csrf_token(client, "/flags/norms")})
    assert response.status_code == 302
    db.session.expire_all()
    assert norm.quantity == 2 and not norm.is_default
    assert _computer_gap(province.id, tn["song_cong"]).required == 8

    rows[field] = "hai"
    response = client.post("/flags/norms/save", data={**rows, "csrf_token": csrf_token(client, "/flags/norms")})
    assert response.status_code == 422 and "Định mức phải là một số" in response.get_data(as_text=True)
    db.session.expire_all()
    assert norm.quantity == 2


def _norm_form_rows(html: str) -> dict[str, str]:
    """Every rows-N-… input of the norms form with its value, as the browser would post it."""
    import re

    fields = {}
    for tag in re.findall(r"<input[^>]+>", html):
        name = re.search(r'name="(rows-\d+-[a-z_]+)"', tag)
        if not name:
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                fields[name.group(1)] = "y"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_commune_staff_cannot_edit_norms_or_counts(db, client, auth, make_user, tn):
    user = login(auth, make_user(Role.COMMUNE, unit=tn["song_cong"]))
    token = csrf_token(client, f"/flags/units/{user.unit_id}")
    assert client.post(f"/flags/units/{user.unit_id}/counts",
                       data={"csrf_token": token, "officials_count": "99"}).status_code == 403
    assert client.post("/flags/norms/save", data={"csrf_token": token}).status_code == 403
    assert client.get("/flags/norms").status_code == 403


def test_unmapped_equipment_names_are_listed_until_a_rule_maps_them(db, client, auth, province, tn, make_asset,
                                                                   officer):
    login(auth, officer)
    ensure_default_norms(province)
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["song_cong"],
                    computers(make_asset, tn["pho_co"], 2, equipment_type="Máy scan Fujitsu"), HandoverStatus.SIGNED)
    html = client.get("/flags/rules").get_data(as_text=True)
    assert "Máy scan Fujitsu" in html

    token = csrf_token(client, "/flags/rules")
    response = client.post("/flags/rules/add", data={"csrf_token": token, "pattern": "Máy SCAN",
                                                     "item_type": "other", "priority": "20"})
    assert response.status_code == 302
    html = client.get("/flags/rules").get_data(as_text=True)
    assert "Máy scan Fujitsu" not in html and 'data-pattern="may scan"' in html


def test_gaps_page_and_csv_show_each_unit(db, client, auth, province, tn, make_asset, officer):
    login(auth, officer)
    tn["song_cong"].officials_count = 10
    db.session.commit()
    machines = computers(make_asset, tn["pho_co"], 7)
    machines[0].condition = "unusable"
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["song_cong"], machines, HandoverStatus.COMPLETED)
    html = client.get("/flags/gaps?only=short").get_data(as_text=True)
    assert f'data-unit="{tn["song_cong"].id}"' in html and "thiếu 4" in html
    body = client.get("/flags/gaps?format=csv").data
    assert body.startswith(b"\xef\xbb\xbf")
    line = next(l for l in body.decode("utf-8-sig").splitlines()
                if l.startswith("Phường Sông Công,Máy vi tính"))
    assert line.split(",")[2:8] == ["10", "6", "0", "1", "4", "0"]

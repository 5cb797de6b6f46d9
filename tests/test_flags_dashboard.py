"""The province dashboard, the list behind each number, who sees what, defaults and the country report."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.test_flags_support import computers, login, officer, put_in_handover, tn  # noqa: F401 (fixtures)
from tracker.flags.dashboard import progress
from tracker.flags.norms.services import DEFAULT_NORMS, DEFAULT_RULES
from tracker.models import AssetKind, AssetStatus, EquipmentTypeRule, HandoverStatus, Norm, ReceiptState, Role


def progress_sample(db, make_asset, tn):
    """Phố Cò's 5 computers: 2 not handed over (one meant for Sông Công), 1 in a draft, 1 issued, 1 received."""
    waiting, planned, drafted, issued, received = computers(make_asset, tn["pho_co"], 5)
    planned.receiver_id = tn["song_cong"].id
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["song_cong"], [drafted], HandoverStatus.DRAFT)
    put_in_handover(db, tn["pho_co"], tn["song_cong"], [issued], HandoverStatus.ISSUED)
    put_in_handover(db, tn["pho_co"], tn["song_cong"], [received], HandoverStatus.COMPLETED)
    return {"waiting": waiting, "planned": planned, "drafted": drafted, "issued": issued, "received": received}


def row_cells(html: str, table: str, unit_id: int) -> dict[str, str]:
    """status -> the number shown in one unit's row of a dashboard table."""
    section = html[html.index(f'id="dashboard-{table}"'):]
    row = section[section.index(f'data-unit="{unit_id}"'):].split("</tr>")[0]
    return {status: re.sub(r"<[^>]+>", "", cell).strip()
            for status, cell in re.findall(r'data-status="([a-z_]+)">(.*?)</td>', row)}


def test_grouped_counts_per_giving_and_receiving_unit(db, province, make_asset, tn):
    progress_sample(db, make_asset, tn)
    giving, receiving = progress.status_counts(province.id)
    assert dict(giving[tn["pho_co"].id].by_status) == {
        AssetStatus.REGISTERED: 2, AssetStatus.IN_HANDOVER: 1, AssetStatus.ISSUED: 1, AssetStatus.RECEIVED: 1}
    assert dict(receiving[tn["song_cong"].id].by_status) == {
        AssetStatus.REGISTERED: 1, AssetStatus.IN_HANDOVER: 1, AssetStatus.ISSUED: 1, AssetStatus.RECEIVED: 1}
    assert receiving[tn["song_cong"].id].received_pct == 25


def test_dashboard_shows_each_number_and_drills_down_to_its_assets(db, client, auth, make_asset, tn, officer):
    sample = progress_sample(db, make_asset, tn)
    login(auth, officer)
    html = client.get("/flags/").get_data(as_text=True)
    assert row_cells(html, "giver", tn["pho_co"].id) == {
        "registered": "2", "in_handover": "1", "issued": "1", "signed": "0", "received": "1", "missing": "0",
        "damaged": "0", "written_off": "0", "total": "5"}
    assert row_cells(html, "receiver", tn["song_cong"].id)["total"] == "4"
    assert 'class="progress-stacked flags-progress" data-segments="' in html
    receiving_row = html[html.index('id="dashboard-receiver"'):]
    receiving_row = receiving_row[receiving_row.index(f'data-unit="{tn["song_cong"].id}"'):].split("</tr>")[0]
    assert "success:25.0:Đã tiếp nhận" in receiving_row and ">25%<" in receiving_row

    section = html[html.index('id="dashboard-giver"'):]
    row = section[section.index(f'data-unit="{tn["pho_co"].id}"'):].split("</tr>")[0]
    link = re.search(r'data-status="registered"><a href="([^"]+)"', row).group(1).replace("&amp;", "&")
    assert f"unit={tn['pho_co'].id}" in link and "side=giver" in link
    listing = client.get(link).get_data(as_text=True)
    assert sorted(map(int, re.findall(r'data-asset="(\d+)"', listing))) == sorted(
        [sample["waiting"].id, sample["planned"].id])
    listing = client.get(f"/flags/assets?side=receiver&unit={tn['song_cong'].id}&status=received").get_data(
        as_text=True)
    assert re.findall(r'data-asset="(\d+)"', listing) == [str(sample["received"].id)]


def test_dashboard_per_kind_and_csv(db, client, auth, make_asset, tn, officer):
    progress_sample(db, make_asset, tn)
    make_asset(AssetKind.VEHICLE, unit=tn["pho_co"], plate="20A-555.55")
    login(auth, officer)
    html = client.get("/flags/?kind=vehicle").get_data(as_text=True)
    assert row_cells(html, "giver", tn["pho_co"].id)["total"] == "1"
    body = client.get("/flags/?format=csv").data
    assert body.startswith(b"\xef\xbb\xbf")
    line = next(l for l in body.decode("utf-8-sig").splitlines() if ",Phường Phố Cò," in l)
    assert line.endswith(",3,1,1,0,1,0,0,0,6")  # the car is not handed over either


def test_first_dashboard_view_seeds_default_norms_once_and_keeps_edits(db, client, auth, province, officer):
    login(auth, officer)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Norm).where(Norm.province_id == province.id)) == 0
    client.get("/flags/")
    norms = db.session.scalars(sa.select(Norm).where(Norm.province_id == province.id)).all()
    assert len(norms) == sum(len(rows) for rows in DEFAULT_NORMS.values()) and all(n.is_default for n in norms)
    car = next(n for n in norms if n.unit_type == "xã" and n.item_type == "car")
    assert (car.quantity, car.is_maximum, car.basis.value) == (2, True, "per_unit")
    rules = db.session.scalars(sa.select(EquipmentTypeRule).where(EquipmentTypeRule.province_id == province.id)).all()
    assert len(rules) == len(DEFAULT_RULES)

    token = csrf_token(client, "/flags/rules")
    laptop = next(r for r in rules if r.pattern == "laptop")
    assert client.post(f"/flags/rules/{laptop.id}/delete", data={"csrf_token": token}).status_code == 302
    client.get("/flags/")
    client.get("/flags/norms")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Norm).where(Norm.province_id == province.id)) \
        == len(norms)
    assert not db.session.scalar(sa.select(EquipmentTypeRule).where(EquipmentTypeRule.province_id == province.id,
                                                                    EquipmentTypeRule.pattern == "laptop"))


def test_commune_staff_see_only_their_own_units_figures(db, client, auth, make_user, make_asset, tn):
    sample = progress_sample(db, make_asset, tn)
    other = computers(make_asset, tn["thang_loi"], 1, start=70)[0]
    put_in_handover(db, tn["thang_loi"], tn["ba_xuyen"], [other], HandoverStatus.ISSUED)
    login(auth, make_user(Role.COMMUNE, unit=tn["song_cong"]))

    response = client.get("/flags/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/flags/units/{tn['song_cong'].id}")
    assert client.get(f"/flags/units/{tn['song_cong'].id}").status_code == 200
    for unit in ("ba_xuyen", "pho_co", "district"):
        assert client.get(f"/flags/units/{tn[unit].id}").status_code == 403
        assert client.get(f"/flags/assets?unit={tn[unit].id}&side=receiver").status_code == 403
    mine = client.get("/flags/assets").get_data(as_text=True)
    shown = set(map(int, re.findall(r'data-asset="(\d+)"', mine)))
    assert shown == {sample[k].id for k in ("planned", "drafted", "issued", "received")}
    assert other.id not in shown
    for page in ("/flags/gaps", "/flags/reallocation", "/flags/archives", "/flags/alerts", "/flags/norms",
                 "/flags/?format=csv", "/flags/gaps?format=csv"):
        assert client.get(page).status_code in (302, 403), page
    assert client.get("/flags/?format=csv").headers.get("Location", "").endswith(f"/flags/units/{tn['song_cong'].id}")


def test_officers_of_another_province_get_404_for_units_here(db, client, auth, make_user, tn):
    from tracker.models import Province

    other = Province(code=99, name="Tỉnh Thử", name_folded="tinh thu")
    db.session.add(other)
    db.session.commit()
    login(auth, make_user(Role.OFFICER, province=other))
    assert client.get(f"/flags/units/{tn['song_cong'].id}").status_code == 404


def test_admin_chooses_the_province(db, client, auth, make_user, province):
    login(auth, make_user(Role.ADMIN))
    html = client.get(f"/flags/?province={province.id}").get_data(as_text=True)
    assert "Thái Nguyên" in html and 'id="province-switch"' in html


def test_country_report_from_the_command_line(db, runner, make_asset, tn, tmp_path):
    progress_sample(db, make_asset, tn)
    result = runner.invoke(args=["report", "country"])
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if l.startswith("Thái Nguyên"))
    cells = line.split()
    assert cells[2:5] == ["92", "5", "20"]  # 92 new units, 5 assets, 1 of 5 received
    target = tmp_path / "country.csv"
    result = runner.invoke(args=["report", "country", "--csv", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_bytes().decode("utf-8")
    assert text.startswith('\ufeff"Tỉnh, thành phố",') and "\r\nThái Nguyên,92,5,20,2,2,0," in text
    assert "Toàn quốc,92,5,20," in text


def test_missing_and_confirmed_items_stand_with_the_receiver(db, client, auth, province, make_asset, tn, officer):
    """Missing items stay with the giver after completion, and items confirmed while the minutes are
    still open have not moved yet: both still count on the receiving ward's line."""
    lost, arrived = computers(make_asset, tn["pho_co"], 2)
    put_in_handover(db, tn["pho_co"], tn["song_cong"], [lost], HandoverStatus.COMPLETED,
                    receipt={lost: ReceiptState.MISSING})
    handover = put_in_handover(db, tn["pho_co"], tn["song_cong"], [arrived], HandoverStatus.SIGNED)
    handover.items[0].receipt_state = ReceiptState.RECEIVED  # confirmed, handover not completed yet
    arrived.status = AssetStatus.RECEIVED
    db.session.commit()
    assert lost.holder_id == tn["pho_co"].id and arrived.holder_id == tn["pho_co"].id

    _giving, receiving = progress.status_counts(province.id)
    assert dict(receiving[tn["song_cong"].id].by_status) == {AssetStatus.MISSING: 1, AssetStatus.RECEIVED: 1}
    login(auth, officer)
    for status, asset in (("missing", lost), ("received", arrived)):
        html = client.get(f"/flags/assets?side=receiver&unit={tn['song_cong'].id}&status={status}").get_data(
            as_text=True)
        assert re.findall(r'data-asset="(\d+)"', html) == [str(asset.id)]


def dashboard_units(html: str, table: str) -> list[int]:
    section = html[html.index(f'id="dashboard-{table}"'):]
    section = section[:section.index("</table>")]
    return [int(u) for u in re.findall(r'data-unit="(\d+)"', section)]


def test_units_without_assets_are_hidden_behind_a_switch(db, client, auth, make_asset, tn, officer, province):
    from tracker.models import Unit

    progress_sample(db, make_asset, tn)
    login(auth, officer)
    html = client.get("/flags/").get_data(as_text=True)
    assert dashboard_units(html, "giver") == [tn["pho_co"].id]
    assert dashboard_units(html, "receiver") == [tn["song_cong"].id]
    units = db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.province_id == province.id))
    switch = re.search(r'id="empty-units-switch" href="([^"]+)">([^<]+)<', html)
    assert f"Hiện cả {units - 2:,} đơn vị chưa có tài sản".replace(",", ".") in switch.group(2)
    everything = client.get(switch.group(1).replace("&amp;", "&")).get_data(as_text=True)
    shown = dashboard_units(everything, "giver") + dashboard_units(everything, "receiver")
    board = progress.province_dashboard(province.id)
    assert len(board.giving) + len(board.receiving) == units
    assert len(shown) == sum(min(len(rows), progress.DASHBOARD_PAGE) for rows in (board.giving, board.receiving))
    assert len(shown) > 100
    assert "Ẩn " in re.search(r'id="empty-units-switch"[^>]*>([^<]+)<', everything).group(1)


def test_long_tables_are_paged_each_on_its_own(db, client, auth, make_asset, tn, officer, province, monkeypatch):
    from tracker.models import Unit, UnitKind

    monkeypatch.setattr(progress, "DASHBOARD_PAGE", 3)
    old = db.session.scalars(sa.select(Unit).where(Unit.province_id == province.id,
                                                   Unit.kind == UnitKind.OLD_COMMUNE).limit(7)).all()
    for unit in old:
        make_asset(unit=unit)
    login(auth, officer)
    seen = []
    html = client.get("/flags/").get_data(as_text=True)
    assert "Trang 1 / 3" in html
    for page in (1, 2, 3):
        html = client.get(f"/flags/?out_page={page}&in_page=1").get_data(as_text=True)
        seen += dashboard_units(html, "giver")
    assert sorted(seen) == sorted(u.id for u in old)
    html = client.get("/flags/?out_page=99").get_data(as_text=True)  # past the end: the last page
    assert len(dashboard_units(html, "giver")) == 1 and "Trang 3 / 3" in html
    nxt = re.search(r'href="([^"]*out_page=2[^"]*)"', client.get("/flags/?in_page=1").get_data(as_text=True))
    assert nxt and "province=" in nxt.group(1)

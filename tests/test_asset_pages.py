"""One asset's page, and creating and editing assets through the real form (with CSRF)."""
from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tracker.assets.forms import asset_form_class
from tracker.assets.services import update_asset
from tracker.models import Asset, AssetEvent, AssetKind, Province, Role, UnitKind


@pytest.fixture
def units(unit_by_name):
    return {
        "thang_loi": unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE),
        "ba_xuyen_old": unit_by_name("Xã Bá Xuyên", UnitKind.OLD_COMMUNE),
        "song_cong": unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE),
        "ba_xuyen": unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE),
    }


@pytest.fixture
def officer(make_user, auth):
    user = make_user(Role.OFFICER, full_name="Nguyễn Văn An")
    auth.login(user.username)
    return user


def asset_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Asset))


def submit(client, path: str, data: dict):
    """Open the form like a browser, then post it with the page's CSRF token."""
    token = csrf_token(client, path)
    return client.post(path, data={**data, "csrf_token": token})


def vehicle_form(units, **changes) -> dict:
    data = {"unit_id": units["thang_loi"].id, "receiver_id": units["song_cong"].id, "name": "Xe ô tô Toyota Camry",
            "plate": "98a81118", "make_model": "Toyota Camry 2.5", "seats": "5", "year_made": "2015",
            "odometer_km": "120.500", "original_cost": "1.250.000.000 đ", "remaining_value": "250.000.000",
            "condition": "good", "ownership": "own"}
    return data | changes


def value_of(page: str, name: str) -> str | None:
    """The value an input shows after the page re-renders."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html_lib.unescape(match.group(1)) if match else None


def test_officer_registers_a_car_through_the_form(db, client, officer, units):
    response = submit(client, "/assets/new/vehicle", vehicle_form(units))
    assert response.status_code == 302
    car = db.session.scalar(sa.select(Asset).where(Asset.plate == "98A-811.18"))
    assert (car.name, car.seats, car.year_made, car.odometer_km) == ("Xe ô tô Toyota Camry", 5, 2015, 120_500)
    assert (car.original_cost, car.remaining_value) == (1_250_000_000, 250_000_000)
    assert car.unit == units["thang_loi"] and car.receiver == units["song_cong"]
    assert response.headers["Location"].endswith(f"/assets/{car.id}")
    page = client.get(f"/assets/{car.id}").get_data(as_text=True)
    for text in ("Biển kiểm soát", "98A-811.18", "Năm sản xuất", "1.250.000.000 đ", "Phường Thắng Lợi",
                 f'href="/units/{units["song_cong"].id}"', "Tạo mới", "Nguyễn Văn An"):
        assert text in page, text


def test_a_car_typed_without_a_name_is_named_by_its_make_and_plate(db, client, officer, units):
    response = submit(client, "/assets/new/vehicle", vehicle_form(units, name="  "))
    assert response.status_code == 302
    car = db.session.scalar(sa.select(Asset).where(Asset.plate == "98A-811.18"))
    assert car.name == "Xe ô tô Toyota Camry 2.5 98A-811.18"


def test_equipment_typed_without_a_name_or_a_type_is_refused_naming_the_name(db, client, officer, units):
    before = asset_count(db)
    response = submit(client, "/assets/new/equipment", {"unit_id": units["thang_loi"].id, "name": "",
                                                         "equipment_type": "", "quantity": "1"})
    assert response.status_code == 422
    assert "Tên tài sản: chưa nhập (bắt buộc)." in response.get_data(as_text=True)
    assert asset_count(db) == before


def test_form_fields_come_from_the_field_table():
    from tracker.assets.fields import fields_for

    for kind in AssetKind:
        form = asset_form_class(kind)
        for field in fields_for(kind):
            assert str(getattr(form, field.name).args[0]) == field.label


def test_unit_select_lists_old_units_labelled_with_their_district(client, officer, units):
    page = client.get("/assets/new/equipment").get_data(as_text=True)
    assert f'value="{units["thang_loi"].id}">Phường Thắng Lợi (Thành phố Sông Công)</option>' in page
    assert '<optgroup label="Thành phố Sông Công (Tỉnh Thái Nguyên)">' in page
    receivers = page.split('id="receiver_id"', 1)[1].split("</select>", 1)[0]
    assert "Phường Sông Công" in receivers and "Sở Tài chính Thái Nguyên" in receivers
    assert "Phường Thắng Lợi" not in receivers  # dissolved units do not receive


@pytest.mark.parametrize("changes, field, message", [
    ({"year_made": "abc"}, "year_made", "Năm sản xuất: «abc» không phải năm"),
    ({"original_cost": "abc"}, "original_cost", "Nguyên giá (đồng): «abc» không phải số tiền"),
    ({"plate": ""}, "plate", "Biển kiểm soát: chưa nhập (bắt buộc)."),
    ({"plate": "hello"}, "plate", "không đúng dạng biển số"),
    ({"year_made": "2031"}, "year_made", "Năm sản xuất: năm 2031 ở tương lai"),
    ({"original_cost": "-5.000.000"}, "original_cost", "Nguyên giá (đồng): số tiền không được âm"),
    ({"remaining_value": "2.000.000.000"}, "remaining_value", "không được lớn hơn nguyên giá"),
    ({"name": "x" * 10_000}, "name", "Tên tài sản: dài 10000 ký tự, tối đa 300."),
    ({"seats": "0"}, "seats", "Số chỗ ngồi: không được nhỏ hơn 1."),
    ({"unit_id": ""}, "unit_id", "Đơn vị giao: chưa chọn đơn vị đã giải thể."),
    ({"unit_id": "abc"}, "unit_id", "Đơn vị giao: giá trị không hợp lệ."),
    ({"condition": "tuyệt hảo"}, "condition", "Tình trạng: «tuyệt hảo» không hợp lệ"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field(db, client, officer, units, changes, field, message):
    before = asset_count(db)
    response = submit(client, "/assets/new/vehicle", vehicle_form(units, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html_lib.escape(message, quote=False) in page
    # The field is marked, and the rest of what was typed is still there.
    assert re.search(rf'<(input|select)[^>]*class="[^"]*is-invalid[^"]*"[^>]*id="{field}"', page)
    assert value_of(page, "make_model") == "Toyota Camry 2.5"
    if field in ("year_made", "original_cost", "plate", "name") and changes[field].strip():
        assert value_of(page, field) == changes[field]
    assert asset_count(db) == before


def test_a_plate_already_registered_is_refused(db, client, officer, units, make_asset):
    make_asset(AssetKind.VEHICLE, unit=units["ba_xuyen_old"], name="Xe Ford Everest", plate="98A-811.18")
    before = asset_count(db)
    response = submit(client, "/assets/new/vehicle", vehicle_form(units, plate="98A 811 18"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Biển kiểm soát: 98A-811.18 đã đăng ký cho xe «Xe Ford Everest» (Xã Bá Xuyên)." in page
    assert asset_count(db) == before


def test_a_unit_of_another_province_cannot_be_chosen(db, client, auth, make_user, units):
    other = Province(code=99, name="Tỉnh Thử", name_folded="tinh thu")
    db.session.add(other)
    db.session.commit()
    outsider = make_user(Role.OFFICER, province=other)
    auth.login(outsider.username)
    before = asset_count(db)
    response = submit(client, "/assets/new/vehicle", vehicle_form(units))
    assert response.status_code == 422
    assert "Đơn vị giao: hãy chọn một đơn vị đã giải thể trong danh sách." in response.get_data(as_text=True)
    assert asset_count(db) == before


def test_html_in_a_name_is_stored_as_typed_and_shown_escaped(db, client, officer, units):
    name = '<script>alert("x")</script> Máy in'
    response = submit(client, "/assets/new/equipment", {"unit_id": units["thang_loi"].id, "name": name,
                                                        "equipment_type": "Máy in"})
    assert response.status_code == 302
    asset = db.session.scalar(sa.select(Asset).where(Asset.equipment_type == "Máy in"))
    assert asset.name == name
    for path in (f"/assets/{asset.id}", "/assets/", f"/assets/{asset.id}/edit"):
        page = client.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in page, path
        assert "<script>alert(" not in page, path


def test_history_shows_each_change_after_an_edit(db, client, officer, units, make_asset):
    asset = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], name="Máy vi tính Dell",
                       equipment_type="Máy vi tính", original_cost=15_000_000, actor=officer)
    form = {"unit_id": units["thang_loi"].id, "receiver_id": units["song_cong"].id, "version": asset.version,
            "code": asset.code, "name": "Máy vi tính Dell Optiplex", "quantity": "1", "unit_of_measure": "cái",
            "original_cost": "15.000.000", "remaining_value": "0", "condition": "needs_repair",
            "ownership": "own", "equipment_type": "Máy vi tính"}
    response = submit(client, f"/assets/{asset.id}/edit", form)
    assert response.status_code == 302
    db.session.refresh(asset)
    assert asset.name == "Máy vi tính Dell Optiplex" and asset.receiver == units["song_cong"]
    page = client.get(f"/assets/{asset.id}").get_data(as_text=True)
    history = page.split('id="asset-history"', 1)[1]
    assert "Sửa thông tin" in history
    assert "Tên tài sản: <del>Máy vi tính Dell</del> → <ins>Máy vi tính Dell Optiplex</ins>" in history
    assert "Tình trạng: <del>Đang sử dụng</del> → <ins>Cần sửa chữa</ins>" in history
    assert "Đơn vị dự kiến nhận:" in history and "<ins>Phường Sông Công</ins>" in history
    assert history.index("Sửa thông tin") < history.index("Tạo mới")  # newest first
    events = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.asset_id == asset.id)).all()
    assert [e.action for e in events] == ["created", "updated"]


def test_an_import_event_names_its_file(db, client, officer, units, make_asset):
    from tracker import history
    from tracker.models import ImportBatch

    asset = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"])
    batch = ImportBatch(filename="kiem_ke_thang_loi_2025.xlsx", sha256="0" * 64, user_id=officer.id)
    db.session.add(batch)
    db.session.flush()
    before = history.snapshot(asset)
    asset.serial = "SN-001"
    history.record(asset, "imported", officer, before, import_id=batch.id)
    db.session.commit()
    page = client.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert "kiem_ke_thang_loi_2025.xlsx" in page and "Nhập từ bảng tính" in page


def test_saving_an_untouched_form_changes_nothing(db, client, officer, units, make_asset):
    box = make_asset(AssetKind.ARCHIVE_BOX, unit=units["thang_loi"], box_no="12", arrangement="đã chỉnh lý",
                     files_count="1.200", span_start="2010", span_end="2020", digitised="có")
    assert box.linear_m == Decimal("0.125")
    page = client.get(f"/assets/{box.id}/edit").get_data(as_text=True)
    token = csrf_token(client, f"/assets/{box.id}/edit")
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    fields |= {name: value for name, value in re.findall(
        r'<select[^>]*name="([a-z_]+)"[^>]*>.*?<option selected value="([^"]*)"', page, flags=re.S)}
    fields["csrf_token"] = token
    assert fields["linear_m"] == "0,125" and fields["files_count"] == "1200"
    response = client.post(f"/assets/{box.id}/edit", data={k: html_lib.unescape(v) for k, v in fields.items()})
    assert response.status_code == 302
    db.session.refresh(box)
    assert box.linear_m == Decimal("0.125") and box.files_count == 1200 and box.digitised is True
    events = db.session.scalars(sa.select(AssetEvent).where(AssetEvent.asset_id == box.id)).all()
    assert [e.action for e in events] == ["created"]  # no change, no event


def test_a_stale_edit_is_refused_and_the_typing_kept(db, client, officer, units, make_asset, make_user):
    asset = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], name="Máy photocopy", equipment_type="Máy photocopy")
    path = f"/assets/{asset.id}/edit"
    token = csrf_token(client, path)  # our officer opens the page at version 1
    colleague = make_user(Role.OFFICER)
    update_asset(asset, {"name": "Máy photocopy Ricoh", "equipment_type": "Máy photocopy"}, colleague,
                 expected_version=1)
    db.session.commit()
    response = client.post(path, data={"csrf_token": token, "version": "1", "unit_id": units["thang_loi"].id,
                                       "name": "Máy photocopy Toshiba", "equipment_type": "Máy photocopy"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "vừa được người khác sửa sau khi bạn mở trang" in page
    assert value_of(page, "name") == "Máy photocopy Toshiba"
    assert value_of(page, "version") == "1"
    db.session.refresh(asset)
    assert asset.name == "Máy photocopy Ricoh" and asset.version == 2


def test_a_forged_version_counts_as_stale(db, client, officer, units, make_asset):
    asset = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], name="Máy chiếu", equipment_type="Máy chiếu")
    response = submit(client, f"/assets/{asset.id}/edit", {"version": "abc", "unit_id": units["thang_loi"].id,
                                                            "name": "Máy chiếu Sony", "equipment_type": "Máy chiếu"})
    assert response.status_code == 422
    db.session.refresh(asset)
    assert asset.name == "Máy chiếu"


def test_posting_without_csrf_token_is_refused(db, client, officer, units):
    before = asset_count(db)
    response = client.post("/assets/new/vehicle", data=vehicle_form(units))
    assert response.status_code == 400
    assert asset_count(db) == before


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMUNE])
def test_auditors_and_commune_staff_cannot_create_or_edit(db, client, auth, make_user, make_asset, units, role):
    asset = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], receiver=units["song_cong"])
    user = make_user(role, unit=units["song_cong"] if role == Role.COMMUNE else None)
    auth.login(user.username)
    token = csrf_token(client, "/assets/")
    assert client.get(f"/assets/{asset.id}").status_code == 200  # they may read it
    for path in ("/assets/new/equipment", f"/assets/{asset.id}/edit"):
        assert client.get(path).status_code == 403
        data = {"csrf_token": token, "unit_id": units["thang_loi"].id, "name": "Giả mạo", "equipment_type": "x"}
        assert client.post(path, data=data).status_code == 403
    assert "Sửa</a>" not in client.get(f"/assets/{asset.id}").get_data(as_text=True)
    db.session.refresh(asset)
    assert asset.name != "Giả mạo"


def test_commune_staff_get_404_on_another_units_asset(db, client, auth, make_user, make_asset, units):
    ours = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"], receiver=units["song_cong"], name="Của Sông Công")
    theirs = make_asset(AssetKind.EQUIPMENT, unit=units["ba_xuyen_old"], receiver=units["ba_xuyen"],
                        name="Của Bá Xuyên")
    staff = make_user(Role.COMMUNE, unit=units["song_cong"])
    auth.login(staff.username)
    assert client.get(f"/assets/{ours.id}").status_code == 200
    assert client.get(f"/assets/{theirs.id}").status_code == 404
    assert client.get("/assets/999999").status_code == 404


def test_officers_of_another_province_get_404(db, client, auth, make_user, make_asset, units):
    asset = make_asset(AssetKind.EQUIPMENT, unit=units["thang_loi"])
    other = Province(code=98, name="Tỉnh Khác", name_folded="tinh khac")
    db.session.add(other)
    db.session.commit()
    outsider = make_user(Role.OFFICER, province=other)
    auth.login(outsider.username)
    assert client.get(f"/assets/{asset.id}").status_code == 404
    assert client.get(f"/assets/{asset.id}/edit").status_code == 404


def test_unknown_kind_is_404(client, officer):
    assert client.get("/assets/new/spaceship").status_code == 404


def test_create_form_can_start_from_a_unit(client, officer, units):
    page = client.get(f"/assets/new/headquarters?unit_id={units['thang_loi'].id}").get_data(as_text=True)
    assert f'<option selected value="{units["thang_loi"].id}">' in page
    assert client.get("/assets/new/headquarters?unit_id=abc").status_code == 200


def test_the_asset_page_links_to_its_handovers_and_names_people(db, browser, make_user, make_asset, unit_by_name):
    """Where the asset went, with what the receiver said; who changed it by name, not username."""
    from tests.handover_factory import delivered, equipment, units
    from tests.test_notices import signed_in
    from tracker.models import ReceiptState, Role

    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER, full_name="Nguyễn Thị Thu Hà")
    clerk = make_user(Role.COMMUNE, unit=receiver, full_name="Trần Văn Minh")
    [machine] = equipment(make_asset, giver, 1)
    handover = delivered(db, officer, giver, receiver, [machine], clerk,
                         receipt={machine: (ReceiptState.DAMAGED, "Vỡ màn hình")})
    page = signed_in(browser, officer)
    html = page.get(f"/assets/{machine.id}").get_data(as_text=True)
    listed = html[html.index('id="asset-handovers"'):html.index('id="asset-history"')]
    assert f'href="/handovers/{handover.id}">{handover.number:02d}/BB-BG</a>' in listed
    assert f"{giver.name} → {receiver.name}" in listed and "Hư hỏng (Vỡ màn hình)" in listed
    history = html[html.index('id="asset-history"'):]
    assert "Nguyễn Thị Thu Hà" in history and "Trần Văn Minh" in history and officer.username not in history
    trail = page.get(f"/handovers/{handover.id}").get_data(as_text=True)
    assert "Trần Văn Minh · " in trail and f"· {clerk.username} ·" not in trail
    # Another province's officer sees nothing of it.
    stranger = signed_in(browser, make_user(Role.COMMUNE, unit=unit_by_name("Phường Bá Xuyên")))
    assert stranger.get(f"/assets/{machine.id}").status_code in (403, 404)

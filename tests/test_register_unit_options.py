"""The register's unit filters: options rendered once per set of units, never shown stale."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tracker.models import Role, Unit, UnitKind


@pytest.fixture
def officer(make_user, auth):
    user = make_user(Role.OFFICER)
    auth.login(user.username)
    return user


def options_of(html: str, name: str) -> dict[str, str]:
    """value -> label of one select of the filter bar."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return dict(re.findall(r'<option (?:selected )?value="([^"]*)">([^<]*)</option>', select))


def selected_of(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)">', select)


def test_each_filter_marks_only_its_own_choice_even_from_the_kept_options(client, officer, unit_by_name):
    ward = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    commune = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
    client.get("/assets/")  # renders the options once
    html = client.get(f"/assets/?receiver_id={ward.id}&unit_id={commune.id}").get_data(as_text=True)
    assert selected_of(html, "receiver_id") == [str(ward.id)]
    assert selected_of(html, "unit_id") == [str(commune.id)]
    assert selected_of(html, "holder_id") == [""] and selected_of(html, "district_id") == [""]
    assert options_of(html, "unit_id")[str(commune.id)] == "Phường Thắng Lợi (Thành phố Sông Công)"
    # The options kept from the first page are the same ones the page would render afresh.
    again = client.get("/assets/").get_data(as_text=True)
    assert options_of(again, "holder_id") == options_of(html, "holder_id")
    assert selected_of(again, "receiver_id") == [""]


def test_a_unit_added_or_renamed_after_the_page_was_shown_appears_in_the_filters(client, db, officer,
                                                                                  province, unit_by_name):
    district = unit_by_name("Thành phố Sông Công", UnitKind.OLD_DISTRICT)
    before = client.get("/assets/").get_data(as_text=True)
    assert "Xã Thử Nghiệm" not in before
    unit = Unit(source_key="old:test:options", code="99999", kind=UnitKind.OLD_COMMUNE, name="Xã Thử Nghiệm",
                name_folded="xa thu nghiem", division_type="xã", province_id=province.id, parent_id=district.id)
    db.session.add(unit)
    db.session.commit()
    added = client.get("/assets/").get_data(as_text=True)
    assert options_of(added, "unit_id")[str(unit.id)] == "Xã Thử Nghiệm (Thành phố Sông Công)"
    db.session.execute(sa.update(Unit).where(Unit.id == unit.id).values(name="Xã Thử Nghiệm Mới",
                                                                        name_folded="xa thu nghiem moi"))
    db.session.commit()
    renamed = client.get("/assets/").get_data(as_text=True)
    assert options_of(renamed, "unit_id")[str(unit.id)] == "Xã Thử Nghiệm Mới (Thành phố Sông Công)"


def test_an_officer_is_offered_the_units_of_their_province_only(client, db, officer, province):
    html = client.get("/assets/").get_data(as_text=True)
    offered = {int(v) for v in options_of(html, "holder_id") if v}
    in_province = set(db.session.scalars(sa.select(Unit.id).where(Unit.province_id == province.id)))
    assert offered == in_province

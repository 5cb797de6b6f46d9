"""Each flag appears when its cause is there, lists and links its items, and clears when fixed."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import csrf_token
from tests.test_flags_support import NOW, computers, count_rows, login, officer, put_in_handover, tn  # noqa: F401
from tracker.flags.alerts import flags
from tracker.models import AssetKind, AssetStatus, HandoverStatus, ReceiptState, Role

DAYS_AGO_20 = NOW - dt.timedelta(days=20)


def hq(make_asset, unit, address, code):
    return make_asset(AssetKind.HEADQUARTERS, unit=unit, code=code, name=f"Trụ sở {code}", address=address,
                      floor_area="450")


def test_assets_in_no_handover_are_flagged_until_put_in_one(db, client, auth, province, tn, make_asset, officer):
    machines = computers(make_asset, tn["pho_co"], 3)
    assert count_rows(db, flags.unhanded_assets(province.id)) == 3
    login(auth, officer)
    html = client.get("/flags/alerts/unhanded").get_data(as_text=True)
    assert f'data-unit="{tn["pho_co"].id}"' in html
    listing = client.get(f"/flags/assets?flag=unhanded&unit={tn['pho_co'].id}").get_data(as_text=True)
    assert all(f'href="/assets/{m.id}"' in listing for m in machines)

    put_in_handover(db, tn["pho_co"], tn["song_cong"], machines, HandoverStatus.DRAFT)
    assert count_rows(db, flags.unhanded_assets(province.id)) == 0
    assert f'data-unit="{tn["pho_co"].id}"' not in client.get("/flags/alerts/unhanded").get_data(as_text=True)


def test_issued_but_unsigned_after_n_days_is_flagged_and_n_is_editable(db, client, auth, province, tn, make_asset,
                                                                      officer):
    handover = put_in_handover(db, tn["pho_co"], tn["song_cong"], computers(make_asset, tn["pho_co"], 2),
                               HandoverStatus.ISSUED, issued_at=DAYS_AGO_20)
    [flag] = flags.stalled_handovers(province.id, 14)
    assert (flag.handover, flag.items, flag.days) == (handover, 2, 20)
    assert flags.stalled_handovers(province.id, 21) == []

    login(auth, officer)
    html = client.get("/flags/alerts/stalled").get_data(as_text=True)
    assert f'data-handover="{handover.id}"' in html and f'href="/handovers/{handover.id}"' in html
    assert f'href="/flags/assets?handover={handover.id}' in html
    token = csrf_token(client, "/flags/alerts")
    assert client.post("/flags/alerts/settings", data={"csrf_token": token, "days": "abc"}).status_code == 422
    assert client.post("/flags/alerts/settings", data={"csrf_token": token, "days": "30"}).status_code == 302
    assert f'data-handover="{handover.id}"' not in client.get("/flags/alerts/stalled").get_data(as_text=True)


def test_signed_but_unconfirmed_is_flagged_until_completed(db, province, tn, make_asset):
    handover = put_in_handover(db, tn["pho_co"], tn["song_cong"], computers(make_asset, tn["pho_co"], 1),
                               HandoverStatus.SIGNED, issued_at=NOW - dt.timedelta(days=40), signed_at=DAYS_AGO_20)
    [flag] = flags.stalled_handovers(province.id, 14)
    assert flag.reason == "Đã ký, chưa xác nhận tiếp nhận" and flag.days == 20
    handover.status = HandoverStatus.COMPLETED
    db.session.commit()
    assert flags.stalled_handovers(province.id, 14) == []


def test_auditor_reads_flags_but_cannot_change_n(client, auth, make_user):
    login(auth, make_user(Role.AUDITOR))
    assert client.get("/flags/alerts").status_code == 200
    token = csrf_token(client, "/flags/alerts")
    assert client.post("/flags/alerts/settings", data={"csrf_token": token, "days": "3"}).status_code == 403


def test_hq_used_at_once_without_decision_after_30_days_is_flagged_until_decided(db, client, auth, province, tn,
                                                                                 make_asset, officer):
    building = hq(make_asset, tn["thang_loi"], "Tổ 5, phường Thắng Lợi", "HQ-1")
    handover = put_in_handover(db, tn["thang_loi"], tn["song_cong"], [building], HandoverStatus.SIGNED,
                               immediate_use=True, handover_date=dt.date.today() - dt.timedelta(days=45))
    [flag] = flags.hq_decisions_overdue(province.id)
    assert flag.handover == handover and flag.days == 15

    login(auth, officer)
    assert f'data-handover="{handover.id}"' in client.get("/flags/alerts/hq_decision").get_data(as_text=True)
    handover.decision_ref = "Quyết định 123/QĐ-UBND"
    db.session.commit()
    assert flags.hq_decisions_overdue(province.id) == []


def test_hq_within_30_days_or_not_for_immediate_use_is_not_flagged(db, province, tn, make_asset):
    recent = hq(make_asset, tn["thang_loi"], "Tổ 5", "HQ-2")
    put_in_handover(db, tn["thang_loi"], tn["song_cong"], [recent], HandoverStatus.ISSUED, immediate_use=True,
                    handover_date=dt.date.today() - dt.timedelta(days=10))
    normal = hq(make_asset, tn["pho_co"], "Tổ 9", "HQ-3")
    put_in_handover(db, tn["pho_co"], tn["song_cong"], [normal], HandoverStatus.ISSUED,
                    handover_date=dt.date.today() - dt.timedelta(days=100))
    assert flags.hq_decisions_overdue(province.id) == []


def test_new_unit_working_from_two_addresses_is_flagged(db, client, auth, province, tn, make_asset, officer):
    first = hq(make_asset, tn["thang_loi"], "Số 1 đường Thắng Lợi", "HQ-A")
    second = hq(make_asset, tn["pho_co"], "Số 9 phố Cò", "HQ-B")
    put_in_handover(db, tn["thang_loi"], tn["song_cong"], [first], HandoverStatus.COMPLETED)
    assert flags.multi_site_units(province.id) == []
    due = put_in_handover(db, tn["pho_co"], tn["song_cong"], [second], HandoverStatus.SIGNED)

    [site] = flags.multi_site_units(province.id)
    assert site.unit_id == tn["song_cong"].id
    assert sorted(site.addresses) == ["Số 1 đường Thắng Lợi", "Số 9 phố Cò"]
    login(auth, officer)
    html = client.get("/flags/alerts/multi_hq").get_data(as_text=True)
    assert f'href="/assets/{first.id}"' in html and f'href="/assets/{second.id}"' in html

    due.status = HandoverStatus.VOIDED  # the second building is not coming after all
    for item in due.items:
        item.is_open = False
    second.status = AssetStatus.REGISTERED
    db.session.commit()
    assert flags.multi_site_units(province.id) == []


def test_missing_or_damaged_at_receipt_is_flagged_until_written_off(db, client, auth, province, tn, make_asset,
                                                                    officer):
    lost, broken, fine = computers(make_asset, tn["pho_co"], 3)
    handover = put_in_handover(db, tn["pho_co"], tn["song_cong"], [lost, broken, fine], HandoverStatus.COMPLETED,
                               receipt={lost: ReceiptState.MISSING, broken: ReceiptState.DAMAGED})
    rows = flags.receipt_problems(province.id)
    assert [(a, h) for a, _note, h in rows] == [(lost, handover.id), (broken, handover.id)]
    assert rows[0][1] == "Không thấy khi kiểm đếm"

    login(auth, officer)
    html = client.get("/flags/alerts/receipt").get_data(as_text=True)
    assert f'data-asset="{lost.id}"' in html and "Không thấy khi kiểm đếm" in html
    csv_text = client.get("/flags/alerts/receipt?format=csv").data.decode("utf-8-sig")
    assert lost.code in csv_text and fine.code not in csv_text

    lost.status = AssetStatus.WRITTEN_OFF
    db.session.commit()
    assert [a for a, *_ in flags.receipt_problems(province.id)] == [broken]


@pytest.mark.parametrize("name", list(flags.FLAG_LABELS))
def test_every_flag_page_and_export_answers(client, auth, officer, name):
    login(auth, officer)
    assert client.get(f"/flags/alerts/{name}").status_code == 200
    body = client.get(f"/flags/alerts/{name}?format=csv").data
    assert body.startswith(b"\xef\xbb\xbf")


def test_commune_staff_see_their_units_flags_not_the_provinces(db, client, auth, make_user, province, tn,
                                                                make_asset):
    ours = put_in_handover(db, tn["pho_co"], tn["song_cong"], computers(make_asset, tn["pho_co"], 1),
                           HandoverStatus.ISSUED, issued_at=DAYS_AGO_20)
    theirs = put_in_handover(db, tn["pho_co"], tn["ba_xuyen"], computers(make_asset, tn["pho_co"], 1, start=5),
                             HandoverStatus.ISSUED, issued_at=DAYS_AGO_20)
    login(auth, make_user(Role.COMMUNE, unit=tn["song_cong"]))
    assert client.get("/flags/alerts").status_code == 403
    assert client.get("/flags/alerts/stalled").status_code == 403
    html = client.get(f"/flags/units/{tn['song_cong'].id}").get_data(as_text=True)
    assert f"/flags/assets?handover={ours.id}" in html and f"handover={theirs.id}" not in html
    # Another unit's handover answers like one that does not exist (issue 13).
    assert client.get(f"/flags/assets?handover={theirs.id}").status_code == 404
    assert client.get("/flags/assets?handover=987654321").status_code == 404

"""Unsorted archives: boxes, files and linear metres counted to the exact figure, worst first."""
from __future__ import annotations

from decimal import Decimal

from tests.test_flags_support import login, officer, put_in_handover, tn  # noqa: F401 (fixtures)
from tracker.flags.alerts import archives
from tracker.models import AssetKind, AssetStatus, HandoverStatus, Role

THANG_LOI = "Phông UBND phường Thắng Lợi"
PHO_CO = "Phông UBND phường Phố Cò"


def box(make_asset, unit, fonds, no, arrangement="unsorted", **fields):
    return make_asset(AssetKind.ARCHIVE_BOX, unit=unit, fonds=fonds, box_no=str(no), name=f"Hộp {no}",
                      arrangement=arrangement, **fields)


def shelf(db, make_asset, tn):
    """Thắng Lợi: 3 unsorted boxes (0,125 m + 0,25 m + one without metres), 2 preliminary, 1 sorted,
    1 unsorted written off. Phố Cò: 9 unsorted boxes of 0,5 m, in a handover to Phường Sông Công."""
    boxes = {
        "a": box(make_asset, tn["thang_loi"], THANG_LOI, 1, files_count=10, linear_m=Decimal("0.125"),
                 span_start=2010, span_end=2015, retention="Vĩnh viễn"),
        "b": box(make_asset, tn["thang_loi"], THANG_LOI, 2, files_count=20, linear_m=Decimal("0.25"),
                 retention="Vĩnh viễn"),
        "c": box(make_asset, tn["thang_loi"], THANG_LOI, 3, files_count=5, span_start=2001, span_end=2004),
        "p1": box(make_asset, tn["thang_loi"], THANG_LOI, 4, "preliminary", files_count=7,
                  span_start=2000, span_end=2001, retention="Có thời hạn"),
        "p2": box(make_asset, tn["thang_loi"], THANG_LOI, 5, "preliminary",
                  span_start=2000, span_end=2001, retention="Có thời hạn"),
        "sorted": box(make_asset, tn["thang_loi"], THANG_LOI, 6, "sorted", files_count=99, linear_m="3",
                      span_start=1990, span_end=1999, retention="Vĩnh viễn"),
        "gone": box(make_asset, tn["thang_loi"], THANG_LOI, 7, files_count=50, linear_m="2",
                    span_start=1990, span_end=1999, retention="Vĩnh viễn"),
    }
    boxes["gone"].status = AssetStatus.WRITTEN_OFF
    pho_co = [box(make_asset, tn["pho_co"], PHO_CO, n, files_count=4, linear_m=Decimal("0.5"), span_start=2015,
                  span_end=2020, retention="Vĩnh viễn") for n in range(1, 10)]
    db.session.commit()
    put_in_handover(db, tn["pho_co"], tn["song_cong"], pho_co, HandoverStatus.COMPLETED, doc_type="archives")
    return boxes, pho_co


def test_unsorted_boxes_files_and_metres_to_the_exact_figure(db, province, make_asset, tn):
    shelf(db, make_asset, tn)
    summary = archives.unsorted_summary(province.id)
    by_fonds = {r.label: r for r in summary.by_fonds}
    thang_loi = by_fonds[THANG_LOI]
    assert (thang_loi.unsorted.boxes, thang_loi.unsorted.files, thang_loi.unsorted.metres) == (3, 35, Decimal("0.500"))
    assert (thang_loi.preliminary.boxes, thang_loi.preliminary.files, thang_loi.preliminary.metres) == (
        2, 7, Decimal("0.250"))
    pho_co = by_fonds[PHO_CO]
    assert (pho_co.unsorted.boxes, pho_co.unsorted.files, pho_co.unsorted.metres) == (9, 36, Decimal("4.500"))
    assert [r.label for r in summary.by_fonds] == [PHO_CO, THANG_LOI]  # worst first
    assert (summary.total.unsorted.boxes, summary.total.unsorted.metres) == (12, Decimal("5.000"))


def test_counted_per_dissolved_unit_and_per_current_holder(db, province, make_asset, tn):
    shelf(db, make_asset, tn)
    summary = archives.unsorted_summary(province.id)
    by_unit = {r.key: r for r in summary.by_unit}
    by_holder = {r.key: r for r in summary.by_holder}
    assert by_unit[tn["pho_co"].id].unsorted.boxes == 9 and by_unit[tn["thang_loi"].id].unsorted.boxes == 3
    assert tn["pho_co"].id not in by_holder  # its boxes now sit with the new ward
    assert by_holder[tn["song_cong"].id].unsorted.metres == Decimal("4.500")
    assert by_holder[tn["thang_loi"].id].label == "Phường Thắng Lợi"


def test_boxes_in_no_handover_and_incompletely_described(db, province, make_asset, tn):
    boxes, _pho_co = shelf(db, make_asset, tn)
    unhanded = set(db.session.scalars(archives.boxes_not_handed_over(province.id)))
    assert unhanded == {boxes[k] for k in ("a", "b", "c", "p1", "p2", "sorted")}
    incomplete = list(db.session.scalars(archives.boxes_incompletely_described(province.id)))
    assert incomplete == [boxes["b"], boxes["c"]]  # b: no time span; c: no retention

    put_in_handover(db, tn["thang_loi"], tn["song_cong"], [boxes["a"]], HandoverStatus.DRAFT, doc_type="archives")
    boxes["c"].retention = "limited"
    db.session.commit()
    assert boxes["a"] not in set(db.session.scalars(archives.boxes_not_handed_over(province.id)))
    assert list(db.session.scalars(archives.boxes_incompletely_described(province.id))) == [boxes["b"]]


def test_archive_pages_list_and_export_with_bom(db, client, auth, make_asset, tn, officer):
    shelf(db, make_asset, tn)
    login(auth, officer)
    html = client.get("/flags/archives").get_data(as_text=True)
    assert THANG_LOI in html and "4,5" in html  # Phố Cò's 4,5 m in Vietnamese notation
    assert html.index(PHO_CO) < html.index(THANG_LOI)
    body = client.get("/flags/archives?table=fonds").data
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[1] == f"{PHO_CO},9,36,4.5,0,0,0"
    assert lines[2] == f"{THANG_LOI},3,35,0.5,2,7,0.25"
    html = client.get("/flags/archives/incomplete").get_data(as_text=True)
    assert html.count('data-asset="') == 2
    csv_text = client.get("/flags/archives/unhanded?format=csv").data.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == 1 + 6


def test_commune_staff_see_only_their_own_unsorted_archives(db, client, auth, make_user, make_asset, tn):
    shelf(db, make_asset, tn)
    login(auth, make_user(Role.COMMUNE, unit=tn["song_cong"]))
    assert client.get("/flags/archives").status_code == 403
    assert client.get("/flags/archives/unhanded").status_code == 403
    html = client.get(f"/flags/units/{tn['song_cong'].id}").get_data(as_text=True)
    section = html[html.index('id="unit-archives"'):]
    assert "<td class=\"num\">9</td><td class=\"num\">36</td><td class=\"num\">4,5</td>" in section

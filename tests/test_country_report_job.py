"""The admin asks for the country report on the dashboard; the queue writes it; its page offers an
.xlsx with a line for every loaded province and the sheet's own total."""
from __future__ import annotations

import io

import openpyxl

from tests.conftest import csrf_token
from tracker.models import AssetKind, Role


def test_the_admin_gets_the_country_report_as_an_xlsx_from_its_job_page(client, auth, db, make_user, make_asset,
                                                                        unit_by_name):
    from tracker.models import UnitKind

    make_user(Role.ADMIN, username="quantri_bc")
    make_asset(AssetKind.EQUIPMENT, unit=unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE))
    auth.login("quantri_bc")
    page = client.get("/flags/").get_data(as_text=True)
    assert 'id="country-report-form"' in page
    started = client.post("/flags/country-report", data={"csrf_token": csrf_token(client, "/flags/")})
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    job_page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'id="job-done"' in job_page, job_page[:2000]
    got = client.get(started.headers["Location"] + "/download")
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(got.data)).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any(row and row[0] == "Thái Nguyên" for row in cells)
    header = next(row for row in cells if row and row[0] == "Tỉnh, thành phố")
    line = next(row for row in cells if row and row[0] == "Thái Nguyên")
    assert line[header.index("Tài sản")] >= 1


def test_an_officer_cannot_start_the_country_report(client, auth, make_user):
    make_user(Role.OFFICER, username="canbo_bc")
    auth.login("canbo_bc")
    page = client.get("/flags/").get_data(as_text=True)
    assert 'id="country-report-form"' not in page
    response = client.post("/flags/country-report", data={"csrf_token": csrf_token(client, "/imports/")})
    assert response.status_code == 403

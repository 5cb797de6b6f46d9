"""Hostile text typed into the register and a handover stays text everywhere it is shown.

Markup and template syntax in asset fields, party names, place, remarks and receipt notes are
escaped on every HTML page (walked from the URL map), printed literally in the minutes DOCX
(whose XML parts stay valid), and every CSV and .xlsx export neutralises what a spreadsheet
would run as a formula (a cell starting with = + - @, a tab or CR).
"""
from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from docx import Document

from tests.handover_factory import draft
from tests.security_support import Ids, _rules, home_world, shown_text, signed_in
from tracker.exports.writers import FORMULA_TRIGGERS
from tracker.handovers import services
from tracker.models import AssetKind, Role

LONG = "Rất dài " * 240  # 1,920 characters, near the 2,000 a note may hold
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{{7*7}}", '=HYPERLINK("http://x")',
           "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1", "\u202egnp.exe\u200b\u200d tên đảo chiều"]
# What must never reach a page raw: the markup only data could have put there.
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror")
FORMATS = ("csv", "xlsx")


@pytest.fixture
def hostile(db, unit_by_name):
    """Thái Nguyên with one asset per hostile string (in its name and free-text fields), a long note,
    and an issued handover of them whose place, remarks, legal basis and parties are hostile too."""
    home = home_world(db, unit_by_name)
    officer = home.users[Role.OFFICER]
    assets = [home.make_asset(AssetKind.EQUIPMENT, code=f"TB-HOSTILE-{i}", name=text, equipment_type=text,
                              serial=text[:120], notes=f"{text}\n{LONG}", receiver=home.ward)
              for i, text in enumerate(HOSTILE)]
    assets.append(home.make_asset(AssetKind.HEADQUARTERS, code="TS-HOSTILE", name=HOSTILE[0], address=HOSTILE[1],
                                  receiver=home.ward))
    parties = [services.PartyInput("giver", HOSTILE[1], HOSTILE[3]), services.PartyInput("receiver", HOSTILE[2],
                                                                                         HOSTILE[4]),
               services.PartyInput("witness", HOSTILE[7], HOSTILE[5], HOSTILE[6])]
    handover = draft(db, officer, home.giver, home.ward, place=HOSTILE[0], remarks=" ".join(HOSTILE),
                     legal_basis=HOSTILE[:4], parties=parties)
    services.add_assets(handover, assets, officer)
    services.issue_handover(handover, officer)
    db.session.commit()
    return home, handover, assets


def test_every_html_page_shows_the_hostile_text_escaped(app, browser, hostile):
    home, handover, assets = hostile
    ids = {"asset_id": assets[0].id, "unit_id": home.giver.id, "handover_id": handover.id,
           "item_id": handover.items[0].id, "user_id": home.users[Role.COMMUNE].id}
    pages, showing, wrong = 0, set(), []
    for role in (Role.OFFICER, Role.COMMUNE):
        client = signed_in(browser, home.users[role])
        for rule in _rules(app, "GET"):
            path = Ids({**ids, "unit_id": home.ward.id} if role == Role.COMMUNE else ids).path(app, rule)
            response = client.get(path, query_string={"q": ""})
            if response.mimetype != "text/html" or response.status_code != 200:
                continue
            pages += 1
            body = response.get_data(as_text=True)
            wrong += [f"{role.value} {path}: raw {raw!r}" for raw in RAW_MARKUP if raw in body]
            if "{{7*7}}" in body or "&lt;script&gt;alert(1)" in body:
                showing.add(rule.endpoint)
    template_text = signed_in(browser, home.users[Role.OFFICER]).get(f"/assets/{assets[2].id}").get_data(as_text=True)
    assert "{{7*7}}" in template_text  # shown as typed, never evaluated
    print(f"escaping: {len(HOSTILE)} strings, {pages} HTML pages, {len(showing)} endpoints showing them")
    assert {"assets.detail", "assets.register", "handovers.detail", "audit.asset_history"} <= showing, showing
    assert wrong == [], "\n".join(wrong)


def test_the_minutes_print_hostile_text_literally_in_valid_xml(app, browser, hostile):
    home, handover, _assets = hostile
    client = signed_in(browser, home.users[Role.OFFICER])
    response = client.get(f"/handovers/{handover.id}/minutes.docx")
    assert response.status_code == 200
    data = response.get_data()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # raises on invalid XML
    document = Document(io.BytesIO(data))
    text = "\n".join([p.text for p in document.paragraphs] +
                     [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    for hostile_text in HOSTILE[:7]:
        assert hostile_text in text, hostile_text


def _export_paths(app, ids) -> list[str]:
    """Every download: each route with a '<fmt>' in both formats, and ?format=csv where a page has it."""
    paths = []
    for rule in _rules(app, "GET"):
        if "fmt" in rule.arguments:
            paths += [Ids(ids).path(app, rule).replace(".khong-co", f".{fmt}").replace(".xlsx", f".{fmt}")
                      for fmt in FORMATS]
        elif not rule.arguments - {"unit_id", "name"} and rule.endpoint.startswith("flags."):
            paths.append(Ids(ids).path(app, rule) + "?format=csv")
    return sorted(set(paths))


def _cells(response) -> list[tuple[str, object]]:
    """(where, value) of every cell of a CSV or .xlsx answer; formulas as their text."""
    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [(f"{sheet.title}!{cell.coordinate}", cell.value) for sheet in book.worksheets
                for row in sheet.iter_rows() for cell in row if cell.value is not None]
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return [(f"row {r}", value) for r, row in enumerate(rows, start=1) for value in row]


def test_every_export_neutralises_formulas(app, browser, hostile):
    home, handover, assets = hostile
    ids = {"asset_id": assets[3].id, "unit_id": home.giver.id, "handover_id": handover.id}
    client = signed_in(browser, home.users[Role.OFFICER])
    exports, cells, wrong, with_hostile = 0, 0, [], set()
    for path in _export_paths(app, ids):
        response = client.get(path, query_string={"as_of": "2099-12-31"} if "as-of" in path else None,
                              buffered=True)  # streamed CSVs are read inside their request
        if response.status_code != 200 or response.mimetype == "text/html":
            continue
        exports += 1
        for where, value in _cells(response):
            cells += 1
            if not isinstance(value, str):
                continue
            if any(h in value for h in ("HYPERLINK", "calc'", "SUM(1)", "-1+1")):
                with_hostile.add(path.split("?")[0])
            if value.startswith("=SUBTOTAL("):
                continue  # the sheet's own totals
            if value.startswith(FORMULA_TRIGGERS):
                wrong.append(f"{path} {where}: {value[:60]!r}")
    print(f"exports: {exports} downloads, {cells} cells, {len(with_hostile)} carrying the hostile strings")
    assert exports >= 10
    assert {"/exports/register.csv", "/exports/register.xlsx"} <= with_hostile, with_hostile
    assert wrong == [], "\n".join(wrong[:40])

"""The English catalog: complete, compiled, and switched on by the language choice.

The Vietnamese text in the code is the source; tracker/translations/en holds the English. These
tests re-extract the strings from the code as it is now, so a string added without a translation
(or a label added to an enum without regenerating tracker/i18n_labels.py) fails here with its text.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.conftest import Auth, csrf_token

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tracker" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def extracted_msgids() -> dict[str, str]:
    """msgid -> 'file:line' of every string the code marks for translation, read with babel.cfg."""
    with open(TRANSLATIONS / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def english_po():
    with open(PO, "rb") as fh:
        return read_po(fh, locale="en")


def translations_of(catalog) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id and not m.fuzzy}


def test_every_string_in_the_code_has_an_english_translation():
    extracted = extracted_msgids()
    assert len(extracted) > 500, "the extractor found almost nothing: is babel.cfg (jinja2 section) broken?"
    assert any(where.startswith("templates") for where in extracted.values()), "no template strings extracted"
    catalog = translations_of(english_po())
    untranslated = sorted(f"{where}: {msgid!r}" for msgid, where in extracted.items() if not catalog.get(msgid))
    assert not untranslated, (f"{len(untranslated)} strings have no English translation; run the commands in "
                              "docs/I18N.md:\n" + "\n".join(untranslated))


def test_english_translations_keep_every_placeholder_and_nothing_is_fuzzy():
    catalog = english_po()
    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = [m.id for m in catalog if m.id and m.string
             and sorted(placeholder.findall(m.id)) != sorted(placeholder.findall(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not wrong, f"placeholders differ: {wrong}"
    assert not fuzzy, f"fuzzy entries are ignored at run time: {fuzzy}"


def test_every_enum_and_field_label_is_listed_for_the_extractor():
    from tracker.i18n import collect_labels

    tree = ast.parse((ROOT / "tracker" / "i18n_labels.py").read_text(encoding="utf-8"))
    listed = {node.args[0].value for node in ast.walk(tree)
              if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_l"
              and node.args and isinstance(node.args[0], ast.Constant)}
    current = set(collect_labels())
    assert current == listed, ("tracker/i18n_labels.py is out of date; run `.venv/bin/python -m tracker.i18n_labels` "
                               f"then update the catalog. Missing: {sorted(current - listed)}; "
                               f"stale: {sorted(listed - current)}")
    assert {"Máy móc, thiết bị", "Nguyên giá (đồng)", "Chưa chỉnh lý", "Cán bộ Sở Tài chính"} <= current


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    catalog = english_po()
    recompiled = tmp_path / "messages.mo"
    with open(recompiled, "wb") as fh:
        write_mo(fh, catalog)
    with open(recompiled, "rb") as fh:
        fresh = translations_of(read_mo(fh))
    with open(MO, "rb") as fh:
        committed = translations_of(read_mo(fh))
    source = {k: v for k, v in translations_of(catalog).items() if v}
    assert fresh == source
    stale = sorted(k for k in source if committed.get(k) != source[k])
    assert committed == source, (f"messages.mo is stale ({len(stale)} differences, e.g. {stale[:5]}); run "
                                 "`.venv/bin/pybabel compile -d tracker/translations`")


@pytest.fixture
def officer_browser(app, browser, make_user):
    from tracker.models import Role

    user = make_user(Role.OFFICER)
    client = browser()
    assert Auth(client).login(user.username).status_code == 302
    return client


def switch_to_english(client, back_to: str):
    response = client.post("/lang/en", data={"csrf_token": csrf_token(client, back_to), "next": back_to})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(back_to)


def test_officer_switches_the_register_to_english_and_labels_follow(officer_browser, make_asset):
    from tracker.models import AssetKind

    make_asset(AssetKind.EQUIPMENT, condition="good")
    html = officer_browser.get("/assets/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Danh mục tài sản" in html
    assert "Máy móc, thiết bị" in html and "Cán bộ Sở Tài chính" in html

    switch_to_english(officer_browser, "/assets/")
    html = officer_browser.get("/assets/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Asset register" in html and "Danh mục tài sản" not in html
    assert "Machinery and equipment" in html and "Máy móc, thiết bị" not in html
    assert "Department of Finance officer" in html
    assert ">Good<" in html


def test_money_and_dates_stay_vietnamese_in_both_languages(officer_browser, make_asset):
    from tracker.models import AssetKind

    asset = make_asset(AssetKind.EQUIPMENT, original_cost="12500000")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    for language in ("vi", "en"):
        if language == "en":
            switch_to_english(officer_browser, "/assets/")
        register = officer_browser.get("/assets/").get_data(as_text=True)
        detail = officer_browser.get(f"/assets/{asset.id}").get_data(as_text=True)
        assert f'<html lang="{language}">' in detail
        assert "12.500.000 đ" in register and "12.500.000 đ" in detail, language
        assert "12,500,000" not in register + detail
        assert today in detail, language
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b(?!\d)", _visible(detail)), language
    assert "Original cost (đồng)" in detail


def _visible(html: str) -> str:
    """Page text without tags and attributes, to look for dates as people see them."""
    return re.sub(r"<[^>]+>", " ", html)


def test_english_cookie_does_not_leak_into_another_browser(officer_browser, browser, make_user):
    from tracker.models import Role

    switch_to_english(officer_browser, "/assets/")
    other = browser()
    Auth(other).login(make_user(Role.OFFICER).username)
    html = other.get("/assets/").get_data(as_text=True)
    assert '<html lang="vi">' in html and "Danh mục tài sản" in html



ENGLISH_PAGES = ["/assets/", "/assets/new/archive_box", "/units/", "/handovers/", "/handovers/new",
                 "/handovers/verify", "/admin/users", "/admin/users/new", "/exports/", "/audit/",
                 "/audit/reconciliation/", "/imports/", "/flags/", "/flags/alerts", "/flags/archives",
                 "/flags/assets", "/flags/gaps", "/flags/norms", "/flags/reallocation", "/flags/rules"]


def test_admin_can_open_every_main_page_in_english(app, browser, make_user, make_asset):
    from tracker.models import AssetKind, Role

    make_asset(AssetKind.ARCHIVE_BOX)
    client = browser()
    Auth(client).login(make_user(Role.ADMIN).username)
    switch_to_english(client, "/assets/")
    broken = []
    for path in ENGLISH_PAGES:
        response = client.get(path)
        html = response.get_data(as_text=True)
        if response.status_code != 200 or '<html lang="en">' not in html or "Asset register" not in html:
            broken.append(f"{path}: {response.status_code}")
    assert not broken, broken
    form = client.get("/assets/new/archive_box").get_data(as_text=True)
    assert "Archival fonds" in form and "Sorting status" in form and "Preliminarily sorted" in form
    assert "Leave blank: calculated from the number of boxes (8 boxes per metre)" in form

"""A person's day in a real browser: Debian's Chromium driven by Playwright against a live server.

Runs on its own SQLite database prepared the way the README's run command prepares it (the
demo province and users). Skips, saying why, when Chromium or Playwright is missing; .ci/run
installs both and sets REQUIRE_BROWSER=1 so there it fails instead.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/tracker-screenshots"))
PASSWORD = "bangiao2025"


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app with the demo data, served on a free loopback port in a thread."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from tracker import create_app
    from tracker.demo.commands import ensure_demo_users
    from tracker.demo.generator import generate_song_cong
    from tracker.extensions import db
    from tracker.units.loader import load_province

    folder = tmp_path_factory.mktemp("live")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}", "SECRET_KEY": "browser-test"})
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        users = ensure_demo_users()
        generate_song_cong(actor=users[1][0])
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh 1366x768 page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form input[type=submit], main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def test_officer_finds_an_asset_without_diacritics_and_a_bad_year_is_refused_in_vietnamese(page, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server + "/")
    assert "Đăng nhập" in page.content()
    sign_in(page, live_server, "sotaichinh")
    assert "/assets" in page.url

    page.fill("#q", "thang loi")
    page.press("#q", "Enter")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "register-search.png"))
    rows = page.locator("table tbody tr")
    assert rows.count() > 0
    assert "Thắng Lợi" in page.locator("table tbody").inner_text()

    page.locator("table tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert "Lịch sử" in page.content()
    page.click("text=Sửa")
    page.wait_for_load_state("networkidle")
    year_field = page.locator("#year_built, #year_made, #span_end").first
    field_id = year_field.get_attribute("id")
    year_field.fill("2031")
    page.locator("main form input[type=submit], main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "asset-edit-error.png"))
    assert "tương lai" in page.content()
    assert page.locator(f"#{field_id}").input_value() == "2031"  # what the person typed stays

    # Offices have no internet: every request went to this server.
    assert all(url.startswith(live_server) for url in page.requests), [
        u for u in page.requests if not u.startswith(live_server)]


def test_commune_staff_sees_only_their_unit_and_can_switch_to_english(page, live_server):
    sign_in(page, live_server, "songcong")
    body = page.locator("body").inner_text()
    assert "Sông Công" in body
    page.locator("form[action$='/lang/en'] button").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(SHOTS / "commune-english.png"))
    page.goto(live_server + "/assets/new/equipment")
    assert page.locator("body").inner_text().strip() != ""
    assert "403" in page.content()

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
PASSWORD = "Nui-Coc-ban-giao-25"


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


LIVE: dict = {}  # the live server's app, for tests that prepare rows through its services


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app with the demo data, served on a free loopback port in a thread."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from tracker import create_app
    from tracker.demo.commands import ensure_demo_users
    from tracker.demo.generator import generate_song_cong
    from tracker.extensions import db
    from tracker.jobs.commands import start_worker_process
    from tracker.units.loader import load_province

    folder = tmp_path_factory.mktemp("live")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}", "SECRET_KEY": "browser-test"})
    with app.app_context():
        upgrade()
        load_province("Thái Nguyên")
        users = ensure_demo_users()
        generate_song_cong(actor=users[1][0])
        db.session.commit()
    LIVE["app"] = app
    worker = start_worker_process(app)  # the queue's worker, as the demo command starts it (its SQLite queue)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    worker.terminate()
    worker.wait(timeout=30)
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
    """A fresh 1366x768 page that records every request it makes and fails on any CSP violation."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    # The Content-Security-Policy forbids inline scripts and styles: Chromium reports each refusal on the
    # console, and every page a journey visits must have none.
    violations = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert not violations, violations


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
    assert page.url == live_server + "/"  # the officer's home page
    page.click("nav >> text=Danh mục tài sản")
    page.wait_for_load_state("networkidle")
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


def _equipment_workbook(path: Path, rows: int) -> None:
    """A hand-made-style list: title lines, a header, ``rows`` machines of Phường Thắng Lợi, a total."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Thiết bị")
    sheet.write_row(0, 0, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.write_row(1, 0, ["DANH SÁCH MÁY MÓC, THIẾT BỊ BÀN GIAO"])
    sheet.write_row(3, 0, ["STT", "Đơn vị", "Mã tài sản", "Tên tài sản", "Loại thiết bị", "Số lượng",
                           "Nguyên giá (đồng)", "Giá trị còn lại (đồng)"])
    for i in range(1, rows + 1):
        sheet.write_row(3 + i, 0, [i, "Phường Thắng Lợi", f"TD-{i:06d}", f"Máy trình duyệt số {i}", "Máy in", 1,
                                   1_000_000 + i, 500_000])
    sheet.write_row(4 + rows, 0, ["TỔNG CỘNG", None, None, None, None, rows,
                                  sum(1_000_000 + i for i in range(1, rows + 1)), 500_000 * rows])
    book.close()


def test_officer_uploads_a_big_list_watches_progress_previews_and_commits(page, live_server, tmp_path):
    rows = 30_000  # read and written in the background (over IMPORT_BACKGROUND_BYTES and _ROWS)
    path = tmp_path / "danh-sach-thiet-bi.xlsx"
    _equipment_workbook(path, rows)
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if "/status" in r.url else None)
    sign_in(page, live_server, "sotaichinh")
    page.goto(live_server + "/imports/")
    page.set_input_files("#file", str(path))
    page.locator("#upload-form [type=submit]").click()

    page.wait_for_selector("#import-counts", timeout=60_000)  # the progress page opens the preview itself
    page.screenshot(path=str(SHOTS / "import-preview.png"))
    assert page.locator("[data-count=created]").inner_text() == "30.000"
    assert page.locator("[data-count=rejected]").inner_text() == "0"
    assert "khớp" in page.locator("#sum-checks").inner_text()  # the grand total row agrees to the đồng
    assert "30.000 dòng dữ liệu" in page.locator("#sheet-1").inner_text()

    page.locator("#commit-form [type=submit]").click()
    page.wait_for_selector(".alert-success", timeout=60_000)
    page.screenshot(path=str(SHOTS / "import-committed.png"))
    assert "tạo mới 30.000" in page.locator(".alert-success").inner_text()  # numbers as officials write them
    assert "/imports/batches/" in page.url
    assert statuses and set(statuses) == {200}  # the page polled the job's progress at least once

    page.goto(live_server + "/assets?q=may trinh duyet so 29999")
    assert "TD-029999" in page.locator("table tbody").inner_text()
    assert all(url.startswith(live_server) for url in page.requests), [
        u for u in page.requests if not u.startswith(live_server)]


def _list_needing_a_mapping(path: Path) -> None:
    """A city's car list as typed: its cost under a header nobody recognises, and a holder nobody knows."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Xe")
    sheet.write_row(0, 0, ["UBND THÀNH PHỐ SÔNG CÔNG", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.write_row(1, 0, ["VĂN PHÒNG HĐND VÀ UBND", "", "", "", "Độc lập - Tự do - Hạnh phúc"])
    sheet.write_row(3, 0, ["DANH SÁCH XE Ô TÔ CÔNG BÀN GIAO"])
    sheet.write_row(5, 0, ["TT", "Đơn vị đang quản lý", "Loại xe, nhãn hiệu", "Biển kiểm soát", "Giá mua ban đầu",
                           "Hiện trạng"])
    sheet.write_row(6, 0, [1, "Tổ công tác 389 thành phố", "Toyota Fortuner", "20A-649.91", "950.000.000", "Tốt"])
    sheet.write_row(7, 0, [2, "Thành ủy Sông Công", "Toyota Innova", "20A-649.92", "720.000.000", "Xuống cấp"])
    sheet.write_row(8, 0, [3, "Văn phòng HĐND và UBND thành phố", "Ford Everest", "20A-649.93", "1.050.000.000",
                           "Tốt"])
    book.close()


def test_officer_maps_a_column_and_a_holder_in_the_preview_then_commits(page, live_server, tmp_path):
    path = tmp_path / "xe-thanh-pho.xlsx"
    _list_needing_a_mapping(path)
    sign_in(page, live_server, "sotaichinh")
    page.goto(live_server + "/imports/")
    page.set_input_files("#file", str(path))
    page.locator("#upload-form [type=submit]").click()
    page.wait_for_selector("#import-counts")
    assert page.locator("[data-count=rejected]").inner_text() == "1"  # «Tổ công tác 389» is nobody the map knows
    assert "Tổ công tác 389 thành phố" in page.locator("#rejected").inner_text()
    page.screenshot(path=str(SHOTS / "import-mapping-before.png"), full_page=True)

    # «Giá mua ban đầu» is the original cost; «Tổ công tác 389» is an agency of Thành phố Sông Công.
    page.locator("#sheet-1 details").first.evaluate("d => d.open = true")
    page.select_option("#col-0-E", "original_cost")
    row = page.locator("#holders tr", has_text="Tổ công tác 389")
    unit_select = row.locator("select")
    city = unit_select.locator("option:text-is('Thành phố Sông Công')").get_attribute("value")
    unit_select.select_option(city)
    row.locator("input[name^='holder-agency']").fill("Tổ công tác 389 thành phố")
    page.locator("#mapping-form [type=submit]").click()
    page.wait_for_selector("#import-counts")
    page.screenshot(path=str(SHOTS / "import-mapping-after.png"), full_page=True)
    assert page.locator("[data-count=rejected]").inner_text() == "0"
    assert page.locator("[data-count=created]").inner_text() == "3"
    assert "Tổ công tác 389 thành phố" in page.locator("#new-agencies").inner_text()
    values = page.locator("#values-0").inner_text()
    assert "Xuống cấp" in values and "Cần sửa chữa" in values  # the preview says what it mapped to what

    page.locator("#commit-form [type=submit]").click()
    page.wait_for_selector(".alert-success")
    record = page.locator("#mapping-applied ~ table").inner_text()
    assert "Giá mua ban đầu" in record or "gia mua ban dau" in record
    assert "Tổ công tác 389" in record
    page.screenshot(path=str(SHOTS / "import-mapping-record.png"), full_page=True)

    page.goto(live_server + "/assets?q=20A-649.91")
    page.locator("table tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    assert "950.000.000 đ" in page.content()
    assert page.locator("#asset-agency").inner_text() == "Tổ công tác 389 thành phố"
    assert page.locator("h1").inner_text().startswith("Xe ô tô Toyota Fortuner 20A-649.91")
    assert all(url.startswith(live_server) for url in page.requests)


@pytest.mark.parametrize("username", ["admin", "sotaichinh", "songcong", "kiemtoan"])
def test_each_role_lands_on_its_home_page_on_a_desktop_and_a_phone(page, live_server, username):
    """The home page after signing in, at 1366x768 and 390x844: tiles (or the clerk's list) and the
    bell; on the phone the menu is folded behind its button and opens when tapped."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, username)
    assert page.url == live_server + "/"
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert page.locator("#notice-bell").is_visible()
    if username == "songcong":
        assert page.locator("#awaiting").is_visible()
    else:
        assert page.locator("#handover-tiles .home-tile").count() >= 3
    assert page.locator("#main-nav").is_visible()
    page.screenshot(path=str(SHOTS / f"home-{username}-1366x768.png"), full_page=True)
    # No page of the desktop is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state("networkidle")
    assert not page.locator("#main-nav").is_visible()
    nav_height = page.locator("nav.app-nav").bounding_box()["height"]
    assert nav_height < 80, nav_height  # was 274 px of 844 with the menu always open
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / f"home-{username}-390x844.png"), full_page=True)
    page.click("button.navbar-toggler")
    page.locator("#main-nav").wait_for(state="visible")
    assert page.locator("#main-nav a.nav-link").first.is_visible()


@pytest.mark.parametrize("username", ["admin", "sotaichinh", "songcong", "kiemtoan"])
def test_every_section_of_the_menu_runs_under_the_strict_content_security_policy(page, live_server, username):
    """Each role opens each section of its menu and the first record listed there; the ``page`` fixture
    fails the test on any CSP refusal Chromium reports."""
    sign_in(page, live_server, username)
    sections = page.locator("nav a.nav-link").evaluate_all("links => links.map(a => a.href)")
    assert len(sections) >= 4
    visited = 0
    for section in sections:
        response = page.goto(section)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, section
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        first = page.locator("main table tbody tr a").first
        if first.count():
            first.click()
            page.wait_for_load_state("networkidle")
            visited += 1
    assert visited >= 2


def test_an_inline_script_is_refused_and_the_refusal_is_seen(browser, live_server):
    """The check above would see a violation: an injected inline script does not run, and Chromium says so."""
    context = browser.new_context()
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server + "/login")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'document.title = "ran"'; document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.title() != "ran"
    assert any("Content Security Policy" in m for m in messages), messages
    context.close()


def test_issuing_asks_first_in_a_dialog_and_going_back_changes_nothing(page, live_server):
    """Issue 15: issuing the minutes happened in one click; now a dialog says what it will do, with counts."""
    import sqlalchemy as sa

    from tests.handover_factory import draft
    from tracker.extensions import db
    from tracker.handovers import services
    from tracker.models import Asset, AssetKind, Handover, HandoverStatus, Unit, User

    with LIVE["app"].app_context():
        officer = db.session.scalar(sa.select(User).where(User.username == "sotaichinh"))
        giver = db.session.get(Unit, db.session.scalar(sa.select(Asset.unit_id).where(
            Asset.kind == AssetKind.EQUIPMENT, Asset.status == "registered").limit(1)))
        receiver = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Sông Công", Unit.kind == "new_commune"))
        handover = draft(db, officer, giver, receiver)
        assets = db.session.scalars(sa.select(Asset).where(Asset.unit_id == giver.id, Asset.kind == AssetKind.EQUIPMENT,
                                                           Asset.status == "registered").limit(3)).all()
        services.add_assets(handover, assets, officer)
        db.session.commit()
        handover_id = handover.id
    sign_in(page, live_server, "sotaichinh")
    page.goto(f"{live_server}/handovers/{handover_id}")
    page.locator("#issue-form button[type=submit]").click()
    dialog = page.locator("#ask-dialog")
    dialog.wait_for(state="visible")
    assert f"Phát hành bản nháp #{handover_id} với 3 tài sản" in page.locator("#ask-dialog-question").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "ask-first-issue-dialog.png"))
    page.locator("#ask-dialog-no").click()
    dialog.wait_for(state="hidden")
    assert page.locator("#handover-status").inner_text() == "Đang lập"
    with LIVE["app"].app_context():
        assert db.session.get(Handover, handover_id).status == HandoverStatus.DRAFT
    page.locator("#issue-form button[type=submit]").click()
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        page.locator("#ask-dialog-yes").click()
    assert "Đã phát hành biên bản số" in page.locator("main").inner_text()
    with LIVE["app"].app_context():
        assert db.session.get(Handover, handover_id).status == HandoverStatus.ISSUED


def test_the_pick_page_ticks_a_whole_page_and_keeps_its_buttons_together(page, live_server):
    """Issue 15: one box selects the page; the two add buttons sit in one toolbar above the list."""
    import sqlalchemy as sa

    from tests.handover_factory import draft
    from tracker.extensions import db
    from tracker.models import Asset, AssetKind, HandoverItem, Unit, User

    with LIVE["app"].app_context():
        officer = db.session.scalar(sa.select(User).where(User.username == "sotaichinh"))
        giver = db.session.get(Unit, db.session.scalar(
            sa.select(Asset.unit_id).where(Asset.kind == AssetKind.EQUIPMENT, Asset.status == "registered")
            .group_by(Asset.unit_id).having(sa.func.count() >= 3).limit(1)))
        receiver = db.session.scalar(sa.select(Unit).where(Unit.name == "Phường Sông Công", Unit.kind == "new_commune"))
        handover_id = draft(db, officer, giver, receiver).id
    sign_in(page, live_server, "sotaichinh")
    page.goto(f"{live_server}/handovers/{handover_id}/pick?kind=equipment")
    boxes = page.locator("#pick-list tbody input[name=asset_id]")
    on_page = boxes.count()
    assert on_page >= 3
    toolbar = page.locator("#pick-toolbar")
    assert toolbar.locator("button").count() == 2
    assert toolbar.bounding_box()["y"] < page.locator("#pick-list").bounding_box()["y"]  # above the list
    page.check("#pick-page")
    assert boxes.evaluate_all("bs => bs.every(b => b.checked)")
    assert page.locator("#pick-selected").inner_text() == str(on_page)
    boxes.first.uncheck()
    assert page.locator("#pick-page").evaluate("b => b.indeterminate")
    assert page.locator("#pick-selected").inner_text() == str(on_page - 1)
    page.screenshot(path=str(SHOTS / "pick-page-ticked.png"))
    with page.expect_navigation():
        toolbar.locator("button[type=submit]:not([form])").click()
    with LIVE["app"].app_context():
        added = db.session.scalar(sa.select(sa.func.count()).select_from(HandoverItem).where(
            HandoverItem.handover_id == handover_id))
    assert added == on_page - 1

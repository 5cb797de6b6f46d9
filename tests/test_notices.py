"""In-app notices: who is told when a handover is issued, completed or stalls; the bell; reading them."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import delivered, equipment, issued, units
from tests.test_i18n import switch_to_english
from tracker.models import Notice, ReceiptState, Role, UnitKind
from tracker.models.base import utcnow
from tracker.notices import send


def notices_of(db, user) -> list[tuple[str, int | None]]:
    return list(db.session.execute(sa.select(Notice.kind, Notice.handover_id).where(Notice.user_id == user.id)
                                   .order_by(Notice.id)).tuples())


def signed_in(browser, user):
    client = browser()
    assert Auth(client).login(user.username).status_code == 302
    return client


def bell(html: str) -> str:
    match = re.search(r'id="notice-bell"[^>]*aria-label="([^"]+)"', html, re.S)
    assert match, "no bell in the navigation"
    return match.group(1)


def test_issuing_tells_the_receiving_units_clerks_and_nobody_else(db, browser, make_user, make_asset, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER)
    clerk, colleague = make_user(Role.COMMUNE, unit=receiver), make_user(Role.COMMUNE, unit=receiver)
    gone = make_user(Role.COMMUNE, unit=receiver)
    gone.active = False
    other = make_user(Role.COMMUNE, unit=unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE))
    db.session.commit()

    handover = issued(db, officer, giver, receiver, equipment(make_asset, giver, 3))

    assert notices_of(db, clerk) == [("issued", handover.id)]
    assert notices_of(db, colleague) == [("issued", handover.id)]
    assert notices_of(db, gone) == notices_of(db, other) == notices_of(db, officer) == []

    page = signed_in(browser, clerk)
    home = page.get("/").get_data(as_text=True)
    assert bell(home) == "Thông báo: 1 chưa đọc"
    assert f"Biên bản {handover.number:02d}/BB-BG của {giver.name} giao 3 tài sản cho đơn vị của bạn" in home
    # The notice opens the confirmation page and is read from then on.
    [notice_id] = re.findall(r'href="/notices/(\d+)"', home)
    opened = page.get(f"/notices/{notice_id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/handovers/{handover.id}/confirm")
    assert bell(page.get("/").get_data(as_text=True)) == "Thông báo: 0 chưa đọc"
    assert db.session.scalar(sa.select(Notice.read_at).where(Notice.id == int(notice_id))) is not None
    # The colleague's copy is theirs: still unread, and not openable by the clerk.
    theirs = db.session.scalar(sa.select(Notice.id).where(Notice.user_id == colleague.id))
    assert page.get(f"/notices/{theirs}").status_code == 404
    assert db.session.scalar(sa.select(Notice.read_at).where(Notice.id == theirs)) is None


def test_completing_tells_the_officer_and_a_shortfall_flags_the_province(db, browser, make_user, make_asset,
                                                                        unit_by_name):
    giver, receiver = units(unit_by_name)
    officer, colleague, auditor = make_user(Role.OFFICER), make_user(Role.OFFICER), make_user(Role.AUDITOR)
    elsewhere = make_user(Role.OFFICER, province=None)  # bound to no province: not told of each one
    clerk = make_user(Role.COMMUNE, unit=receiver)
    machines = equipment(make_asset, giver, 4)
    handover = delivered(db, officer, giver, receiver, machines, clerk,
                         receipt={machines[0]: (ReceiptState.MISSING, "Không thấy tại kho"),
                                  machines[1]: (ReceiptState.DAMAGED, "Vỡ màn hình")})

    assert notices_of(db, officer) == [("completed", handover.id)]
    assert notices_of(db, colleague) == [("receipt_flag", handover.id)]
    assert notices_of(db, auditor) == [("receipt_flag", handover.id)]
    assert notices_of(db, elsewhere) == []

    html = signed_in(browser, officer).get("/notices/").get_data(as_text=True)
    assert (f"{receiver.name} đã hoàn tất tiếp nhận biên bản {handover.number:02d}/BB-BG: 2 đã nhận, 1 thiếu, "
            "1 hư hỏng.") in html
    flagged = signed_in(browser, auditor).get("/").get_data(as_text=True)
    assert "có 1 tài sản thiếu, 1 hư hỏng" in flagged


def test_a_receipt_in_full_raises_no_flag(db, make_user, make_asset, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer, auditor = make_user(Role.OFFICER), make_user(Role.AUDITOR)
    clerk = make_user(Role.COMMUNE, unit=receiver)
    handover = delivered(db, officer, giver, receiver, equipment(make_asset, giver, 2), clerk)
    assert notices_of(db, officer) == [("completed", handover.id)]
    assert notices_of(db, auditor) == []


def test_the_stall_check_tells_once_per_stage(db, make_user, make_asset, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER)
    handover = issued(db, officer, giver, receiver, equipment(make_asset, giver, 2))
    assert send.stalled() == 0  # issued today: not stalled
    handover.issued_at = utcnow() - dt.timedelta(days=20)
    db.session.commit()

    assert send.stalled() == 1
    db.session.commit()
    assert send.stalled() == 0  # the hourly task runs again: nobody is told twice
    db.session.commit()
    assert notices_of(db, officer) == [("stalled_issued", handover.id)]
    [params] = db.session.scalars(sa.select(Notice.params).where(Notice.user_id == officer.id))
    assert params["days"] == 20


def test_reading_all_needs_the_form_and_marks_only_mine(db, browser, make_user, make_asset, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER)
    clerk, colleague = make_user(Role.COMMUNE, unit=receiver), make_user(Role.COMMUNE, unit=receiver)
    for start in (1, 10):
        issued(db, officer, giver, receiver, equipment(make_asset, giver, 1, start=start))
    page = signed_in(browser, clerk)
    listing = page.get("/notices/").get_data(as_text=True)
    assert listing.count('data-unread="yes"') == 2
    assert page.post("/notices/read-all", data={}).status_code == 400
    answer = page.post("/notices/read-all", data={"csrf_token": csrf_token(page, "/notices/")},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in answer and 'data-unread="yes"' not in answer
    assert send.unread_count(colleague) == 2


def test_a_notice_reads_in_the_readers_language(db, browser, make_user, make_asset, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer, clerk = make_user(Role.OFFICER), make_user(Role.COMMUNE, unit=receiver)
    handover = issued(db, officer, giver, receiver, equipment(make_asset, giver, 2))
    page = signed_in(browser, clerk)
    switch_to_english(page, "/notices/")
    html = page.get("/notices/").get_data(as_text=True)
    assert f"Minutes {handover.number:02d}/BB-BG from {giver.name} hand 2 assets to your unit" in html
    assert bell(html) == "Notices: 1 unread"
    assert "Thông báo" not in html

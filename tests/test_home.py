"""Each role's home page: what needs them now, as counts linking to the lists; the navigation around it."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.handover_factory import delivered, draft, equipment, issued, signed, units
from tests.test_notices import signed_in
from tracker.models import Role, Unit, UnitKind, User
from tracker.models.base import utcnow


def tile(html: str, href: str) -> int:
    """The figure of the tile linking to ``href``."""
    match = re.search(r'href="' + re.escape(href) + r'">\s*<div class="card-body[^"]*">\s*<div[^>]*>([\d.]+)</div>', html)
    assert match, f"no tile linking to {href}"
    return int(match.group(1).replace(".", ""))


def test_an_officer_lands_on_the_minutes_still_to_issue_sign_and_confirm(db, browser, make_user, make_asset,
                                                                        unit_by_name, province):
    giver, receiver = units(unit_by_name)
    officer, clerk = make_user(Role.OFFICER), make_user(Role.COMMUNE, unit=receiver)
    draft(db, officer, giver, receiver)
    first = issued(db, officer, giver, receiver, equipment(make_asset, giver, 2, start=1))
    signed(db, officer, giver, receiver, equipment(make_asset, giver, 2, start=10))
    delivered(db, officer, giver, receiver, equipment(make_asset, giver, 1, start=20), clerk)
    page = signed_in(browser, officer)

    home = page.get("/")
    assert home.status_code == 200  # a page of its own, not a redirect to the register
    html = home.get_data(as_text=True)
    assert [tile(html, f"/handovers/?status={s}") for s in ("draft", "issued", "signed", "completed")] == [1, 1, 1, 1]
    # The province's flags, each linking to its list: every asset made here is in a handover, none stalled yet.
    assert tile(html, f"/flags/alerts/unhanded?province={province.id}") == 0
    assert tile(html, f"/flags/alerts/stalled?province={province.id}") == 0
    listed = page.get("/handovers/?status=issued").get_data(as_text=True)
    assert f"{first.number:02d}/BB-BG" in listed and "/2025" not in re.sub(r"\d{2}/\d{2}/2025", "", listed)


def test_a_clerk_sees_what_waits_for_confirmation_and_goes_there_in_one_click(db, browser, make_user, make_asset,
                                                                             unit_by_name):
    giver, receiver = units(unit_by_name)
    officer, clerk = make_user(Role.OFFICER), make_user(Role.COMMUNE, unit=receiver)
    waiting = issued(db, officer, giver, receiver, equipment(make_asset, giver, 3))
    draft(db, officer, giver, receiver)  # a draft is not the clerk's business yet
    html = signed_in(browser, clerk).get("/").get_data(as_text=True)
    section = html[html.index('id="awaiting"'):html.index('id="home-notices"')]
    assert re.search(r'id="awaiting-title">[^<]*<span class="badge[^"]*">1</span>', section)
    assert f'href="/handovers/{waiting.id}/confirm"' in section
    assert "3 tài sản, còn 3 chưa xác nhận" in section
    assert "Nháp #" not in section


def test_an_auditor_has_the_completed_minutes_flags_and_exports_at_hand(db, browser, make_user, province):
    auditor = make_user(Role.AUDITOR)
    html = signed_in(browser, auditor).get("/").get_data(as_text=True)
    assert tile(html, "/handovers/?status=completed") == 0
    assert f'/flags/alerts/receipt?province={province.id}' in html
    for link in ("/exports/", "/audit/reconciliation/", "/audit/"):
        assert f'href="{link}"' in html
    assert "/handovers/?status=draft" not in html  # drafts are not the auditor's concern


def test_an_admin_sees_locked_accounts_and_receivers_nobody_can_confirm_for(db, browser, make_user, unit_by_name):
    giver, receiver = units(unit_by_name)
    admin = make_user(Role.ADMIN)
    locked = make_user(Role.OFFICER)
    locked.locked_until = utcnow().replace(year=utcnow().year + 1)
    db.session.commit()
    page = signed_in(browser, admin)
    html = page.get("/").get_data(as_text=True)
    assert tile(html, "/admin/users") == 1  # the locked tile comes first
    no_clerk = db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(
        Unit.kind == UnitKind.NEW_COMMUNE, ~sa.exists().where(User.unit_id == Unit.id)))
    assert no_clerk > 0
    assert re.search(r'id="orphans-title">[^<]*<span class="badge[^"]*">' + f"{no_clerk:,}".replace(",", ".") + "<", html)
    # Creating the clerk from there: the form comes with the role and the unit chosen.
    [link] = re.findall(r'href="(/admin/users/new\?unit=\d+)"', html)[:1]
    form = page.get(link).get_data(as_text=True)
    unit_id = link.rsplit("=", 1)[1]
    assert re.search(r'<option selected value="commune">|<option value="commune" selected>', form)
    assert re.search(rf'<option selected value="{unit_id}">|<option value="{unit_id}" selected>', form)


def test_the_navigation_marks_the_current_section_and_collapses_on_a_phone(db, browser, make_user):
    page = signed_in(browser, make_user(Role.OFFICER))
    html = page.get("/handovers/").get_data(as_text=True)
    assert re.search(r'<a class="nav-link active" href="/handovers/" aria-current="page">', html)
    assert html.count('aria-current="page"') == 1
    assert 'data-bs-toggle="collapse" data-bs-target="#main-nav"' in html and 'id="main-nav"' in html
    css = page.get("/static/app.css").get_data(as_text=True)
    assert "--bs-navbar-color: #fff" in css and "#0b3d91" in css

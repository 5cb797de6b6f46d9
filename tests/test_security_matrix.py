"""Forged forms and open redirects, over every route of the URL map.

CSRF: every state-changing rule (POST, PUT, DELETE) is posted by someone it admits, on real
objects, without a token and with a wrong one: 400, and the database unchanged (every table's
rows, hashed). Redirects: every parameter that names where to go next (``next`` on the sign-in
page and the language switch, and any GET route given one) never leaves the site.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import csrf_token
from tests.security_support import (PASSWORD, Ids, _declared, _rules, changed_tables, connection_of, digest,
                                    home_world, person, signed_in)
from tracker.models import Role

STATE_CHANGING = ("POST", "PUT", "DELETE")
PLAUSIBLE = {"reason": "Lập nhầm", "decision_ref": "Quyết định số 12/QĐ-UBND", "officials_count": "12",
             "rooms_count": "6", "days": "9", "pattern": "máy đo", "item_type": "other", "priority": "40",
             "name": "Khóa thử", "username": "home_admin", "password": PASSWORD, "all": "1", "next": "/"}
TARGETS = ["//evil.example", "//evil.example/login", "https://evil.example/", "http:evil.example",
           "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\\/evil.example", "javascript:alert(1)",
           "https:/evil.example", "///evil.example", "/%2F%2Fevil.example", " //evil.example"]


@pytest.fixture
def home(db, unit_by_name):
    return home_world(db, unit_by_name)


def _who(declared):
    """Someone the rule admits: anyone for public rules, else an admin, else the first role named."""
    if declared is None:
        return None
    return Role.ADMIN if Role.ADMIN in declared else sorted(declared, key=lambda r: r.value)[0]


def _ids(home, role) -> dict:
    handover = home.handover if role == Role.COMMUNE else home.draft
    return {"asset_id": home.asset.id, "unit_id": home.ward.id, "handover_id": handover.id,
            "item_id": handover.items[0].id if handover.items else None, "user_id": home.users[Role.COMMUNE].id}


def test_every_state_changing_route_refuses_a_form_without_a_valid_csrf_token(app, browser, db, home):
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False  # the suite's app checks tokens
    clients = {None: browser()}
    connection = connection_of(db)
    rules = [r for method in STATE_CHANGING for r in _rules(app, method)]
    rules = list({r.rule + r.endpoint: r for r in rules}.values())
    wrong, tried = [], 0
    for rule in rules:
        role = _who(_declared(app, rule.endpoint))
        if role not in clients:
            clients[role] = signed_in(browser, home.users[role])
        client = clients[role]
        path = Ids(_ids(home, role)).path(app, rule)
        for method in sorted(set(rule.methods) & set(STATE_CHANGING)):
            for token in (None, "forged-token"):
                before = digest(connection)
                data = dict(PLAUSIBLE) if token is None else {**PLAUSIBLE, "csrf_token": token}
                response = client.open(path, method=method, data=data)
                tried += 1
                if response.status_code != 400:
                    wrong.append(f"{method} {path} ({role}) token={token}: {response.status_code}")
                if changed := changed_tables(before, digest(connection)):
                    wrong.append(f"{method} {path} ({role}) token={token}: changed {changed}")
    print(f"CSRF: {len(rules)} state-changing rules, {tried} requests")
    assert len(rules) >= 30
    assert wrong == [], "\n".join(wrong)


def _off_site(location: str) -> bool:
    """Whether a browser could leave the site by following ``location``."""
    cleaned = "".join(c for c in location if c not in "\t\r\n").strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    return bool(parts.scheme or parts.netloc) or not cleaned.startswith("/") or cleaned.startswith("//")


@pytest.mark.parametrize("target", TARGETS)
def test_signing_in_and_the_language_switch_never_send_anyone_off_site(app, browser, db, target):
    person(Role.OFFICER, "redirected")
    client = browser()
    token = csrf_token(client, "/login")
    signed = client.post("/login", query_string={"next": target},
                         data={"username": "redirected", "password": PASSWORD, "csrf_token": token})
    assert signed.status_code == 302 and not _off_site(signed.headers["Location"]), signed.headers["Location"]
    for who, page in ((client, "/assets/"), (browser(), "/login")):
        switched = who.post("/lang/vi", data={"csrf_token": csrf_token(who, page), "next": target})
        assert switched.status_code == 302 and not _off_site(switched.headers["Location"]), \
            switched.headers["Location"]
    again = client.get("/login", query_string={"next": target})  # signed in already: home
    assert not _off_site(again.headers.get("Location", "/"))


def test_no_get_route_follows_a_next_parameter_off_site(app, browser, home):
    """Every GET route, signed in and not, given every way of naming another site as ``next``."""
    clients = [browser(), signed_in(browser, home.users[Role.ADMIN])]
    wrong, tried = [], 0
    for rule in _rules(app, "GET"):
        path = Ids(_ids(home, Role.ADMIN)).path(app, rule)
        for client in clients:
            for target in TARGETS[:3]:
                response = client.get(path, query_string={"next": target, "url": target, "redirect": target})
                tried += 1
                location = response.headers.get("Location")
                if location is not None and _off_site(location):
                    wrong.append(f"GET {path}?next={target} -> {location}")
    print(f"redirects: {tried} GET requests")
    assert wrong == [], "\n".join(wrong)

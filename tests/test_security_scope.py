"""An id outside a person's scope answers exactly like an id that does not exist.

Generated from the URL map, like ``tests/test_access.py`` (whose route walk and URL building this
reuses): for the officer, the auditor and the commune staff of Thái Nguyên, every route is
requested with the ids of another province's objects (Hắc Sơn: units, assets, handovers and their
items, a user, a token, a rule, an import batch) in the path, in the query string and, for the
routes that read ids from their form, in the form. Each answer must show none of Hắc Sơn's names
or codes, and must be the answer to a missing id: the same status and the same messages. Every
refused write must leave the database as it was: every table's row count and rows, hashed.
"""
from __future__ import annotations

import pytest

from tests.security_support import (ROLES_IN_A_PROVINCE, Ids, _declared, _rules, changed_tables, connection_of,
                                    digest, foreign_traces, foreign_world, home_world, int_arguments, messages,
                                    missing_ids, shown_text, signed_in, token_of)
from tracker.assets.forms import initial_data
from tracker.models import Role

# Routes that take no object id the walk could swap, or whose answer is meant for the holder of a
# paper rather than for a scope: signing in and out, the language, the import pages (opaque
# tokens of the importing user's own session), and checking a verification code or file (whoever
# holds the signed paper may check it; the code is a secret of 10 letters, not a walkable id).
NOT_OBJECT_ROUTES = {"auth.login", "auth.logout", "auth.set_language", "handovers.verify", "imports.index",
                     "imports.preview", "imports.cancel", "imports.commit", "imports.mapping",
                     "imports.mapping_file", "imports.status", "imports.template"}
# What a form posts besides ids, so that a refusal can only come from the id.
PLAUSIBLE = {"reason": "Lập nhầm bên nhận", "decision_ref": "Quyết định số 12/QĐ-UBND ngày 01/8/2025",
             "officials_count": "12", "rooms_count": "6", "days": "9", "pattern": "máy đo", "item_type": "other",
             "priority": "40", "name": "Khóa thử", "quantity": "2", "unit_type": "xã", "basis": "per_unit"}


@pytest.fixture
def worlds(db, unit_by_name):
    return home_world(db, unit_by_name), foreign_world(db)


def _allowed(app, endpoint: str, role) -> bool:
    declared = _declared(app, endpoint)
    return declared is None or role in declared


def _own_ids(home) -> dict[str, int]:
    return {"asset_id": home.asset.id, "unit_id": home.ward.id, "handover_id": home.handover.id,
            "item_id": home.handover.items[0].id, "user_id": home.users[Role.COMMUNE].id}


def _compare(label: str, foreign, missing, world, ids, wrong: list[str]) -> None:
    """The foreign answer shows nothing of the other province and is the missing id's answer."""
    text = shown_text(foreign)
    if traces := foreign_traces(text, world):
        wrong.append(f"{label}: shows {traces}")
    if foreign.status_code != missing.status_code:
        wrong.append(f"{label}: {foreign.status_code}, a missing id gets {missing.status_code}")
    elif not foreign.is_json and foreign.mimetype == "text/html":
        said, said_missing = messages(text, ids), messages(shown_text(missing), ids)
        if said != said_missing:
            wrong.append(f"{label}: says {said}, a missing id gets {said_missing}")


def _variants(world, rule) -> list[dict[str, int]]:
    """Foreign ids for the rule's int arguments: one URL per kind of object of each argument."""
    names = int_arguments(rule)
    if not names:
        return []
    count = max(len(world.path_ids.get(n, [None])) for n in names)
    return [{n: (world.path_ids.get(n) or [None])[i % len(world.path_ids.get(n) or [None])] for n in names}
            for i in range(count)]


@pytest.mark.parametrize("role", ROLES_IN_A_PROVINCE, ids=lambda r: r.value)
def test_no_get_route_tells_a_foreign_object_from_a_missing_one(app, browser, worlds, role):
    home, world = worlds
    client = signed_in(browser, home.users[role])
    own = _own_ids(home)
    every_id = [i for ids in world.path_ids.values() for i in ids] + list(world.query_ids.values())
    requests, routes, wrong = 0, set(), []
    for rule in _rules(app, "GET"):
        if rule.endpoint in NOT_OBJECT_ROUTES or not _allowed(app, rule.endpoint, role):
            continue
        for ids in _variants(world, rule):
            path = Ids(ids).path(app, rule)
            missing = Ids({n: None for n in ids}).path(app, rule)
            _compare(f"GET {path}", client.get(path, follow_redirects=True),
                     client.get(missing, follow_redirects=True), world, every_id + missing_ids(1), wrong)
            requests += 2
            routes.add(rule.endpoint)
        # Every id filter at once; one at a time where one could hide another (a 404 for the first
        # read would hide what the second does) or where the answers differ.
        path = Ids(own).path(app, rule)
        gone = missing_ids(1)[0]
        found: list[str] = []
        foreign = client.get(path, query_string=world.query_ids, follow_redirects=True)
        _compare(f"GET {path}?<every id filter>", foreign,
                 client.get(path, query_string={n: gone for n in world.query_ids}, follow_redirects=True),
                 world, every_id + [gone], found)
        requests += 2
        if found or foreign.status_code != 200:
            for name, foreign_id in world.query_ids.items():
                _compare(f"GET {path}?{name}={foreign_id}",
                         client.get(path, query_string={name: foreign_id}, follow_redirects=True),
                         client.get(path, query_string={name: gone}, follow_redirects=True),
                         world, every_id + [gone], wrong)
                requests += 2
        routes.add(rule.endpoint)
    print(f"{role.value}: {len(routes)} GET routes, {requests} requests")
    assert len(routes) >= (15 if role == Role.COMMUNE else 30)  # the walk really happened
    assert wrong == [], "\n".join(wrong)


def _draft_form(giver_id, receiver_id, version: str = "") -> dict:
    return {"doc_type": "assets", "giver_id": giver_id, "receiver_id": receiver_id, "handover_date": "2025-07-05",
            "place": "Trụ sở UBND phường Sông Công", "legal_basis": "Căn cứ Nghị định số 151/2017/NĐ-CP;",
            "giver_reps": "Nguyễn Văn An; Chủ tịch", "receiver_reps": "Trần Thị Bình; Chủ tịch",
            "witness_reps": "Lê Văn Cường; Phó Giám đốc", "witness_org": "Sở Tài chính", "copies": "4",
            "version": version}


def _form_cases(home, world):
    """(endpoint, role, own path ids, form with the foreign ids, the same form with missing ids)."""
    assets, items = [a.id for a in world.assets], [i.id for i in world.items]
    gone_assets, gone_items = missing_ids(len(assets)), missing_ids(len(items))
    gone = missing_ids(1)[0]
    draft, version = {"handover_id": home.draft.id}, str(home.draft.version)
    asset_form = {**initial_data(home.asset), "version": str(home.asset.version)}
    equipment = {"name": "Máy vi tính thử", "equipment_type": "Máy vi tính", "quantity": "1"}
    yield ("handovers.add_items", Role.OFFICER, draft, {"asset_id": assets}, {"asset_id": gone_assets})
    yield ("handovers.remove_items", Role.OFFICER, draft, {"item_id": items}, {"item_id": gone_items})
    for endpoint, path, ver in (("handovers.create", {}, ""), ("handovers.edit", draft, version)):
        for giver, receiver, giver_gone, receiver_gone in (
                (world.commune.id, home.ward.id, gone, home.ward.id), (home.giver.id, world.ward.id, home.giver.id, gone),
                (world.ward.id, home.ward.id, gone, home.ward.id)):
            yield (endpoint, Role.OFFICER, path, _draft_form(giver, receiver, ver),
                   _draft_form(giver_gone, receiver_gone, ver))
    yield ("handovers.confirm", Role.COMMUNE, {"handover_id": home.handover.id},
           {f"state-{items[0]}": "missing", f"note-{items[0]}": "Không thấy"},
           {f"state-{gone}": "missing", f"note-{gone}": "Không thấy"})
    for name, foreign in (("unit_id", world.commune.id), ("receiver_id", world.ward.id)):
        yield ("assets.create", Role.OFFICER, {"kind": "equipment"},
               {"unit_id": home.giver.id, **equipment, name: foreign}, {"unit_id": home.giver.id, **equipment,
                                                                         name: gone})
        yield ("assets.edit", Role.OFFICER, {"asset_id": home.asset.id}, {**asset_form, name: foreign},
               {**asset_form, name: gone})
    for endpoint in ("flags.norm_save", "flags.alert_settings", "flags.norm_add", "flags.rule_add",
                     "flags.proposal_draft"):
        yield (endpoint, Role.OFFICER, {}, {"province": world.province.id, "rows-0-norm_id": world.norm.id,
                                            "rows-0-quantity": "99"},
               {"province": gone, "rows-0-norm_id": gone, "rows-0-quantity": "99"})


def _path(app, endpoint: str, ids: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {k: v for k, v in ids.items() if k in rule.arguments}
    return app.url_map.bind("localhost").build(endpoint, values)


@pytest.mark.parametrize("role", ROLES_IN_A_PROVINCE, ids=lambda r: r.value)
def test_no_write_with_a_foreign_id_changes_anything_or_names_it(app, browser, db, worlds, role):
    """Every POST route with the other province's ids in its path, and the routes reading ids from
    their form with them in the form: refused like a missing id, the database unchanged."""
    home, world = worlds
    client = signed_in(browser, home.users[role])
    token = token_of(client)
    connection = connection_of(db)
    client.get("/flags/norms")  # a writer's first look seeds the province's default norms: not this test's
    every_id = [i for ids in world.path_ids.values() for i in ids] + list(world.query_ids.values())
    every_id += missing_ids(len(world.items) + len(world.assets))
    before = digest(connection)
    requests, routes, wrong = 0, set(), []

    def attempt(label: str, path: str, data: dict, path_missing: str, data_missing: dict) -> None:
        nonlocal before, requests
        answers = []
        for url, form in ((path, data), (path_missing, data_missing)):
            answers.append(client.post(url, data={**form, "csrf_token": token}, follow_redirects=True))
            after = digest(connection)
            if changed := changed_tables(before, after):
                wrong.append(f"{label}: changed {changed}" + (" (a missing id)" if form is data_missing else ""))
                before = after
        requests += 2
        _compare(label, answers[0], answers[1], world, every_id, wrong)

    for rule in _rules(app, "POST"):
        if rule.endpoint in NOT_OBJECT_ROUTES or not _allowed(app, rule.endpoint, role):
            continue
        for ids in _variants(world, rule):
            path, missing = Ids(ids).path(app, rule), Ids({n: None for n in ids}).path(app, rule)
            attempt(f"POST {path}", path, PLAUSIBLE, missing, PLAUSIBLE)
            routes.add(rule.endpoint)
    for endpoint, who, ids, data, data_missing in _form_cases(home, world):
        if who != role:
            continue
        path = _path(app, endpoint, ids)
        attempt(f"POST {path} {sorted(data)}", path, data, path, data_missing)
        routes.add(endpoint)
    print(f"{role.value}: {len(routes)} POST routes, {requests} requests")
    assert routes or role == Role.AUDITOR  # auditors may post nothing that names an object
    assert wrong == [], "\n".join(wrong)


def test_an_officer_adding_another_provinces_asset_to_a_draft_learns_nothing_of_it(app, browser, db, worlds):
    """Issue 13, item 1: the refusal named «Trụ sở Thành ủy …» (TS-…) of another province."""
    home, world = worlds
    client = signed_in(browser, home.users[Role.OFFICER])
    token = token_of(client)
    path = f"/handovers/{home.draft.id}/items/add"
    said = []
    for asset_id in (world.assets[0].id, missing_ids(1)[0]):
        page = client.post(path, data={"asset_id": asset_id, "csrf_token": token}, follow_redirects=True)
        said.append(messages(page.get_data(as_text=True), [asset_id]))
        assert not foreign_traces(shown_text(page), world)
    assert said[0] == said[1] == ["Không thêm được: 1 tài sản không có trong sổ bạn được xem."]
    db.session.expire_all()
    assert home.draft.items == []


def test_a_plate_taken_in_another_province_is_refused_without_naming_that_car(app, browser, worlds):
    home, world = worlds
    client = signed_in(browser, home.users[Role.OFFICER])
    page = client.post("/assets/new/vehicle", data={
        "csrf_token": token_of(client), "unit_id": home.giver.id, "name": "Xe ô tô thử", "plate": world.assets[1].plate})
    assert page.status_code == 422
    text = shown_text(page)
    assert f"Biển kiểm soát: {world.assets[1].plate} đã đăng ký cho một xe khác." in text
    assert foreign_traces(text.replace(world.assets[1].plate, ""), world) == []

"""The read-only JSON API: bearer tokens (only their SHA-256 stored), scope, pagination, OpenAPI."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from tests.conftest import Auth, csrf_token
from tests.handover_factory import delivered, signed
from tracker.api.tokens import create_token
from tracker.models import ApiToken, AssetKind, Province, Role, Unit, UnitKind


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR, username="kiemtoan")


@pytest.fixture
def token(db, auditor):
    _row, raw = create_token(auditor, "Công cụ đối chiếu")
    db.session.commit()
    return raw


@pytest.fixture
def assets(make_asset, unit_by_name):
    unit = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    return [make_asset(AssetKind.EQUIPMENT, unit=unit, code=f"TB-{i}", name=f"Máy {i}", equipment_type="Máy in",
                       original_cost=1_000_000 + i) for i in range(7)]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_the_cli_makes_a_token_shown_once_and_stores_only_its_sha256(runner, db, auditor):
    result = runner.invoke(args=["api", "token", "create", "kiemtoan", "--name", "Máy của đoàn", "--days", "30"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip().splitlines()[-1]
    assert raw.startswith("tk_") and len(raw) > 40
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == auditor.id))
    assert row.token_sha256 == hashlib.sha256(raw.encode()).hexdigest()
    stored = " ".join(str(getattr(row, c.key)) for c in ApiToken.__table__.columns)
    assert raw not in stored
    listed = runner.invoke(args=["api", "token", "list", "kiemtoan"])
    assert "Máy của đoàn" in listed.output and raw not in listed.output


def test_a_wrong_token_gets_401_in_json_even_from_a_signed_in_browser(browser, auditor, assets):
    client = browser()
    for headers in (bearer("tk_not-a-real-token"), {"Authorization": "Basic a2llbXRvYW46eA=="},
                    {"Authorization": "Bearer"}):
        response = client.get("/api/v1/assets", headers=headers)
        assert response.status_code == 401 and response.is_json
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    Auth(client).login(auditor.username)
    assert client.get("/api/v1/assets", headers=bearer("tk_not-a-real-token")).status_code == 401


def test_without_a_token_the_api_acts_like_any_page(browser, make_user, auditor, assets, unit_by_name):
    """No token: sign in first; a signed-in reader's browser reads the JSON of what it may see."""
    anonymous = browser()
    response = anonymous.get("/api/v1/assets")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    reader = browser()
    Auth(reader).login(auditor.username)
    assert len(reader.get("/api/v1/assets").get_json()["data"]) == len(assets)
    clerk = browser()
    Auth(clerk).login(make_user(Role.COMMUNE, unit=unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)).username)
    assert clerk.get("/api/v1/assets").status_code == 403


def test_a_token_reads_assets_page_by_page_until_the_end(client, token, assets):
    seen, url, pages = [], "/api/v1/assets?limit=3", 0
    while url:
        response = client.get(url, headers=bearer(token))
        assert response.status_code == 200
        body = response.get_json()
        assert body["pagination"]["limit"] == 3 and len(body["data"]) <= 3
        seen += [a["id"] for a in body["data"]]
        url, pages = body["pagination"]["next"], pages + 1
    assert seen == sorted(a.id for a in assets) and pages == 3
    first = client.get(f"/api/v1/assets/{assets[0].id}", headers=bearer(token)).get_json()
    assert first["code"] == "TB-0" and first["original_cost"] == 1_000_000
    assert first["unit_name"] == "Phường Phố Cò (Thành phố Sông Công)" and first["status"] == "registered"


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=abc", "cursor=-1", "kind=boat"])
def test_bad_paging_or_filter_values_get_a_400_in_json(client, token, query):
    response = client.get(f"/api/v1/assets?{query}", headers=bearer(token))
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


def test_the_api_is_read_only(client, token, assets):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/assets/{assets[0].id}", headers=bearer(token), json={})
        assert response.status_code == 405


def test_a_token_never_becomes_a_browser_session(browser, token, assets):
    client = browser()  # a fresh context per request, as in production
    response = client.get("/api/v1/assets", headers=bearer(token))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get("/exports/").status_code == 302  # still signed out in the browser


def test_revoked_or_expired_tokens_or_locked_users_are_refused(client, db, token, auditor):
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == auditor.id))
    assert client.get("/api/v1/", headers=bearer(token)).status_code == 200
    row.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    db.session.commit()
    assert client.get("/api/v1/", headers=bearer(token)).status_code == 401
    row.expires_at, row.revoked_at = None, dt.datetime.now(dt.timezone.utc)
    db.session.commit()
    assert client.get("/api/v1/", headers=bearer(token)).status_code == 401
    row.revoked_at, auditor.active = None, False
    db.session.commit()
    assert client.get("/api/v1/", headers=bearer(token)).status_code == 401


def test_commune_staff_get_no_tokens_and_a_token_of_someone_turned_commune_is_refused(
        client, db, make_user, auditor, token, unit_by_name):
    ward = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    clerk = make_user(Role.COMMUNE, unit=ward)
    from tracker.errors import ValidationError

    with pytest.raises(ValidationError):
        create_token(clerk, "thử")
    auditor.role, auditor.unit_id = Role.COMMUNE, ward.id
    db.session.commit()
    assert client.get("/api/v1/assets", headers=bearer(token)).status_code == 403


def test_an_auditor_sees_only_their_province(client, db, make_user, make_asset, assets):
    other = Province(code=99, name="Tỉnh Thử", name_folded="tinh thu")
    db.session.add(other)
    db.session.flush()
    unit = Unit(source_key="old:test:1", code="T1", kind=UnitKind.OLD_COMMUNE, name="Xã Thử", name_folded="xa thu",
                province_id=other.id)
    db.session.add(unit)
    db.session.commit()
    foreign = make_asset(AssetKind.EQUIPMENT, unit=unit, code="X-1", name="Máy tỉnh khác", equipment_type="Máy in")
    local_auditor = make_user(Role.AUDITOR)
    _row, raw = create_token(local_auditor, "tỉnh")
    db.session.commit()
    ids = {a["id"] for a in client.get("/api/v1/assets?limit=1000", headers=bearer(raw)).get_json()["data"]}
    assert foreign.id not in ids and {a.id for a in assets} <= ids
    assert client.get(f"/api/v1/assets/{foreign.id}", headers=bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/units/{unit.id}", headers=bearer(raw)).status_code == 404


def test_units_handovers_and_history_come_out_the_same_as_the_pages(client, db, make_user, token, assets,
                                                                   unit_by_name):
    giver = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    receiver = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    handover = signed(db, make_user(Role.OFFICER), giver, receiver, assets[:2])
    body = client.get(f"/api/v1/handovers/{handover.id}", headers=bearer(token)).get_json()
    assert body["status"] == "signed" and body["item_counts"]["pending"] == 2
    assert [i["asset_id"] for i in body["items"]] == [assets[0].id, assets[1].id]
    assert body["items"][0]["snapshot"]["original_cost"] == 1_000_000
    assert body["minutes_sha256"] == handover.minutes_sha256
    listed = client.get("/api/v1/handovers?status=signed", headers=bearer(token)).get_json()["data"]
    assert [h["id"] for h in listed] == [handover.id]
    assert body["is_reallocation"] is False and listed[0]["is_reallocation"] is False  # from a dissolved unit
    history = client.get(f"/api/v1/assets/{assets[0].id}/history", headers=bearer(token)).get_json()["data"]
    assert [e["action"] for e in history] == ["created", "handover_added", "issued", "signed"]
    assert history[0]["changes"]["code"] == [None, "TB-0"]
    assert history[2]["changes"]["status"] == ["in_handover", "issued"]
    by_handover = client.get(f"/api/v1/handovers/{handover.id}/history", headers=bearer(token)).get_json()["data"]
    assert {e["asset_id"] for e in by_handover} == {assets[0].id, assets[1].id}
    ward = client.get(f"/api/v1/units/{receiver.id}", headers=bearer(token)).get_json()
    assert giver.id in ward["predecessor_ids"] and ward["kind"] == "new_commune"
    old = client.get("/api/v1/units?kind=old_district&limit=1000", headers=bearer(token)).get_json()["data"]
    assert len(old) == 17  # new Thái Nguyên was built from 17 old districts
    events = client.get("/api/v1/events?limit=1000", headers=bearer(token)).get_json()["data"]
    assert len(events) >= len(assets) and events == sorted(events, key=lambda e: e["id"])


def test_the_inventory_as_of_a_date_is_paged_too(client, token, assets):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    body = client.get(f"/api/v1/inventory?as_of={tomorrow}&limit=5", headers=bearer(token)).get_json()
    assert len(body["data"]) == 5 and body["pagination"]["next_cursor"] == str(body["data"][-1]["id"])
    rest = client.get(body["pagination"]["next"], headers=bearer(token)).get_json()
    assert len(rest["data"]) == 2 and rest["pagination"]["next"] is None
    assert client.get("/api/v1/inventory?as_of=2000-01-01", headers=bearer(token)).get_json()["data"] == []
    assert client.get("/api/v1/inventory", headers=bearer(token)).status_code == 400


def test_the_openapi_description_lists_every_endpoint_and_the_bearer_scheme(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    routes = {r.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
              for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert routes == set(doc["paths"])
    assert {p["name"] for p in doc["paths"]["/assets"]["get"]["parameters"]} >= {"limit", "cursor", "kind", "status"}
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []


def test_an_admin_issues_an_auditor_a_token_on_the_page_and_revokes_it(browser, db, make_user, auditor):
    admin = browser()
    Auth(admin).login(make_user(Role.ADMIN).username)
    page = admin.post("/account/api-tokens/new", data={
        "user_id": str(auditor.id), "name": "Bảng tính của đoàn", "days": "30",
        "csrf_token": csrf_token(admin, "/account/api-tokens/")})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="new-token"' in html
    raw = html.split('<code class="fs-6">')[1].split("</code>")[0]
    assert admin.get("/api/v1/", headers=bearer(raw)).get_json()["user"]["username"] == "kiemtoan"
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == auditor.id))
    assert row.token_sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in admin.get("/account/api-tokens/").get_data(as_text=True)  # shown once only

    own = browser()
    Auth(own).login(auditor.username)
    listing = own.get("/account/api-tokens/").get_data(as_text=True)
    assert "Bảng tính của đoàn" in listing and 'id="token-form"' not in listing  # auditors only read
    token = csrf_token(own, "/exports/")
    assert own.post("/account/api-tokens/new", data={"name": "x", "csrf_token": token}).status_code == 403
    assert own.post(f"/account/api-tokens/{row.id}/revoke", data={"csrf_token": token}).status_code == 403

    admin.post(f"/account/api-tokens/{row.id}/revoke", data={"csrf_token": csrf_token(admin, "/account/api-tokens/")})
    assert admin.get("/api/v1/", headers=bearer(raw)).status_code == 401


def test_an_officer_issues_only_their_own_token(browser, db, make_user, auditor):
    officer = make_user(Role.OFFICER)
    client = browser()
    Auth(client).login(officer.username)
    token = csrf_token(client, "/account/api-tokens/")
    refused = client.post("/account/api-tokens/new", data={"user_id": str(auditor.id), "name": "thử",
                                                           "csrf_token": token})
    assert refused.status_code == 422 and set(db.session.scalars(sa.select(ApiToken.user_id))) == set()
    made = client.post("/account/api-tokens/new", data={"user_id": str(officer.id), "name": "của tôi",
                                                        "csrf_token": token})
    assert made.status_code == 200 and set(db.session.scalars(sa.select(ApiToken.user_id))) == {officer.id}


def test_a_reallocation_says_so_in_the_api(client, db, make_user, token, assets, unit_by_name):
    """The ward passes what it received on to another ward: an auditor's tool can tell it apart."""
    first = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    second = unit_by_name("Phường Bá Xuyên", UnitKind.NEW_COMMUNE)
    officer = make_user(Role.OFFICER)
    delivered(db, officer, unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE), first, assets[:1],
              make_user(Role.COMMUNE, unit=first))
    onward = signed(db, officer, first, second, assets[:1])
    listed = client.get("/api/v1/handovers?status=signed", headers=bearer(token)).get_json()["data"]
    assert [(h["id"], h["giver_id"], h["is_reallocation"]) for h in listed] == [(onward.id, first.id, True)]

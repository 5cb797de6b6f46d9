"""Who may reach what: a test generated from the URL map, so every new route is checked.

For every endpoint the view must declare its policy (``@allow`` or ``@public``). Then, for each
role and for someone not signed in, every GET route is requested (``<int:..._id>`` gets the id of
a real object the commune staff may see, where one exists) and every POST route is tried by the
roles it does not admit: refused roles get 403 (401 from the token API), anonymous visitors are
sent to sign in, allowed roles are never refused and never crash. Nothing here names a blueprint,
so later ones are covered as soon as they are registered.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter, Rule

from tests.conftest import Auth, csrf_token
from tracker.auth import policy
from tracker.extensions import db as _db
from tracker.models import AssetKind, Handover, HandoverItem, Role, Unit, UnitKind

ANONYMOUS = "anonymous"
ROLES = [Role.OFFICER, Role.COMMUNE, Role.AUDITOR, Role.ADMIN, ANONYMOUS]
# POST routes auditors may use because they change nothing in the register: signing in and out,
# the language, checking a paper or file against the issued minutes (an auditor's job), and
# marking their own notices read.
AUDITOR_POSTS = {"auth.login", "auth.logout", "auth.set_language", "handovers.verify", "notices.read_all"}
# A refusal: 403 from the role policy, or 401 from the token API, which ignores browser sessions.
REFUSED = (401, 403)
NO_SUCH_ID = 2_147_483_647  # for an '<int:..._id>' with no real row: allowed roles get 404, not 403
# Values for string URL parameters, by name.
TEXT_VALUES = {"kind": AssetKind.EQUIPMENT.value, "code": "vi", "fmt": "xlsx", "format": "xlsx"}


def _is_static(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def _rules(app, method: str) -> Iterator[Rule]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not _is_static(rule.endpoint) and method in (rule.methods or ()):
            yield rule


def _declared(app, endpoint: str):
    with app.test_request_context():
        return policy.allowed_roles(endpoint)


class Objects:
    """Real rows in the commune user's scope, so a refusal can only come from the role policy."""

    def __init__(self, db, make_user, make_asset, unit_by_name):
        self.ward = db.session.scalar(sa.select(Unit).where(Unit.source_key == "new:5518"))  # Phường Sông Công
        giver = unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
        self.users = {role: make_user(role, username=f"access_{role.value}",
                                      unit=self.ward if role == Role.COMMUNE else None)
                      for role in ROLES if role != ANONYMOUS}
        self.asset = make_asset(AssetKind.EQUIPMENT, unit=giver, receiver=self.ward)
        self.handover = Handover(province_id=self.ward.province_id, giver_id=giver.id, receiver_id=self.ward.id)
        self.handover.items.append(HandoverItem(asset_id=self.asset.id))
        db.session.add(self.handover)
        db.session.commit()

    def id_for(self, name: str) -> int | None:
        """The id of a real object for a URL parameter such as ``asset_id``; None if none fits."""
        known = {"asset_id": self.asset.id, "unit_id": self.ward.id, "handover_id": self.handover.id,
                 "user_id": self.users[Role.COMMUNE].id, "item_id": self.handover.items[0].id}
        if name in known:
            return known[name]
        # A later blueprint's '<int:batch_id>': the first row of the one table named for it
        # ('import_batches'), if there is such a table and it has rows.
        stem = name.removesuffix("_id")
        tables = [t for key, t in _db.metadata.tables.items() if "id" in t.c and any(
            key == stem + end or key.endswith(f"_{stem}{end}") for end in ("s", "es"))]
        if len(tables) == 1:
            return _db.session.scalar(sa.select(tables[0].c.id).order_by(tables[0].c.id).limit(1))
        return None

    def path(self, app, rule: Rule) -> str:
        """The rule's URL with real values where there are some; otherwise values that match nothing,
        which still tests the policy (it answers before the view looks anything up)."""
        values = {}
        for name in rule.arguments - set(rule.defaults or {}):
            if isinstance(rule._converters.get(name), IntegerConverter):
                values[name] = self.id_for(name) or NO_SUCH_ID
            else:
                values[name] = TEXT_VALUES.get(name, "khong-co")
        return app.url_map.bind("localhost").build(rule.endpoint, values)


@pytest.fixture
def objects(db, make_user, make_asset, unit_by_name):
    return Objects(db, make_user, make_asset, unit_by_name)


def _client_for(browser, objects: Objects, role):
    client = browser()
    if role != ANONYMOUS:
        assert Auth(client).login(objects.users[role].username).status_code == 302
    return client


def test_every_endpoint_declares_who_may_reach_it(app):
    undeclared = []
    for endpoint, view in app.view_functions.items():
        if _is_static(endpoint):
            continue
        public = getattr(view, "is_public", False)
        roles = getattr(view, "allowed_roles", None)
        if not public and not (isinstance(roles, frozenset) and roles):
            undeclared.append(endpoint)
    assert undeclared == [], f"views without @allow(...) or @public: {undeclared}"


def test_a_view_without_a_declaration_is_refused_and_flagged(app):
    """Deny by default: a route whose author forgot the decorator answers 403 to everyone."""
    from tracker import create_app
    from tracker.config import TestConfig

    other = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    other.add_url_rule("/forgotten", "forgotten", lambda: "secret")

    assert other.test_client().get("/forgotten").status_code == 403
    with other.test_request_context():
        assert policy.allowed_roles("forgotten") is False


def test_no_route_lets_auditors_change_anything(app):
    """Auditors read; any POST route admitting them must be on the short list of harmless ones."""
    offenders = [rule.endpoint for rule in _rules(app, "POST")
                 if rule.endpoint not in AUDITOR_POSTS
                 and (_declared(app, rule.endpoint) is None or Role.AUDITOR in _declared(app, rule.endpoint))]
    assert offenders == []


@pytest.mark.parametrize("role", ROLES, ids=lambda r: getattr(r, "value", r))
def test_every_get_route_answers_each_role_as_declared(app, browser, objects, role):
    client = _client_for(browser, objects, role)
    checked, wrong = [], []
    for rule in _rules(app, "GET"):
        path = objects.path(app, rule)
        declared = _declared(app, rule.endpoint)
        checked.append(path)
        try:
            response = client.get(path)
        except Exception as exc:  # noqa: BLE001 - the test propagates errors; report them all, not the first
            wrong.append(f"{rule.endpoint} {path} raised {exc!r}")
            continue
        status, location = response.status_code, response.headers.get("Location", "")
        if declared is None or (role != ANONYMOUS and role in declared):
            ok = status != 403 and status < 500
        elif role == ANONYMOUS:  # pages send visitors to sign in; the token API answers 401
            ok = (status == 302 and "/login" in location) or status == 401
        else:
            ok = status in REFUSED
        if not ok:
            wrong.append(f"{rule.endpoint} {path} -> {status} {location}")
    assert len(checked) >= 5  # the walk really happened
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMUNE, Role.OFFICER], ids=lambda r: r.value)
def test_every_post_route_refuses_the_roles_it_does_not_admit(app, browser, objects, role, db):
    client = _client_for(browser, objects, role)
    token = csrf_token(client, "/admin/users")  # the refusal page carries the layout's token
    tried, wrong = 0, []
    for rule in _rules(app, "POST"):
        declared = _declared(app, rule.endpoint)
        if declared is None or role in declared:
            continue
        path = objects.path(app, rule)
        response = client.post(path, data={"csrf_token": token})
        tried += 1
        if response.status_code not in REFUSED:
            wrong.append(f"{rule.endpoint} {path} -> {response.status_code}")
    if role == Role.AUDITOR:
        assert tried >= 1  # the register's create and edit forms at least
    assert wrong == [], "\n".join(wrong)


def test_anonymous_posts_are_sent_to_sign_in(app, browser, objects):
    client = browser()
    token = csrf_token(client, "/login")
    wrong = []
    for rule in _rules(app, "POST"):
        if _declared(app, rule.endpoint) is None:
            continue
        path = objects.path(app, rule)
        response = client.post(path, data={"csrf_token": token})
        sent_to_sign_in = response.status_code == 302 and "/login" in response.headers.get("Location", "")
        if not sent_to_sign_in and response.status_code != 401:
            wrong.append(f"{rule.endpoint} {path} -> {response.status_code}")
    assert wrong == [], "\n".join(wrong)

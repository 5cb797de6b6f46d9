"""Fixtures: the app on each database (SQLite, then a throwaway PostgreSQL), a rollback per test.

Every test that uses ``app`` runs once per database. Set ``TEST_DATABASES=sqlite`` to run on
SQLite only; set ``REQUIRE_POSTGRES=1`` (as .ci/run does) to fail instead of skip when the
PostgreSQL cluster cannot start.
"""
from __future__ import annotations

import contextvars
import os
import re
import shutil
import tempfile

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.pgcluster import Cluster, ClusterUnavailable
from tests.redisserver import redis_server  # noqa: F401 - a fixture: Redis on loopback for the tests that share it

DATABASES = [d.strip() for d in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",") if d.strip()]


PASSES = {"sqlite": "SQLite (instance file)", "postgresql": "PostgreSQL (throwaway cluster on loopback)",
          None: "No database of their own: the browser (Chromium), files, parsing, servers"}
_current_pass: list[str | None] = []


def pytest_configure(config):
    """Skipped tests are listed with their reasons at the end of every run (as ``-rs`` would)."""
    if "s" not in config.option.reportchars and "a" not in config.option.reportchars:
        config.option.reportchars += "s"
    _config.append(config)


_config: list[pytest.Config] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid, location):
    """A heading where the run moves to another pass, so the output says which database a failure is on."""
    params = re.search(r"\[([^\]]*)\]$", nodeid)
    ids = set(params.group(1).split("-")) if params else set()
    name = next((db for db in ("sqlite", "postgresql") if db in ids), None)
    if (_current_pass and _current_pass[-1] == name) or not _config:
        return
    _current_pass.append(name)
    reporter = _config[0].pluginmanager.get_plugin("terminalreporter")
    capture = _config[0].pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_sep("-", PASSES.get(name, str(name)))
        reporter.currentfspath = None  # the file's name is written again under the heading


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    """A migrated, empty database of each kind for the whole run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
        return
    cluster = None
    try:
        cluster = Cluster()
        url = cluster.start()
    except ClusterUnavailable as exc:
        if cluster:
            cluster.stop()
        message = f"PostgreSQL cluster could not start: {exc}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield url
    cluster.stop()


@pytest.fixture(scope="session")
def app(database_url):
    """The app on a database built by the migrations, with new Thái Nguyên's unit map loaded."""
    instance = os.environ["TRACKER_INSTANCE"] = tempfile.mkdtemp(prefix="tracker-instance-")
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.config import TestConfig

    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        from tracker.extensions import db
        from tracker.units.loader import load_province

        load_province("Thái Nguyên")
        db.session.commit()
    yield app
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(autouse=True)
def _rollback(request):
    """Each test runs in a transaction rolled back at its end; commits inside become savepoints."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    from flask import globals as flask_globals  # noqa: F401

    from tracker.extensions import db

    ctx = app.app_context()
    ctx.push()
    connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    factory = sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    db.session = sa.orm.scoped_session(factory, scopefunc=original.registry.scopefunc)
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        ctx.pop()
        from tracker.extensions import limiter

        limiter.reset()  # the sign-in limits count failures in memory; each test starts with none


@pytest.fixture
def db(app):
    from tracker.extensions import db

    return db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class IsolatedClient(FlaskClient):
    """A client whose every request runs in a fresh context, as in production.

    The ``_rollback`` fixture keeps an app context pushed for the whole test, and requests from
    the plain ``client`` reuse it, so ``g`` (the signed-in user, the chosen language, the CSRF
    token) leaks from one request, or one client, to the next. Here each request gets its own
    app context, ``g`` and database session (on the test's connection, so still rolled back).
    Read back with fresh queries (or ``db.session.expire_all()``) after a request changed rows.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def browser(app):
    """Factory of separate browsers: ``b = browser(); Auth(b).login('admin')``."""
    return lambda: IsolatedClient(app, app.response_class, use_cookies=True)


def csrf_token(client, path: str = "/login") -> str:
    """Fetch a page and read its CSRF token, as a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def is_signed_in(client) -> bool:
    """The root shows a signed-in person their home page and sends anyone else to the sign-in page."""
    answer = client.get("/")
    return answer.status_code == 200 and "/login" not in answer.headers.get("Location", "")


class Auth:
    """Sign in and out through the real form."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = "Cay-bang-ven-song-42"):
        token = csrf_token(self.client, "/login")
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": token})

    def logout(self):
        token = csrf_token(self.client, "/assets/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def province(db):
    """New Thái Nguyên, loaded for the session."""
    from tracker.models import Province

    return db.session.scalar(sa.select(Province).where(Province.code == 19))


@pytest.fixture
def unit_by_name(db, province):
    """Find a unit of Thái Nguyên by its exact name and kind."""
    from tracker.models import Unit

    def find(name: str, kind=None):
        query = sa.select(Unit).where(Unit.province_id == province.id, Unit.name == name)
        if kind is not None:
            query = query.where(Unit.kind == kind)
        return db.session.scalars(query).first()

    return find


@pytest.fixture
def make_user(db, province):
    """Factory: a user of a role, scoped to Thái Nguyên (or a unit for commune staff)."""
    from tracker.admin.services import create_user
    from tracker.models import Role

    counter = iter(range(1, 10_000))

    def make(role: Role = Role.OFFICER, username: str | None = None, unit=None, password="Cay-bang-ven-song-42", **kw):
        username = username or f"{role.value}{next(counter)}"
        prov = None if role == Role.ADMIN else kw.pop("province", province)
        user = create_user(username, password, role, province=prov, unit=unit, full_name=kw.pop("full_name", username))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_asset(db, unit_by_name):
    """Factory: an asset registered through the real service (so it has history)."""
    from tracker.assets.services import create_asset
    from tracker.models import AssetKind, UnitKind

    defaults = {
        AssetKind.HEADQUARTERS: {"name": "Trụ sở UBND", "address": "Tổ 1, phường Thắng Lợi"},
        AssetKind.VEHICLE: {"name": "Xe ô tô Toyota Innova", "plate": "20A-123.45"},
        AssetKind.EQUIPMENT: {"name": "Máy vi tính để bàn Dell", "equipment_type": "Máy vi tính"},
        AssetKind.ARCHIVE_BOX: {"name": "Hộp hồ sơ", "fonds": "Phông UBND phường Thắng Lợi", "box_no": "1",
                                "arrangement": "unsorted"},
    }

    def make(kind=AssetKind.EQUIPMENT, unit=None, receiver=None, actor=None, **fields):
        unit = unit or unit_by_name("Phường Thắng Lợi", UnitKind.OLD_COMMUNE)
        asset = create_asset(kind, {**defaults[kind], **fields}, actor, unit=unit, receiver=receiver)
        db.session.commit()
        return asset

    return make

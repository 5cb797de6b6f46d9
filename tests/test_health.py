"""/healthz as a load balancer, a proxy and an admin use it: which check failed, and nothing else touched."""
from __future__ import annotations

import time

import pytest

from tests.conftest import Auth
from tests.security_support import connection_of, digest
from tracker.models import Role
from tracker.serving import health


@pytest.fixture
def checks(monkeypatch):
    """The registry, restored after the test (a test may add a failing check)."""
    monkeypatch.setattr(health, "_checks", dict(health._checks))
    return health


def test_a_load_balancer_gets_200_naming_every_check_without_a_cookie_or_a_write(db, browser):
    client = browser()
    before = digest(connection_of(db))

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["checks"]["database"] == "ok"
    assert set(body["checks"]) == set(health.registered_checks())  # every check named (the queue's too)
    assert set(body["checks"].values()) == {"ok"}
    assert "Set-Cookie" not in response.headers  # no session started for a probe
    assert digest(connection_of(db)) == before


def test_a_failing_check_answers_503_and_names_what_failed(checks, browser):
    def mail_down():
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    checks.register_check("mail_server", mail_down)

    response = browser().get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["ok"] is False
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["mail_server"] == "ConnectionError: Error 111 connecting to 127.0.0.1:6399. Connection refused."


def test_a_check_that_never_answers_is_reported_as_such_within_the_timeout(checks, monkeypatch, browser):
    monkeypatch.setattr(health, "CHECK_TIMEOUT_S", 0.3)
    checks.register_check("slow_server", lambda: time.sleep(2))
    started = time.monotonic()

    response = browser().get("/healthz")

    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    body = response.get_json()["checks"]
    assert body["slow_server"] == "no answer within 0.3 s" and body["database"] == "ok"


def test_the_probe_is_public_and_answers_a_signed_in_user_the_same(make_user, browser):
    client = browser()
    Auth(client).login(make_user(Role.OFFICER).username)

    response = client.get("/healthz")

    assert response.status_code == 200 and response.get_json()["ok"] is True


def test_probes_do_not_use_up_the_sign_in_limit_of_the_address_they_come_from(make_user, browser):
    client = browser()
    for _ in range(40):  # more than the per-address sign-in limit (30 per 15 minutes)
        assert client.get("/healthz").status_code == 200

    response = Auth(client).login(make_user(Role.OFFICER).username)

    assert response.status_code == 302  # signed in, not 429

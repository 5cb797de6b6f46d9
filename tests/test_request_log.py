"""Log lines say which request and which user they belong to, so an admin can follow one complaint."""
from __future__ import annotations

import logging
import re

import pytest

from tests.conftest import Auth
from tracker.models import Role
from tracker.serving import requestlog


@pytest.fixture
def every_request_logged(monkeypatch, caplog):
    """Every request writes its 'slow request' line (threshold 0 ms), captured here."""
    monkeypatch.setenv("TRACKER_SLOW_REQUEST_MS", "0")
    caplog.set_level(logging.WARNING, logger=requestlog.SLOW_REQUEST_LOGGER)
    return caplog


def _lines_of(caplog, request_id: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "request_id", None) == request_id]


def test_an_officers_page_logs_with_the_request_id_the_proxy_gave_and_the_officers_name(
        make_user, browser, every_request_logged):
    officer = make_user(Role.OFFICER, username="thuha")
    client = browser()
    Auth(client).login("thuha")

    response = client.get("/assets/", headers={"X-Request-ID": "nginx-7f3a9c2e41"})

    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "nginx-7f3a9c2e41"
    [record] = _lines_of(every_request_logged, "nginx-7f3a9c2e41")
    assert record.user == f"{officer.id}:thuha"
    line = logging.Formatter(requestlog.LOG_FORMAT).format(record)
    assert re.search(rf"WARNING \[nginx-7f3a9c2e41\] {officer.id}:thuha tracker\.requests: slow request: "
                     r"GET /assets/ -> 200 in \d+ ms$", line), line
    assert "\x1b" not in line  # no colour codes in files or journald


def test_the_sign_in_itself_is_logged_under_the_user_who_signed_in(make_user, browser, every_request_logged):
    officer = make_user(Role.OFFICER, username="signin_log")
    client = browser()

    response = Auth(client).login("signin_log")

    assert response.status_code == 302
    record = _lines_of(every_request_logged, response.headers["X-Request-ID"])[0]
    assert record.user == f"{officer.id}:signin_log"


def test_a_visitor_not_signed_in_is_logged_as_a_dash_with_a_fresh_id(browser, every_request_logged):
    response = browser().get("/login")

    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    [record] = _lines_of(every_request_logged, request_id)
    assert record.user == "-"


@pytest.mark.parametrize("sent", ["short", "a" * 65, "two words here", 'quote"inside', "semi;colon12", "ông-bà-123456"])
def test_an_incoming_request_id_that_is_not_plain_is_replaced_not_trusted(browser, sent):
    response = browser().get("/login", headers={"X-Request-ID": sent})

    assert response.headers["X-Request-ID"] != sent
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["X-Request-ID"])


def test_two_requests_get_two_ids(browser):
    client = browser()

    assert client.get("/login").headers["X-Request-ID"] != client.get("/login").headers["X-Request-ID"]


def test_a_line_logged_outside_any_request_carries_dashes(app, caplog):
    caplog.set_level(logging.INFO, logger="tracker")

    logging.getLogger("tracker.test").info("started outside a request")

    [record] = [r for r in caplog.records if r.getMessage() == "started outside a request"]
    assert (record.request_id, record.user) == ("-", "-")


def test_logging_is_configured_once_however_many_apps_are_built(app):
    from tracker import create_app

    create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    ours = [h for h in logging.getLogger().handlers if isinstance(h, requestlog._Handler)]
    assert len(ours) == 1

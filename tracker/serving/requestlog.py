"""Every log line says which request and which user it belongs to.

A request gets an id: the caller's ``X-Request-ID`` when it looks like one (a proxy or load
balancer that already numbers requests keeps its number), else a new one. The id goes back in the
``X-Request-ID`` response header and onto every log record emitted while the request runs,
together with the signed-in user's id and username (``-`` when nobody is signed in), through a
LogRecord factory, so records of any logger and any handler carry them. gunicorn's access line
reads the same id from the response header and the user from the WSGI environ
(``tracker/serving/gunicorn_conf.py``).

The user is read from what Flask-Login already loaded for the request; the factory never loads
it (that would be a database query inside logging, and a loop when SQLAlchemy itself logs).
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import sys
import time

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request
from flask_login import user_logged_in

REQUEST_ID_HEADER = "X-Request-ID"
# Long enough not to be a guessable counter, short enough to fit a log line; no spaces, quotes or
# control characters, so a client cannot forge a second log line or break the access log's quoting.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
ENVIRON_USER = "tracker.user"  # read by the access log format as %({tracker.user}e)s
ANONYMOUS = "-"
LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(user)s %(name)s: %(message)s"
SLOW_REQUEST_LOGGER = "tracker.requests"

_installed_factory = False


def request_id_from(header: str | None) -> str:
    """The caller's id if it matches the strict pattern, else a fresh random one."""
    if header and INCOMING_ID.fullmatch(header):
        return header
    return secrets.token_hex(8)


def current_request_id() -> str:
    """The id of the request being served, or ``-`` outside one."""
    if has_request_context():
        return g.get("request_id", ANONYMOUS)
    return ANONYMOUS


def _loaded_user() -> tuple[str, str] | None:
    """(id, username) of the user Flask-Login loaded for this request, without loading anything."""
    cached = g.get("log_user")
    if cached is not None:
        return cached
    user = g.get("_login_user")  # Flask-Login's per-request cache; absent until something asked
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    state = sa.inspect(user, raiseerr=False)
    if state is None or "username" not in state.dict:
        return None  # expired by a commit: do not reload it from here
    identity = state.identity[0] if state.identity else ANONYMOUS
    g.log_user = (str(identity), state.dict["username"])
    return g.log_user


def current_user_label() -> str:
    """``<id>:<username>`` of the signed-in user, or ``-``."""
    if not has_request_context():
        return ANONYMOUS
    found = _loaded_user()
    return f"{found[0]}:{found[1]}" if found else ANONYMOUS


def install_record_factory() -> None:
    """Add ``request_id`` and ``user`` to every LogRecord (once per process)."""
    global _installed_factory
    if _installed_factory:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        record = previous(*args, **kwargs)
        try:
            record.request_id = current_request_id()
            record.user = current_user_label()
        except Exception:  # noqa: BLE001 - logging must never fail because the context is odd
            record.request_id, record.user = ANONYMOUS, ANONYMOUS
        return record

    logging.setLogRecordFactory(factory)
    _installed_factory = True


class _Handler(logging.StreamHandler):
    """The app's own stderr handler, marked so create_app adds it once however often it runs."""


def configure_logging(level: str | None = None) -> None:
    """Plain lines on stderr (no colours: journald and files get no escape codes), once per process.

    The handler sits on the root logger, so library warnings carry the request too; the app's own
    loggers (``tracker.*``) log from ``TRACKER_LOG_LEVEL`` (default INFO), the rest from WARNING.
    """
    install_record_factory()
    root = logging.getLogger()
    if not any(isinstance(h, _Handler) for h in root.handlers):
        handler = _Handler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    logging.getLogger("tracker").setLevel((level or os.environ.get("TRACKER_LOG_LEVEL") or "INFO").upper())


def _start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def _remember_user() -> None:
    # Runs after the access policy, which has loaded the user of every page that needs one.
    _loaded_user()


def _signed_in(_sender, user, **_extra) -> None:  # noqa: ANN001
    # The sign-in request itself: Flask-Login has just read the user's id, so its columns are loaded.
    state = sa.inspect(user, raiseerr=False)
    if state is not None and "username" in state.dict and state.identity:
        g.log_user = (str(state.identity[0]), state.dict["username"])


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", ANONYMOUS)
    request.environ[ENVIRON_USER] = current_user_label()
    slow_ms = _slow_request_ms()
    elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    if slow_ms is not None and elapsed_ms >= slow_ms:
        logging.getLogger(SLOW_REQUEST_LOGGER).warning(
            "slow request: %s %s -> %s in %.0f ms", request.method, request.path, response.status_code, elapsed_ms)
    return response


def _slow_request_ms() -> float | None:
    value = os.environ.get("TRACKER_SLOW_REQUEST_MS", "2000").strip()
    return float(value) if value else None


def init_app(app: Flask) -> None:
    """Number every request first, remember its user after the access policy ran, log once configured."""
    configure_logging()
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.before_request(_remember_user)
    app.after_request(_finish_request)
    user_logged_in.connect(_signed_in)  # blinker keeps one connection however many apps are built

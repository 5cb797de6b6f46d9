"""``GET /healthz``: is this process able to serve? For the load balancer, the proxy and systemd.

Answers ``{"ok": true, "checks": {"database": "ok", ...}}`` with 200 when every check passes,
else 503 with the failed check's message in place of ``"ok"``. Checks are a small registry:
``register_check(name, fn)``, where ``fn()`` returns None when healthy and raises otherwise (the
database check is here; the task queue registers its own). Each check runs with the app context
pushed, in a thread of its own, and is given ``CHECK_TIMEOUT_S``: a database that does not
answer (a dropped packet, a lock) is reported as timed out instead of holding the probe.

The route is public and light on purpose: no session cookie, no user loaded, exempt from the
sign-in rate limiter, no write (``SELECT 1`` on a connection of its own, not the ORM session),
and gunicorn leaves its 200s out of the access log (``tracker/serving/accesslog.py``).
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify

from tracker.auth.policy import public
from tracker.extensions import db, limiter

bp = Blueprint("health", __name__)

CHECK_TIMEOUT_S = float(os.environ.get("TRACKER_HEALTH_TIMEOUT_S", "3"))
MESSAGE_CHARS = 300

_checks: dict[str, Callable[[], None]] = {}
_running = threading.BoundedSemaphore(8)  # checks running at once in this process


def register_check(name: str, fn: Callable[[], None]) -> None:
    """Add (or replace) a named check; ``fn()`` returns None when healthy and raises otherwise."""
    _checks[name] = fn


def registered_checks() -> dict[str, Callable[[], None]]:
    """The checks /healthz runs, in the order they were registered."""
    return dict(_checks)


def check_database() -> None:
    """``SELECT 1`` on a fresh connection from the pool, bounded by a statement timeout on PostgreSQL."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            timeout_ms = int(CHECK_TIMEOUT_S * 1000)
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout_ms}")
        connection.execute(sa.text("SELECT 1")).scalar_one()
        connection.rollback()


register_check("database", check_database)


def _start(app: Flask, name: str, fn: Callable[[], None]) -> Future:
    """Run one check in a daemon thread with the app context; its outcome as a future."""
    future: Future = Future()
    # A check that hangs keeps its thread; past a few of those, refuse to start more rather than
    # pile threads up under a load balancer's probes. Daemon threads never hold a worker's exit.
    if not _running.acquire(blocking=False):
        future.set_exception(RuntimeError("earlier checks have not answered yet"))
        return future

    def run() -> None:
        try:
            with app.app_context():
                fn()
        except BaseException as exc:  # noqa: BLE001 - the check's failure is its answer
            future.set_exception(exc)
        else:
            future.set_result(None)
        finally:
            _running.release()

    threading.Thread(target=run, name=f"healthz-{name}", daemon=True).start()
    return future


def _describe(exc: BaseException) -> str:
    """The exception's class and first line, short: enough for an admin, no traceback in public."""
    first_line = (str(exc).strip().splitlines() or [""])[0]
    text = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
    return text[:MESSAGE_CHARS]


def run_checks(timeout: float | None = None) -> dict[str, str]:
    """Run every registered check at once; name → ``"ok"`` or what went wrong."""
    timeout = CHECK_TIMEOUT_S if timeout is None else timeout
    app = current_app._get_current_object()
    futures = {name: _start(app, name, fn) for name, fn in _checks.items()}
    deadline = time.monotonic() + timeout  # the checks run at once: one deadline for all of them
    results: dict[str, str] = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(deadline - time.monotonic(), 0))
        except FutureTimeout:
            results[name] = f"no answer within {timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - any failure is the check's answer
            current_app.logger.warning("health check %s failed: %s", name, _describe(exc))
            results[name] = _describe(exc)
        else:
            results[name] = "ok"
    return results


@bp.route("/healthz")
@public
@limiter.exempt
def healthz():
    """200 when every check passes, else 503; the body names each check's result."""
    checks = run_checks()
    ok = all(result == "ok" for result in checks.values())
    return jsonify(ok=ok, checks=checks), 200 if ok else 503

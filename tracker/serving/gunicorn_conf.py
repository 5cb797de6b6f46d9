"""gunicorn settings for the tracker: ``gunicorn -c python:tracker.serving.gunicorn_conf app:app``.

``flask --app app serve`` runs exactly that. Every figure can be changed from the environment,
so a systemd unit or a container sets them without editing this file:

- ``TRACKER_BIND`` (default ``127.0.0.1:8000``): where to listen; a reverse proxy sits in front.
- ``TRACKER_WORKERS``: the number of worker processes; by default 2 × cores + 1 (cores this
  process may run on), the usual figure for a web app that waits on its database about half
  the time.
- ``TRACKER_THREADS`` (default 4): threads per worker (``gthread``), so a slow export or a
  sign-in's deliberate password hash does not hold a whole process.
- ``TRACKER_TIMEOUT`` / ``TRACKER_GRACEFUL_TIMEOUT`` (seconds): see below.

Timeouts. The slowest requests that still run inside a web request, timed end to end over HTTP
through gunicorn with this file (2 workers, SQLite, 1,000,000 assets; ``benchmarks/serving_slowest.py``
and ``benchmarks/minutes_bench.py --workflow``), on this machine's 2 cores while five other
benchmark and test runs shared them (load 7-11), 3 Dec 2026:

- register .xlsx of every damaged asset, about 167,000 rows: 56.2 s and 40.1 s (the slowest);
- register .xlsx of one district, 100,000 rows: 15.6, 16.5, 19.0 s; its CSV: 10.5, 12.3, 9.5 s;
- issuing a handover of 5,000 items (numbering, snapshots, 5,000 asset events, the DOCX minutes),
  service path without HTTP: 13.3 s;
- the register's first page 1.7 s, ``/healthz`` 0.01 s.

(docs/BENCHMARKS.md "Exports" has the same 100,000-row .xlsx at 4.4-4.7 s on PostgreSQL on a
quieter machine: most of the time here is waiting for a core.) Larger exports (over
``EXPORT_JOB_ROWS``, 200,000, in either format) and big imports are the queue's jobs, not
requests; an .xlsx at that limit would take about 200/167 of the slowest above, about 67 s at
the same load (derived, not measured). Raising ``EXPORT_JOB_ROWS`` means raising these too. So: ``graceful_timeout`` 120 s, about twice the longest
request, is what a request gets to finish when its worker is told to stop (a deploy's ``HUP``,
systemd's stop, ``max_requests``); systemd's ``TimeoutStopSec`` (135 s) and nginx's
``proxy_read_timeout`` (150 s) sit above it (``tests/test_serving.py`` checks the three agree).
With ``gthread`` workers ``timeout`` does not cut a long request short (the worker's main loop
keeps telling the arbiter it is alive while a thread serves); it kills a worker whose process
stopped answering at all. It is set to the same 120 s anyway, in case someone switches to
``sync`` workers, where it would be the request's limit.

Recycling: after ``max_requests`` (1,000 + up to 100 at random, so the workers do not all restart
together) a worker is replaced, which bounds what a slow leak can take.

No ``preload_app``: each worker imports the app and opens its own database pool after the fork,
so no connection is shared between processes (preloading would need the engine disposed in
``post_fork``, for a start-up saving that does not matter here).

Proxy headers: gunicorn's own ``X-Forwarded-Proto`` handling is switched off, so one place
decides what a proxy may tell the app: ``TRACKER_PROXY_HOPS`` (ProxyFix, ``tracker/hardening.py``).

Logging: the access line carries the request id (the ``X-Request-ID`` response header) and the
user (``<id>:<username>`` or ``-``, put in the WSGI environ by ``tracker/serving/requestlog.py``);
passing ``/healthz`` probes are left out (``tracker/serving/accesslog.py``). Both logs go to
stderr (journald under systemd).
"""
from __future__ import annotations

import os


def cores() -> int:
    """Cores this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers() -> int:
    """``TRACKER_WORKERS`` if set, else 2 × cores + 1."""
    return max(1, _int_env("TRACKER_WORKERS", 2 * cores() + 1))


# The longest request measured (see above), and what the timeouts give it.
LONGEST_REQUEST_S = 56.2  # the 167,000-row .xlsx above

wsgi_app = "app:app"
bind = [os.environ.get("TRACKER_BIND", "").strip() or "127.0.0.1:8000"]
workers = default_workers()
worker_class = "gthread"
threads = max(1, _int_env("TRACKER_THREADS", 4))
timeout = _int_env("TRACKER_TIMEOUT", 120)
graceful_timeout = _int_env("TRACKER_GRACEFUL_TIMEOUT", 120)
keepalive = 5  # behind nginx, which keeps its own connections to clients
max_requests = 1000
max_requests_jitter = 100
preload_app = False

# One place decides what a proxy may say: the app's ProxyFix (TRACKER_PROXY_HOPS).
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("TRACKER_GUNICORN_LOGLEVEL", "info")
logger_class = "tracker.serving.accesslog.AccessLogger"
access_log_format = ('%(h)s %({x-request-id}o)s %({tracker.user}e)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms '
                     '"%(f)s" "%(a)s"')
proc_name = "tracker"
# gunicorn 25+ opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl), which two
# servers of one user (the app and a test, two instances) would fight over: off unless a path is given.
control_socket = os.environ.get("TRACKER_CONTROL_SOCKET", "").strip() or "gunicorn.ctl"
control_socket_disable = not os.environ.get("TRACKER_CONTROL_SOCKET", "").strip()

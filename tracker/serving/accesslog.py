"""gunicorn's access log without the health probes' noise.

A load balancer asks ``/healthz`` every few seconds on every host; those lines would drown the
requests people made. A probe that passes is left out; one that fails (503) is written like any
other line. Named in ``gunicorn_conf.logger_class``.
"""
from __future__ import annotations

from gunicorn.glogging import Logger

QUIET_PATHS = frozenset({"/healthz"})


class AccessLogger(Logger):
    """gunicorn's logger, skipping passing health probes."""

    def access(self, resp, req, environ, request_time):  # noqa: ANN001, ANN201 - gunicorn's signature
        status = str(getattr(resp, "status", "") or "")
        if environ.get("PATH_INFO") in QUIET_PATHS and status.startswith("200"):
            return
        super().access(resp, req, environ, request_time)

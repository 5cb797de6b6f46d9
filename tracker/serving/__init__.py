"""Serving in production: gunicorn's settings (``gunicorn_conf``), ``flask serve`` (``commands``),
``/healthz`` (``health``), request ids and users on every log line (``requestlog``, ``accesslog``)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Log lines that name their request and user; run after the access policy is installed."""
    from tracker.serving import requestlog

    requestlog.init_app(app)

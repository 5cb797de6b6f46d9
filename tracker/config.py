"""Configuration read from the environment, never at import of other modules."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(instance_path: str) -> str:
    """The database to use: ``DATABASE_URL`` if set, else SQLite in ``instance/``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'tracker.db'}"
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance_path: str) -> str:
    """``SECRET_KEY`` from the environment, else one kept in ``instance/`` so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """Production defaults; the factory fills in what depends on the instance folder."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # offices have no internet: no CDN
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024
    # The import preview's correction form has three controls per holder name and one per column
    # and value shown (at most 200 names and 100 values a field): more than Werkzeug's 1,000 parts.
    MAX_FORM_PARTS = 5_000
    PAGE_SIZE = 50
    # Imports: files or plans past these sizes are read or written by the queue's worker, with a progress bar;
    # an .xlsx that unzips past IMPORT_MAX_UNZIPPED_MB is refused as a likely zip bomb.
    IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(256 * 1024)))
    IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "5000"))
    IMPORT_MAX_UNZIPPED_MB = 600
    # Uploads waiting for their commit, everyone's together (tracker/importing/uploads.py bounds each person too).
    IMPORT_PENDING_TOTAL_MB = int(os.environ.get("IMPORT_PENDING_TOTAL_MB", "2048"))
    # An export of more rows than this is written by the queue's worker, and fetched from its page
    # when done (tracker/exports/jobs.py); 0 sends every export from the web request.
    EXPORT_JOB_ROWS = int(os.environ.get("EXPORT_JOB_ROWS", "200000"))
    # The task queue (tracker/jobs/queue.py): empty = a SQLite file in instance/, no server to run;
    # redis://… in production, shared by every host.
    QUEUE_URL = os.environ.get("TRACKER_QUEUE_URL", "")
    WTF_CSRF_TIME_LIMIT = None  # a long form filled over lunch must still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure is set on every cookie of a request that came over HTTPS (tracker/hardening.py);
    # SESSION_COOKIE_SECURE=1 forces it. Behind a reverse proxy, TRACKER_PROXY_HOPS=1 trusts its
    # X-Forwarded-For/-Proto/-Host (ProxyFix), so the scheme and the client's address are the real ones.
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    PROXY_HOPS = int(os.environ.get("TRACKER_PROXY_HOPS", "0"))
    # Failed sign-ins (tracker/auth/limits.py): a store every worker shares in production (redis://…).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"


class TestConfig(Config):
    """Used by the test suite: CSRF stays on; tests fetch the token like a browser does."""

    TESTING = True
    QUEUE_URL = "immediate://"  # jobs run at once in the request; tests of the worker start one themselves

"""API tokens: made once, shown once, stored only as their SHA-256; revoked, never deleted.

Only readers (officers, auditors, admins) hold tokens: the API is for auditors' own tools, and
commune staff have their unit's pages and exports instead (see docs/AUDIT.md). Services flush
and write the audit log; the page or command commits.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from tracker import audit
from tracker.auth.policy import READERS
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.models import ApiToken, User
from tracker.models.base import utcnow

PREFIX = "tk_"
MAX_DAYS = 366
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(raw: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive UTC; make it comparable with aware times."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def create_token(user: User, name: str, *, days: int | None = 90, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token text, which is never stored."""
    name = " ".join((name or "").split())
    errors = {}
    if not name or len(name) > 120:
        errors["name"] = "Tên khóa: cần từ 1 đến 120 ký tự (vd «Công cụ đối chiếu của Đoàn kiểm toán»)."
    if days is not None and not 1 <= days <= MAX_DAYS:
        errors["days"] = f"Thời hạn: từ 1 đến {MAX_DAYS} ngày."
    if user.role not in READERS:
        errors["user"] = "Chỉ cán bộ Sở, kiểm toán, thanh tra và quản trị được cấp khóa API."
    elif not user.active:
        errors["user"] = "Tài khoản đã bị khóa."
    if errors:
        raise ValidationError(errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_sha256=digest(raw),
                     expires_at=utcnow() + dt.timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    audit.log("api_token_created", actor or user, token, owner=user.username, name=name, days=days)
    return token, raw


def revoke_token(token: ApiToken, actor: User | None) -> None:
    """Stop a token working; the row stays, so the log can still say whose it was."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.log("api_token_revoked", actor, token, owner=token.user.username, name=token.name)


def is_usable(token: ApiToken, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    expires = _aware(token.expires_at)
    return token.revoked_at is None and (expires is None or expires > now) and token.user.active


def find_token(raw: str) -> ApiToken | None:
    """The usable token with this text, or None (unknown, revoked, expired, or its user locked)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_sha256 == digest(raw)))
    if token is None or not is_usable(token):
        return None
    return token


def touch(token: ApiToken) -> bool:
    """Note the token was used (at most once a minute); True if the row changed."""
    now = utcnow()
    last = _aware(token.last_used_at)
    if last is None or now - last >= TOUCH_EVERY:
        token.last_used_at = now
        return True
    return False


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))

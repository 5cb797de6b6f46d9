"""Checking a sign-in: the password, the account's lock, and the same cost whatever the answer.

An account is locked for ``LOCK_MINUTES`` after ``LOCK_AFTER`` wrong passwords in a row; an
admin can unlock it sooner. The per-account and per-address request limits (Flask-Limiter, in
``tracker.auth.limits``) stop the guessing before the lock is reached from one place; the lock
stops it from many. Each lock is written to the audit log.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import audit
from tracker.auth.limits import forget_account
from tracker.extensions import db
from tracker.models import User
from tracker.models.base import utcnow

LOCK_AFTER = 5
LOCK_MINUTES = 15


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: the user if it succeeded, else whether the account is locked."""

    user: User | None
    locked_until: dt.datetime | None = None

    @property
    def retry_after(self) -> int | None:
        """Whole seconds until the lock runs out (the Retry-After header), or None if not locked."""
        if self.locked_until is None:
            return None
        return max(1, math.ceil((self.locked_until - utcnow()).total_seconds()))


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # Hashed once with the method and cost real passwords have, so an unknown name costs the same.
    return generate_password_hash("a password no account has")


def authenticate(username: str, password: str) -> SignIn:
    """Check a username and password; count a wrong one and lock at the limit. Flushes, never commits.

    Unknown names, disabled accounts and wrong passwords all pay for one password hash, so the time
    an answer takes does not tell whether a name exists."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        check_password_hash(_decoy_hash(), password)
        audit.log("login_failed", username=username[:60])
        return SignIn(None)
    right = check_password_hash(user.password_hash, password)
    locked_until = user.locked_for_now
    if locked_until is not None:
        # Not audited: the lock itself was, and a flood of attempts on a locked account must not grow the log.
        return SignIn(None, locked_until)
    if right and user.active:
        user.failed_logins, user.locked_until = 0, None
        forget_account(username)
        return SignIn(user)
    user.failed_logins = (user.failed_logins or 0) + 1
    audit.log("login_failed", user, failures=user.failed_logins)
    if user.failed_logins >= LOCK_AFTER:
        user.locked_until, user.failed_logins = utcnow() + dt.timedelta(minutes=LOCK_MINUTES), 0
        audit.log("account_locked", user, minutes=LOCK_MINUTES, after_failures=LOCK_AFTER)
    db.session.flush()
    # Even the attempt that locks says "wrong password", as it would for a name that does not exist.
    return SignIn(None)


def unlock(user: User, actor: User) -> None:
    """An admin lifts a lock before its time runs out."""
    user.locked_until, user.failed_logins = None, 0
    forget_account(user.username)
    db.session.flush()
    audit.log("account_unlocked", actor, user)

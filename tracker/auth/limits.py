"""How often sign-in may fail: per account and per address, across every worker.

Flask-Limiter counts the failures (a 401 answer) in the storage ``RATELIMIT_STORAGE_URI`` names:
``memory://`` for the embedded single-process setup, ``redis://…`` wherever several workers or
hosts serve the app, so that they share one count (docs/SECURITY.md). Past the limit the answer
is 429 with ``Retry-After``. The account limit is keyed by the name typed, known or not, so it
says the same about a name that exists and one that does not.
"""
from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import parse

from tracker.extensions import limiter
from tracker.text import fold

ACCOUNT_MESSAGE = ("Tài khoản này tạm khóa vì nhập sai mật khẩu nhiều lần liên tiếp. Hãy thử lại sau ít phút "
                   "(tối đa 15 phút) hoặc nhờ quản trị viên mở khóa.")
ADDRESS_MESSAGE = ("Máy này đã nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau ít phút (tối đa 15 phút) "
                   "hoặc liên hệ quản trị viên.")


ENDPOINT = "auth.login"
ACCOUNT_SCOPE = "sign-in-account"


def _account_key(username: str | None = None) -> str:
    return "account:" + fold(request.form.get("username", "") if username is None else username)[:60]


def _address_key() -> str:
    return "address:" + (get_remote_address() or "")


def _failed(response) -> bool:  # noqa: ANN001
    return response.status_code == 401


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def forget_account(username: str) -> None:
    """Forget an account's failures (signed in at last, or unlocked by an admin): its next mistake counts from one."""
    limiter.limiter.clear(parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]), _account_key(username),
                          f"{ENDPOINT}:{ACCOUNT_SCOPE}")


def limit_sign_in(view):  # noqa: ANN001, ANN201
    """Limit a sign-in view's failed POSTs by the account typed and by the client's address."""
    view = limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed,
                         error_message=ACCOUNT_MESSAGE, scope=ACCOUNT_SCOPE)(view)
    return limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], deduct_when=_failed,
                         error_message=ADDRESS_MESSAGE, scope="sign-in-address")(view)

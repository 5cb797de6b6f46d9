"""Signing API calls in by their bearer token, and answering errors in JSON.

``authenticate`` runs before every request, ahead of the policy check. A call that presents
``Authorization: Bearer <token>`` is made by the token's user for this request only: the session
is never read or written, so a token can never become a browser session (which could then post
forms). A wrong, expired or revoked token is refused with 401 even from a signed-in browser.
A call with no Authorization header is treated like any page: a signed-in reader's browser may
read the JSON of what its pages already show; anyone else is sent to sign in or refused.
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from tracker.api.tokens import find_token, touch
from tracker.assets.queries import MAX_ID
from tracker.extensions import db

BLUEPRINT, PREFIX = "api", "/api/v1/"
MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Thiếu hoặc sai khóa API (Authorization: Bearer <khóa>).",
    403: "Khóa API này không có quyền với dữ liệu được yêu cầu.",
    404: "Không tìm thấy, hoặc nằm ngoài phạm vi được xem.",
    405: "API chỉ cho phép đọc (GET).",
}


def error(status: int, message: str | None = None):
    """A JSON error body ``{"error": {"status", "message"}}``; 401 also says how to authenticate."""
    response = jsonify({"error": {"status": status, "message": message or MESSAGES.get(status, "Lỗi.")}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def authenticate():
    """Before each request: an API call presenting a token is signed in by it, or refused with 401."""
    if request.endpoint is None and request.path.startswith(PREFIX) and request.routing_exception is not None \
            and getattr(request.routing_exception, "code", None) in (404, 405):
        # No route matched (/api/v1/assets/-1): no blueprint either, so the HTML error page would answer.
        return error(request.routing_exception.code)
    if request.blueprint != BLUEPRINT or request.endpoint is None:
        return None
    header = request.headers.get("Authorization")
    if header is None:
        return None  # no token: the session and the policy decide, as for any page
    scheme, _, raw = header.partition(" ")
    token = find_token(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return error(401)
    # The request's user without a session: what login_user does, minus the cookie.
    current_app.login_manager._update_request_context_with_user(token.user)
    db.session.commit()  # the token's last use is written in a transaction of its own (see exports.downloads.log_export)
    if touch(token):
        db.session.commit()
    if any(isinstance(v, int) and v > MAX_ID for v in (request.view_args or {}).values()):
        return error(404)  # names no row, and the database would refuse to compare it (a 500)
    return None


def install(app: Flask) -> None:
    """Put ``authenticate`` first, so the policy check sees the token's user."""
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate)


def json_errors(exc: HTTPException):
    """API errors as JSON instead of the HTML error page."""
    return error(exc.code or 500, MESSAGES.get(exc.code or 500) if exc.code != 400 else exc.description)

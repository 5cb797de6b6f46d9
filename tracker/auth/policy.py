"""Deny-by-default access policy.

Every view declares who may reach it with ``@allow(Role...)`` or ``@public``. A request to an
endpoint that declares nothing is refused, so a forgotten decorator fails closed. Tests walk
the URL map and check each endpoint against its declaration.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from tracker.models.users import Role

WRITERS = (Role.OFFICER, Role.ADMIN)
READERS = (Role.OFFICER, Role.ADMIN, Role.AUDITOR)
EVERYONE = tuple(Role)


def allow(*roles: Role) -> Callable:
    """Mark a view as reachable by signed-in users of these roles only."""

    def decorator(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)
        return view

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as reachable without signing in (sign-in page, language switch)."""
    view.allowed_roles = None
    view.is_public = True
    return view


def allowed_roles(endpoint: str | None) -> frozenset[Role] | None | bool:
    """The roles declared for an endpoint; None if public; False if it declared nothing."""
    if endpoint == "static" or (endpoint or "").endswith(".static"):
        return None
    view = current_app.view_functions.get(endpoint or "")
    if view is None:
        return False
    if getattr(view, "is_public", False):
        return None
    return getattr(view, "allowed_roles", False)


def _enforce():
    roles = allowed_roles(request.endpoint)
    if request.endpoint is None:
        return None  # 404 is handled by Flask
    if roles is None:
        return None
    if roles is False:
        abort(403)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    if current_user.role not in roles:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Install the check before every request."""
    from tracker.extensions import login_manager

    login_manager.login_view = "auth.login"
    app.before_request(_enforce)

    @login_manager.user_loader
    def load_user(session_id: str):
        """The user of a session, or None once its epoch has passed (signed out elsewhere, new
        password, account disabled): a copied cookie opens nothing then."""
        from tracker.extensions import db
        from tracker.models.users import User

        user_id, _, epoch = session_id.partition(".")
        if not (user_id.isdigit() and epoch.isdigit()):
            return None  # a session from before epochs, or forged
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_epoch != int(epoch):
            return None
        return user


def require(condition: bool) -> None:
    """Abort with 403 unless the caller passed a scope check (e.g. commune staff on their unit)."""
    if not condition:
        abort(403)


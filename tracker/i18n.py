"""Language choice: Vietnamese by default, English on request (cookie or the user's setting)."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    """Vietnamese unless the person chose English."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def template_context() -> dict:
    from flask_babel import get_locale

    return {"current_locale": str(get_locale() or "vi"), "languages": current_app.config["LANGUAGES"]}

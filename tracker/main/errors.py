"""Error pages in the app's own layout and language."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError


def init_app(app: Flask) -> None:
    def page(code: int):
        def handler(error):
            from tracker.extensions import db

            if code == 500:
                db.session.rollback()
            return render_template("errors/error.html", code=code, error=error), code

        return handler

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, page(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, error=error, csrf=True), 400

"""The handover tracker: application factory."""
from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from flask import Flask

from tracker.config import ROOT, Config, database_url, secret_key


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, CLI commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("TRACKER_INSTANCE") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(Config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.instance_path)
    app.config["SECRET_KEY"] = secret_key(app.instance_path)
    if test_config:
        app.config.update(test_config)

    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errors(app)
    register_favicon(app)
    register_commands(app)
    if not app.testing:
        # The ~170,000 objects of a started app (modules, mappers, catalogues) live as long as the
        # process: out of the collector's sight, a full collection no longer walks them all (85 ms
        # every few requests of a big page, docs/BENCHMARKS.md "The whole country"). Test apps,
        # made by the dozen in one process, are left collectable.
        gc.freeze()
    return app


def register_extensions(app: Flask) -> None:
    from tracker import i18n
    from tracker.extensions import babel, bootstrap, configure_sqlite, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    limiter.init_app(app)
    from tracker.jobs import queue

    queue.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

    from tracker import hardening
    from tracker.auth import policy

    policy.init_app(app)
    hardening.init_app(app)
    from tracker import serving

    serving.init_app(app)  # after the policy: the request's user is known by then


def register_blueprints(app: Flask) -> None:
    from tracker.admin.views import bp as admin_bp
    from tracker.api.token_views import bp as api_tokens_bp
    from tracker.api.views import bp as api_bp
    from tracker.assets.views import bp as assets_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.exports.audit_views import bp as audit_bp
    from tracker.exports.reconciliation_views import bp as reconciliation_bp
    from tracker.exports.views import bp as exports_bp
    from tracker.flags.routes import bp as flags_bp
    from tracker.handovers.views import bp as handovers_bp
    from tracker.importing.views import bp as imports_bp
    from tracker.jobs.views import bp as jobs_bp
    from tracker.main import bp as main_bp
    from tracker.notices.views import bp as notices_bp
    from tracker.serving.health import bp as health_bp
    from tracker.units.views import bp as units_bp

    for bp in (main_bp, auth_bp, units_bp, assets_bp, admin_bp, handovers_bp, flags_bp,
               exports_bp, audit_bp, reconciliation_bp, api_bp, api_tokens_bp, imports_bp, health_bp, jobs_bp,
               notices_bp):
        app.register_blueprint(bp)


def register_template_helpers(app: Flask) -> None:
    from tracker import formatting, i18n

    app.jinja_env.filters.update(
        money=formatting.money,
        number=formatting.group_thousands,
        decimal=formatting.decimal_vn,
        date_vn=formatting.date_vn,
        datetime_vn=formatting.datetime_vn,
    )
    app.context_processor(i18n.template_context)
    app.jinja_env.globals["label_"] = i18n.label_
    app.jinja_env.globals["person"] = formatting.person
    from tracker.notices import send, texts

    app.jinja_env.globals["minutes_number"] = texts.minutes_number
    app.jinja_env.globals["unread_notices"] = send.unread_count  # the bell: {{ unread_notices(current_user) }}


def register_favicon(app: Flask) -> None:
    """/favicon.ico, which browsers ask for at the root of every site, open to everyone."""
    from tracker.auth.policy import public

    @public
    def favicon():
        return app.send_static_file("favicon.ico")

    app.add_url_rule("/favicon.ico", "favicon", favicon)


def register_errors(app: Flask) -> None:
    from tracker.main import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from tracker.cli import register

    register(app)

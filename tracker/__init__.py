"""icare tracker: recognition for the icare standards, patient feedback and manager dashboards."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from tracker import config as default_config
from tracker.jsonbody import BoundedJSONProvider, BoundedRequest

ROOT = Path(__file__).resolve().parent.parent


class TrackerFlask(Flask):
    """Flask whose request bodies are decoded with bounded nesting (see :mod:`tracker.jsonbody`)."""

    request_class = BoundedRequest
    json_provider_class = BoundedJSONProvider


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults → instance/config.py → TRACKER_* env → ``test_config``."""
    app = TrackerFlask(
        __name__,
        instance_path=os.environ.get("TRACKER_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(default_config.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TRACKER")
    if "SECRET_KEY" in os.environ:
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if "DATABASE_URL" in os.environ:
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["PRODUCTION"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    default_config.check_secret_key(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def _normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def register_extensions(app: Flask) -> None:
    from flask.logging import default_handler

    from tracker import database, i18n, templating
    from tracker.extensions import babel, bootstrap, compress, csrf, db, limiter, login_manager, migrate
    from tracker.security import refuse_nul_characters, register_security_headers, trust_proxies

    database.engine_options(app)
    db.init_app(app)
    with app.app_context():
        database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=templating.hospital_timezone,
        default_translation_directories=str(ROOT / "tracker" / "translations"),
    )
    bootstrap.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    # The limiter warns when Redis becomes unreachable and it counts per process: operators must see it.
    if default_handler not in limiter.logger.handlers:
        limiter.logger.addHandler(default_handler)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    from tracker.auth import services as _auth_services  # noqa: F401  (registers the user loaders)
    from tracker.identity import client as identity_client

    identity_client.init_app(app)

    register_security_headers(app)
    trust_proxies(app)
    refuse_nul_characters(app)
    from tracker.scim.auth import refuse_scim_tokens_elsewhere

    refuse_scim_tokens_elsewhere(app)


def register_blueprints(app: Flask) -> None:
    from tracker.admin import bp as admin_bp
    from tracker.api import bp as api_bp
    from tracker.auth import bp as auth_bp
    from tracker.awards import bp as awards_bp
    from tracker.cases import bp as cases_bp
    from tracker.dashboard import bp as dashboard_bp
    from tracker.displays import bp as displays_bp
    from tracker.extensions import csrf
    from tracker.feedback import bp as feedback_bp
    from tracker.home import bp as home_bp
    from tracker.identity import bp as identity_bp
    from tracker.integrations import bp as integrations_bp
    from tracker.integrations import routes as _integration_routes  # noqa: F401
    from tracker.moderation import bp as moderation_bp
    from tracker.profile import bp as profile_bp
    from tracker.recognitions import bp as recognitions_bp
    from tracker.scim import bp as scim_bp
    from tracker.surveys import bp as surveys_bp
    from tracker.tokens import bp as tokens_bp
    from tracker.yousaid import bp as yousaid_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(identity_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(recognitions_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(tokens_bp)
    app.register_blueprint(integrations_bp)
    app.register_blueprint(awards_bp)
    app.register_blueprint(scim_bp)
    app.register_blueprint(yousaid_bp)
    app.register_blueprint(displays_bp)
    app.register_blueprint(surveys_bp)
    csrf.exempt(scim_bp)  # bearer tokens only: no cookie, so no cross-site request to forge


def register_errorhandlers(app: Flask) -> None:
    from tracker.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from tracker.commands import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from tracker import templating

    templating.register(app)

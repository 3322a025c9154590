"""Template globals and filters: dates in the hospital's time zone, assets, navigation."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask, current_app, g, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_static_digest import FlaskStaticDigest

from tracker import i18n, policy, settings
from tracker.models import Role

static_digest = FlaskStaticDigest()

# Fingerprinted copies made by `flask digest compile` (name-<md5>.ext) never change: cache them for a year.
DIGESTED_NAME = re.compile(r"-[0-9a-f]{32}\.[\w.]+$")
ONE_YEAR = 365 * 24 * 3600


def hospital_timezone() -> str:
    """The hospital's time zone (an admin setting), read once per request."""
    if "hospital_timezone" not in g:
        try:
            g.hospital_timezone = settings.get("timezone")
        except Exception:  # the database may be down; times still render, in UTC
            g.hospital_timezone = "UTC"
    return g.hospital_timezone


# (endpoint, label, roles that see it; empty = every signed-in person). Features add theirs here.
NAVIGATION = [
    ("home.index", _l("Home"), ()),
    ("recognitions.new", _l("Recognise a colleague"), ()),
    ("recognitions.mine", _l("My recognitions"), ()),
    ("recognitions.wall", _l("Wall"), ()),
    ("recognitions.approvals", _l("Approvals"), (Role.MANAGER, Role.ADMIN)),
    ("dashboard.index", _l("Dashboard"), (Role.MANAGER, Role.ADVOCATE, Role.ADMIN)),
    ("moderation.queue", _l("Moderation"), (Role.ADVOCATE, Role.ADMIN)),
    ("cases.index", _l("Cases"), (Role.ADVOCATE, Role.ADMIN)),
    ("yousaid.index", _l("You said, we did"), policy.ACTION_RECORDERS),
    ("integrations.channels_index", _l("Channels"), (Role.MANAGER, Role.ADMIN)),
    ("awards.judging_index", _l("Judging"), policy.JUDGES),
    ("awards.manage", _l("Awards"), policy.AWARD_COORDINATORS),
    ("admin.index", _l("Administration"), (Role.ADMIN,)),
]
# A patient and family advisor's account sees its judging and nothing else of the staff site.
ADVISOR_NAVIGATION = {"awards.judging_index"}


def navigation_items() -> list[dict]:
    """The menu for the signed-in person: only features that exist and that their roles open."""
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, allowed in NAVIGATION:
        if endpoint not in current_app.view_functions:
            continue
        if allowed and not current_user.has_role(*allowed):
            continue
        if policy.is_advisor(current_user) and endpoint not in ADVISOR_NAVIGATION:
            continue
        items.append({"url": url_for(endpoint), "label": label, "active": request.endpoint == endpoint})
    return items


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def register(app: Flask) -> None:
    app.config.setdefault("FLASK_STATIC_DIGEST_COMPRESSION", [])
    static_digest.init_app(app)

    default_max_age = app.get_send_file_max_age

    def send_file_max_age(filename: str | None) -> int | None:
        if filename and DIGESTED_NAME.search(filename):
            return ONE_YEAR
        return default_max_age(filename)

    app.get_send_file_max_age = send_file_max_age

    @app.after_request
    def buffer_static_files(response):
        """Let Flask-Compress gzip static files whole (it leaves streamed file handles open)."""
        if response.direct_passthrough and request.endpoint and request.endpoint.endswith("static"):
            response.direct_passthrough = False
            response.get_data()
        return response

    app.jinja_env.globals.update(
        html_lang=i18n.html_lang,
        language_names=i18n.LANGUAGE_NAMES,
        hospital_name=lambda: app.config["HOSPITAL_NAME"],
        navigation_items=navigation_items,
        has_endpoint=has_endpoint,
    )

    @app.template_filter("translated")
    def translated(value, field: str = "name") -> str:
        """A standard's or behaviour's text in the reader's language, else the hospital's own wording."""
        return value.translated(field, str(get_locale() or "en")) if value is not None else ""

    @app.template_filter("local_datetime")
    def local_datetime(value: datetime | None, format: str = "medium") -> str:
        return i18n.format_moment(value, format) if value else ""

    @app.template_filter("local_date")
    def local_date(value, format: str = "medium") -> str:
        return i18n.format_day(value, format) if value else ""

"""Language of each request: the switcher's choice, else the person's own, else the browser's.

E-mails are written in the recipient's language (:func:`person_locale`)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import flask_babel
from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "ht": "Kreyòl ayisyen",
    "zh_Hans": "简体中文",
}


def select_locale() -> str:
    if not has_request_context():  # commands and the outbox worker write in the hospital's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    preferred = _signed_in_language()
    if preferred in languages:
        return preferred
    # Browsers send zh-CN / zh-Hans; Babel knows the script form we ship.
    accepted = [(lang.replace("-", "_"), quality) for lang, quality in request.accept_languages]
    best = None
    best_quality = -1.0
    for lang, quality in accepted:
        base = lang.split("_")[0]
        candidate = "zh_Hans" if base == "zh" else (lang if lang in languages else base)
        if candidate in languages and quality > best_quality:
            best, best_quality = candidate, quality
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def _signed_in_language() -> str | None:
    from flask_login import current_user

    return getattr(current_user, "language", None) if current_user else None


def person_locale(person) -> str:
    """The language to write to ``person`` in: their own choice, else the hospital's default."""
    language = getattr(person, "language", None)
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang() -> str:
    """The value of ``<html lang>``: BCP 47, so ``zh_Hans`` becomes ``zh-Hans``."""
    return str(get_locale() or "en").replace("_", "-")


# CLDR has no calendar for Haitian Creole, so Babel alone writes "2026 M11 9". Creole dates follow
# the French (Haiti) patterns with the Creole names of months and days.
HAITIAN_MONTHS = (
    ("janvye", "janv."), ("fevriye", "fev."), ("mas", "mas"), ("avril", "avr."), ("me", "me"), ("jen", "jen"),
    ("jiyè", "jiy."), ("out", "out"), ("septanm", "sept."), ("oktòb", "okt."), ("novanm", "nov."), ("desanm", "des."),
)  # fmt: skip
HAITIAN_DAYS = ("lendi", "madi", "mèkredi", "jedi", "vandredi", "samdi", "dimanch")
NAMED_FORMATS = ("short", "medium", "long", "full")


@cache
def _french_haiti_pattern(format: str) -> str:
    return Locale.parse("fr_HT").date_formats[format].pattern if format in NAMED_FORMATS else format


def _haitian_pattern(format: str, day: date) -> str:
    pattern = _french_haiti_pattern(format)
    full, short = HAITIAN_MONTHS[day.month - 1]
    for token, name in (("EEEE", HAITIAN_DAYS[day.weekday()]), ("MMMM", full), ("MMM", short)):
        pattern = pattern.replace(token, f"'{name}'")
    return pattern


def format_day(value: date | datetime, format: str = "medium") -> str:
    """A calendar day in the reader's language (an instant is first put in the hospital's time zone)."""
    if str(get_locale()) != "ht":
        return flask_babel.format_date(value, format)
    day = flask_babel.to_user_timezone(value).date() if isinstance(value, datetime) else value
    return flask_babel.format_date(value, _haitian_pattern(format, day))


def format_moment(value: datetime, format: str = "medium") -> str:
    """A day and time in the reader's language, in the hospital's time zone."""
    if str(get_locale()) != "ht":
        return flask_babel.format_datetime(value, format)
    return f"{format_day(value, format)} {flask_babel.format_time(value, 'HH:mm')}"

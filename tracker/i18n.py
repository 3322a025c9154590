"""Language of each request: the switcher's choice, else the person's own, else the browser's.

E-mails are written in the recipient's language (:func:`person_locale`)."""

from __future__ import annotations

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

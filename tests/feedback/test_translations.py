"""The public pages speak five languages: every string on them is translated in every catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from tests.translations import TRANSLATIONS

ROOT = TRANSLATIONS.parent.parent
LOCALES = ["es", "pt", "ht", "zh_Hans"]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
# Everything a patient, family member or visitor can see without signing in, and the letter they receive.
PUBLIC_SOURCES = [
    "templates/base.html",
    "templates/_language_switcher.html",
    "templates/_navigation.html",
    "templates/errors/error.html",
    "templates/errors/429.html",
    "templates/macros/forms.html",
    "templates/feedback/form.html",
    "templates/feedback/_questions.html",
    "templates/feedback/_macros.html",
    "templates/feedback/thanks.html",
    "templates/feedback/poster.html",
    "templates/cases/letter.html",  # the written response a patient or family receives
    "tracker/feedback/forms.py",
    "tracker/feedback/services.py",
    "tracker/feedback/views.py",
    "tracker/feedback/urgent.py",
    "tracker/errors.py",
]


def public_messages() -> set[str]:
    messages = set()
    for source in PUBLIC_SOURCES:
        method = "jinja2" if source.endswith(".html") else "python"
        for _line, message, _comments, _context in extract_from_file(
            method, str(ROOT / source), keywords=KEYWORDS, options={"extensions": "jinja2.ext.i18n"}
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_the_public_sources_have_strings_to_translate():
    assert {"Share your feedback", "Send", "Please wait a moment"} <= public_messages()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_public_string_is_translated(locale):
    with Path(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    untranslated = sorted(
        message
        for message in public_messages()
        if catalog.get(message) is None or not catalog.get(message).string or catalog.get(message).fuzzy
    )
    assert untranslated == [], f"{locale}: {len(untranslated)} public strings without a translation"


@pytest.mark.parametrize(
    ("accept", "lang", "send"),
    [("es", "es", "Enviar"), ("pt-BR", "pt", "Enviar"), ("ht", "ht", "Voye"), ("zh-CN", "zh-Hans", "发送")],
)
def test_the_form_is_served_in_the_browsers_language(client, hospital, accept, lang, send):
    page = client.get("/feedback", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f">{send}</button>" in page


def test_the_language_switcher_is_remembered(client, hospital):
    client.post_form("/language", {"lang": "ht", "next": "/feedback"})
    page = client.get("/feedback/ellison-12").get_data(as_text=True)
    assert '<html lang="ht">' in page and "Pataje opinyon ou" in page


def test_the_429_page_is_translated(client, app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        from tracker.errors import render_error

        page, status, _headers = render_error(429)
    assert status == 429 and "Espere un momento" in page

"""Five complete languages: every marked string is in every catalogue, translated, with its placeholders.

Strings added later without translations, or template text left unmarked, fail here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.catalogues import (
    LOCALES,
    ROOT,
    SAME_EVERYWHERE,
    catalogue,
    extracted,
    is_translated,
    placeholders,
    unmarked_template_text,
)

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_the_code_and_templates_have_strings_to_translate():
    messages = extracted()
    assert len(messages) > 700
    assert "Recognise a colleague" in messages  # staff page
    assert "Audit trail" in messages  # admin page
    assert "Read it here:" in messages  # plain-text e-mail
    assert ("problem", "problems") in messages  # a plural


@pytest.mark.parametrize("locale", LOCALES)
def test_every_extracted_message_is_in_the_catalogue_and_translated(locale):
    catalog = catalogue(locale)
    missing = []
    for message, places in extracted().items():
        key = message[0] if isinstance(message, tuple) else message
        if not is_translated(catalog.get(key)):
            missing.append(f"{key!r} ({places[0]})")
    assert missing == [], f"{locale}: {len(missing)} messages not translated:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_catalogue_entry_is_empty_or_fuzzy(locale):
    bad = [message.id for message in catalogue(locale) if message.id and not is_translated(message)]
    assert bad == [], f"{locale}: empty or fuzzy entries: {bad}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder_and_plural_form(locale):
    catalog = catalogue(locale)
    problems = []
    for message in catalog:
        if not message.id or not is_translated(message):
            continue
        if isinstance(message.id, tuple):
            if len(message.string) != catalog.num_plurals:
                problems.append(f"{message.id[0]!r}: {len(message.string)} forms, want {catalog.num_plurals}")
            allowed = placeholders(message.id[0]) | placeholders(message.id[1])
            required = allowed - {"%(num)d"}  # one plural form may say "one" instead of the number
            for form in message.string:
                if not required <= placeholders(form) <= allowed:
                    problems.append(f"{message.id[0]!r}: {form!r}")
        elif placeholders(message.id) != placeholders(message.string):
            problems.append(f"{message.id!r}: {message.string!r}")
    assert problems == [], f"{locale}: placeholders changed:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_haitian_creole_and_the_others_are_not_english_copies(locale):
    """A translation identical to its English text is allowed only for names, codes and symbols."""
    same = [
        message.id
        for message in catalogue(locale)
        if isinstance(message.id, str)
        and message.id == message.string
        and any(
            len(word) > 3 and word.isalpha() and word.islower() and word not in SAME_EVERYWHERE
            for word in message.id.split()
        )
    ]
    assert same == [], f"{locale}: left in English: {same}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_template_text_is_marked_for_translation(template: Path):
    assert unmarked_template_text(template) == []


def test_the_scanner_finds_unmarked_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<h1>{{ _("Marked") }}</h1><p>Left in English</p><input placeholder="Type here">'
        "<code>flask --app tracker</code>{% trans %}Marked block{% endtrans %}"
        '<img alt="{{ _("Marked") }}"><span title="Unmarked title">{{ value }}</span>',
        encoding="utf-8",
    )
    found = [text for _line, text in unmarked_template_text(page)]
    assert found == ["Left in English", 'placeholder="Type here"', 'title="Unmarked title"']

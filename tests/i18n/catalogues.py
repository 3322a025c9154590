"""What the code asks to translate, what the catalogues hold, and template text left unmarked.

Messages are extracted in memory with Babel, using the project's ``babel.cfg``, so nothing here
rewrites the committed catalogues.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.translations import TRANSLATIONS

ROOT = TRANSLATIONS.parent.parent
LOCALES = ("es", "pt", "ht", "zh_Hans")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|\{\w+\}")


@cache
def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """Every message marked in the code and templates, with where it is used."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    for options in options_map.values():
        options.setdefault("extensions", "jinja2.ext.i18n")
    messages: dict[str | tuple[str, ...], list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        messages.setdefault(message, []).append(f"{filename}:{line}")
    return messages


@cache
def catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


def is_translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(forms) and all(form.strip() for form in forms)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


# Text a person reads in these attributes must be marked too.
READ_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "aria-roledescription", "aria-description"}
# Text that is not language: code samples, and what is never shown.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}
WORD = re.compile(r"[^\W\d_]{2,}")
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.S)
# Words that are the same in every language: names, symbols and formats.
SAME_EVERYWHERE = {"icare", "tracker", "CSV", "API", "OpenAPI", "QR", "UTC", "TV"}


class _TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))
        if tag == "input" and dict(attrs).get("type") in {"submit", "button"}:
            value = dict(attrs).get("value") or ""
            if _has_words(value):
                self.found.append((self.getpos()[0], f'value="{value.strip()}"'))

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and _has_words(data):
            self.found.append((self.getpos()[0], data.strip()))


def _has_words(text: str) -> bool:
    return any(word not in SAME_EVERYWHERE for word in WORD.findall(text))


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))  # keeps line numbers


def unmarked_template_text(path: Path) -> list[tuple[int, str]]:
    """Text nodes and readable attributes of a template left outside ``_()`` and ``{% trans %}``."""
    source = TRANS_BLOCK.sub(_blank, path.read_text(encoding="utf-8"))
    source = JINJA.sub(_blank, source)
    parser = _TextNodes()
    parser.feed(source)
    parser.close()
    return parser.found

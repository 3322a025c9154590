"""What a page says, as a browser shows it, for tests that look for English left on a translated page.

Every text node (Plotly's chart titles, axes and legends included, since they are SVG text), the text
of each element whose words are split by inline markup, and the attributes assistive technology reads
(aria-label, title, placeholder, alt, and the value of input buttons). Anything inside an element marked
as written in another language than the page is left out: the language switcher names each language in
itself, and a patient's own words carry their language.
"""

from __future__ import annotations

import html
import re
from functools import cache

from tests.i18n.catalogues import PLACEHOLDER, catalogue, is_translated

TAG = re.compile(r"<[^>]+>")
LONG_WORD = re.compile(r"[^\W\d_]{3,}")  # "%(place)s of %(city)s" alone would take "Port of Spain"

PAGE_STRINGS = """() => {
  const pageLang = document.documentElement.lang;
  const ownLanguage = (element) => {
    const marked = element.closest('[lang]');
    return !marked || marked.lang === pageLang;
  };
  const strings = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest('script, style, template') || !ownLanguage(parent)) continue;
    strings.push(node.textContent);
  }
  const blocks = 'p, li, td, th, dt, dd, label, legend, caption, summary, figcaption, h1, h2, h3, h4, h5, h6, a, '
    + 'button, option';
  for (const element of document.body.querySelectorAll(blocks)) {
    if (ownLanguage(element) && element.children.length) strings.push(element.textContent);
  }
  const read = '[aria-label], [title], [placeholder], [alt], input[type=submit][value], input[type=button][value]';
  for (const element of document.body.querySelectorAll(read)) {
    if (!ownLanguage(element)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (element.hasAttribute(name)) strings.push(element.getAttribute(name));
    }
    if (element.matches('input')) strings.push(element.value);
  }
  return strings.map((text) => text.replace(/\\s+/g, ' ').trim()).filter((text) => text);
}"""


def _readable(msgid: str) -> str:
    """The message as the page shows it: without markup, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub("", msgid)).split())


@cache
def untranslated_english(locale: str) -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """The English messages that ``locale`` translates differently, as exact texts and as patterns.

    A message with placeholders ("%(count)d of %(limit)d characters") becomes a pattern in which each
    placeholder stands for any text; a pattern needs a word of three letters or more of its own to say anything.
    """
    exact: set[str] = set()
    patterns: list[re.Pattern] = []
    for message in catalogue(locale):
        if not message.id or not is_translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in forms:
                continue
            text = _readable(msgid)
            pieces = PLACEHOLDER.split(text)
            if len(pieces) == 1:
                exact.add(text)
            elif any(LONG_WORD.search(piece) for piece in pieces):
                literal = ".+".join(re.escape(piece.replace("%%", "%")) for piece in pieces)
                patterns.append(re.compile(literal))
    return frozenset(exact), tuple(patterns)


def english_left(strings, locale: str, data: frozenset[str] = frozenset()) -> set[str]:
    """The strings of a page in ``locale`` that are English messages of the catalogue.

    ``data`` holds what people typed (names, messages), which is never a translation's business.
    """
    exact, patterns = untranslated_english(locale)
    found = set()
    for text in strings:
        if text in data:
            continue
        bare = text.rstrip(":*").strip()
        if text in exact or bare in exact or any(pattern.fullmatch(bare) for pattern in patterns):
            found.add(text)
    return found

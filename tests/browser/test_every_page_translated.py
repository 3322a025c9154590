"""Every page in Spanish, Portuguese, Haitian Creole and Chinese, with no English message left on it.

The pages and the data set are the every-page sweep's. Each visitor signs in once, chooses each
language with the switcher, and opens every page; whatever the page shows (text, chart titles and
axes, labels for assistive technology) must not be an English message of the catalogue that the
language translates otherwise. What people typed (names, messages, departments) is not a message, so it
never fails the test; the one typed text that is also a message is named in ``TYPED``.
One width is enough here: the sweep checks both.
"""

from __future__ import annotations

import re

from tests.browser.page_text import PAGE_STRINGS, english_left
from tests.browser.test_every_page import (
    ANONYMOUS_ONLY,
    READY,
    VISITORS,
    hospital_server,
    opens_a_page,
    page_urls,
    sign_in_as,
)
from tracker.dashboard.chart_locale import TEXTS as PLOTLY_ENGLISH
from tracker.i18n import LANGUAGE_NAMES

__all__ = ["hospital_server"]  # the sweep's fixture, used here by name

LOCALES = ("es", "pt", "ht", "zh_Hans")
# What the data set typed that is also a message of the catalogue (the demo hospital's own story).
TYPED = frozenset({"She explained every step of the night to us."})
# plotly.js's own English: its mode-bar buttons, and month names on a date axis ("Nov 9").
ENGLISH_DATE = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d")


def _english(strings: list[str], language: str) -> set[str]:
    found = english_left(strings, language, TYPED)
    return found | {text for text in strings if text in PLOTLY_ENGLISH or ENGLISH_DATE.match(text)}


def _choose(tab, server, language: str) -> None:
    tab.goto(server.url + "/")
    with tab.expect_navigation():
        tab.get_by_role("button", name=LANGUAGE_NAMES[language], exact=True).click()
    assert tab.evaluate("document.documentElement.lang") == language.replace("_", "-")


def test_no_english_is_left_on_any_page_in_any_language(hospital_server, browser):
    urls = page_urls(hospital_server)
    leftovers: dict[str, list[str]] = {}
    opened: set[str] = set()
    for role, email in VISITORS.items():
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        try:
            if email:
                sign_in_as(tab, hospital_server, email)
            # Which pages this visitor opens does not depend on the language: learnt in the first.
            theirs = [
                endpoint
                for endpoint, path in urls.items()
                if path is not None and (role == "anonymous" or endpoint not in ANONYMOUS_ONLY)
            ]
            for language in LOCALES:
                _choose(tab, hospital_server, language)
                for endpoint in list(theirs):
                    if not opens_a_page(tab.goto(hospital_server.url + urls[endpoint])):
                        if language != LOCALES[0]:  # it opened in the first language
                            leftovers[f"{urls[endpoint]} as {role} in {language}"] = ["(did not open)"]
                        theirs.remove(endpoint)
                        continue
                    opened.add(endpoint)
                    tab.wait_for_function(READY)
                    english = _english(tab.evaluate(PAGE_STRINGS), language)
                    if english:
                        leftovers[f"{urls[endpoint]} as {role} in {language}"] = sorted(english)
        finally:
            context.close()
    assert opened == {endpoint for endpoint, path in urls.items() if path}
    assert not leftovers, "\n".join(f"{page}: {strings}" for page, strings in sorted(leftovers.items()))


def test_the_check_tells_an_english_message_from_its_translation_and_from_data():
    page = ["Recognise a colleague", "Bay yon kolèg rekonesans", "Please keep this under 5,000 characters."]
    assert english_left(page, "ht") == {"Recognise a colleague", "Please keep this under 5,000 characters."}
    assert english_left(["Language:", "Port of Spain", "Maria", "12"], "es") == {"Language:"}
    assert _english([*TYPED, "Zoom in", "Nov 9", "9 nov"], "es") == {"Zoom in", "Nov 9"}

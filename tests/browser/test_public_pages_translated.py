"""The signed-out pages speak each language fully: home, sign-in, sign-in links and set-password.

Every string a page shows in English (text, titles, labels for assistive technology) is collected
first; none of them may remain on the same page in Spanish, Portuguese, Haitian Creole or Chinese.
Names are not UI strings: the product's and the hospital's, e-mail addresses, and anything marked
as written in another language (the language switcher names each language in itself).
Each page is also checked at 360 px with axe-core.
"""

from __future__ import annotations

import re

from tests.browser.conftest import serious_accessibility_violations
from tests.browser.page_text import PAGE_STRINGS
from tests.factories import PersonFactory
from tracker.auth import email_links, password_links
from tracker.i18n import LANGUAGE_NAMES
from tracker.models import Person, Role

ADVISOR = "advisor@example.org"
NURSE = "nurse@example.org"


def _people():
    PersonFactory(name="Pat Fenwick", email=ADVISOR, department=None, roles={Role.PFAC})
    PersonFactory(name="Sam Okafor", email=NURSE, roles={Role.STAFF})


def _tokens():
    from tracker.extensions import db

    people = {person.email: person for person in db.session.scalars(db.select(Person))}
    return email_links.make_token(people[ADVISOR]), password_links.make_token(people[NURSE])


def _states(url: str, sign_in_token: str, password_token: str):
    """Each page, and each answer a page gives to what someone types, as (name, action) pairs."""

    def visit(path):
        return lambda page: page.goto(url + path)

    def submit(path, fields):
        def act(page):
            page.goto(url + path)
            for selector, value in fields.items():
                page.fill(selector, value)
            with page.expect_navigation():
                page.locator("main form button[type=submit]").last.click()

        return act

    return [
        ("home", visit("/")),
        ("login", visit("/login")),
        ("login, nothing typed", submit("/login", {})),
        ("login, wrong password", submit("/login", {"#email": NURSE, "#password": "not the password"})),
        ("link request", visit("/login/email")),
        ("link request, nothing typed", submit("/login/email", {})),
        ("link request, sent", submit("/login/email", {"#email": ADVISOR})),
        ("sign-in link", visit(f"/login/email/{sign_in_token}")),
        ("sign-in link, spent", visit("/login/email/not-a-link")),
        ("set password", visit(f"/set-password/{password_token}")),
        ("set password, nothing typed", submit(f"/set-password/{password_token}", {})),
        ("set password, too short", submit(f"/set-password/{password_token}", {"#password": "short", "#confirm": "x"})),
        ("set password, common", submit(f"/set-password/{password_token}", {"#password": "password1234"})),
        ("set password, spent", visit("/set-password/not-a-link")),
    ]


def _is_a_name(text: str, names: set[str]) -> bool:
    return text in names or "@" in text or not re.search(r"[^\W\d_]", text)


def _walk(browser, live_server, language: str, states) -> dict[str, set[str]]:
    """Choose ``language`` with the switcher, then visit every state at 360 px; its strings by state."""
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    seen: dict[str, set[str]] = {}
    try:
        page.goto(live_server.url + "/")
        if language != "en":
            page.get_by_role("button", name=LANGUAGE_NAMES[language], exact=True).click()
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=language.replace("_", "-"))
        for name, act in states:
            act(page)
            assert page.evaluate("document.documentElement.lang") == language.replace("_", "-"), name
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{language}, {name}: too wide"
            assert serious_accessibility_violations(page) == [], f"{language}, {name}"
            seen[name] = set(page.evaluate(PAGE_STRINGS))
    finally:
        context.close()
    return seen


def test_nothing_english_remains_on_the_signed_out_pages(live_server, browser):
    live_server.setup(_people)
    states = _states(live_server.url, *live_server.setup(_tokens))  # committed: the link's nonce
    names = {"icare tracker", live_server.app.config["HOSPITAL_NAME"], *LANGUAGE_NAMES.values()}
    english = _walk(browser, live_server, "en", states)
    # The walk saw each state it meant to (a spent token or a lost form would hide a page).
    assert "Staff sign in" in english["login"]
    assert "Please enter your e-mail address." in english["link request, nothing typed"]
    assert f"You are signing in as {ADVISOR}." in english["sign-in link"]
    assert f"Choose a password for {NURSE}." in english["set password"]
    assert "Use at least 12 characters." in english["set password, too short"]
    leftovers = {}
    for language in ("es", "pt", "ht", "zh_Hans"):
        translated = _walk(browser, live_server, language, states)
        for state, strings in translated.items():
            same = {text for text in strings & english[state] if not _is_a_name(text, names)}
            if same:
                leftovers[f"{language}, {state}"] = sorted(same)
    assert leftovers == {}

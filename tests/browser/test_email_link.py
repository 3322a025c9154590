"""An advisor signs in by e-mail link on a 360 px phone; axe-core on the request and confirm pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations
from tests.factories import PersonFactory
from tracker.extensions import db
from tracker.models import OutboxMessage, Role


def _advisor():
    return PersonFactory(name="Pat Fenwick", email="advisor@example.org", department=None, roles={Role.PFAC})


def _link_path() -> str:
    body = db.session.scalar(sa.select(OutboxMessage.body_text).where(OutboxMessage.kind == "sign_in_link"))
    return re.search(r"/login/email/[\w.-]+", body).group(0)


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_advisor_signs_in_by_e_mail_link_on_a_phone(live_server, browser):
    live_server.setup(_advisor)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(f"{live_server.url}/login")
        page.get_by_role("link", name="E-mail me a sign-in link").click()
        page.get_by_role("heading", name="E-mail me a sign-in link").wait_for()
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []

        page.get_by_label("Email").fill("advisor@example.org")
        page.get_by_role("button", name="E-mail me a sign-in link").click()
        page.get_by_text("we have sent a link").wait_for()
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []

        link = live_server.url + live_server.query(_link_path)
        page.goto(link)
        page.get_by_text("You are signing in as advisor@example.org").wait_for()
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/judging")
        assert console_errors == []

        page.context.clear_cookies()
        response = page.goto(link)  # used once already: the calm page (its 404 is in the console)
        assert response.status == 404
        page.get_by_role("link", name="E-mail me a new link").wait_for()
        assert _fits_the_phone(page)
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()

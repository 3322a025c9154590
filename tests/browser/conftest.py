"""A live server on loopback and Debian's Chromium driven by Playwright, with axe-core.

In CI (``TRACKER_REQUIRE_SERVICES=1``) a missing browser fails the run; elsewhere it skips.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tests import databases
from tests.conftest import make_test_config
from tests.factories import PASSWORD
from tracker import create_app
from tracker.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.no_db_transaction)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("TRACKER_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


def buffered(app):
    """Read each response whole and close it before Werkzeug writes a byte.

    When Chromium drops a connection mid-response (a favicon it stopped wanting), Werkzeug's
    development server can skip closing the response, leaving a static file open for the garbage
    collector to warn about. A buffered body is closed here, whatever the client does next.
    """

    def serve(environ, start_response):
        response = app(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        return [body]

    return serve


class LiveServer:
    """The app served by Werkzeug in a thread, on its own fresh, migrated database."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def setup(self, build: Callable[[], object]):
        """Run ``build`` in an app context and commit what it made; returns its result."""
        with self.app.app_context():
            result = build()
            db.session.commit()
            return result

    def query(self, read: Callable[[], object]):
        with self.app.app_context():
            try:
                return read()
            finally:
                db.session.rollback()


@pytest.fixture
def live_server(instance_path):
    with databases.fresh_database("live") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        with app.app_context():
            upgrade()
        server = LiveServer(app)
        server.thread.start()
        try:
            yield server
        finally:
            server.server.shutdown()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    tab = context.new_page()
    console_errors: list[str] = []
    tab.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    tab.console_errors = console_errors
    yield tab
    context.close()


def sign_in(page, url: str, email: str) -> None:
    """Sign in through the real page with the factories' password, and wait for the home page."""
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


def serious_accessibility_violations(page) -> list[str]:
    """axe-core findings of serious or critical impact on the current page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node.get("target") else "?" for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]

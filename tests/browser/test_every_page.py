"""Every page, as every role, at a phone's 360 px and a desktop's 1280 px, in a real browser.

The pages come from the app's URL map: each GET route is opened as each kind of visitor, and the ones
that answer a page (not a sign-in redirect, a 403 or a 404) are checked at both widths: nothing wider
than the screen (a table that scrolls inside its box on a phone keeps its first column in view), no
console error, no Content Security Policy violation, and nothing serious or
critical for axe-core. A GET route that is neither opened by somebody nor listed in ``SKIPPED`` fails
the test, so a new page cannot be left out quietly.
"""

from __future__ import annotations

import pytest
from flask import url_for
from flask_migrate import upgrade

from tests import databases
from tests.browser.conftest import LiveServer, serious_accessibility_violations
from tests.browser.hospital import build_hospital
from tests.conftest import make_test_config
from tests.factories import PASSWORD
from tracker import create_app
from tracker.extensions import db

WIDTHS = (360, 1280)

# GET routes that are not pages for people, or that only open behind a one-time link.
SKIPPED = {
    "static": "stylesheets, scripts and images",
    "bootstrap.static": "Bootstrap-Flask's assets",
    "home.healthz": "a plain-text health check for the load balancer",
    "identity.start": "hands over to the hospital's identity provider, which tests do not configure",
    "identity.callback": "the identity provider's answer, reached only from its own sign-in page",
    "auth.set_password": "opens only behind a one-time password link",
    "auth.email_link": "opens only behind a one-time sign-in link",
    "admin.roster_review": "opens only behind the one-time token of an uploaded roster",
    "surveys.check": "opens only behind the one-time token of an uploaded survey export",
    "displays.kiosk": "opens only behind a kiosk display's secret link",
    "feedback.thanks": "shown only after the feedback form is sent (tests/browser/test_feedback.py opens it)",
    "awards.nominated": "shown only after a nomination is sent (tests/browser/test_awards.py opens it)",
}
# Files, told by the rule's ending (/dashboard/export/recognitions.csv, /units/<unit_slug>/poster.svg).
SKIPPED_SUFFIXES = {".csv": "a CSV file", ".svg": "an SVG image", ".json": "JSON"}
SKIPPED_PREFIXES = {
    "api.": "JSON API (its HTML documentation page, api.browse_docs, is visited)",
    "scim.": "SCIM JSON for the identity provider",
}
VISITED_API_PAGES = {"api.browse_docs"}
# Pages the same for every visitor but the menu, which every other page checks per role: opened
# by the anonymous visitor only, because axe-core takes seconds over Swagger UI's large page.
ANONYMOUS_ONLY = {"api.browse_docs"}

# Who signs in for each role; None is the anonymous visitor.
VISITORS = {
    "anonymous": None,
    "staff": "nurse@example.org",
    "manager": "manager@example.org",
    "advocate": "advocate@example.org",
    "admin": "admin@example.org",
    "coordinator": "coordinator@example.org",
    "advisor": "advisor@example.org",
}

# Listens for violations before any of the page's own code runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""
# A page is ready when its charts are drawn and the API documentation (drawn after it fetches) is there.
# Each table that scrolls inside its box (those in a closed <details> opened for the look), scrolled to
# its far end: the first cell of every row, the row's name, must still sit at the box's left edge (a
# cell across the whole row, like "Nothing sent yet.", cannot and need not).
UNPINNED_TABLES = """() => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach((details) => { details.open = true; });
  const unpinned = [...document.querySelectorAll('.table-responsive')]
    .filter((box) => box.getClientRects().length && box.scrollWidth > box.clientWidth + 1)
    .filter((box) => {
      const start = box.scrollLeft;
      box.scrollLeft = box.scrollWidth;
      const left = box.getBoundingClientRect().left;
      const rows = box.querySelectorAll(':scope > table > :is(thead, tbody) > tr > :first-child');
      const moved = (cell) => cell.colSpan === 1 && Math.abs(cell.getBoundingClientRect().left - left) > 1;
      const hidden = [...rows].some(moved);
      box.scrollLeft = start;
      return hidden;
    })
    .map((box) => (box.closest('[id]') || {}).id || box.querySelector('caption')?.textContent || 'a table');
  closed.forEach((details) => { details.open = false; });
  return unpinned;
}"""
READY = """() => [...document.querySelectorAll('.dashboard-chart')].every((c) => c.dataset.drawn === 'true')
  && (!document.getElementById('api-docs') || document.querySelector('#api-docs .opblock'))"""


def skip_reason(rule) -> str | None:
    if rule.endpoint in SKIPPED:
        return SKIPPED[rule.endpoint]
    if rule.endpoint in VISITED_API_PAGES:
        return None
    suffix = next((reason for suffix, reason in SKIPPED_SUFFIXES.items() if rule.rule.endswith(suffix)), None)
    return suffix or next(
        (reason for prefix, reason in SKIPPED_PREFIXES.items() if rule.endpoint.startswith(prefix)), None
    )


@pytest.fixture(scope="module")
def hospital_server(instance_path):
    """One live server and data set for the whole sweep; its pages only read."""
    with databases.fresh_database("sweep") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        with app.app_context():
            upgrade()
        server = LiveServer(app)
        server.thread.start()
        try:
            server.arguments, server.overrides = server.setup(build_hospital)
            yield server
        finally:
            server.server.shutdown()
            with app.app_context():
                db.engine.dispose()


def page_urls(server) -> dict[str, str | None]:
    """Each GET route that is not skipped, as a path with its arguments filled from the data set.

    A route with an argument the data set cannot fill maps to ``None``, and so counts as left out.
    """
    urls: dict[str, str | None] = {}
    with server.app.test_request_context():
        for rule in sorted(server.app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if "GET" not in rule.methods or skip_reason(rule) or rule.endpoint in urls:
                continue
            values = {**server.arguments, **server.overrides.get(rule.endpoint, {})}
            fillable = rule.arguments <= values.keys()
            urls[rule.endpoint] = (
                url_for(rule.endpoint, **{name: values[name] for name in rule.arguments}) if fillable else None
            )
    return urls


def sign_in_as(tab, server, email: str) -> None:
    """Sign in through the real page; each role lands on its own first page."""
    tab.goto(f"{server.url}/login")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(lambda url: "/login" not in url)


def _tabs(browser, server, email):
    """A tab per width, signed in as ``email`` (or nobody), each noting its console errors."""
    tabs = {}
    state = None
    for width in WIDTHS:
        context = browser.new_context(locale="en-US", viewport={"width": width, "height": 800}, storage_state=state)
        context.add_init_script(CSP_LISTENER)
        tab = context.new_page()
        tab.console_errors = []
        tab.on("console", lambda message, tab=tab: message.type == "error" and tab.console_errors.append(message.text))
        if email and state is None:
            sign_in_as(tab, server, email)
            state = context.storage_state()
        tabs[width] = tab
    return tabs


def opens_a_page(response) -> bool:
    """The route answered this visitor a page of its own (not a redirect, a refusal or a 404)."""
    return (
        response is not None
        and response.status == 200
        and response.request.redirected_from is None
        and response.headers.get("content-type", "").startswith("text/html")
    )


def _problems(tab, width: int) -> list[str]:
    tab.wait_for_function(READY)
    found = []
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width + 1:
        wide = tab.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
              .slice(-3).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (
                typeof e.className === 'string' && e.className ? '.' + e.className.trim().replace(/ +/g, '.') : ''))""",
            width,
        )
        found.append(f"{scroll_width} px wide ({', '.join(wide)})")
    if width < 400:
        found += [f"table scrolls without its first column: {name}" for name in tab.evaluate(UNPINNED_TABLES)]
    found += [f"console: {text[:160]}" for text in tab.console_errors]
    found += [f"CSP: {line}" for line in tab.evaluate("window.__cspViolations")]
    found += [f"axe: {line}" for line in serious_accessibility_violations(tab)]
    return found


def test_every_page_fits_a_phone_and_a_desktop_for_every_role(hospital_server, browser):
    urls = page_urls(hospital_server)
    opened: set[str] = set()
    problems: list[str] = []
    for role, email in VISITORS.items():
        tabs = _tabs(browser, hospital_server, email)
        try:
            for endpoint, path in urls.items():
                if path is None or (role != "anonymous" and endpoint in ANONYMOUS_ONLY):
                    continue
                for width, tab in tabs.items():
                    tab.console_errors.clear()
                    if not opens_a_page(tab.goto(hospital_server.url + path)):
                        break
                    opened.add(endpoint)
                    problems += [f"{path} as {role} at {width} px: {line}" for line in _problems(tab, width)]
        finally:
            for tab in tabs.values():
                tab.context.close()
    left_out = sorted(set(urls) - opened)
    if left_out:
        problems.append(f"GET routes nobody could open (fill their arguments, or list them in SKIPPED): {left_out}")
    assert not problems, "\n".join(problems)


def test_every_skipped_route_exists(hospital_server):
    endpoints = {rule.endpoint for rule in hospital_server.app.url_map.iter_rules()}
    assert set(SKIPPED) <= endpoints, f"SKIPPED names routes that no longer exist: {sorted(set(SKIPPED) - endpoints)}"

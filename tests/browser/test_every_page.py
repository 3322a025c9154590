"""Every page, as every role, at a phone's 360 px and a desktop's 1280 px, in a real browser.

The pages come from the app's URL map: each GET route is opened as each kind of visitor, and the ones
that answer a page (not a sign-in redirect, a 403 or a 404) are checked at both widths: nothing wider
than the screen, no console error, no Content Security Policy violation, and nothing serious or
critical for axe-core. A GET route that is neither opened by somebody nor listed in ``SKIPPED`` fails
the test, so a new page cannot be left out quietly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import url_for
from flask_migrate import upgrade

from tests import databases
from tests.browser.conftest import LiveServer, serious_accessibility_violations
from tests.conftest import make_test_config
from tests.factories import PASSWORD, DepartmentFactory, FeedbackFactory, PersonFactory, RecognitionFactory
from tracker import create_app
from tracker.cases.services import resolve
from tracker.extensions import db
from tracker.feedback.services import hospital_today, open_case
from tracker.models import (
    AwardDecision,
    CyclePhase,
    FeedbackStatus,
    FeedbackType,
    RecognitionStatus,
    Role,
    Source,
    Standard,
    Visibility,
)

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


def _hospital():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    surgery = DepartmentFactory(slug="surgery", name="Surgery", parent=root)
    units = {
        "ellison-12": DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine),
        "ellison-14": DepartmentFactory(slug="ellison-14", name="Ellison 14", parent=medicine),
        "cticu": DepartmentFactory(slug="cticu", name="Cardiothoracic Intensive Care Unit (Blake 8)", parent=medicine),
        "white-6": DepartmentFactory(slug="white-6", name="White 6", parent=surgery),
    }
    return root, medicine, units


def _awards(nurse, surgeon, judge, advisor):
    """DAISY in judging (the advisor's assignment), and a unit award already announced with an honouree."""
    from tracker.awards import blinding, committee, decisions, nominations, programmes, scoring

    day = hospital_today()
    dates = dict.fromkeys(("nominating_from", "judging_from", "deciding_from", "announced_on", "closes_on"), day)
    daisy = programmes.create_programme(
        name="DAISY Award",
        slug="daisy",
        description="For nurses whose compassion made a difference.",
        judges_per_nomination=1,
    )
    programmes.add_criterion(daisy, name="Compassion", description="Kindness shown to patient and family.")
    cycle = programmes.create_cycle(daisy, name="2026 Q4", dates=dates)
    committee.add_member(daisy, advisor.email)
    nomination = nominations.submit_nomination(
        daisy, story="She explained every step of the night to us.", nominee=nurse, relation="family", consent=True
    )
    blinding.approve(nomination, blinding.suggested_copy(nomination))
    programmes.advance(cycle, CyclePhase.JUDGING)

    hero = programmes.create_programme(name="Unit Hero", slug="unit-hero", judges_per_nomination=1)
    programmes.add_criterion(hero, name="Teamwork")
    past = programmes.create_cycle(hero, name="2026 Q3", dates=dates)
    committee.add_member(hero, judge.email)
    honoured = nominations.submit_nomination(
        hero,
        story="Covered three night shifts when the flu went round.",
        nominee=surgeon,
        relation="family",
        consent=True,
    )
    blinding.approve(honoured, blinding.suggested_copy(honoured))
    programmes.advance(past, CyclePhase.JUDGING)
    scoring.submit(honoured.assignments[0], {hero.criteria[0].id: 5})
    programmes.advance(past, CyclePhase.DECIDING)
    decisions.decide(honoured, AwardDecision.HONOUREE, "Steady and kind through a hard month.")
    programmes.advance(past, CyclePhase.ANNOUNCED)
    db.session.flush()
    return {
        "cycle_id": cycle.id,
        "nomination_id": nomination.id,
        "assignment_id": nomination.assignments[0].id,
        "certificate_id": honoured.id,
    }


def build_hospital():
    """A hospital with a few units, one person per role, recognitions, a moderation queue, cases and awards."""
    from tests.security.test_authorization_matrix import _integration_records
    from tracker.displays import services as displays
    from tracker.yousaid import services as yousaid

    root, medicine, units = _hospital()
    unit = units["ellison-12"]
    staff = PersonFactory(name="Sam Okafor", email="nurse@example.org", department=unit)
    nurse = PersonFactory(
        name="Maximiliana Hernández-Castellanos", email="maria@example.org", department=units["cticu"]
    )
    manager = PersonFactory(
        name="Dana Whitfield", email="manager@example.org", department=unit, roles={Role.MANAGER}, manages=[medicine]
    )
    advocate = PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    PersonFactory(name="Morgan Reyes", email="admin@example.org", department=root, roles={Role.ADMIN})
    PersonFactory(name="Cora Whitby", email="coordinator@example.org", department=root, roles={Role.AWARD_COORDINATOR})
    advisor = PersonFactory(name="Pat Fenwick", email="advisor@example.org", department=None, roles={Role.PFAC})
    team = [staff, nurse] + [
        PersonFactory(department=list(units.values())[index % 3], show_on_walls=index != 2) for index in range(8)
    ]
    standards = db.session.scalars(sa.select(Standard).order_by(Standard.position)).all()
    now = datetime.now(UTC)
    recognitions = [
        RecognitionFactory(
            giver=team[index % len(team)],
            recipients=[team[(index * 3 + 1) % len(team)]],
            standards=standards[: 1 + index % len(standards)],
            source=Source.PATIENT if index % 4 == 0 else Source.PEER,
            created_at=now - timedelta(days=index * 2, hours=3),
        )
        for index in range(24)
    ]
    RecognitionFactory(giver=staff, recipients=[nurse], visibility=Visibility.PRIVATE)
    RecognitionFactory(giver=nurse, recipients=[staff], status=RecognitionStatus.PENDING)
    compliment = FeedbackFactory(unit=unit)
    FeedbackFactory(
        type=FeedbackType.CONCERN,
        unit=units["white-6"],
        message="Nobody answered the call bell for an hour and my father was left waiting in pain.",
        created_at=now - timedelta(days=4),
    )
    FeedbackFactory(type=FeedbackType.SUGGESTION, unit=unit, language="es", message="Más sillas, por favor.")
    case = open_case(
        FeedbackFactory(type=FeedbackType.CONCERN, unit=unit, message="The meal came cold three days running."),
        summary="Meals arrive cold",
    )
    resolved = open_case(FeedbackFactory(type=FeedbackType.CONCERN, unit=unit), summary="Noisy at night")
    resolve(resolved, advocate, contact="Luz Ortega", steps="Asked.", outcome="Quieter.", completed_on=hospital_today())
    suggestion = FeedbackFactory(
        type=FeedbackType.SUGGESTION, status=FeedbackStatus.NOTED, unit=unit, approved_message="More chairs."
    )
    yousaid.record_action(
        manager,
        summary="We added chairs.",
        unit_id=unit.id,
        month=hospital_today().strftime("%Y-%m"),
        feedback=suggestion,
    )
    channel, endpoint = _integration_records(unit)
    display_link, _token = displays.create_link(unit, "Corridor screen", manager)
    surgeon = PersonFactory(name="John Smith", email="john@example.org", department=units["white-6"])
    awards = _awards(nurse, surgeon, staff, advisor)
    db.session.flush()
    standard = standards[0]
    arguments = {
        "unit_slug": unit.slug,
        "slug": unit.slug,
        "department_id": unit.id,
        "person_id": nurse.id,
        "standard_id": standard.id,
        "behaviour_id": standard.behaviors[0].id,
        "recognition_id": recognitions[1].id,
        "case_id": case.id,
        "feedback_id": compliment.id,
        "channel_id": channel.id,
        "endpoint_id": endpoint.id,
        "link_id": display_link.id,
        "cycle_id": awards["cycle_id"],
        "nomination_id": awards["nomination_id"],
        "assignment_id": awards["assignment_id"],
        "kind": "feedback",
        "record_id": compliment.id,
    }
    # Where one argument name means different records on different pages.
    overrides = {
        "awards.honour_roll": {"slug": "unit-hero"},
        "awards.nominate": {"slug": "daisy"},
        "awards.nominated": {"slug": "daisy"},
        "awards.programme": {"slug": "daisy"},
        "awards.certificate": {"nomination_id": awards["certificate_id"]},
        "cases.letter": {"case_id": resolved.id},
        "yousaid.record_for_case": {"case_id": resolved.id},
        "yousaid.record_for_suggestion": {"feedback_id": suggestion.id},
    }
    return arguments, overrides


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

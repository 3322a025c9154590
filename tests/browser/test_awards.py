"""Awards in a real browser: a patient nominates in Spanish on a phone by keyboard, an advisor scores by
keyboard, and axe-core checks the nomination, judging and leaderboard pages.

With ``TRACKER_DOCS_SCREENSHOTS=1`` the run also saves the pictures used in docs/awards.md.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_feedback import _tab_to
from tests.factories import PASSWORD, DepartmentFactory, PersonFactory
from tracker.awards import blinding, committee, nominations, programmes, scoring
from tracker.extensions import db
from tracker.models import CriterionScore, CyclePhase, Nomination, Role

DOCS = Path(__file__).resolve().parents[2] / "docs"
DATES = {
    "nominating_from": date(2026, 10, 1),
    "judging_from": date(2026, 12, 1),
    "deciding_from": date(2026, 12, 15),
    "announced_on": date(2027, 1, 5),
    "closes_on": date(2027, 1, 31),
}


def _shot(page, name: str) -> None:
    if os.environ.get("TRACKER_DOCS_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / name), full_page=True)


def _programme():
    hospital = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=hospital)
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine)
    nurse = PersonFactory(name="Maria Lopez", email="maria@example.org", department=unit, job_family="Nursing")
    programme = programmes.create_programme(
        name="DAISY Award",
        slug="daisy",
        description="For nurses whose compassion made a difference.",
        job_families=["Nursing"],
        judges_per_nomination=2,
    )
    programmes.add_criterion(
        programme, name="Compassion", description="Kindness shown to patient and family.", weight=2
    )
    programmes.add_criterion(programme, name="Going beyond", description="More than the job asked.")
    programmes.create_cycle(programme, name="2026 Q4", dates=DATES)
    return {"hospital": hospital, "unit": unit, "nurse": nurse, "programme": programme}


def _sign_in(page, url, email):
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_patient_nominates_a_nurse_in_spanish_by_keyboard_on_a_phone(live_server, browser):
    live_server.setup(_programme)
    live_server.app.config["FEEDBACK_MINIMUM_SECONDS"] = 1
    context = browser.new_context(locale="es-ES", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/awards/daisy/nominate")
        assert page.locator("html").get_attribute("lang") == "es"
        page.get_by_role("heading", name="Nominar a alguien").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []
        _shot(page, "awards-nominate-es.png")
        _tab_to(page, "nominee_name")
        page.keyboard.type("Mari Lopez")
        _tab_to(page, "story")
        page.keyboard.type("María se quedó con mi madre toda la noche y nos explicó cada paso con paciencia.")
        _tab_to(page, "criteria-1")
        page.keyboard.press("Space")
        _tab_to(page, "relation-1")
        page.keyboard.press("ArrowDown")  # family
        _tab_to(page, "contact_email")
        page.keyboard.type("hija@example.org")
        _tab_to(page, "consent")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "submit"
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Gracias").wait_for()
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()
    stored = live_server.query(
        lambda: (
            db.session.scalar(sa.select(Nomination))
            and (
                db.session.scalar(sa.select(Nomination)).nominee.name,
                db.session.scalar(sa.select(Nomination)).language,
                db.session.scalar(sa.select(Nomination)).nominator_type.value,
            )
        )
    )
    assert stored == ("Maria Lopez", "es", "family")


def _judging():
    made = _programme()
    programme = made["programme"]
    advisor = PersonFactory(name="Pat Fenwick", email="advisor@example.org", department=None, roles={Role.PFAC})
    judge = PersonFactory(name="Omar Castellanos", email="omar@example.org", department=made["hospital"])
    PersonFactory(
        name="Cora Whitby", email="coordinator@example.org", department=made["hospital"], roles={Role.AWARD_COORDINATOR}
    )
    for person in (advisor, judge):
        committee.add_member(programme, person.email)
    cycle = programmes.open_cycle(programme)
    stories = [
        "Maria Lopez on Ellison 12 sat with my father all night and explained every step to us.",
        "Maria stayed after her shift so that my mother was not alone when the news came.",
    ]
    for story in stories:
        nomination = nominations.submit_nomination(
            programme, story=story, nominee=made["nurse"], relation="family", consent=True
        )
        blinding.approve(nomination, blinding.suggested_copy(nomination))
    programmes.advance(cycle, CyclePhase.JUDGING)
    ids = [c.id for c in programme.criteria]
    for nomination in cycle.nominations:
        for assignment in nomination.assignments:
            if assignment.judge_id == judge.id:
                scoring.submit(assignment, {ids[0]: 4, ids[1]: 3})
    return cycle.id


def test_an_advisor_scores_by_keyboard_and_the_pages_pass_axe(live_server, browser, page):
    cycle_id = live_server.setup(_judging)
    _sign_in(page, live_server.url, "advisor@example.org")
    page.get_by_role("heading", name="Judging").wait_for()
    assert serious_accessibility_violations(page) == []
    _shot(page, "awards-judging.png")
    page.get_by_role("link", name="Nomination 1").click()
    page.get_by_role("heading", name="Blinded copy").wait_for()
    assert "Maria" not in page.content() and "Ellison" not in page.content()
    assert serious_accessibility_violations(page) == []
    criteria = live_server.query(
        lambda: (
            [c.id for c in db.session.scalars(sa.text("SELECT id FROM award_criteria ORDER BY position"))]
            if False
            else list(db.session.scalars(sa.text("SELECT id FROM award_criteria ORDER BY position")))
        )
    )
    _tab_to(page, f"score_{criteria[0]}-1")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # to 4
    _tab_to(page, f"score_{criteria[1]}-1")
    page.keyboard.press("ArrowRight")  # to 2
    _tab_to(page, "comment")
    page.keyboard.type("A story of real presence.")
    _shot(page, "awards-scoring.png")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your scores").wait_for()
    assert serious_accessibility_violations(page) == []
    values = live_server.query(lambda: sorted(db.session.scalars(sa.select(CriterionScore.value))))
    assert values == [2, 3, 3, 4, 4, 4]  # the other judge's 4 and 3 on both, and the advisor's 4 and 2

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server.url, "coordinator@example.org")
    for url, shot in (
        (f"/awards/cycles/{cycle_id}/leaderboard", "awards-leaderboard.png"),
        (f"/awards/cycles/{cycle_id}", "awards-cycle.png"),
        ("/awards/nominations/1", "awards-blinding.png"),
        ("/awards/manage/daisy", "awards-programme.png"),
    ):
        page.goto(live_server.url + url)
        assert serious_accessibility_violations(page) == [], url
        _shot(page, shot)

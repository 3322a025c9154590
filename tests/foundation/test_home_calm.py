"""The signed-in home page stays calm: each link once, cards named for what they hold, the manager's team card."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, RecognitionFactory
from tracker.extensions import db
from tracker.feedback.services import hospital_today, submit_feedback
from tracker.models import Case, RecognitionStatus


def main_of(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True).split('<main id="main"', 1)[1].split("</main>", 1)[0]


def links(html: str) -> Counter:
    return Counter(re.findall(r'href="([^"]+)"', html))


def card_titles(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", title).strip() for title in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, re.S)
    ]


def concern(overdue: bool) -> Case:
    feedback = submit_feedback(
        type="concern", message="The call bell went unanswered.", staff_names="", unit_slug=None, language="en",
        consent_to_share=False, contact_email="ana@example.com",
    )  # fmt: skip
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    if overdue:
        case.resolve_by = hospital_today() - timedelta(days=1)
    db.session.flush()
    return case


@pytest.fixture
def busy(staff, colleague, manager, surgeon, hospital):
    """Something for every card: recognitions of each reader, one waiting for approval, two concerns."""
    for person in (staff, manager):
        for giver in (colleague, surgeon, colleague, surgeon):
            RecognitionFactory(giver=giver, recipients=[person, colleague])
    RecognitionFactory(giver=staff, recipients=[colleague], status=RecognitionStatus.PENDING)
    concern(overdue=True)
    concern(overdue=False)


@pytest.mark.parametrize("reader", ["staff", "manager", "advocate", "admin"])
def test_no_link_is_offered_twice(request, busy, client, reader):
    person = request.getfixturevalue(reader)
    client.sign_in(person.email, PASSWORD)
    repeated = {href: n for href, n in links(main_of(client)).items() if n > 1}
    assert repeated == {}


@pytest.mark.parametrize("reader", ["staff", "manager"])
def test_cards_are_named_for_what_they_hold_not_for_the_reader(request, busy, client, reader):
    person = request.getfixturevalue(reader)
    client.sign_in(person.email, PASSWORD)
    html = main_of(client)
    titles = card_titles(html)
    assert "Your recognitions" in titles
    assert all(person.name not in title for title in titles)
    assert person.name not in html
    assert "From Maria Lopez" in titles and "With Maria Lopez" in html
    assert 'href="/me/recognitions"' in html and "See all 4 recognitions of you" in html


def test_the_managers_card_leads_to_the_dashboard_and_their_units_huddle_pack(busy, client, manager):
    client.sign_in(manager.email, PASSWORD)
    html = main_of(client)
    assert "Your team" in card_titles(html)
    team = html.split('id="team-heading"', 1)[1].split("</section>", 1)[0]
    assert set(re.findall(r'href="([^"]+)"', team)) == {
        "/recognitions/approvals",
        "/dashboard",
        "/units/medicine/huddle",
    }
    assert "This week’s huddle pack: Medicine" in team


def test_a_manager_with_nothing_waiting_still_reaches_the_dashboard(client, manager):
    client.sign_in(manager.email, PASSWORD)
    team = main_of(client).split('id="team-heading"', 1)[1].split("</section>", 1)[0]
    assert set(re.findall(r'href="([^"]+)"', team)) == {"/dashboard", "/units/medicine/huddle"}
    assert "Open the dashboard" in team


def test_staff_have_no_team_card_and_no_huddle_pack(busy, client, staff):
    client.sign_in(staff.email, PASSWORD)
    html = main_of(client)
    assert "Your team" not in html and "/huddle" not in html and "/dashboard" not in html


def test_an_admin_managing_no_unit_gets_the_dashboard_but_no_huddle_link(busy, client, admin):
    client.sign_in(admin.email, PASSWORD)
    html = main_of(client)
    assert "Your team" in card_titles(html) and 'href="/dashboard"' in html and "/huddle" not in html


def test_concerns_are_one_link_with_the_overdue_ones_counted(busy, client, advocate):
    client.sign_in(advocate.email, PASSWORD)
    html = main_of(client)
    waiting = html.split('id="waiting-heading"', 1)[1].split("</section>", 1)[0]
    assert links(waiting)["/cases"] == 1
    assert re.search(r">2</span>\s*<a href=\"/cases\">open concerns</a>", waiting)
    assert "1 past its deadline" in waiting
    assert "Your team" not in html

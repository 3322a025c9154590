"""Judges see only blinded copies and numbers: every page, export and API answer a judge can reach."""

from __future__ import annotations

import re

import pytest

from tests.awards.conftest import to_phase
from tests.factories import PASSWORD, DepartmentFactory, PersonFactory
from tracker.awards import blinding, committee, nominations
from tracker.extensions import db
from tracker.models import CyclePhase, Role

NAMES = [
    ("Beatriz Valcourt", "Telemetry Nurse"),
    ("Desmond Achebe", "Nurse Practitioner"),
    ("Yuki Tanabe", "Charge Nurse"),
    ("Aurelio Montano", "Staff Nurse"),
    ("Philippa Grieve", "Nurse Educator"),
    ("Kwame Boateng", "Clinical Nurse Specialist"),
    ("Svetlana Orlova", "Night Nurse"),
    ("Thaddeus Pemberton", "Registered Nurse"),
]
UNITS = ["Bigelow 7", "Phillips 20", "Lunder 9", "Blake 12"]
NOMINATORS = [("Rosalind Featherstone", "rosalind@example.net", "617-555-0142"), ("Horatio Blackwood", "", "")]


@pytest.fixture
def crowded_cycle(programme, cycle, hospital, advisor):
    """Sixteen nominations naming their nominees, units, job titles and nominators in the story."""
    department = DepartmentFactory(slug="nursing-dept", name="Surgical Nursing", parent=hospital["hospital"])
    units = [DepartmentFactory(slug=f"unit-{i}", name=name, parent=department) for i, name in enumerate(UNITS)]
    staff_judge = PersonFactory(
        name="Judith Kessler", email="judith@example.org", department=hospital["white-6"], job_title="Theatre Lead"
    )
    for person in (staff_judge, advisor):
        committee.add_member(programme, person.email)
    programme.judges_per_nomination = 2
    forbidden = set()
    staff_nominator = PersonFactory(name="Cornelius Ashdown", department=hospital["ellison-14"], job_title="Porter")
    for index in range(16):
        name, title = NAMES[index % len(NAMES)]
        unit = units[index % len(units)]
        nominee = PersonFactory(name=f"{name}{'' if index < 8 else ' Junior'}", department=unit, job_title=title)
        contact, email, phone = NOMINATORS[index % 2]
        story = (
            f"{nominee.first_name} on {unit.name}, our {title.lower()}, stayed with my mother all night. "
            f"{nominee.name} is a credit to {department.name}. "
            f"Thank you from {contact}, call me on {phone or 'no phone'}."
        )
        if index % 4 == 3:
            nomination = nominations.submit_nomination(
                programme,
                story=story.replace(contact, staff_nominator.name),
                nominee=nominee,
                nominator=staff_nominator,
                consent=True,
            )
            forbidden |= {staff_nominator.name, staff_nominator.email, staff_nominator.job_title}
        else:
            nomination = nominations.submit_nomination(
                programme,
                story=story,
                nominee=nominee,
                relation="family",
                contact_name=contact,
                contact_email=email,
                contact_phone=phone,
                consent=True,
            )
            forbidden |= {contact, *contact.split(), email, phone} - {""}
        blinding.approve(nomination, blinding.suggested_copy(nomination))
        forbidden |= {nominee.name, *nominee.name.split(), nominee.email, title, unit.name, department.name}
    forbidden -= {"Junior"}
    to_phase(cycle, CyclePhase.JUDGING)
    db.session.commit()
    return {"judges": [staff_judge, advisor], "forbidden": forbidden}


def leaks(text: str, forbidden: set[str]) -> list[str]:
    return sorted(term for term in forbidden if re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.I))


def test_no_judge_page_or_api_answer_names_anyone(app, crowded_cycle, programme):
    forbidden = crowded_cycle["forbidden"]
    ids = [criterion.id for criterion in programme.criteria]
    for judge in crowded_cycle["judges"]:
        client = app.test_client()
        assert client.sign_in(judge.email, PASSWORD).status_code == 302
        seen = []
        for url in ("/", "/judging", "/me/profile", "/awards", "/awards/daisy", "/api/v1/judging/assignments"):
            response = client.get(url, follow_redirects=True)
            seen.append((url, response.status_code, response.get_data(as_text=True)))
        listing = client.get("/api/v1/judging/assignments").get_json()["items"]
        assert len(listing) >= 8
        token = client.csrf_token()
        for number, item in enumerate(listing):
            page = client.get(f"/judging/{item['id']}")
            seen.append((f"/judging/{item['id']}", page.status_code, page.get_data(as_text=True)))
            answer = client.get(f"/api/v1/judging/assignments/{item['id']}")
            seen.append(("api detail", answer.status_code, answer.get_data(as_text=True)))
            if number % 2:
                form = {"csrf_token": token, f"score_{ids[0]}": "5", f"score_{ids[1]}": "4"}
                after = client.post(f"/judging/{item['id']}", data=form, follow_redirects=True)
            else:
                after = client.post(
                    f"/api/v1/judging/assignments/{item['id']}/score",
                    json={"scores": {str(ids[0]): 3, str(ids[1]): 2}},
                    headers={"X-CSRFToken": token},
                )
            seen.append(("after scoring", after.status_code, after.get_data(as_text=True)))
            again = client.get(f"/api/v1/judging/assignments/{item['id']}")
            seen.append(("api detail after", again.status_code, again.get_data(as_text=True)))
            seen.append(("page after", 200, client.get(f"/judging/{item['id']}").get_data(as_text=True)))
        for url, status, text in seen:
            assert status in (200, 201), (judge.email, url, status)
            assert not leaks(text, forbidden), (judge.email, url, leaks(text, forbidden))
        assert "[…]" in seen[-1][2]


def test_an_advisor_reaches_nothing_else(app, crowded_cycle):
    advisor = crowded_cycle["judges"][1]
    assert advisor.roles == {Role.PFAC}
    client = app.test_client()
    client.sign_in(advisor.email, PASSWORD)
    for url in (
        "/wall",
        "/recognitions/new",
        "/me/recognitions",
        "/dashboard",
        "/api/v1/people?q=a",
        "/api/v1/recognitions",
        "/me/tokens",
        "/feedback/enter",
        "/awards/manage",
    ):
        assert client.get(url).status_code == 403, url

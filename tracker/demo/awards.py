"""A demo DAISY Award: a programme for nurses with its committee and a cycle taking nominations."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from tracker.awards import blinding, committee, nominations, programmes
from tracker.demo import words
from tracker.extensions import db
from tracker.models import Department, Person, Role

# (e-mail, name, job title, role): printed with the other demo sign-ins.
DEMO_AWARD_ACCOUNTS = [
    ("awards@example.org", "Cora Whitby", "Recognition Programme Lead", Role.AWARD_COORDINATOR),
    ("advisor@example.org", "Pat Fenwick", "Patient and Family Advisor", Role.PFAC),
]
STORIES = [
    "{first} sat with my father through the night on {unit} and explained every step in words we understood.",
    "When my mother was frightened, {first} held her hand and stayed after the end of the shift.",
    "{first} noticed my son was in pain before we did and made sure he was comfortable all week.",
    "Our baby arrived early. {first} taught us how to care for her and never made us feel rushed.",
    "{first} remembered my wife's name, her favourite music and how she takes her tea. It meant the world.",
    "On the worst day of our lives {first} made a quiet room for our family and checked on us every hour.",
]


def build_awards(rng: random.Random, today) -> None:
    hospital = db.session.scalar(sa.select(Department).where(Department.parent_id.is_(None)))
    for email, name, title, role in DEMO_AWARD_ACCOUNTS:
        person = Person(name=name, email=email, job_title=title, department=hospital if role != Role.PFAC else None)
        person.set_roles({role})
        person.set_password(words.DEMO_PASSWORD)
        db.session.add(person)
    db.session.flush()
    programme = programmes.create_programme(
        name="DAISY Award",
        slug="daisy",
        description="The DAISY Award honours extraordinary nurses, nominated by patients, families and colleagues.",
        job_families=["Nursing"],
        honourees_per_cycle=2,
        judges_per_nomination=2,
    )
    programmes.add_criterion(
        programme, name="Compassion", description="Kindness that patients and families felt.", weight=2
    )
    programmes.add_criterion(programme, name="Clinical excellence", description="Skilled, safe, attentive care.")
    programmes.add_criterion(programme, name="Going beyond", description="More than the job asked.", required=False)
    start = today - timedelta(days=20)
    programmes.create_cycle(
        programme,
        name=f"{today.year} Q{(today.month - 1) // 3 + 1}",
        dates={
            "nominating_from": start,
            "judging_from": start + timedelta(days=40),
            "deciding_from": start + timedelta(days=55),
            "announced_on": start + timedelta(days=70),
            "closes_on": start + timedelta(days=90),
        },
    )
    for email, *_ in DEMO_AWARD_ACCOUNTS[1:]:
        committee.add_member(programme, email)
    others = db.session.scalars(
        sa.select(Person.email).where(Person.job_family.notin_(["Nursing", ""]), Person.active.is_(True)).limit(200)
    ).all()
    for email in rng.sample(others, min(2, len(others))):
        committee.add_member(programme, email)
    nurses = db.session.scalars(
        sa.select(Person).where(Person.job_family == "Nursing", Person.active.is_(True)).order_by(Person.id).limit(200)
    ).all()
    for story, nurse in zip(STORIES, rng.sample(nurses, min(len(STORIES), len(nurses))), strict=False):
        nomination = nominations.submit_nomination(
            programme,
            story=story.format(first=nurse.first_name, unit=nurse.department.name if nurse.department else "the unit"),
            nominee=nurse,
            relation=rng.choice(["patient", "family"]),
            consent=True,
        )
        if rng.random() < 0.5:
            blinding.approve(nomination, blinding.suggested_copy(nomination))

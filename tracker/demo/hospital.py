"""The demo hospital: its departments, people and demo accounts, and the clock of its history."""

from __future__ import annotations

import bisect
import itertools
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import current_app

from tracker import bulk, settings
from tracker.demo import words
from tracker.demo.history import build_recognitions
from tracker.demo.patients import build_feedback
from tracker.extensions import db
from tracker.models import Department, Person, Role
from tracker.organisation import create_department
from tracker.roster.applying import PERSON_COLUMNS

UNIT_SIZE = {
    "inpatient": 10,
    "icu": 8,
    "emergency": 9,
    "procedural": 5,
    "clinic": 5,
    "transport": 4,
    "food": 4,
    "evs": 6,
    "security": 3,
    "clerical": 3,
}
# Hour of day (hospital time) at which things happen: mostly the day shift.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 10, 11, 11, 11, 11, 11, 10, 10, 9, 8, 6, 4, 3, 2, 2, 1]
HOUR_CUMULATIVE = list(itertools.accumulate(HOUR_WEIGHTS))
# Tables filled in bulk: their secondary indexes are built once, after the load.
BULK_TABLES = (
    "people",
    "person_roles",
    "recognitions",
    "recognition_recipients",
    "recognition_standards",
    "recognition_behaviors",
    "recognition_replies",
)


DEMO_ACCOUNTS = [
    # (e-mail, name, job title, role, own unit, managed department)
    ("admin@example.org", "Morgan Reyes", "Systems Administrator", Role.ADMIN, "patient-experience", None),
    ("manager@example.org", "Dana Whitfield", "Nurse Director, Medicine", Role.MANAGER, "ellison-12", "medicine"),
    ("advocate@example.org", "Luz Ortega", "Patient Advocate", Role.ADVOCATE, "patient-experience", None),
    # The rest of the patient experience office, so cases have a team to be shared among.
    ("advocate2@example.org", "Marie-Claude Joseph", "Patient Advocate", Role.ADVOCATE, "patient-experience", None),
    ("advocate3@example.org", "Wei Chen", "Patient Relations Specialist", Role.ADVOCATE, "patient-experience", None),
    ("advocate4@example.org", "Tomás Herrera", "Patient Advocate", Role.ADVOCATE, "patient-experience", None),
    ("advocate5@example.org", "Grace Mensah", "Patient Liaison", Role.ADVOCATE, "patient-experience", None),
    ("nurse@example.org", "Sam Okafor", "Registered Nurse", Role.STAFF, "ellison-12", None),
]


@dataclass
class Unit:
    id: int
    slug: str
    kind: str
    people: list[int] = field(default_factory=list)
    first_names: list[str] = field(default_factory=list)
    cum_weights: list[float] = field(default_factory=list)
    manager_id: int | None = None

    def pick(self, rng: random.Random) -> int:
        index = bisect.bisect_left(self.cum_weights, rng.random() * self.cum_weights[-1])
        return min(index, len(self.people) - 1)


class DemoHospital:
    def __init__(self, seed: int, staff: int, recognitions: int):
        self.rng = random.Random(seed)
        self.staff = staff
        self.recognitions = recognitions
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.latest = self.now - timedelta(minutes=5)
        self.connection = db.session.connection()
        self.zone = ZoneInfo(settings.get("timezone"))
        self.units: list[Unit] = []
        self.person_unit: dict[int, Unit] = {}
        self.first_names: dict[int, str] = {}

    def build(self) -> None:
        if self.connection.dialect.name == "sqlite":
            # A larger page cache keeps the tables' pages in memory during the bulk inserts.
            self.connection.exec_driver_sql("PRAGMA cache_size = -262144")
        self.build_departments()
        self.build_demo_accounts()
        with bulk.secondary_indexes_deferred(self.connection, BULK_TABLES):
            self.build_people()
            build_recognitions(self)
        build_feedback(self)
        for table in (
            "departments",
            "people",
            "recognitions",
            "recognition_replies",
            "feedback",
            "cases",
            "case_events",
        ):
            bulk.reset_sequence(self.connection, table)

    # --- organisation -----------------------------------------------------------------------

    def build_departments(self) -> None:
        hospital = create_department("hospital", current_app.config["HOSPITAL_NAME"])
        hospital.patient_facing = False
        for slug, name, units in words.DEPARTMENTS:
            department = create_department(slug, name, hospital)
            department.patient_facing = False
            for unit_slug, unit_name, kind in units:
                unit = create_department(unit_slug, unit_name, department)
                unit.patient_facing = unit_slug not in words.NOT_PATIENT_FACING
                self.units.append(Unit(id=unit.id, slug=unit_slug, kind=kind))
        self.departments = {d.slug: d for d in db.session.scalars(sa.select(Department))}

    def build_demo_accounts(self) -> None:
        for email, name, title, role, unit_slug, managed_slug in DEMO_ACCOUNTS:
            person = Person(
                name=name,
                email=email,
                job_title=title,
                job_family=self.job_family(title),
                department=self.departments[unit_slug],
                managed_departments=[self.departments[managed_slug]] if managed_slug else [],
            )
            person.set_roles({role})
            person.set_password(words.DEMO_PASSWORD)
            db.session.add(person)
        db.session.flush()
        for person in db.session.scalars(sa.select(Person)):
            unit = next(u for u in self.units if u.id == person.department_id)
            self.add_to_unit(unit, person.id, person.first_name, weight=3.0)

    @staticmethod
    def job_family(title: str) -> str:
        for jobs in words.JOBS.values():
            for job_title, family, _weight in jobs:
                if job_title == title:
                    return family
        return "Leadership" if "Director" in title or "Manager" in title else "Clerical"

    def add_to_unit(self, unit: Unit, person_id: int, first_name: str, weight: float) -> None:
        unit.people.append(person_id)
        unit.first_names.append(first_name)
        previous = unit.cum_weights[-1] if unit.cum_weights else 0.0
        unit.cum_weights.append(previous + weight)
        self.person_unit[person_id] = unit
        self.first_names[person_id] = first_name

    def build_people(self) -> None:
        rng = self.rng
        sizes = [UNIT_SIZE[u.kind] for u in self.units]
        first_id = bulk.next_id(self.connection, "people")
        count = max(self.staff - len(DEMO_ACCOUNTS), 0)
        unit_choices = rng.choices(self.units, weights=sizes, k=count)
        # Every unit gets a manager first, so acknowledgements have someone to come from.
        for index, unit in enumerate(self.units[: min(count, len(self.units))]):
            unit_choices[index] = unit
        managers_needed = {u.id for u in self.units}
        people_rows, role_rows, manager_rows = [], [], []
        used_emails: set[str] = set()
        with click.progressbar(length=count, label="People", file=sys.stderr) as bar:
            for offset, unit in enumerate(unit_choices):
                person_id = first_id + offset
                first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
                if unit.id in managers_needed:
                    managers_needed.discard(unit.id)
                    title, family = (
                        ("Nurse Manager" if unit.kind in ("inpatient", "icu", "emergency") else "Manager"),
                        "Leadership",
                    )
                    unit.manager_id = person_id
                    role_rows.append((person_id, "manager"))
                    manager_rows.append((person_id, unit.id))
                else:
                    title, family, _weight = rng.choices(
                        words.JOBS[unit.kind], weights=[j[2] for j in words.JOBS[unit.kind]]
                    )[0]
                email_local = f"{first}.{last}".lower().replace(" ", "-").replace("'", "")
                email = f"{email_local}@example.org"
                if email in used_emails:
                    email = f"{email_local}.{person_id}@example.org"
                used_emails.add(email)
                active = rng.random() > 0.02
                # Recognition is skewed: a few people often, many rarely, some never.
                weight = 0.0 if rng.random() < 0.12 else rng.paretovariate(1.6)
                created = self.now - timedelta(days=rng.randint(800, 4000))
                people_rows.append(
                    (
                        person_id,
                        f"{first} {last}",
                        email,
                        title,
                        family,
                        unit.id,
                        f"E{100000 + person_id}",
                        active,
                        rng.random() > 0.03,
                        rng.random() > 0.1,
                        created,
                        created,
                    )
                )
                role_rows.append((person_id, "staff"))
                if active:
                    self.add_to_unit(unit, person_id, first.split()[0], weight)
                bar.update(1)
        bulk.insert_rows(self.connection, "people", PERSON_COLUMNS, people_rows)
        bulk.insert_rows(self.connection, "person_roles", ("person_id", "role"), role_rows)
        bulk.insert_rows(self.connection, "department_managers", ("person_id", "department_id"), manager_rows)
        demo_manager = db.session.scalar(sa.select(Person).where(Person.email == "manager@example.org"))
        for unit in self.units:
            if unit.manager_id is None:
                unit.manager_id = demo_manager.id
        self.units = [u for u in self.units if u.people and u.cum_weights[-1] > 0]
        self.unit_weights = list(itertools.accumulate(len(u.people) for u in self.units))

    # --- recognitions -----------------------------------------------------------------------

    def happened_at(self, max_days: int = 730) -> datetime:
        """A moment in the last two years, at a realistic hour of the hospital's day."""
        rng = self.rng
        midnight = self.local_midnights[rng.randrange(max_days)]
        hour = bisect.bisect_left(HOUR_CUMULATIVE, rng.random() * HOUR_CUMULATIVE[-1])
        moment = midnight + timedelta(seconds=hour * 3600 + rng.randrange(3600))
        # Later today has not happened yet: the same hour yesterday instead.
        return moment if moment <= self.latest else moment - timedelta(days=1)

    @cached_property
    def local_midnights(self) -> list[datetime]:
        """Midnight in the hospital's time zone, in UTC, for each of the last 730 days."""
        today = self.now.astimezone(self.zone).date()
        days = (today - timedelta(days=offset) for offset in range(730))
        return [datetime(d.year, d.month, d.day, tzinfo=self.zone).astimezone(UTC) for d in days]

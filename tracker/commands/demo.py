"""``flask --app tracker seed-demo``: a believable hospital with two years of history."""

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
from flask.cli import with_appcontext

from tracker import bulk, settings
from tracker.commands import demo_data as words
from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.models import Department, Person, Role, Standard
from tracker.organisation import create_department
from tracker.references import make_reference

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
SOURCE_WEIGHTS = [("peer", 80), ("patient", 15), ("paper_card", 3), ("letter", 1), ("email", 0.6), ("phone", 0.4)]

DEMO_ACCOUNTS = [
    # (e-mail, name, job title, role, own unit, managed department)
    ("admin@example.org", "Morgan Reyes", "Systems Administrator", Role.ADMIN, "patient-experience", None),
    ("manager@example.org", "Dana Whitfield", "Nurse Director, Medicine", Role.MANAGER, "ellison-12", "medicine"),
    ("advocate@example.org", "Luz Ortega", "Patient Advocate", Role.ADVOCATE, "patient-experience", None),
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


def print_demo_logins() -> None:
    click.echo(f"\nDemo sign-ins (password for each: {words.DEMO_PASSWORD}):")
    for email, name, title, role, _unit, _managed in DEMO_ACCOUNTS:
        click.echo(f"  {role.value:<9} {email:<24} {name}, {title}")


@click.command("seed-demo", help="Fill an empty database with a demo hospital.")
@click.option("--staff", default=600, show_default=True, type=click.IntRange(min=4), help="People to create.")
@click.option(
    "--recognitions",
    default=6000,
    show_default=True,
    type=click.IntRange(min=0),
    help="Recognitions over the last two years.",
)
@click.option("--seed", default=42, show_default=True, type=int, help="Random seed: the same seed, the same hospital.")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the sign-ins) when people already exist.")
@with_appcontext
def seed_demo(staff: int, recognitions: int, seed: int, if_empty: bool) -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Person)):
        if if_empty:
            click.echo("The database already holds data; demo data not added.")
            print_demo_logins()
            return
        click.echo("Error: the database already holds people; seed-demo only fills an empty database.", err=True)
        sys.exit(1)
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Standard)):
        click.echo("Error: no standards found; run 'flask --app tracker db upgrade' first.", err=True)
        sys.exit(1)
    started = datetime.now(UTC)
    DemoHospital(seed=seed, staff=staff, recognitions=recognitions).build()
    db.session.commit()
    elapsed = (datetime.now(UTC) - started).total_seconds()
    click.echo(f"Demo hospital ready: {staff} people, {recognitions} recognitions in {elapsed:.1f} s.")
    print_demo_logins()


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
            self.build_recognitions()
        self.build_feedback()
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
        rollup.rebuild()  # the dashboard's roll-ups, filled in one pass after the bulk inserts

    # --- organisation -----------------------------------------------------------------------

    def build_departments(self) -> None:
        hospital = create_department("hospital", current_app.config["HOSPITAL_NAME"])
        for slug, name, units in words.DEPARTMENTS:
            department = create_department(slug, name, hospital)
            for unit_slug, unit_name, kind in units:
                unit = create_department(unit_slug, unit_name, department)
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
        bulk.insert_rows(
            self.connection,
            "people",
            (
                "id",
                "name",
                "email",
                "job_title",
                "job_family",
                "department_id",
                "employee_id",
                "active",
                "show_on_walls",
                "email_notifications",
                "created_at",
                "updated_at",
            ),
            people_rows,
        )
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

    def build_recognitions(self) -> None:
        rng = self.rng
        standards = db.session.scalars(
            sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)
        ).all()
        standard_ids = [s.id for s in standards]
        standard_cumulative = list(itertools.accumulate(max(len(standards) - i, 1) + 1 for i in range(len(standards))))
        behaviors = {s.id: [b.id for b in s.behaviors if b.active] for s in standards}
        sources = [s for s, _ in SOURCE_WEIGHTS]
        source_cumulative = list(itertools.accumulate(w for _, w in SOURCE_WEIGHTS))
        first_id = bulk.next_id(self.connection, "recognitions")
        reply_id = bulk.next_id(self.connection, "recognition_replies")
        chunk = 50_000
        with click.progressbar(length=self.recognitions, label="Recognitions", file=sys.stderr) as bar:
            for start in range(0, self.recognitions, chunk):
                rows, recipients, standard_rows, behavior_rows, replies = [], [], [], [], []
                for offset in range(start, min(start + chunk, self.recognitions)):
                    recognition_id = first_id + offset
                    unit = self.units[bisect.bisect_left(self.unit_weights, rng.random() * self.unit_weights[-1])]
                    source = rng.choices(sources, cum_weights=source_cumulative)[0]
                    created = self.happened_at()
                    team = rng.random() < 0.02
                    chosen: list[int] = []
                    if not team:
                        wanted = 1 if rng.random() < 0.85 else (2 if rng.random() < 0.8 else 3)
                        for _ in range(wanted * 2):
                            candidate = unit.people[unit.pick(rng)]
                            if candidate not in chosen:
                                chosen.append(candidate)
                            if len(chosen) == wanted:
                                break
                    giver_id, giver_name = None, ""
                    if source == "peer":
                        giver_unit = unit if rng.random() < 0.7 else self.units[rng.randrange(len(self.units))]
                        giver_id = giver_unit.people[rng.randrange(len(giver_unit.people))]
                        if giver_id in chosen:  # nobody recognises themself
                            chosen.remove(giver_id)
                            others = [p for p in unit.people if p != giver_id]
                            if not chosen and not team:
                                if not others:
                                    bar.update(1)
                                    continue
                                chosen = [rng.choice(others)]
                        visibility = "public" if rng.random() < 0.8 else "private"
                        templates = words.PEER_STORIES
                    else:
                        giver_name = rng.choice(words.FIRST_NAMES) if rng.random() < 0.6 else ""
                        visibility = "public" if rng.random() < 0.7 else "private"
                        templates = words.PATIENT_STORIES
                    name = self.first_names[chosen[0]] if chosen else unit.slug.replace("-", " ").title()
                    message = rng.choice(templates).format(name=name)
                    acknowledged_at = acknowledged_by = None
                    if chosen and created < self.now - timedelta(days=3) and rng.random() < 0.65:
                        acknowledged_at = min(created + timedelta(days=rng.expovariate(1 / 4)), self.now)
                        acknowledged_by = unit.manager_id
                    rows.append(
                        (
                            recognition_id,
                            created,
                            created,
                            source,
                            "published",
                            visibility,
                            giver_id,
                            giver_name,
                            unit.id,
                            unit.id if team else None,
                            message,
                            acknowledged_by,
                            acknowledged_at,
                            "",
                            "",
                        )
                    )
                    for person_id in chosen:
                        recipients.append((recognition_id, person_id, self.person_unit[person_id].id))
                    count = 1 if rng.random() < 0.6 else (2 if rng.random() < 0.75 else 3)
                    picked = set()
                    for _ in range(count * 3):
                        picked.add(rng.choices(standard_ids, cum_weights=standard_cumulative)[0])
                        if len(picked) == count:
                            break
                    for standard_id in picked:
                        standard_rows.append((recognition_id, standard_id))
                        if behaviors[standard_id] and rng.random() < 0.4:
                            behavior_rows.append((recognition_id, rng.choice(behaviors[standard_id])))
                    if chosen and source == "peer" and rng.random() < 0.1:
                        replies.append(
                            (
                                reply_id,
                                recognition_id,
                                chosen[0],
                                "Thank you so much, this made my week!",
                                min(created + timedelta(hours=rng.randint(1, 72)), self.now),
                            )
                        )
                        reply_id += 1
                    bar.update(1)
                bulk.insert_rows(
                    self.connection,
                    "recognitions",
                    (
                        "id",
                        "created_at",
                        "published_at",
                        "source",
                        "status",
                        "visibility",
                        "giver_id",
                        "giver_name",
                        "department_id",
                        "unit_id",
                        "message",
                        "acknowledged_by_id",
                        "acknowledged_at",
                        "acknowledgement_note",
                        "review_note",
                    ),
                    rows,
                )
                bulk.insert_rows(
                    self.connection,
                    "recognition_recipients",
                    ("recognition_id", "person_id", "department_id"),
                    recipients,
                )
                bulk.insert_rows(
                    self.connection, "recognition_standards", ("recognition_id", "standard_id"), standard_rows
                )
                bulk.insert_rows(
                    self.connection, "recognition_behaviors", ("recognition_id", "behavior_id"), behavior_rows
                )
                bulk.insert_rows(
                    self.connection,
                    "recognition_replies",
                    ("id", "recognition_id", "author_id", "message", "created_at"),
                    replies,
                )

    # --- patient feedback and cases ---------------------------------------------------------

    def written_name(self, first_name: str) -> str:
        """How a patient might write a name: as is, lower-case, a nickname or a typo."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return first_name
        if roll < 0.7:
            return first_name.lower()
        if roll < 0.85 and len(first_name) > 3:
            return first_name[:-1]
        return f"the nurse {first_name}"

    def build_feedback(self) -> None:
        rng = self.rng
        total = min(max(self.recognitions // 100, 24), 3000)
        first_id = bulk.next_id(self.connection, "feedback")
        case_id = bulk.next_id(self.connection, "cases")
        event_id = bulk.next_id(self.connection, "case_events")
        acknowledge_days = settings.get("case_acknowledge_days")
        resolve_days = settings.get("case_resolve_days")
        advocate = db.session.scalar(sa.select(Person).where(Person.email == "advocate@example.org"))
        rows, cases, events = [], [], []
        kinds = rng.choices(["compliment", "suggestion", "concern"], weights=[55, 20, 25], k=total)
        for offset, kind in enumerate(kinds):
            feedback_id = first_id + offset
            unit = self.units[rng.randrange(len(self.units))]
            recent = kind == "compliment" or rng.random() < 0.5
            created = self.happened_at(max_days=12 if recent else 120)
            language = rng.choices(["en", "es", "pt", "ht", "zh_Hans"], weights=[70, 18, 5, 4, 3])[0]
            person_index = unit.pick(rng)
            staff_names = self.written_name(unit.first_names[person_index]) if kind != "suggestion" else ""
            if kind == "compliment":
                message = rng.choice(words.PATIENT_STORIES).format(name=staff_names or "the nurse")
            elif kind == "suggestion":
                message = rng.choice(words.SUGGESTIONS)
            else:
                message = rng.choice(words.CONCERNS)
            wants_contact = kind == "concern" or rng.random() < 0.3
            status = "pending" if kind != "concern" else "converted"
            rows.append(
                (
                    feedback_id,
                    make_reference("FB", rng),
                    created,
                    kind,
                    "patient",
                    status,
                    message,
                    staff_names,
                    unit.id,
                    rng.choice(["patient", "family", "visitor"]),
                    language,
                    rng.random() < 0.8,
                    rng.random() < 0.5,
                    rng.choice(words.FIRST_NAMES) if wants_contact else "",
                    f"family{feedback_id}@example.net" if wants_contact else "",
                    "",
                    "",
                    "",
                    "",
                )
            )
            if kind == "concern":
                opened = created
                case_status = rng.choices(["new", "in_progress", "resolved"], weights=[25, 35, 40])[0]
                acknowledge_by = (opened + timedelta(days=acknowledge_days)).date()
                resolve_by = (opened + timedelta(days=resolve_days)).date()
                resolved_at = None
                resolution = ("", "", "", None)
                if case_status == "resolved":
                    resolved_at = min(opened + timedelta(days=rng.randint(3, 28)), self.now)
                    resolution = (
                        advocate.name,
                        "Reviewed the event with the unit's nurse manager and staff.",
                        "Process changed and an apology given to the family.",
                        resolved_at.date(),
                    )
                acknowledged_at = opened + timedelta(days=rng.randint(0, 5)) if case_status != "new" else None
                cases.append(
                    (
                        case_id,
                        make_reference("CS", rng),
                        feedback_id,
                        unit.id,
                        message,
                        case_status,
                        advocate.id if case_status != "new" else None,
                        opened,
                        acknowledge_by,
                        acknowledged_at,
                        resolve_by,
                        resolved_at,
                        *resolution,
                    )
                )
                events.append((event_id, case_id, opened, None, "opened", "", "new", ""))
                event_id += 1
                if case_status != "new":
                    events.append(
                        (
                            event_id,
                            case_id,
                            acknowledged_at,
                            advocate.id,
                            "status",
                            "new",
                            "in_progress",
                            "Called the family to acknowledge the concern.",
                        )
                    )
                    event_id += 1
                if case_status == "resolved":
                    events.append(
                        (
                            event_id,
                            case_id,
                            resolved_at,
                            advocate.id,
                            "resolved",
                            "in_progress",
                            "resolved",
                            resolution[2],
                        )
                    )
                    event_id += 1
                case_id += 1
        bulk.insert_rows(
            self.connection,
            "feedback",
            (
                "id",
                "reference",
                "created_at",
                "type",
                "source",
                "status",
                "message",
                "staff_names",
                "unit_id",
                "relation",
                "language",
                "consent_to_share",
                "consent_to_wall",
                "contact_name",
                "contact_email",
                "contact_phone",
                "location_text",
                "occurred_when",
                "moderation_note",
            ),
            rows,
        )
        bulk.insert_rows(
            self.connection,
            "cases",
            (
                "id",
                "reference",
                "feedback_id",
                "department_id",
                "summary",
                "status",
                "assignee_id",
                "opened_at",
                "acknowledge_by",
                "acknowledged_at",
                "resolve_by",
                "resolved_at",
                "resolution_contact",
                "resolution_steps",
                "resolution_outcome",
                "resolution_completed_on",
            ),
            cases,
        )
        bulk.insert_rows(
            self.connection,
            "case_events",
            ("id", "case_id", "created_at", "actor_id", "kind", "from_status", "to_status", "note"),
            events,
        )

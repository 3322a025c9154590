"""Survey import benchmark: a 10,000-comment vendor export checked and imported, then imported again.

Seeds a hospital of ``BENCH_UNITS`` units with ``BENCH_PEOPLE_PER_UNIT`` people each (reused when
the database already holds them), writes a CSV export of ``BENCH_COMMENTS`` comments naming those
people as patients do (first names, "Dr." and a surname, "nurse Maria", several people, nobody,
now and then a room or record number for the guard to find), and times the dry run, the import
with the guard and the matching, and a second import of the same file (which must add nothing).
The target is 30 s for the import.

    DATABASE_URL=sqlite:////tmp/survey-bench.db .venv/bin/python bench/surveys.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/survey_bench .venv/bin/python bench/surveys.py
"""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import subprocess
import sys
import time

import sqlalchemy as sa
from faker import Faker

from tracker import create_app
from tracker.extensions import db
from tracker.models import Department, Person, SurveyComment, SurveyMapping, SurveyUnitCode
from tracker.surveys import importing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", "10000"))
UNITS = int(os.environ.get("BENCH_UNITS", "40"))
PER_UNIT = int(os.environ.get("BENCH_PEOPLE_PER_UNIT", "60"))
TARGET_SECONDS = 30
JOBS = ["Registered Nurse"] * 5 + ["Physician", "Patient Care Assistant", "Resident Physician", "Unit Secretary"]
PRAISE = [
    "{a} was wonderful from the moment we arrived.",
    "I want to thank {a} and {b} for taking such good care of my mother in room 412.",
    "{a} explained everything and never made us feel rushed. The food was cold though.",
    "Special thanks to {a}, who checked on me every hour, and to {b}.",
    "The discharge was confusing and we waited three hours, but {a} went over every medication with us.",
    "Everyone was kind. My father's MRN is 48213377 if you need it. {a} was the best.",
    "{a}, {b} and {c} were all outstanding.",
]
PLAIN = [
    "The room was noisy and nobody answered the call light for a long time.",
    "Great care from the whole team. Thank you all.",
    "Parking was expensive and hard to find.",
]


def flask(*arguments: str) -> None:
    command = [sys.executable, "-m", "flask", "--app", "tracker", *arguments]
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, "FLASK_DEBUG": "1"}, stdout=subprocess.DEVNULL)


def seed() -> dict[str, list[tuple[str, str]]]:
    """Units and their people, created once; returns each unit code's (name, job title) pairs."""
    fake = Faker()
    fake.seed_instance(20)
    if db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0:
        root = Department(slug="bench-hospital", name="Bench Hospital")
        db.session.add(root)
        db.session.flush()
        root.refresh_path()
        for number in range(UNITS):
            unit = Department(slug=f"bench-unit-{number}", name=f"Unit {number}", parent=root)
            db.session.add(unit)
            db.session.flush()
            unit.refresh_path()
            for person in range(PER_UNIT):
                db.session.add(
                    Person(
                        name=fake.name(),
                        email=f"bench{number}-{person}@example.org",
                        job_title=random.Random(number * 1000 + person).choice(JOBS),
                        department_id=unit.id,
                    )
                )
        db.session.commit()
    mapping = db.session.scalar(sa.select(SurveyMapping).where(SurveyMapping.name == "Bench vendor"))
    if mapping is None:
        mapping = SurveyMapping(
            name="Bench vendor", text_column="Comment", unit_column="Unit", date_column="Discharge Date",
            survey_id_column="Survey ID", question_id_column="Question ID", valence_column="",
        )  # fmt: skip
        db.session.add(mapping)
        units = db.session.scalars(sa.select(Department).where(Department.slug.like("bench-unit-%"))).all()
        mapping.unit_codes = [SurveyUnitCode(code=f"U{unit.slug.rsplit('-', 1)[1]}", department=unit) for unit in units]
        db.session.commit()
    people: dict[str, list[tuple[str, str]]] = {}
    rows = db.session.execute(
        sa.select(Department.slug, Person.name, Person.job_title).join(Person, Person.department_id == Department.id)
    )
    for slug, name, job in rows:
        if slug.startswith("bench-unit-"):
            people.setdefault(f"U{slug.rsplit('-', 1)[1]}", []).append((name, job))
    return people


def written(name: str, job: str, rng: random.Random) -> str:
    first, last = name.split()[0], name.split()[-1]
    if "Physician" in job and rng.random() < 0.7:
        return f"Dr. {last}"
    if "Nurse" in job and rng.random() < 0.4:
        return f"nurse {first}"
    return first if rng.random() < 0.8 else name


def export(people: dict[str, list[tuple[str, str]]]) -> bytes:
    rng = random.Random(10_000)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Survey ID", "Question ID", "Unit", "Discharge Date", "Comment"])
    codes = sorted(people)
    for number in range(COMMENTS):
        code = rng.choice(codes)
        if rng.random() < 0.15:
            text = rng.choice(PLAIN)
        else:
            named = [written(name, job, rng) for name, job in rng.sample(people[code], 3)]
            text = rng.choice(PRAISE).format(a=named[0], b=named[1], c=named[2])
        writer.writerow([f"S{number:06d}", "Q1", code, f"2026-11-{1 + number % 28:02d}", text])
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    flask("db", "upgrade")
    app = create_app()
    with app.app_context():
        dialect = db.engine.dialect.name
        people = seed()
        db.session.execute(sa.delete(SurveyComment))
        db.session.commit()
        content = export(people)
        mapping = db.session.scalar(sa.select(SurveyMapping).where(SurveyMapping.name == "Bench vendor"))
        print(f"{dialect}: {COMMENTS:,} comments ({len(content) / 1e6:.1f} MB), {UNITS * PER_UNIT:,} people")

        started = time.perf_counter()
        plan = importing.plan_import(content, "bench.csv", mapping)
        checked = time.perf_counter() - started
        assert plan.ok, plan.errors[:5]
        started = time.perf_counter()
        plan = importing.plan_import(content, "bench.csv", mapping)
        added = importing.apply_plan(plan, None).comments_added
        db.session.commit()
        imported = time.perf_counter() - started
        matched = db.session.scalar(sa.select(sa.func.count()).where(SurveyComment.matched.is_(True)))
        flagged = db.session.scalar(sa.select(sa.func.count()).where(SurveyComment.health_information_found))

        started = time.perf_counter()
        again = importing.plan_import(content, "bench.csv", mapping)
        added_again = 0 if importing.apply_plan(again, None) is None else len(again.new)
        db.session.commit()
        repeated = time.perf_counter() - started
        total = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyComment))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  dry run (read and check every row): {checked:.1f} s")
    verdict = "within" if imported <= TARGET_SECONDS else "OVER"
    print(
        f"  import (check again, guard, matching, write): {imported:.1f} s, {verdict} the {TARGET_SECONDS} s target; "
        f"{added:,} added, {matched:,} with staff found, {flagged:,} with health information"
    )
    print(f"  second import of the same file: {repeated:.1f} s, {added_again} added, {total:,} stored")
    print(f"  peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()

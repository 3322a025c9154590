"""Patient compliments, suggestions and concerns for the demo hospital, with the cases concerns became."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from tracker import bulk, settings
from tracker.demo import stories, words
from tracker.extensions import db
from tracker.models import Person
from tracker.references import make_reference

if TYPE_CHECKING:
    from tracker.demo.hospital import DemoHospital


def written_name(hospital: DemoHospital, first_name: str) -> str:
    """How a patient might write a name: as is, lower-case, a nickname or a typo."""
    rng = hospital.rng
    roll = rng.random()
    if roll < 0.5:
        return first_name
    if roll < 0.7:
        return first_name.lower()
    if roll < 0.85 and len(first_name) > 3:
        return first_name[:-1]
    return f"the nurse {first_name}"


def build_feedback(hospital: DemoHospital) -> None:
    rng = hospital.rng
    total = min(max(hospital.recognitions // 100, 24), 3000)
    first_id = bulk.next_id(hospital.connection, "feedback")
    case_id = bulk.next_id(hospital.connection, "cases")
    event_id = bulk.next_id(hospital.connection, "case_events")
    acknowledge_days = settings.get("case_acknowledge_days")
    resolve_days = settings.get("case_resolve_days")
    advocate = db.session.scalar(sa.select(Person).where(Person.email == "advocate@example.org"))
    rows, cases, events = [], [], []
    kinds = rng.choices(["compliment", "suggestion", "concern"], weights=[55, 20, 25], k=total)
    places = [unit for unit in hospital.units if unit.slug not in words.NOT_PATIENT_FACING]  # where patients go
    for offset, kind in enumerate(kinds):
        feedback_id = first_id + offset
        unit = places[rng.randrange(len(places))]
        recent = kind == "compliment" or rng.random() < 0.5
        created = hospital.happened_at(max_days=12 if recent else 120)
        person_index = unit.pick(rng)
        staff_names = written_name(hospital, unit.first_names[person_index]) if kind != "suggestion" else ""
        if kind == "compliment":
            template = rng.choice(stories.PATIENT_STORIES)
        elif kind == "suggestion":
            template = rng.choice(stories.SUGGESTIONS)
        else:
            template = rng.choice(stories.CONCERNS)
        message = template.format(name=staff_names or "the nurse")
        language = stories.MESSAGE_LANGUAGES.get(template, "en")
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
                resolved_at = min(opened + timedelta(days=rng.randint(3, 28)), hospital.now)
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
        hospital.connection,
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
        hospital.connection,
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
        hospital.connection,
        "case_events",
        ("id", "case_id", "created_at", "actor_id", "kind", "from_status", "to_status", "note"),
        events,
    )

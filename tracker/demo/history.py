"""Two years of recognitions for the demo hospital, written in bulk."""

from __future__ import annotations

import bisect
import itertools
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa

from tracker import bulk
from tracker.demo import stories, words
from tracker.extensions import db
from tracker.models import Standard

if TYPE_CHECKING:
    from tracker.demo.hospital import DemoHospital

SOURCE_WEIGHTS = [("peer", 80), ("patient", 15), ("paper_card", 3), ("letter", 1), ("email", 0.6), ("phone", 0.4)]


def build_recognitions(hospital: DemoHospital) -> None:
    rng = hospital.rng
    standards = db.session.scalars(
        sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)
    ).all()
    standard_ids = [s.id for s in standards]
    standard_cumulative = list(itertools.accumulate(max(len(standards) - i, 1) + 1 for i in range(len(standards))))
    behaviors = {s.id: [b.id for b in s.behaviors if b.active] for s in standards}
    sources = [s for s, _ in SOURCE_WEIGHTS]
    source_cumulative = list(itertools.accumulate(w for _, w in SOURCE_WEIGHTS))
    first_id = bulk.next_id(hospital.connection, "recognitions")
    reply_id = bulk.next_id(hospital.connection, "recognition_replies")
    chunk = 50_000
    with click.progressbar(length=hospital.recognitions, label="Recognitions", file=sys.stderr) as bar:
        for start in range(0, hospital.recognitions, chunk):
            rows, recipients, standard_rows, behavior_rows, replies = [], [], [], [], []
            for offset in range(start, min(start + chunk, hospital.recognitions)):
                recognition_id = first_id + offset
                unit = hospital.units[
                    bisect.bisect_left(hospital.unit_weights, rng.random() * hospital.unit_weights[-1])
                ]
                source = rng.choices(sources, cum_weights=source_cumulative)[0]
                created = hospital.happened_at()
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
                    giver_unit = unit if rng.random() < 0.7 else hospital.units[rng.randrange(len(hospital.units))]
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
                    templates = stories.PEER_STORIES
                else:
                    giver_name = rng.choice(words.FIRST_NAMES) if rng.random() < 0.6 else ""
                    visibility = "public" if rng.random() < 0.7 else "private"
                    templates = stories.PATIENT_STORIES
                name = hospital.first_names[chosen[0]] if chosen else unit.slug.replace("-", " ").title()
                message = rng.choice(templates).format(name=name)
                acknowledged_at = acknowledged_by = None
                if chosen and created < hospital.now - timedelta(days=3) and rng.random() < 0.65:
                    acknowledged_at = min(created + timedelta(days=rng.expovariate(1 / 4)), hospital.now)
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
                    recipients.append((recognition_id, person_id, hospital.person_unit[person_id].id))
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
                            min(created + timedelta(hours=rng.randint(1, 72)), hospital.now),
                        )
                    )
                    reply_id += 1
                bar.update(1)
            bulk.insert_rows(
                hospital.connection,
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
                hospital.connection,
                "recognition_recipients",
                ("recognition_id", "person_id", "department_id"),
                recipients,
            )
            bulk.insert_rows(
                hospital.connection, "recognition_standards", ("recognition_id", "standard_id"), standard_rows
            )
            bulk.insert_rows(
                hospital.connection, "recognition_behaviors", ("recognition_id", "behavior_id"), behavior_rows
            )
            bulk.insert_rows(
                hospital.connection,
                "recognition_replies",
                ("id", "recognition_id", "author_id", "message", "created_at"),
                replies,
            )

"""How well staff named inside survey comments are found, on a labelled set of comments.

``data/labelled_comments.csv`` holds 330 comments as patients write them: first names, "Dr." and a
surname, roles before the name ("nurse Kevin", "security guard brian"), nicknames ("Bill", "Jen",
"Lupe"), misspellings ("Mariah", "Micheal", "Patell"), names without their accents, two or three
people in one comment, and comments naming nobody. ``expected`` lists the roster keys of the people
each comment names; ``data/labelled_roster.csv`` is the hospital they are matched against, with
namesakes on other units (three Marias, two Kevins, two Nguyens).

A named person counts as *found* when one of the comment's mentions ranks them among its plausible
people, and as *first* when that mention ranks them first. Both are printed.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.factories import DepartmentFactory, PersonFactory
from tracker.surveys import importing

DATA = Path(__file__).parent / "data"
RECALL = 0.90
RIGHT_FIRST = 0.90


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_staff_named_in_comments_are_found_and_ranked_first(hospital):
    units = {}
    people = {}
    for row in _rows("labelled_roster.csv"):
        if row["unit"] not in units:
            units[row["unit"]] = DepartmentFactory(
                slug=f"labelled-{row['unit']}", name=row["unit_name"], parent=hospital["medicine"]
            )
        people[row["key"]] = PersonFactory(
            name=row["name"], job_title=row["job_title"], department=units[row["unit"]]
        ).id
    finder = importing.finder()

    expected_total = found = first = mentions = stray = 0
    missed: list[str] = []
    for row in _rows("labelled_comments.csv"):
        expected = {people[key] for key in row["expected"].split("|") if key}
        found_mentions = finder.find(row["text"], units[row["unit"]].id)
        mentions += len(found_mentions)
        stray += sum(1 for m in found_mentions if m.person_id not in expected)
        for person_id in expected:
            expected_total += 1
            ranking = next((m.ranked for m in found_mentions if person_id in m.ranked), None)
            if ranking is None:
                missed.append(f"{row['comment_id']}: {row['text']}")
                continue
            found += 1
            first += ranking[0] == person_id

    recall, right_first = found / expected_total, first / found
    precision = (mentions - stray) / mentions
    print(
        f"\nsurvey mentions: {expected_total} named people in 330 comments; found {found} "
        f"(recall {recall:.1%}), right person first {first} ({right_first:.1%} of those found); "
        f"{mentions} mentions, {stray} not among the labelled people (precision {precision:.1%})"
    )
    for line in missed[:15]:
        print("  missed", line)
    assert recall >= RECALL
    assert right_first >= RIGHT_FIRST

"""The staff matcher: a table of realistic references, and accuracy on a 2,000-person roster."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import DepartmentFactory, PersonFactory
from tracker.matching import Candidate, name_tokens, rank, split_references, suggest_staff

ROSTER = [
    Candidate(1, "Maria Lopez", 10, "/1/2/10/"),
    Candidate(2, "Mario Rossi", 11, "/1/2/11/"),
    Candidate(3, "John Smith", 10, "/1/2/10/"),
    Candidate(4, "Jonathan Price", 20, "/1/3/20/"),
    Candidate(5, "William Chen", 10, "/1/2/10/"),
    Candidate(6, "Catherine O'Neill", 10, "/1/2/10/"),
    Candidate(7, "Christopher Adeyemi", 11, "/1/2/11/"),
    Candidate(8, "Elizabeth Nguyen", 20, "/1/3/20/"),
    Candidate(9, "Maria Santos", 20, "/1/3/20/"),
]
UNIT_10 = SimpleNamespace(id=10, path="/1/2/10/", parent=SimpleNamespace(path="/1/2/", parent=SimpleNamespace()))


@pytest.mark.parametrize(
    ("reference", "expected_first"),
    [
        ("Maria", 1),  # same first name elsewhere: the unit's Maria first
        ("Mari", 1),  # shortened
        ("Marai", 1),  # misspelt
        ("Jon", 3),  # nickname of John
        ("Johnny", 3),
        ("Bill", 5),  # nickname of William
        ("Katherine", 6),  # spelt differently
        ("Kathy O'Neil", 6),
        ("Chris", 7),
        ("Dr. Smithe", 3),  # surname after a title, misspelt
        ("Nurse Liz Nguyen", 8),
        ("maria santos", 9),  # full name beats the unit preference
    ],
)
def test_the_right_person_comes_first(reference, expected_first):
    suggestions = rank(reference, ROSTER, UNIT_10).suggestions
    assert suggestions, reference
    assert suggestions[0].person_id == expected_first
    assert 0 < suggestions[0].confidence <= 100


@pytest.mark.parametrize(
    "reference", ["the night nurse with glasses", "the tall doctor", "everyone on the unit", "don't know her name"]
)
def test_descriptions_get_no_forced_match(reference):
    assert name_tokens(reference) == []
    match = rank(reference, ROSTER, UNIT_10)
    assert match.preselected is None
    assert match.suggestions == []  # the roster here has no job titles to go by


def test_references_are_split_on_commas_and_and():
    assert split_references("Maria and Dr. Jon, the night nurse with glasses") == [
        "Maria",
        "Dr. Jon",
        "the night nurse with glasses",
    ]


def test_suggestions_read_the_roster_and_prefer_the_unit(hospital):
    near = PersonFactory(name="Maria Lopez", department=hospital["ellison-12"])
    far = PersonFactory(name="Maria Lopes", department=hospital["white-6"])
    PersonFactory(name="Maria Lopez", department=hospital["ellison-14"], active=False)

    [(reference, suggestions, preselected)] = suggest_staff("Mari Lopez", hospital["ellison-12"])

    assert reference == "Mari Lopez"
    assert [s.person_id for s in suggestions] == [near.id, far.id]
    assert [s.place for s in suggestions] == ["unit", "hospital"]
    assert preselected == near.id


def test_an_inactive_roster_is_not_suggested(hospital):
    PersonFactory(name="Maria Lopez", department=DepartmentFactory(parent=hospital["medicine"]), active=False)
    [(_, suggestions, preselected)] = suggest_staff("Maria", hospital["ellison-12"])
    assert suggestions == []
    assert preselected is None

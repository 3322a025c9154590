"""The staff matcher: a table of realistic references, and accuracy on a 2,000-person roster."""

from __future__ import annotations

import random
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
    suggestions = rank(reference, ROSTER, UNIT_10)
    assert suggestions, reference
    assert suggestions[0].person_id == expected_first
    assert 0 < suggestions[0].confidence <= 100


@pytest.mark.parametrize(
    "reference", ["the night nurse with glasses", "the tall doctor", "everyone on the unit", "don't know her name"]
)
def test_descriptions_get_no_forced_match(reference):
    assert name_tokens(reference) == []
    assert rank(reference, ROSTER, UNIT_10) == []


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

    [(reference, suggestions)] = suggest_staff("Mari Lopez", hospital["ellison-12"])

    assert reference == "Mari Lopez"
    assert [s.person_id for s in suggestions] == [near.id, far.id]


# --- accuracy on a synthetic roster -----------------------------------------------------------

FIRST_NAMES = {
    "William": ["Bill", "Will", "Billy", "Wiliam"],
    "Elizabeth": ["Liz", "Beth", "Elisabeth", "Lizzie"],
    "Robert": ["Bob", "Rob", "Bobby", "Robbert"],
    "Katherine": ["Kate", "Kathy", "Katie", "Catherine"],
    "Michael": ["Mike", "Micheal", "Mikey"],
    "Jennifer": ["Jen", "Jenny", "Jenifer"],
    "Christopher": ["Chris", "Christoper"],
    "Margaret": ["Maggie", "Peggy", "Margret"],
    "Richard": ["Rick", "Dick", "Richie", "Richad"],
    "Patricia": ["Pat", "Patty", "Trish", "Patrica"],
    "Joseph": ["Joe", "Joey", "Josef"],
    "Deborah": ["Debbie", "Deb", "Debra"],
    "Anthony": ["Tony", "Antony"],
    "Rebecca": ["Becky", "Becca", "Rebeca"],
    "Daniel": ["Dan", "Danny", "Danial"],
    "Susan": ["Sue", "Susie", "Suzan"],
    "Thomas": ["Tom", "Tommy", "Tomas"],
    "Alexandra": ["Alex", "Sandra", "Alexandria"],
    "Matthew": ["Matt", "Mathew"],
    "Jessica": ["Jess", "Jessie", "Jesica"],
    "Maria": ["Mari", "Marai", "Mariah"],
    "John": ["Jon", "Johnny", "Jack"],
    "Jose": ["Joe", "Pepe", "Josee"],
    "Nguyen": ["Ngyuen"],
    "Oluwaseun": ["Seun", "Oluwasen"],
    "Priya": ["Pria", "Priyah"],
    "Fatima": ["Fatma", "Fatimah"],
    "Wei": ["Wey"],
    "Guadalupe": ["Lupe", "Lupita", "Guadelupe"],
    "Francisco": ["Frank", "Paco", "Fransisco"],
    "Samuel": ["Sam", "Sammy", "Samual"],
    "Nicholas": ["Nick", "Nico", "Nicolas"],
    "Benjamin": ["Ben", "Benji", "Benjamen"],
    "Victoria": ["Vicky", "Tori", "Victora"],
    "Edward": ["Ed", "Eddie", "Ted", "Edwrd"],
    "Theresa": ["Terry", "Tess", "Teresa"],
    "Gabriel": ["Gabe", "Gabrial"],
    "Stephanie": ["Steph", "Stefanie"],
    "Kwame": ["Kwamé", "Kwam"],
    "Aisha": ["Aysha", "Aishah"],
}
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Okafor",
    "Adeyemi", "Patel", "Shah", "Chen", "Wang", "Li", "Zhang", "Kim", "Park", "Silva", "Santos", "Pierre",
    "Jean-Baptiste", "Murphy", "O'Brien", "Kelly", "Sullivan", "Kowalski", "Novak", "Haddad", "Mensah",
]  # fmt: skip


def _misspell(word: str, rng: random.Random) -> str:
    """One typing slip: a dropped, doubled or swapped letter."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    slip = rng.choice(["drop", "double", "swap"])
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    if slip == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _synthetic_roster(rng: random.Random, size: int = 2000, units: int = 40):
    people = []
    for person_id in range(1, size + 1):
        first = rng.choice(list(FIRST_NAMES))
        last = rng.choice(LAST_NAMES)
        unit = rng.randrange(units)
        department = unit // 8
        people.append(Candidate(person_id, f"{first} {last}", 100 + unit, f"/1/{department + 2}/{100 + unit}/"))
    return people


def _reference_for(person: Candidate, unit_people: list[Candidate], rng: random.Random) -> str:
    """How a patient might write this person's name: enough to tell them apart on their unit."""
    first, last = person.name.split(" ", 1)
    shares_first = sum(1 for other in unit_people if other.name.split(" ", 1)[0] == first) > 1
    written_first = rng.choice([first, rng.choice(FIRST_NAMES[first]), _misspell(first, rng)])
    written_last = rng.choice([last, last, _misspell(last, rng)])
    style = rng.choice(["first", "first", "full", "title"])
    if shares_first or style == "full":
        return f"{written_first} {written_last}"
    if style == "title":
        return (
            f"{rng.choice(['Dr.', 'Nurse'])} {written_last}"
            if not _shares_last(person, unit_people)
            else (f"{written_first} {written_last}")
        )
    return f"the nurse {written_first}" if rng.random() < 0.3 else written_first


def _shares_last(person: Candidate, unit_people: list[Candidate]) -> bool:
    last = person.name.split(" ", 1)[1]
    return sum(1 for other in unit_people if other.name.split(" ", 1)[1] == last) > 1


def test_matcher_accuracy_on_a_2000_person_roster():
    rng = random.Random(20240611)
    people = _synthetic_roster(rng)
    by_unit: dict[int, list[Candidate]] = {}
    for person in people:
        by_unit.setdefault(person.department_id, []).append(person)

    cases = correct = 0
    for person in rng.sample(people, 500):
        unit_people = by_unit[person.department_id]
        if sum(1 for other in unit_people if other.name == person.name) > 1:
            continue  # namesakes on one unit cannot be told apart by a name: such a reference names nobody
        cases += 1
        reference = _reference_for(person, unit_people, rng)
        unit = SimpleNamespace(
            id=person.department_id,
            path=person.department_path,
            parent=SimpleNamespace(path=person.department_path.rsplit("/", 2)[0] + "/", parent=SimpleNamespace()),
        )
        suggestions = rank(reference, people, unit)
        correct += bool(suggestions) and suggestions[0].person_id == person.person_id
    accuracy = correct / cases
    print(f"\nmatcher: right person first for {correct} of {cases} references ({accuracy:.1%}) on 2,000 people")
    assert accuracy >= 0.90


def test_an_inactive_roster_is_not_suggested(hospital):
    PersonFactory(name="Maria Lopez", department=DepartmentFactory(parent=hospital["medicine"]), active=False)
    [(_, suggestions)] = suggest_staff("Maria", hospital["ellison-12"])
    assert suggestions == []

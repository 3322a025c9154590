"""A labelled set of written staff references on a synthetic 5,000-person roster, built deterministically.

Each reference is written from a known person the way patients write names (nicknames, typing slips,
missing accents, first name only, "Dr. Patel", the wrong unit, descriptions), and labelled from what
the roster says, never from what the matcher answers:

- ``expected``: the person a careful reader of the roster would say the patient meant, or ``None``
  when the words cannot tell (a first name two people of the unit share, namesakes, a description);
- ``unit_has_plausible``: the named unit has someone with the written first name (or its nickname
  family) or surname, so a person from elsewhere must not be pre-selected.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import SimpleNamespace

from nicknames import NickNamer

from tracker.matching import Candidate, fold

SEED = 14_2026
PEOPLE = 5_000
DEPARTMENTS = ["Medicine", "Surgery", "Women and Children", "Cancer Center", "Heart Center", "Neuroscience",
               "Emergency", "Support Services"]  # fmt: skip
UNITS_PER_DEPARTMENT = 8

# First names with the nicknames and variants people write for them, and how common each is.
FIRST_NAMES: dict[str, list[str]] = {
    "William": ["Bill", "Will", "Billy"], "Elizabeth": ["Liz", "Beth", "Lizzie"], "Robert": ["Bob", "Rob", "Bobby"],
    "Katherine": ["Kate", "Kathy", "Katie"], "Michael": ["Mike", "Mikey"], "Jennifer": ["Jen", "Jenny"],
    "Christopher": ["Chris"], "Margaret": ["Maggie", "Peggy"], "Richard": ["Rick", "Rich"], "Patricia": ["Pat",
    "Patty", "Trish"], "Joseph": ["Joe", "Joey"], "Deborah": ["Debbie", "Deb"], "Anthony": ["Tony"],
    "Rebecca": ["Becky", "Becca"], "Daniel": ["Dan", "Danny"], "Susan": ["Sue", "Susie"], "Thomas": ["Tom",
    "Tommy"], "Matthew": ["Matt"], "Jessica": ["Jess"], "Samuel": ["Sam"], "Nicholas": ["Nick"], "Benjamin": ["Ben"],
    "Victoria": ["Vicky", "Tori"], "Edward": ["Ed", "Eddie", "Ted"], "Gabriel": ["Gabe"], "Stephanie": ["Steph"],
    "Nancy": ["Nan"], "Maria": [], "Marie": [], "Sarah": [], "Linda": [], "Karen": [], "David": ["Dave"],
    "James": ["Jim", "Jimmy"], "Mary": [], "Barbara": ["Barb"], "Lisa": [], "Kevin": [], "Brian": [],
    "José": ["Jose", "Pepe"], "João": ["Joao"], "Inês": ["Ines"], "Zoë": ["Zoe"], "Chloé": ["Chloe"],
    "François": ["Francois"], "Renée": ["Renee"], "Héctor": ["Hector"], "Andrés": ["Andres"], "Lucía": ["Lucia"],
    "Oluwaseun": ["Seun"], "Priya": [], "Fatima": [], "Wei": [], "Guadalupe": ["Lupe"], "Kwame": [], "Aisha": [],
    "Mei": [], "Jean-Pierre": ["Jean Pierre"], "Nadège": ["Nadege"], "Wadson": [], "Yves": [], "Xiaoling": [],
    "Siobhan": [], "Thanh": [], "Rohan": [], "Tatiana": ["Tanya"], "Yesenia": [], "Darnell": [], "Keisha": [],
}  # fmt: skip
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Okafor",
    "Adeyemi", "Patel", "Shah", "Chen", "Wang", "Li", "Zhang", "Kim", "Park", "Silva", "Santos", "Pierre",
    "Jean-Baptiste", "Murphy", "O'Brien", "Kelly", "Sullivan", "Kowalski", "Novak", "Haddad", "Mensah",
    "Peña", "Muñoz", "Gonçalves", "Conceição", "Núñez", "Lefèvre", "Désir", "Étienne", "Ibáñez", "Álvarez",
    "Fitzgerald", "Nakamura", "Okonkwo", "Abernathy", "Castellanos", "Delacroix", "Hutchinson", "Lindqvist",
    "Mbeki", "Papadopoulos", "Rosenberg", "Vasquez", "Whitaker", "Yamamoto", "Zielinski", "Oyelaran",
]  # fmt: skip
JOBS = [("Registered Nurse", 40), ("Patient Care Assistant", 12), ("Physician", 12), ("Resident Physician", 6),
        ("Respiratory Therapist", 4), ("Physical Therapist", 4), ("Unit Secretary", 5), ("Transporter", 4),
        ("Environmental Services Associate", 5), ("Pharmacist", 3), ("Radiology Technologist", 3),
        ("Social Worker", 2)]  # fmt: skip
DESCRIPTIONS = [
    ("the night nurse with glasses", "Nurse"), ("the tall doctor", "Physician"), ("la enfermera de la noche", "Nurse"),
    ("the young nurse on the day shift", "Nurse"), ("o enfermeiro alto", "Nurse"), ("the lady from transport", "Tr"),
    ("everyone on the unit", ""), ("don't know her name", ""), ("the doctor with the beard", "Physician"),
    ("enfimyè a ki te la aswè a", "Nurse"), ("那位戴眼镜的护士", "Nurse"), ("the kind aide", "Assistant"),
]  # fmt: skip

_nick = NickNamer()


@dataclass(frozen=True)
class LabelledReference:
    reference: str
    unit_id: int
    expected: int | None
    category: str
    unit_has_plausible: bool
    target: int | None = None  # whom the reference was written from (None for a description)


def _family(first: str) -> frozenset[str]:
    """Everything a reader would accept as this first name: itself, accent-free, its listed nicknames."""
    base = fold(first)
    names = {base, *(fold(n) for n in FIRST_NAMES.get(first, []))}
    names |= set(_nick.nicknames_of(base)) & {fold(n) for n in FIRST_NAMES.get(first, [])}
    return frozenset(names)


def _slip(word: str, rng: random.Random) -> str:
    """One typing slip: a dropped, doubled or swapped letter (never on very short words)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["drop", "double", "swap"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def build_roster(rng: random.Random) -> tuple[list[Candidate], dict[int, SimpleNamespace]]:
    """5,000 people over 64 units in 8 departments; common names are common, so namesakes occur."""
    units: dict[int, SimpleNamespace] = {}
    root = SimpleNamespace(id=1, path="/1/", parent=None)
    unit_id = 100
    for d, department in enumerate(DEPARTMENTS):
        parent = SimpleNamespace(id=10 + d, path=f"/1/{10 + d}/", parent=root, name=department)
        for u in range(UNITS_PER_DEPARTMENT):
            units[unit_id] = SimpleNamespace(
                id=unit_id, path=f"{parent.path}{unit_id}/", parent=parent, name=f"{department} {u + 1}"
            )
            unit_id += 1
    first_names = list(FIRST_NAMES)
    first_weights = [1 / (1 + i * 0.05) for i in range(len(first_names))]
    last_weights = [1 / (1 + i * 0.04) for i in range(len(LAST_NAMES))]
    jobs, job_weights = zip(*JOBS, strict=True)
    unit_ids = list(units)
    people: list[Candidate] = []

    def add(name: str, unit: int, job: str) -> None:
        u = units[unit]
        people.append(Candidate(len(people) + 1, name, unit, u.path, job, u.name))

    # The cases that went wrong on the demo hospital, planted on purpose.
    add("Marie Baker", 100, "Registered Nurse")
    add("Marie Hill", 100, "Registered Nurse")
    add("Maria King", 111, "Registered Nurse")
    for last in ("Baker", "Okafor", "Silva", "Nguyen", "Kowalski"):
        add(f"Nancy {last}", 101, "Registered Nurse")
    add("Anil Patel", 102, "Physician")
    add("Rupa Patel", 120, "Physician")
    while len(people) < PEOPLE:
        first = rng.choices(first_names, first_weights)[0]
        last = rng.choices(LAST_NAMES, last_weights)[0]
        add(f"{first} {last}", rng.choice(unit_ids), rng.choices(jobs, job_weights)[0])
    return people, units


def _split(person: Candidate) -> tuple[str, str]:
    for first in sorted(FIRST_NAMES, key=len, reverse=True):
        if person.name.startswith(first + " "):
            return first, person.name[len(first) + 1 :]
    first, last = person.name.split(" ", 1)
    return first, last


def build_cases(seed: int = SEED) -> tuple[list[Candidate], dict, list[LabelledReference]]:
    rng = random.Random(seed)
    people, units = build_roster(rng)
    by_unit: dict[int, list[Candidate]] = {}
    for person in people:
        by_unit.setdefault(person.department_id, []).append(person)

    def first_holders(unit: int, family: frozenset[str]) -> list[Candidate]:
        return [p for p in by_unit.get(unit, []) if fold(_split(p)[0]) in family or _family(_split(p)[0]) & family]

    def last_holders(unit: int, last: str) -> list[Candidate]:
        return [p for p in by_unit.get(unit, []) if fold(_split(p)[1]) == fold(last)]

    cases: list[LabelledReference] = []

    def label(reference, unit, target, category, family=frozenset(), last=None):
        firsts = first_holders(unit, family) if family else []
        lasts = last_holders(unit, last) if last else []
        if family and last:  # a full name: do several people of the unit carry both?
            same = [p for p in firsts if p in lasts]
            expected = target.person_id if len(same) <= 1 or target.department_id != unit else None
            plausible = bool(firsts or lasts)
        elif family:
            expected = target.person_id if len(firsts) == 1 and target.department_id == unit else None
            plausible = bool(firsts)
        else:
            expected = target.person_id if len(lasts) == 1 and target.department_id == unit else None
            plausible = bool(lasts)
        cases.append(LabelledReference(reference, unit, expected, category, plausible, target.person_id))

    # The planted troubles first.
    nancy = next(p for p in people if p.name == "Nancy Baker")
    label("Nancy", 101, nancy, "namesakes", _family("Nancy"))
    label("nurse Nancy", 101, nancy, "namesakes", _family("Nancy"))
    marie = next(p for p in people if p.name == "Marie Baker")
    label("Maria", 100, marie, "namesakes", _family("Maria") | _family("Marie"))
    label("Marie Baker", 100, marie, "full name", _family("Marie"), "Baker")
    patel = next(p for p in people if p.name == "Anil Patel")
    label("Dr. Patel", 102, patel, "title", last="Patel")

    sample = rng.sample(people, 330)
    styles = ["full", "full", "nickname", "slip", "accents", "first", "first", "title", "wrong unit"]
    for person in sample:
        first, last = _split(person)
        unit = person.department_id
        style = rng.choice(styles)
        family = _family(first)
        if style == "full":
            written = rng.choice([person.name, person.name.lower(), f"Nurse {person.name}"])
            label(written, unit, person, "full name", family, last)
        elif style == "nickname" and FIRST_NAMES.get(first):
            nickname = rng.choice(FIRST_NAMES[first])
            if rng.random() < 0.5:
                label(f"{nickname} {last}", unit, person, "nickname", family, last)
            else:
                label(nickname, unit, person, "nickname", family)
        elif style == "slip" and (len(first) >= 5 or len(last) >= 5):
            written = f"{_slip(first, rng)} {_slip(last, rng)}" if rng.random() < 0.6 else _slip(first, rng)
            label(written, unit, person, "misspelling", family, last if " " in written else None)
        elif style == "accents" and fold(person.name) != person.name.lower():
            label(fold(person.name).title(), unit, person, "accents", family, last)
        elif style == "title" and "Physician" in person.job_title:
            label(f"Dr. {last}", unit, person, "title", last=last)
        elif style == "wrong unit":
            siblings = [u for u in units if units[u].parent is units[unit].parent and u != unit]
            named = rng.choice(siblings)
            if sum(1 for p in people if p.name == person.name) == 1:
                label(person.name, named, person, "wrong unit", family, last)
        else:
            label(rng.choice([first, f"the nurse {first}", f"{first} from the night shift"]), unit, person,
                  "first name", family)  # fmt: skip
    for reference, _role in DESCRIPTIONS:
        for unit in rng.sample(list(units), 2):
            cases.append(LabelledReference(reference, unit, None, "description", False))
    return people, units, cases

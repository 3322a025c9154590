"""Staff matching: who is "the nurse named Mari on Ellison 12"?

Patients write names as they heard them: nicknames ("Jon" for John, "Bill" for William),
misspellings ("Mari", "Katherine" for Catherine), titles ("Dr. Smithe"), or only a description
("the night nurse with glasses"). The matcher ranks the roster with rapidfuzz plus the
``nicknames`` dataset, prefers people of the named unit and then of its department, and returns
nothing rather than a forced guess when the reference names nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from nicknames import NickNamer
from rapidfuzz import fuzz

from tracker.extensions import db
from tracker.models import Department, Person

MINIMUM_SCORE = 75
UNIT_BONUS = 8
DEPARTMENT_BONUS = 4
SUGGESTIONS = 5

# Words that describe a person rather than name them.
_DESCRIPTIVE = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "with",
    "who",
    "on",
    "in",
    "at",
    "of",
    "for",
    "from",
    "my",
    "our",
    "her",
    "his",
    "dr",
    "doctor",
    "nurse",
    "rn",
    "np",
    "pa",
    "md",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sister",
    "brother",
    "night",
    "day",
    "evening",
    "morning",
    "shift",
    "tall",
    "short",
    "young",
    "old",
    "older",
    "blonde",
    "blond",
    "glasses",
    "beard",
    "hair",
    "red",
    "dark",
    "man",
    "woman",
    "lady",
    "guy",
    "girl",
    "boy",
    "person",
    "someone",
    "staff",
    "tech",
    "technician",
    "aide",
    "assistant",
    "transport",
    "transporter",
    "physician",
    "surgeon",
    "resident",
    "intern",
    "student",
    "therapist",
    "pharmacist",
    "security",
    "guard",
    "cleaner",
    "housekeeping",
    "unit",
    "floor",
    "room",
    "team",
    "everyone",
    "all",
    "name",
    "named",
    "called",
    "unknown",
    "don't",
    "know",
    "dont",
    "remember",
    "think",
    "maybe",
    "was",
    "is",
    "very",
    "kind",
    "nice",
    "lovely",
    "wonderful",
    "food",
    "service",
    "desk",
    "front",
    "reception",
    "receptionist",
    "volunteer",
    "chaplain",
    "social",
    "worker",
    "manager",
    "charge",
    "head",
    "attending",
    "fellow",
    "that",
    "this",
    "she",
    "he",
    "they",
}
_SPLIT_REFERENCES = re.compile(r"[,;\n/&+]| and | y | e | et ", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*")

_nicknamer = NickNamer()


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    department_id: int | None = None
    department_path: str = ""


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    name: str
    department_id: int | None
    confidence: int


def split_references(staff_names: str) -> list[str]:
    """``"Maria and Dr. Jon, the night nurse"`` → ``["Maria", "Dr. Jon", "the night nurse"]``."""
    return [part.strip() for part in _SPLIT_REFERENCES.split(staff_names or "") if part.strip()]


def name_tokens(reference: str) -> list[str]:
    """The words of a reference that could be a name, lower-cased (titles and descriptions dropped)."""
    words = [word.strip(".'’-").lower() for word in _WORD.findall(reference)]
    return [word for word in words if len(word) > 1 and word not in _DESCRIPTIVE]


@lru_cache(maxsize=20_000)
def _name_family(name: str) -> frozenset[str]:
    """A name with its nicknames and the formal names it is short for."""
    family = {name} | set(_nicknamer.nicknames_of(name)) | set(_nicknamer.canonicals_of(name))
    for canonical in _nicknamer.canonicals_of(name):
        family |= set(_nicknamer.nicknames_of(canonical))
    return frozenset(family)


def _token_score(written: str, actual: str) -> float:
    if written == actual:
        return 100.0
    if written in _name_family(actual) or actual in _name_family(written):
        return 95.0
    score = fuzz.ratio(written, actual)
    if len(written) >= 3 and actual.startswith(written):  # "Mari" for Maria, "Chris" for Christopher
        score = max(score, 88.0)
    return score


def score_candidate(tokens: list[str], candidate_name: str) -> float:
    """How well the written tokens fit a person's name, 0–100."""
    parts = [word.strip(".'’-").lower() for word in _WORD.findall(candidate_name)]
    if not tokens or not parts:
        return 0.0
    first, last = parts[0], parts[-1]
    if len(tokens) == 1:
        # One word is a first name, or a surname after a title ("Dr. Smith").
        return max(_token_score(tokens[0], first), _token_score(tokens[0], last) - 3)
    first_score = max(_token_score(tokens[0], part) for part in parts)
    last_score = max(_token_score(tokens[-1], part) for part in parts)
    whole = fuzz.token_sort_ratio(" ".join(tokens), " ".join(parts))
    return max((first_score + last_score) / 2, whole)


def rank(reference: str, candidates: list[Candidate], unit: Department | None = None) -> list[Suggestion]:
    """The likeliest people for one written reference, best first; empty when it names nobody."""
    tokens = name_tokens(reference)
    if not tokens:
        return []
    unit_id = unit.id if unit is not None else None
    department_path = _department_path(unit)
    scored = []
    for candidate in candidates:
        score = score_candidate(tokens, candidate.name)
        if score < MINIMUM_SCORE:
            continue
        bonus = 0
        if unit_id is not None and candidate.department_id == unit_id:
            bonus = UNIT_BONUS
        elif department_path and candidate.department_path.startswith(department_path):
            bonus = DEPARTMENT_BONUS
        scored.append((score + bonus, score, candidate))
    scored.sort(key=lambda item: (-item[0], item[2].name))
    return [
        Suggestion(candidate.person_id, candidate.name, candidate.department_id, round(min(score, 100.0)))
        for _, score, candidate in scored[:SUGGESTIONS]
    ]


def _department_path(unit: Department | None) -> str:
    """The path of the unit's parent department (its sibling units count as near)."""
    if unit is None:
        return ""
    if unit.parent is not None and unit.parent.parent is not None:
        return unit.parent.path
    return unit.path


def roster(unit: Department | None) -> list[Candidate]:
    """Active people to match against: everyone, as two narrow columns plus their department path."""
    statement = (
        sa.select(Person.id, Person.name, Person.department_id, Department.path)
        .outerjoin(Department, Person.department_id == Department.id)
        .where(Person.active.is_(True))
    )
    return [Candidate(row.id, row.name, row.department_id, row.path or "") for row in db.session.execute(statement)]


def suggest_staff(staff_names: str, unit: Department | None) -> list[tuple[str, list[Suggestion]]]:
    """For each name the patient wrote, the ranked suggestions (possibly none)."""
    references = split_references(staff_names)
    if not references:
        return []
    candidates = roster(unit)
    return [(reference, rank(reference, candidates, unit)) for reference in references]

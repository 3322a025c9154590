"""Staff matching: who is "the nurse named Mari on Ellison 12"?

Patients write names as they heard them: nicknames ("Jon" for John, "Bill" for William),
misspellings ("Mari", "Katherine" for Catherine), names without their accents ("Jose" for José),
titles ("Dr. Patel"), or only a description ("the night nurse with glasses").

Public functions, also used by other features that read what patients write:

- :func:`split_references` cuts ``"Maria and Dr. Jon"`` into one reference per person;
- :func:`rank` orders a roster for one reference and says whom, if anyone, to pre-select;
- :func:`suggest_staff` does both against the active people in the database.

How a reference is ranked. Every person gets a name score (0–100: exact, nickname, accent-free,
misspelt, shortened). Only people whose score reaches :data:`MINIMUM_SCORE` are *plausible*.
Plausible people of the named unit come first, then those of its department, then the rest of the
hospital (a much better name elsewhere still wins: the patient may have named the wrong unit).
The ``confidence`` of each suggestion is the share of belief it holds against the other plausible
people and against "someone we cannot see" (a softmax over the scores, its temperature fitted on a
labelled set of written references), so five Nancys on one unit get about 20 % each, not 100 %.

A person is pre-selected only when their confidence reaches :data:`PRESELECT_CONFIDENCE`, and never
from outside the unit when the unit has a plausible candidate: the advocate chooses instead.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import sqlalchemy as sa
from nicknames import NickNamer
from rapidfuzz import fuzz

from tracker.extensions import db
from tracker.models import Department, Person

MINIMUM_SCORE = 75
UNIT_BONUS = 20
DEPARTMENT_BONUS = 4
ROLE_BONUS = 3
SUGGESTIONS = 5
# The place bonuses, the softmax temperature (score points per factor e) and the weight of "someone we
# cannot see" (as a score) were fitted on labelled references (tests/moderation/matching_cases.py, built
# with other seeds than the one the test measures), for the lowest calibration error.
TEMPERATURE = 2.5
UNSEEN_SCORE = 80
PRESELECT_CONFIDENCE = 0.80

# Words that say who someone is ("the night nurse") and point at job titles.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "nurse": ("nurse", " rn", "lpn", "nursing"),
    "rn": ("nurse", " rn"),
    "dr": ("physician", "doctor", "surgeon", "resident", "hospitalist", "fellow", "attending", " md"),
    "doctor": ("physician", "doctor", "surgeon", "resident", "hospitalist", "fellow", "attending", " md"),
    "surgeon": ("surgeon",),
    "resident": ("resident",),
    "aide": ("aide", "assistant", "nursing assistant", "patient care"),
    "tech": ("technician", "technologist", "tech"),
    "technician": ("technician", "technologist", "tech"),
    "therapist": ("therapist",),
    "pharmacist": ("pharmacist",),
    "transport": ("transport",),
    "transporter": ("transport",),
    "security": ("security",),
    "guard": ("security",),
    "housekeeping": ("environmental", "housekeep"),
    "cleaner": ("environmental", "housekeep"),
    "chaplain": ("chaplain",),
    "receptionist": ("receptionist", "secretary", "clerk", "access"),
}
_NOT_A_NAME_WORDS = """
the a an and or with who on in at of for from my our her his dr doctor nurse rn np pa md mr mrs ms miss mx
sister brother night day evening morning shift glasses beard hair man woman lady guy girl boy person someone
staff tech technician aide assistant transport transporter physician surgeon resident intern student therapist
pharmacist security guard cleaner housekeeping unit floor room team everyone all name named called unknown
don't know dont remember think maybe was is very kind nice lovely wonderful food service desk front reception
receptionist volunteer chaplain social worker manager charge head attending fellow that this she he they el la
los las enfermera enfermero doctora médico medico señora señor o a enfermeira médica senhora senhor mis mi
minha meu enfimyè doktè madanm msye 护士 医生 大夫
"""
# Describing words that are also surnames ("Mary Young"): dropped only when written in lower case.
_ADJECTIVES = {"tall", "short", "young", "old", "older", "blonde", "blond", "red", "dark", "little", "big"}
# Spanish and Portuguese pet names the English nickname data does not know.
_EXTRA_NICKNAMES = {
    "pepe": "jose", "paco": "francisco", "pancho": "francisco", "lupe": "guadalupe", "lupita": "guadalupe",
    "chuy": "jesus", "nacho": "ignacio", "quique": "enrique", "memo": "guillermo", "lalo": "eduardo",
    "tono": "antonio", "beto": "alberto", "chelo": "consuelo", "concha": "concepcion", "charo": "rosario",
    "lola": "dolores", "zeca": "jose", "ze": "jose", "chico": "francisco", "tita": "margarita",
}  # fmt: skip
_SPLIT_REFERENCES = re.compile(r"[,;\n/&+]| and | y | e | et | ak |和|、", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*")

_nicknamer = NickNamer()


@dataclass(frozen=True)
class Candidate:
    """One active person as the matcher sees them."""

    person_id: int
    name: str
    department_id: int | None = None
    department_path: str = ""
    job_title: str = ""
    department_name: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A likely person for a reference. ``confidence`` is a percentage (0–100) meant as a probability."""

    person_id: int
    name: str
    department_id: int | None
    confidence: int
    place: str = "hospital"  # "unit", "department" or "hospital": where they stand from the named unit
    job_title: str = ""
    department_name: str = ""
    score: float = field(default=0.0, compare=False)


class ReferenceMatch(NamedTuple):
    """What one written reference may mean: the suggestions, best first, and whom to pre-select (or None)."""

    reference: str
    suggestions: list[Suggestion]
    preselected: int | None


def split_references(staff_names: str) -> list[str]:
    """``"Maria and Dr. Jon, the night nurse"`` → ``["Maria", "Dr. Jon", "the night nurse"]``."""
    return [part.strip() for part in _SPLIT_REFERENCES.split(staff_names or "") if part.strip()]


def fold(text: str) -> str:
    """Lower-case without accents: ``"José Conceição"`` → ``"jose conceicao"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NOT_A_NAME = frozenset(map(fold, _NOT_A_NAME_WORDS.split()))


def _words(text: str) -> list[str]:
    return [word.strip(".'’-") for word in _WORD.findall(fold(text))]


def name_tokens(reference: str) -> list[str]:
    """The words of a reference that could be a name, folded (titles and descriptions dropped)."""
    tokens = []
    for written in _WORD.findall(reference):
        word = fold(written).strip(".'’-")
        if len(word) < 2 or word in _NOT_A_NAME or (word in _ADJECTIVES and not written[0].isupper()):
            continue
        tokens.append(word)
    return tokens


def role_hints(reference: str) -> tuple[str, ...]:
    """Pieces of job titles the reference points at: ``"Dr. Patel"`` → physician, surgeon, …"""
    hints: list[str] = []
    for word in _words(reference):
        hints.extend(ROLE_WORDS.get(word, ()))
    return tuple(dict.fromkeys(hints))


@lru_cache(maxsize=20_000)
def _name_family(name: str) -> frozenset[str]:
    """A name with its nicknames and the formal names it is short for."""
    family = {name} | set(_nicknamer.nicknames_of(name)) | set(_nicknamer.canonicals_of(name))
    family |= {nick for nick, formal in _EXTRA_NICKNAMES.items() if formal == name}
    if name in _EXTRA_NICKNAMES:
        family.add(_EXTRA_NICKNAMES[name])
    for canonical in _nicknamer.canonicals_of(name):
        family |= set(_nicknamer.nicknames_of(canonical))
    return frozenset(family)


@lru_cache(maxsize=200_000)
def _token_score(written: str, actual: str) -> float:
    if written == actual:
        return 100.0
    if written in _name_family(actual) or actual in _name_family(written):
        return 95.0
    score = fuzz.ratio(written, actual)
    if len(written) >= 3 and actual.startswith(written):  # "Mari" for Maria, "Chris" for Christopher
        score = max(score, 88.0)
    elif len(written) >= 4 and actual.endswith(written):  # "Seun" for Oluwaseun
        score = max(score, 85.0)
    return score


@lru_cache(maxsize=100_000)
def _name_parts(name: str) -> tuple[str, ...]:
    return tuple(_words(name))


def score_candidate(tokens: list[str] | tuple[str, ...], candidate_name: str) -> float:
    """How well the written name tokens fit a person's name, 0–100."""
    parts = _name_parts(candidate_name)
    if not tokens or not parts:
        return 0.0
    first, last = parts[0], parts[-1]
    if len(tokens) == 1:
        # One word is a first name, or a surname after a title ("Dr. Smith").
        return max(_token_score(tokens[0], first), _token_score(tokens[0], last) - 3)
    first_score = max(_token_score(tokens[0], part) for part in parts[:-1] or parts)
    last_score = max(_token_score(tokens[-1], part) for part in parts[1:] or parts)
    whole = fuzz.token_sort_ratio(" ".join(tokens), " ".join(parts))
    return max((first_score + last_score) / 2, whole)


def _place(candidate: Candidate, unit_id: int | None, department_path: str) -> str:
    if unit_id is not None and candidate.department_id == unit_id:
        return "unit"
    if department_path and candidate.department_path.startswith(department_path):
        return "department"
    return "hospital"


_PLACE_BONUS = {"unit": UNIT_BONUS, "department": DEPARTMENT_BONUS, "hospital": 0}


def _fits_role(candidate: Candidate, hints: tuple[str, ...]) -> bool:
    title = " " + fold(candidate.job_title)
    return any(hint in title for hint in hints)


def rank(reference: str, candidates: list[Candidate], unit: Department | None = None) -> ReferenceMatch:
    """The likeliest people for one written reference, best first, and the one to pre-select if any.

    A description without a name ("the night nurse with glasses") suggests the unit's people whose
    job fits, none pre-selected; a reference that fits nobody suggests nobody.
    """
    tokens = name_tokens(reference)
    hints = role_hints(reference)
    unit_id = unit.id if unit is not None else None
    department_path = _department_path(unit)
    if not tokens:
        return _described(reference, candidates, unit_id, hints)
    scored: list[tuple[float, float, str, Candidate]] = []
    for candidate in candidates:
        score = score_candidate(tokens, candidate.name)
        if score < MINIMUM_SCORE:
            continue
        place = _place(candidate, unit_id, department_path)
        total = score + _PLACE_BONUS[place] + (ROLE_BONUS if hints and _fits_role(candidate, hints) else 0)
        scored.append((total, score, place, candidate))
    scored.sort(key=lambda item: (-item[0], -item[1], item[3].name, item[3].person_id))
    unit_plausible = unit_id is not None and any(
        _plausible(tokens, c.name) for c in candidates if c.department_id == unit_id
    )
    weights = [math.exp((total - 100) / TEMPERATURE) for total, *_ in scored]
    unseen = math.exp((UNSEEN_SCORE - 100) / TEMPERATURE)
    belief = sum(weights) + unseen
    suggestions = [
        Suggestion(
            candidate.person_id,
            candidate.name,
            candidate.department_id,
            round(100 * weight / belief),
            place,
            candidate.job_title,
            candidate.department_name,
            score,
        )
        for weight, (_total, score, place, candidate) in zip(weights, scored, strict=True)
    ][:SUGGESTIONS]
    return ReferenceMatch(reference, suggestions, _preselect(suggestions, weights, belief, unit_plausible))


def _plausible(tokens: list[str], name: str) -> bool:
    """Could the patient have meant this person? Any written word fits their first name or surname."""
    parts = _name_parts(name)
    return bool(parts) and any(
        max(_token_score(token, parts[0]), _token_score(token, parts[-1])) >= MINIMUM_SCORE for token in tokens
    )


def _preselect(suggestions: list[Suggestion], weights: list[float], belief: float, unit_plausible: bool):
    if not suggestions or weights[0] / belief < PRESELECT_CONFIDENCE:
        return None
    top = suggestions[0]
    if top.place != "unit" and unit_plausible:
        return None  # never over the head of a plausible person of the named unit
    return top.person_id


def _described(reference: str, candidates: list[Candidate], unit_id: int | None, hints) -> ReferenceMatch:
    if unit_id is None or not hints:
        return ReferenceMatch(reference, [], None)
    fitting = sorted(
        (c for c in candidates if c.department_id == unit_id and _fits_role(c, hints)),
        key=lambda c: (c.name, c.person_id),
    )
    share = round(100 / (len(fitting) + 1)) if fitting else 0
    return ReferenceMatch(
        reference,
        [
            Suggestion(c.person_id, c.name, c.department_id, share, "unit", c.job_title, c.department_name)
            for c in fitting[: SUGGESTIONS * 2]
        ],
        None,
    )


def _department_path(unit: Department | None) -> str:
    """The path of the unit's parent department (its sibling units count as near)."""
    if unit is None:
        return ""
    if unit.parent is not None and unit.parent.parent is not None:
        return unit.parent.path
    return unit.path


def roster() -> list[Candidate]:
    """Active people to match against, as narrow rows with their job and department."""
    statement = (
        sa.select(Person.id, Person.name, Person.department_id, Department.path, Person.job_title, Department.name)
        .outerjoin(Department, Person.department_id == Department.id)
        .where(Person.active.is_(True))
    )
    return [Candidate(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5] or "") for r in db.session.execute(statement)]


def suggest_staff(staff_names: str, unit: Department | None) -> list[ReferenceMatch]:
    """For each reference the patient wrote, the ranked suggestions (possibly none) and the pre-selection."""
    references = split_references(staff_names)
    if not references:
        return []
    candidates = roster()
    return [rank(reference, candidates, unit) for reference in references]

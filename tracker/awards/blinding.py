"""The blinded copy judges read: who and where removed, health information removed, approved by a coordinator.

Suggestions come from two places: what the nomination itself names (the nominee's and the nominator's
names, the units, the nominee's job title, contact details) and the health-information guard used for
patient feedback. The coordinator edits the suggestion; approval refuses a copy that still holds any
identifier the system knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import audit, phi
from tracker.awards import checks
from tracker.models import CyclePhase, Department, Nomination, Person, utcnow
from tracker.validation import InvalidInput

REDACTED = phi.REDACTED
IDENTITY_LABELS = {
    "nominee": _l("nominee"),
    "nominator": _l("nominator"),
    "unit": _l("unit"),
    "job_title": _l("job title"),
    "contact": _l("contact details"),
}
# Short name parts ("Li", "Al") are too common as words to redact everywhere.
MINIMUM_PART = 3
BLINDED_STORY_MAX = 5000


@dataclass(frozen=True)
class Suggestion:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        if self.kind in IDENTITY_LABELS:
            return str(IDENTITY_LABELS[self.kind])
        return str(phi.KIND_LABELS[self.kind])


def _name_terms(name: str) -> list[str]:
    parts = [part for part in re.split(r"[\s,]+", name or "") if len(part.strip(".'’-")) >= MINIMUM_PART]
    return ([name.strip()] if name and name.strip() else []) + [part.strip(".,") for part in parts]


def _units(department: Department | None) -> list[str]:
    names = []
    while department is not None and department.parent is not None:  # the hospital's own name stays
        names.append(department.name)
        department = department.parent
    return names


def identifying_terms(nomination: Nomination) -> list[tuple[str, str]]:
    """Every (kind, text) the system knows would identify the nominee or the nominator."""
    terms: list[tuple[str, str]] = []
    people: list[tuple[str, Person | None]] = [("nominee", nomination.nominee), ("nominator", nomination.nominator)]
    for kind, person in people:
        if person is not None:
            terms += [(kind, term) for term in _name_terms(person.name)]
            terms.append(("contact", person.email))
    if nomination.nominee is not None:
        if nomination.nominee.job_title:
            terms.append(("job_title", nomination.nominee.job_title))
        terms += [("unit", name) for name in _units(nomination.nominee.department)]
    terms += [("nominee", term) for term in _name_terms(nomination.nominee_written)]
    terms += [("nominator", term) for term in _name_terms(nomination.contact_name)]
    terms += [("contact", value) for value in (nomination.contact_email, nomination.contact_phone)]
    terms += [("unit", name) for name in _units(nomination.unit) + _units(nomination.team)]
    seen, unique = set(), []
    for kind, term in terms:
        key = term.strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append((kind, term.strip()))
    return sorted(unique, key=lambda item: -len(item[1]))  # longest first: "Maria Lopez" before "Maria"


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)


def find_identifiers(nomination: Nomination, text: str) -> list[Suggestion]:
    """Identity and health information in ``text``, in reading order, never overlapping."""
    found: list[Suggestion] = []
    for kind, term in identifying_terms(nomination):
        for match in _pattern(term).finditer(text):
            found.append(Suggestion(kind, match.start(), match.end(), match.group(0)))
    for finding in phi.find_health_information(text):
        found.append(Suggestion(finding.kind, finding.start, finding.end, finding.text))
    chosen: list[Suggestion] = []
    for suggestion in found:
        if all(suggestion.end <= kept.start or suggestion.start >= kept.end for kept in chosen):
            chosen.append(suggestion)
    return sorted(chosen, key=lambda suggestion: suggestion.start)


def redact(text: str, suggestions: list[Suggestion]) -> str:
    pieces, position = [], 0
    for suggestion in suggestions:
        pieces.append(text[position : suggestion.start])
        pieces.append(REDACTED)
        position = suggestion.end
    pieces.append(text[position:])
    return "".join(pieces)


def suggested_copy(nomination: Nomination) -> str:
    return redact(nomination.story, find_identifiers(nomination, nomination.story))


def draft(nomination: Nomination) -> str:
    """What the coordinator starts from: the approved copy, else the suggestion."""
    return nomination.blinded_story or suggested_copy(nomination)


def approve(nomination: Nomination, text: str, actor: Person | None = None) -> None:
    """Approve the coordinator's edited copy; refused while it still holds a known identifier."""
    if nomination.cycle.phase != CyclePhase.NOMINATING:
        raise InvalidInput.single("blinded_story", _("Blinded copies are approved while the cycle is nominating."))
    errors: dict[str, list[str]] = {}
    text = checks.text(text, "blinded_story", BLINDED_STORY_MAX, errors, required=True)
    if errors:
        raise InvalidInput(errors)
    left = find_identifiers(nomination, text)
    if left:
        listed = ", ".join(sorted({suggestion.label for suggestion in left}))
        raise InvalidInput.single(
            "blinded_story", _("The blinded copy still shows: %(kinds)s. Remove them first.", kinds=listed)
        )
    removed = len(find_identifiers(nomination, nomination.story))
    nomination.blinded_story = text
    nomination.blinded_approved_at = utcnow()
    nomination.blinded_approved_by_id = actor.id if actor is not None else None
    audit.record("award_blinding_approved", "award_nomination", nomination.id, suggested=removed, length=len(text))

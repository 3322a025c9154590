"""The health-information guard: finds what must not reach staff pages or walls.

Patients write record numbers, birth dates, phone numbers, room numbers, a relative's full name or
what they were treated for into a thank-you. Moderators see each finding highlighted and remove them
all with one click; the original text stays untouched with the advocates.

Public functions, also used by other features that publish what patients and families write:

- :func:`find_health_information` — the findings in a text, in reading order, never overlapping;
- :func:`redact` — the text with every finding replaced by :data:`REDACTED`;
- :func:`highlighted_segments` — the text cut into plain and flagged pieces for templates;
- :func:`warm` — load everything once, as each gunicorn worker does when it starts.

Identifiers come from Presidio recognizers (:mod:`tracker.phi.identifiers`); clinical details from
ICD-10-CM, a drug dictionary and everyday words (:mod:`tracker.phi.clinical`). Both load once per
process. ``flask --app tracker phi scan`` runs the same guard on a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.phi import clinical, identifiers

REDACTED = "[…]"

KIND_LABELS = {
    "record_number": _l("record number"),
    "date_of_birth": _l("date of birth"),
    "phone": _l("phone number"),
    "email": _l("e-mail address"),
    "address": _l("street address"),
    "room_bed": _l("room or bed number"),
    "patient_name": _l("patient name"),
    "id_number": _l("identification number"),
    "condition": _l("diagnosis or condition"),
    "medication": _l("medication"),
    "procedure": _l("procedure or test"),
    "test_result": _l("test result"),
}
IDENTIFIERS = frozenset({"record_number", "date_of_birth", "phone", "email", "address", "room_bed",
                         "patient_name", "id_number"})  # fmt: skip
CLINICAL = frozenset({"condition", "medication", "procedure", "test_result"})
# Which kind keeps a span when two findings overlap: identifiers first, the most specific first.
_PRIORITY = ["email", "record_number", "date_of_birth", "address", "phone", "id_number", "room_bed",
             "patient_name", "long_number", "test_result", "medication", "procedure", "condition"]  # fmt: skip

# A full numeric date with a year long past is most likely a birth date, even without "DOB".
_OLD_DATE = re.compile(r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](\d{4})(?![\w/.-])")
_YEARS_BEFORE_BIRTH_GUESS = 10
_MAX_SCAN = 20_000  # longer texts are refused by every form long before this


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


def _identifier_findings(text: str) -> list[Finding]:
    found = []
    for result in identifiers.analyzer().analyze(text=text, language=identifiers.LANGUAGE):
        name = (result.recognition_metadata or {}).get("recognizer_name", "")
        kind = identifiers.PRESIDIO_KINDS.get(result.entity_type, result.entity_type)
        start, end = result.start, result.end
        core = identifiers.CORES.get(name.removeprefix("tracker_"))
        if core is not None:
            matches = list(core.finditer(text, start, end))
            if matches:
                start, end = matches[-1].start(), matches[-1].end()
        found.append(Finding(kind, start, end, text[start:end]))
    return found


def find_health_information(text: str, today: date | None = None) -> list[Finding]:
    """Likely health information in ``text``, in reading order, never overlapping.

    ``today`` decides which bare dates are old enough to be birth dates (tests pin it).
    """
    today = today or date.today()
    text = (text or "")[:_MAX_SCAN]
    if not text.strip():
        return []
    candidates = _identifier_findings(text)
    candidates += [Finding(f.kind, f.start, f.end, text[f.start : f.end]) for f in clinical.find_clinical(text)]
    for match in _OLD_DATE.finditer(text):
        if int(match.group(1)) <= today.year - _YEARS_BEFORE_BIRTH_GUESS:
            candidates.append(Finding("date_of_birth", match.start(), match.end(), match.group(0)))
    candidates.sort(key=lambda f: (_PRIORITY.index(f.kind), -(f.end - f.start), f.start))
    chosen: list[Finding] = []
    for finding in candidates:
        if finding.end > finding.start and all(finding.end <= k.start or finding.start >= k.end for k in chosen):
            chosen.append(finding)
    # A bare long number, when nothing better explains it, is most likely a record or account number.
    chosen = [Finding("record_number", *f[1:]) if f.kind == "long_number" else f for f in chosen]
    return sorted(chosen, key=lambda finding: finding.start)


def warm() -> None:
    """Load the recognizers and dictionaries now (several seconds), not in the first patient's request."""
    identifiers.analyzer()
    clinical.vocabulary()
    clinical.find_clinical("")


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """``text`` with every finding replaced by a neutral marker."""
    findings = find_health_information(text) if findings is None else findings
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        pieces.append(text[position : finding.start])
        pieces.append(REDACTED)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def highlighted_segments(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """Split ``text`` into plain and flagged segments, so templates escape and mark each piece."""
    segments: list[tuple[str, Finding | None]] = []
    position = 0
    for finding in findings:
        if finding.start > position:
            segments.append((text[position : finding.start], None))
        segments.append((finding.text, finding))
        position = finding.end
    if position < len(text):
        segments.append((text[position:], None))
    return segments

"""The health-information guard: finds what must not reach staff pages or walls.

Patients often write record numbers, birth dates, phone numbers or a relative's full name into a
thank-you. Moderators see each finding highlighted and remove them all with one click; the
original text stays untouched with the advocates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

REDACTED = "[…]"

KIND_LABELS = {
    "record_number": _l("record number"),
    "date_of_birth": _l("date of birth"),
    "phone": _l("phone number"),
    "email": _l("e-mail address"),
    "address": _l("street address"),
    "patient_name": _l("patient name"),
    "id_number": _l("identification number"),
}

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_MONTHS}\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTHS} \d{{4}})"
)
_NAME = r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2}"
_RELATIVE = (
    r"(?:patient|the patient|patient name|my (?:mother|father|mom|mum|dad|wife|husband|son|daughter|"
    r"grandmother|grandfather|grandma|grandpa|brother|sister|partner|aunt|uncle|baby|child))"
)

# (kind, pattern, group holding the sensitive part). Order matters: earlier kinds win overlaps.
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), 0),
    (
        "record_number",
        re.compile(
            r"\b(?:MRN|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|chart (?:number|no\.?|#)|"
            r"patient (?:id|number|no\.?|#)|account (?:number|no\.?|#))\s*(?:is|:|#)?\s*([A-Z]{0,3}[-\d]{4,})",
            re.IGNORECASE,
        ),
        1,
    ),
    ("id_number", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), 0),
    (
        "date_of_birth",
        re.compile(rf"\b(?:DOB|D\.O\.B\.|date of birth|born(?: on)?|birthday)\s*(?:is|:)?\s*({_DATE})", re.IGNORECASE),
        1,
    ),
    ("phone", re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])"), 0),
    (
        "address",
        re.compile(
            r"\b\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|"
            r"Court|Ct|Way|Place|Pl|Terrace|Circle|Highway|Hwy)\b\.?(?:,? (?:Apt|Unit|#) ?\w+)?"
        ),
        0,
    ),
    ("patient_name", re.compile(rf"\b(?i:{_RELATIVE}),? (?:is |was |named |called )?({_NAME})"), 1),
    # A bare long number is most likely a record or account number.
    ("record_number", re.compile(r"(?<![\w/.-])\d{6,}(?![\w/.-])"), 0),
]

# A full numeric date with a year long past is most likely a birth date, even without "DOB".
_OLD_DATE = re.compile(r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](\d{4})(?![\w/.-])")
_YEARS_BEFORE_BIRTH_GUESS = 10


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def find_health_information(text: str, today: date | None = None) -> list[Finding]:
    """Likely identifiers in ``text``, in reading order, never overlapping."""
    today = today or date.today()
    candidates: list[Finding] = []
    for kind, pattern, group in _PATTERNS:
        for match in pattern.finditer(text):
            candidates.append(Finding(kind, match.start(group), match.end(group), match.group(group)))
    for match in _OLD_DATE.finditer(text):
        if int(match.group(1)) <= today.year - _YEARS_BEFORE_BIRTH_GUESS:
            candidates.append(Finding("date_of_birth", match.start(), match.end(), match.group(0)))
    chosen: list[Finding] = []
    for finding in candidates:  # pattern order decides which finding keeps an overlapping span
        if all(finding.end <= kept.start or finding.start >= kept.end for kept in chosen):
            chosen.append(finding)
    return sorted(chosen, key=lambda finding: finding.start)


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

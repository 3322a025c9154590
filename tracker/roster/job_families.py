"""Job families derived from free-text job titles, so dashboards can compare like with like.

Rosters carry titles as HR writes them ("RN II - Nights", "Sr. Patient Transport Aide"); the
equity view groups people by family. The first rule whose words all occur in the title wins, so
the more specific rules come first ("nurse practitioner" before "physician", "nurse").
"""

from __future__ import annotations

import re
from functools import lru_cache

OTHER = "Other"

# (family, words that must all appear in the title); order matters: first match wins.
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("Management", ("manager",)),
    ("Management", ("director",)),
    ("Management", ("chief",)),
    ("Management", ("head", "of")),
    ("Nursing", ("nurse",)),
    ("Nursing", ("nursing",)),
    ("Nursing", ("rn",)),
    ("Nursing", ("lpn",)),
    ("Nursing", ("patient", "care", "associate")),
    ("Nursing", ("medical", "assistant")),
    ("Physicians", ("physician",)),
    ("Physicians", ("doctor",)),
    ("Physicians", ("surgeon",)),
    ("Physicians", ("resident",)),
    ("Physicians", ("fellow",)),
    ("Physicians", ("attending",)),
    ("Physicians", ("hospitalist",)),
    ("Physicians", ("md",)),
    ("Transport", ("transport",)),
    ("Transport", ("porter",)),
    ("Food service", ("food",)),
    ("Food service", ("cook",)),
    ("Food service", ("chef",)),
    ("Food service", ("dietitian",)),
    ("Food service", ("dietary",)),
    ("Food service", ("nutrition",)),
    ("Environmental services", ("environmental",)),
    ("Environmental services", ("housekeeping",)),
    ("Environmental services", ("custodian",)),
    ("Environmental services", ("janitor",)),
    ("Security", ("security",)),
    ("Security", ("police",)),
    ("Allied health", ("therapist",)),
    ("Allied health", ("pharmacist",)),
    ("Allied health", ("pharmacy",)),
    ("Allied health", ("technologist",)),
    ("Allied health", ("technician",)),
    ("Allied health", ("paramedic",)),
    ("Allied health", ("social", "worker")),
    ("Allied health", ("radiographer",)),
    ("Allied health", ("phlebotomist",)),
    ("Clerical", ("clerk",)),
    ("Clerical", ("coordinator",)),
    ("Clerical", ("scheduler",)),
    ("Clerical", ("secretary",)),
    ("Clerical", ("receptionist",)),
    ("Clerical", ("representative",)),
    ("Clerical", ("interpreter",)),
    ("Clerical", ("advocate",)),
    ("Clerical", ("administrative",)),
    ("Clerical", ("assistant",)),
]

WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)  # rosters repeat a few hundred titles many thousand times
def job_family(job_title: str) -> str:
    """The family of a job title, or ``Other`` when no rule fits (never empty, so groups add up)."""
    words = set(WORD.findall(job_title.lower()))
    if not words:
        return OTHER
    for family, required in RULES:
        if words.issuperset(required):
            return family
    return OTHER

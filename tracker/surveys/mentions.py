"""Staff named inside a survey comment: "our nurse Maria and Dr. Patel were wonderful".

The patient-feedback form has a field for names; a survey comment does not, so the names must be
found in the sentence first. Candidate spans are a role word followed by one or two name-like words
("nurse Maria", "Dr. Patel", "the aide named Kevin"), and runs of capitalised words that are not
ordinary English words ("Maria Lopez", "Jen"). A role written after the name ("Maria, our nurse")
counts as a hint too. Each span is ranked by :func:`tracker.matching.rank`: first against the
comment's unit, and only when nobody there fits, against the whole hospital. A bare capitalised
word (no role word near it) must fit a name more closely, as sentences also start with capitals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from tracker.matching import Candidate, fold, rank
from tracker.models import Department

# Words that introduce a member of staff; the key is folded, without its full stop.
_ROLE_CUES_TEXT = """
nurse nurses rn lpn np pa cna pca aide aides tech techs technician technologist dr doctor doc physician surgeon
resident intern fellow attending hospitalist therapist pt ot rt pharmacist transporter transport chaplain
housekeeper housekeeping receptionist secretary clerk midwife anesthesiologist anaesthetist dietitian
phlebotomist sitter volunteer navigator coordinator manager director social worker paramedic practitioner
assistant student mr mrs ms miss guard security officer porter
"""
ROLE_CUES = frozenset(_ROLE_CUES_TEXT.split())
# Words between a role and the name: "the nurse named Maria", "nurse practitioner Kim".
FILLERS = frozenset({"named", "called", "name", "by", "practitioner", "assistant", "worker", "care", "'s", "s"})
# Capitalised words that are almost never someone's name in a comment.
_COMMON_WORDS_TEXT = """
i i'm im i've ive i'd id we our us my me you your they them their he she his her him it its this that these those
the a an and or but so if when while because as at by for from in into of on to with without after before during
thank thanks thankyou please yes no not very really so much many all every everyone everybody everything each
staff team nurses doctors people person patient patients family mother father mom mum dad son daughter husband
wife sister brother grandmother grandfather baby child kids friend care hospital unit floor room er ed icu
emergency department clinic office surgery labor delivery maternity oncology radiology lab imaging pharmacy
great good excellent wonderful amazing awesome outstanding fantastic best kind caring friendly helpful nice
overall communication food parking discharge admission service services experience stay visit time day night
monday tuesday wednesday thursday friday saturday sunday january february march april june july august
september october november december am pm covid god lord jesus christ bless blessed also again just even
everyone's thank-you ok okay wow excellent professional awesome very extremely always never sometimes often
she's he's they're we're there their here where what who why how which would could should will can did does
was were is are be been being had has have do done one two three four five first second last next other another
mass general hospital medical center health boston new english spanish portuguese chinese creole hcahps
dear hello hi thankful grateful appreciate special shout shoutout kudos bravo welcome welcoming sincerely
cafeteria lobby valet security billing insurance registration front desk reception waiting elevator
between including especially both then later finally honestly truly today yesterday tonight someone anyone
nobody definitely absolutely seriously between kudos props big huge many more most such what's let
"""
COMMON_WORDS = frozenset(map(fold, _COMMON_WORDS_TEXT.split()))
_TOKEN = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*")
BARE_NAME_SCORE = 88  # a capitalised word without a role near it must fit this well
CUED_NAME_SCORE = 75
ROLE_AFTER_REACH = 3  # "Maria, our night nurse": a role up to three words after the name


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    person_id: int | None
    name: str
    confidence: int
    place: str
    # Everyone the span might mean, best first (ids), for the reviewer and for measuring.
    ranked: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {
            "text": self.text, "start": self.start, "end": self.end, "person_id": self.person_id,
            "name": self.name, "confidence": self.confidence, "place": self.place,
        }  # fmt: skip


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    reference: str
    cued: bool


def _folded(word: str) -> str:
    return fold(word).strip(".'’-").removesuffix("'s").removesuffix("’s")


def _name_like(word: str, cued: bool) -> bool:
    folded = _folded(word)
    if len(folded) < 2 or folded in ROLE_CUES or folded in FILLERS:
        return False
    if folded in COMMON_WORDS:
        return False
    return cued or word[0].isupper()


def _apart(text: str, before: re.Match, after: re.Match) -> bool:
    """Two words are parts of one name only when nothing but spaces stands between them."""
    return bool(text[before.end() : after.start()].strip())


def candidate_spans(text: str) -> list[_Span]:
    """Where a name may be written, with the role word (if any) kept in the reference as a hint."""
    tokens = list(_TOKEN.finditer(text))
    spans: list[_Span] = []
    index = 0
    while index < len(tokens):
        word = tokens[index].group()
        folded = _folded(word)
        if folded in ROLE_CUES:
            cursor = index + 1
            while cursor < len(tokens) and (_folded(tokens[cursor].group()) in FILLERS | ROLE_CUES):
                cursor += 1
            names = []
            while cursor < len(tokens) and len(names) < 2 and _name_like(tokens[cursor].group(), not names):
                if names and (not tokens[cursor].group()[0].isupper() or _apart(text, names[-1], tokens[cursor])):
                    break
                names.append(tokens[cursor])
                cursor += 1
            if names:
                roles = " ".join(t.group() for t in tokens[index : index + 1])
                reference = roles + " " + " ".join(t.group() for t in names)
                spans.append(_Span(tokens[index].start(), names[-1].end(), reference, True))
                index = cursor
                continue
            index += 1
            continue
        if word[0].isupper() and _name_like(word, False):
            run = [tokens[index]]
            while index + len(run) < len(tokens) and len(run) < 3:
                following = tokens[index + len(run)]
                if _apart(text, run[-1], following) or not _name_like(following.group(), False):
                    break
                run.append(following)
            after = [_folded(t.group()) for t in tokens[index + len(run) : index + len(run) + ROLE_AFTER_REACH]]
            role_after = next((word for word in after if word in ROLE_CUES), "")
            reference = " ".join(t.group() for t in run) + (f" {role_after}" if role_after else "")
            spans.append(_Span(run[0].start(), run[-1].end(), reference, bool(role_after)))
            index += len(run)
            continue
        index += 1
    return spans


class MentionFinder:
    """Finds the staff a comment names, for many comments against one roster (loaded once)."""

    def __init__(self, candidates: list[Candidate], units: dict[int, Department]):
        self.candidates = candidates
        self.units = units
        self.by_unit: dict[int, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            if candidate.department_id is not None:
                self.by_unit[candidate.department_id].append(candidate)
        self._hospital = lru_cache(maxsize=50_000)(self._rank_hospital)

    def _rank_hospital(self, reference: str, unit_id: int | None):
        return rank(reference, self.candidates, self.units.get(unit_id) if unit_id else None)

    def find(self, text: str, unit_id: int | None) -> list[Mention]:
        unit = self.units.get(unit_id) if unit_id else None
        found: list[Mention] = []
        seen: set[int] = set()
        for span in candidate_spans(text):
            mention = self._match(text, span, unit) or self._word_by_word(text, span, unit)
            if mention is None or (mention.person_id is not None and mention.person_id in seen):
                continue
            if mention.person_id is not None:
                seen.add(mention.person_id)
            found.append(mention)
        return found

    def _word_by_word(self, text: str, span: _Span, unit: Department | None) -> Mention | None:
        """A run of capitals that is no name as a whole ("Between Micheal") may still hold one."""
        if span.cued:
            return None
        words = list(_TOKEN.finditer(text, span.start, span.end))
        for word in words[1:] if len(words) > 1 else []:
            mention = self._match(text, _Span(word.start(), word.end(), word.group(), False), unit)
            if mention is not None:
                return mention
        return None

    def _match(self, text: str, span: _Span, unit: Department | None) -> Mention | None:
        threshold = CUED_NAME_SCORE if span.cued else BARE_NAME_SCORE
        match = rank(span.reference, self.by_unit.get(unit.id, []), unit) if unit is not None else None
        if match is None or not match.suggestions or match.suggestions[0].score < threshold:
            match = self._hospital(span.reference, unit.id if unit is not None else None)
        suggestions = [s for s in match.suggestions if s.score >= threshold]
        if not suggestions:
            return None
        top = suggestions[0]
        return Mention(
            text=text[span.start : span.end],
            start=span.start,
            end=span.end,
            person_id=top.person_id,
            name=top.name,
            confidence=top.confidence,
            place=top.place,
            ranked=tuple(s.person_id for s in suggestions),
        )

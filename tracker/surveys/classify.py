"""Which sentences of a comment praise, and which ask for better: a small lexicon, readable by anyone.

Vendors tag most comments (positive, negative, mixed, neutral). When the tag is missing or says
"mixed", the comment is cut into sentences (and "…, but …" clauses), and each is scored by counting
praising words against complaining ones, a word after "not", "never" or "no" counting the other way
("not friendly" complains, "no complaints" praises). A sentence scoring above zero goes to the
compliment part, below zero to the improvement part, and a sentence that scores zero follows the
sentence before it (or, at the start, the first one that scores).
It is deliberately simple: an advocate reviews every comment, and a rule they can read beats a model
they cannot question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.models import Valence

_PRAISE_TEXT = """
thank thanks thankful grateful appreciate appreciated appreciative great wonderful amazing awesome excellent
outstanding fantastic superb exceptional incredible kind kindness caring cared compassionate compassion gentle
friendly helpful attentive professional patient respectful courteous warm pleasant lovely nice best good
knowledgeable thorough efficient clean comfortable reassuring reassured calm calming angel angels heroes hero
love loved awesome impressed impressive perfect beyond above skilled skillful sweet supportive support listened
explained explains explaining comforting safe happy pleased glad recommend smile smiled smiling polite prompt
quick quickly responsive dedicated considerate generous fabulous phenomenal stellar top terrific brilliant
"""
PRAISE = frozenset(_PRAISE_TEXT.split())
_COMPLAINTS_TEXT = """
rude cold slow late dirty noisy loud long wait waited waiting delay delayed delays ignored unhelpful
unprofessional poor terrible awful horrible bad worst disappointed disappointing disappointment confusing
confused frustrating frustrated frustration lost forgot forgotten unclean mess messy uncomfortable pain painful
complaint complain complained problem problems issue issues improve improvement should needs need lacking lack
dismissive disrespectful hours forever never careless mistake mistakes wrong error unacceptable annoyed
angry upset scared worse cramped broken smelly disorganized disorganised chaotic understaffed short-staffed
inedible bland overcooked unanswered unavailable harsh impatient
"""
COMPLAINTS = frozenset(_COMPLAINTS_TEXT.split())
NEGATIONS = frozenset({"not", "never", "no", "nobody", "nothing", "didn't", "didnt", "wasn't", "wasnt", "isn't",
                       "weren't", "don't", "dont", "couldn't", "wouldn't", "hardly", "without", "n't"})  # fmt: skip
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+|(?<=[,;])\s+(?=but\s)|\s+-\s+", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_NEGATION_REACH = 3


@dataclass(frozen=True)
class Parts:
    valence: Valence
    compliment: str
    improvement: str


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCES.split(text or "") if part and part.strip()]


def sentence_score(sentence: str) -> int:
    """Praising words minus complaining ones; a negation within three words turns a word around."""
    score, negated_until = 0, -1
    for index, token in enumerate(_TOKEN.findall(sentence.casefold().replace("’", "'"))):
        if token in NEGATIONS or token.endswith("n't"):
            negated_until = index + _NEGATION_REACH
            continue
        sign = -1 if index <= negated_until else 1
        if token in PRAISE:
            score += sign
        elif token in COMPLAINTS:
            score -= sign
    return score


def split(text: str, vendor_valence: Valence | None = None) -> Parts:
    """The comment's valence and its compliment and improvement parts (either may be empty)."""
    if vendor_valence == Valence.POSITIVE:
        return Parts(Valence.POSITIVE, text, "")
    if vendor_valence == Valence.NEGATIVE:
        return Parts(Valence.NEGATIVE, "", text)
    if vendor_valence == Valence.NEUTRAL:
        return Parts(Valence.NEUTRAL, "", "")
    praise: list[str] = []
    improve: list[str] = []
    previous: list[str] | None = None
    waiting: list[str] = []  # neutral sentences before the first that scores: they go with it
    for sentence in sentences(text):
        score = sentence_score(sentence)
        target = praise if score > 0 else improve if score < 0 else previous
        if target is None:
            waiting.append(sentence)
            continue
        target.extend([*waiting, sentence])
        waiting, previous = [], target
    compliment, improvement = " ".join(praise), " ".join(improve)
    if vendor_valence == Valence.MIXED:
        return Parts(Valence.MIXED, compliment, improvement or ("" if compliment else text))
    if compliment and improvement:
        return Parts(Valence.MIXED, compliment, improvement)
    if compliment:
        return Parts(Valence.POSITIVE, compliment, "")
    if improvement:
        return Parts(Valence.NEGATIVE, "", improvement)
    return Parts(Valence.NEUTRAL, "", "")

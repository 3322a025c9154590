"""Clinical details in what patients write: conditions, medications, procedures and test results.

Condition names come from the ICD-10-CM descriptions (``simple-icd-10-cm``: the categories and their
inclusion terms, with the qualifiers "other", "unspecified", "acute", … also stripped off), and
medication names from the ``drug-named-entity-recognition`` dictionary (generic and brand names, with
many Spanish and Portuguese spellings). ICD-10-CM is English, and patients use lay words, so a short
vocabulary of everyday terms in the five languages adds what they really write ("sugar", "cirugía",
"dyabèt", "糖尿病"), and word endings name procedures (-ectomy, -scopy, …).

Building the vocabulary from the two dictionaries takes several seconds and a few hundred MB, so the
result is kept beside this module as JSON (``vocabulary-<key>.json``, keyed by this module's source
and the dictionaries' versions), and every later process reads it in a few hundredths of a second.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)
DICTIONARIES = ("simple-icd-10-cm", "drug-named-entity-recognition")

MAX_WORDS = 5
_WORD = re.compile(r"[^\W_](?:[^\W_]|['’-](?=[^\W_]))*")
_QUALIFIERS = (
    "other ", "unspecified ", "acute ", "chronic ", "essential ", "primary ", "secondary ", "type 1 ", "type 2 ",
    "malignant ", "benign ", "simple ", "severe ", "mild ", "recurrent ", "congenital ", "personal history of ",
)  # fmt: skip
# Words ICD-10-CM uses that mean something ordinary in a thank-you; never a finding on their own.
_ORDINARY = set(
    [
        "care",
        "fall",
        "falls",
        "burn",
        "burns",
        "contact",
        "problems",
        "problem",
        "complications",
        "examination",
        "observation",
        "encounter",
        "counseling",
        "absence",
        "other",
        "person",
        "life",
        "death",
        "accident",
        "injury",
        "poisoning",
        "exposure",
        "dependence",
        "history",
        "status",
        "fever",
        "pain",
        "headache",
        "cough",
        "nausea",
        "fatigue",
        "anxiety",
        "stress",
        "worry",
        "crying",
        "insomnia",
        "weakness",
        "hunger",
        "thirst",
        "neoplasm",
        "disorder",
        "disease",
        "syndrome",
        "condition",
        "symptoms",
        "findings",
        "abnormal",
        "results",
        "deformity",
        "failure",
    ]  # noqa: E501
)
# A single ICD-10-CM word counts only when it looks like medical vocabulary.
_MEDICAL_WORD = re.compile(
    r"(?:itis|osis|emia|aemia|oma|pathy|algia|plasia|trophy|cele|rrhea|rrhoea|sis|ism|ia|ure|pox|cus|ease|lepsy|"
    r"plegia|phobia|uria|ectasia|penia|cytosis|megaly)$"
)
# "the surgery unit", "the dialysis team": a place, not a treatment.
_PLACE_AFTER = re.compile(r"\s+(?:unit|floor|team|department|ward|clinic|center|centre|staff|nurses?|desk)\b", re.I)
_PROCEDURE_ENDINGS = re.compile(
    r"\b\w+(?:ectom(?:y|ies|ía|ia)|otom(?:y|ía|ia)|ostom(?:y|ía|ia)|oscop(?:y|ía|ia)|oplast(?:y|ia|ía)|graf(?:ía|ia))\b",
    re.IGNORECASE,
)
_TEST_RESULT = re.compile(
    r"(?i:\b(?:blood (?:sugar|pressure|count)|sugar|glucose|a1c|hba1c|hemoglobin|haemoglobin|potassium|sodium|"
    r"creatinine|cholesterol|oxygen|o2 sat|sats?|platelets?|white count|psa|inr|troponin|temperature|temp|"
    r"glucosa|az[úu]car|presi[óo]n|tensi[óo]n|glicemia|glicose|a[çc][úu]car|press[ãa]o|hemoglobina|"
    r"oxigen[oi]|sik|tansyon|tansyon li)\b(?: level| levels| count)?(?: was| were| is| of| at| de| era| estaba| "
    r"estava| te| li)?:?\s*(?:up to |down to |only |hasta |até |above |over )?\d{2,3}(?:[./]\d{1,3})?"
    r"(?:\s?(?:mg/dl|mmol/l|%|mmhg|g/dl|°f|°c))?)"
    r"|(?i:\b(?:tested|came back|test(?:ed)? was|result was|dio|deu|resultado|rezilta a)\s+(?:positive|negative|"
    r"positivo|negativo|pozitif|negatif)(?: for [\w-]+(?: [\w-]+)?)?)"
    r"|(?:血糖|血压|血氧|血红蛋白|化验结果|检查结果)[^，。,.]{0,4}?\d{2,3}(?:[./]\d{1,3})?|(?:检测|检查)结果?[是为]?(?:阳性|阴性)"
)

# Everyday words, per kind, in the five languages (lower case, accents kept; matched without accents).
LAY_TERMS: dict[str, tuple[str, ...]] = {
    "condition": (
        "diabetes", "diabetic", "sugar diabetes", "cancer", "stroke", "heart attack", "heart failure", "high blood "
        "pressure", "blood clot", "covid", "covid-19", "pneumonia", "sepsis", "dementia", "alzheimer's", "seizure",
        "seizures", "broken hip", "broken leg", "kidney failure", "kidney stones", "copd", "asthma", "hiv",
        "hepatitis", "depression", "schizophrenia", "bipolar", "miscarriage", "tumor", "tumour", "leukemia",
        "lymphoma", "infection", "uti", "overdose", "cirrhosis", "lupus", "parkinson's", "epilepsy",
        # es
        "diabético", "diabética", "infarto", "derrame", "derrame cerebral", "presión alta", "hipertensión",
        "neumonía", "cáncer", "tumor cerebral", "insuficiencia renal", "insuficiencia cardíaca", "demencia",
        "convulsiones", "embolia", "coágulo", "depresión", "aborto espontáneo", "infección", "cadera rota",
        "pierna rota", "leucemia", "hepatitis", "asma", "epoc", "sida",
        # pt
        "diabete", "ataque cardíaco", "derrame", "avc", "pressão alta", "pneumonia", "câncer", "cancro",
        "insuficiência renal", "insuficiência cardíaca", "demência", "convulsões", "infecção", "quadril quebrado",
        "perna quebrada", "leucemia", "depressão", "aborto espontâneo", "trombose", "hepatite",
        # ht
        "dyabèt", "sik", "tansyon", "tansyon wo", "kansè", "kriz kadyak", "atak kè", "estwòk", "konjesyon "
        "serebral", "nemoni", "enfeksyon", "kriz malkadi", "malkadi", "demans", "ranse", "ren an pa mache",
        "depresyon", "opresyon", "anch kase", "janm kase", "sida",
        # zh
        "糖尿病", "高血压", "癌症", "肺癌", "乳腺癌", "肿瘤", "中风", "脑卒中", "心脏病", "心梗", "心肌梗死", "心衰",
        "肺炎", "新冠", "败血症", "痴呆", "老年痴呆", "癫痫", "肾衰竭", "骨折", "抑郁症", "哮喘", "肝炎", "感染",
        "流产", "白血病", "血栓",
    ),
    "medication": (
        "chemo", "insulin", "blood thinner", "blood thinners", "antibiotics", "antibiotic", "morphine", "oxycodone",
        "painkillers", "steroids", "iv fluids", "methadone", "suboxone", "epidural",
        "insulina", "antibióticos", "antibiótico", "anticoagulante", "morfina", "analgésicos", "esteroides",
        "suero", "soro", "remédio para dor", "medicamento para la presión",
        "ensilin", "antibyotik", "medikaman pou tansyon", "sewòm",
        "胰岛素", "抗生素", "吗啡", "止痛药", "化疗药", "抗凝药", "降压药", "激素", "输液",
    ),
    "procedure": (
        "surgery", "bypass", "heart surgery", "c-section", "cesarean", "dialysis", "chemotherapy", "radiation",
        "biopsy", "mri", "ct scan", "cat scan", "x-ray", "xray", "ultrasound", "intubated", "ventilator",
        "transplant", "amputation", "stitches", "catheter", "colonoscopy", "endoscopy", "hip replacement",
        "knee replacement", "pacemaker", "stent", "blood transfusion", "transfusion", "physical therapy",
        "cirugía", "operación", "operaron", "cesárea", "diálisis", "quimioterapia", "quimio", "radioterapia",
        "biopsia", "resonancia", "tomografía", "radiografía", "ecografía", "intubado", "intubada", "trasplante",
        "amputación", "puntos", "marcapasos", "transfusión",
        "cirurgia", "operação", "operado", "operada", "cesariana", "cesárea", "diálise", "hemodiálise",
        "quimioterapia", "radioterapia", "biópsia", "ressonância", "tomografia", "raio-x", "ultrassom",
        "transplante", "amputação", "pontos", "marca-passo", "transfusão",
        "operasyon", "opere", "sezaryèn", "dyaliz", "kimyoterapi", "radyoterapi", "byopsi", "radyografi",
        "sonografi", "transfizyon", "transplantasyon",
        "手术", "开刀", "剖腹产", "透析", "化疗", "放疗", "活检", "核磁共振", "磁共振", "ct", "x光", "b超",
        "插管", "呼吸机", "移植", "截肢", "缝针", "心脏支架", "支架", "输血", "起搏器",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class ClinicalFinding:
    kind: str
    start: int
    end: int


def fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _icd_terms() -> set[str]:
    with warnings.catch_warnings():  # the library still imports pkg_resources
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as icd
    terms: set[str] = set()
    for code in icd.get_all_codes(with_dots=False):
        # Categories and their first subdivisions; not external causes (V–Y) or reasons for contact (Z).
        if len(code) > 4 or not code[0].isalpha() or code[0] in "VWXYZ" or not code[1:3].isdigit():
            continue
        for text in [icd.get_description(code), *icd.get_inclusion_term(code)]:
            head = re.sub(r"\s*\([^)]*\)", "", text).split(",")[0].strip().casefold()
            for term in {head, *(head.removeprefix(q) for q in _QUALIFIERS if head.startswith(q))}:
                words = term.split()
                fits = 1 <= len(words) <= MAX_WORDS and len(term) >= 5 and " of unspecified" not in term
                if fits and (len(words) > 1 or (term not in _ORDINARY and _MEDICAL_WORD.search(term))):
                    terms.add(fold(term))
    return terms


def _drug_terms() -> set[str]:
    from drug_named_entity_recognition import drugs_finder  # noqa: PLC0415 (a large dictionary, loaded on use)
    from drug_named_entity_recognition.util import stopwords  # noqa: PLC0415

    def spaced_code(name: str) -> bool:
        """Laboratory codes written apart ("at 10", "sl 25"): in a patient's words they are times and places."""
        words = name.split()
        return len(words) > 1 and not any(
            len(re.sub(r"[\W\d_]", "", word)) >= 3 and word.strip(",.") not in stopwords for word in words
        )

    variants = drugs_finder.d["drug_variant_to_canonical"]
    return {
        fold(name)
        for name in variants
        if len(name) >= 5
        and len(name.split()) <= MAX_WORDS
        and name not in stopwords
        and not name.isdigit()
        and not spaced_code(name)
    }


def _cache_path() -> Path:
    """Where the built vocabulary is kept: a new key whenever this module or a dictionary changes."""
    key = hashlib.sha256(Path(__file__).read_bytes())
    for name in DICTIONARIES:
        key.update(f"|{name}={metadata.version(name)}".encode())
    return Path(__file__).with_name(f"vocabulary-{key.hexdigest()[:16]}.json")


def _read_cached(path: Path) -> dict[str, str] | None:
    try:
        terms = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kinds = {"condition", "medication", *LAY_TERMS}
    if not isinstance(terms, dict) or not all(isinstance(t, str) and k in kinds for t, k in terms.items()):
        return None
    return terms


def _write_cached(path: Path, terms: dict[str, str]) -> None:
    """Written whole and then renamed, so a process never reads half a file; a read-only install skips it."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vocabulary-", suffix=".json")
    except OSError as error:
        log.warning("The health-information vocabulary could not be kept in %s (%s)", path.parent, error)
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(terms, file, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        log.warning("The health-information vocabulary could not be kept in %s (%s)", path.parent, error)


@cache
def vocabulary() -> dict[str, str]:
    """Folded term → kind, read from the kept copy or built (and kept) from the dictionaries."""
    path = _cache_path()
    terms = _read_cached(path)
    if terms is None:
        terms = build_vocabulary()
        _write_cached(path, terms)
    return terms


def build_vocabulary() -> dict[str, str]:
    """Folded term → kind. Lay terms win over the large dictionaries where both have a word."""
    terms: dict[str, str] = {}
    for term in _drug_terms():
        terms[term] = "medication"
    for term in _icd_terms():
        terms.setdefault(term, "condition")
    for kind, words in LAY_TERMS.items():
        for word in words:
            terms[fold(word)] = kind
    for word in _ORDINARY:
        terms.pop(word, None)
    return terms


@cache
def _han_terms() -> list[tuple[str, str]]:
    """Chinese is written without spaces: its terms are found as substrings, longest first."""
    han = [(term, kind) for term, kind in vocabulary().items() if re.search(r"[\u4e00-\u9fff]", term)]
    return sorted(han, key=lambda item: -len(item[0]))


def find_clinical(text: str) -> list[ClinicalFinding]:
    """Clinical details in ``text``: the longest vocabulary phrase at each place, then patterns."""
    found: list[ClinicalFinding] = []
    terms = vocabulary()
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(w for _, _, w in words[i : i + n])
            kind = terms.get(phrase)
            if kind is not None and (n > 1 or len(phrase) >= 3):
                if kind == "procedure" and _PLACE_AFTER.match(text, words[i + n - 1][1]):
                    i += n
                    break
                found.append(ClinicalFinding(kind, words[i][0], words[i + n - 1][1]))
                i += n
                break
        else:
            i += 1
    if re.search(r"[\u4e00-\u9fff]", text):
        taken = [False] * len(text)
        for term, kind in _han_terms():
            for match in re.finditer(re.escape(term), text):
                if not any(taken[match.start() : match.end()]):
                    taken[match.start() : match.end()] = [True] * len(term)
                    found.append(ClinicalFinding(kind, match.start(), match.end()))
    for match in _PROCEDURE_ENDINGS.finditer(text):
        found.append(ClinicalFinding("procedure", match.start(), match.end()))
    for match in _TEST_RESULT.finditer(text):
        found.append(ClinicalFinding("test_result", match.start(), match.end()))
    return found

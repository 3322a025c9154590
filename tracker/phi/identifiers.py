"""Identifiers in what patients write, found by Presidio recognizers in five languages.

Presidio's own recognizers find e-mail addresses, phone numbers (Google's libphonenumber, for the
regions our patients call from) and US social security numbers. Its ``PatternRecognizer`` carries our
patterns for the rest: record numbers, birth dates, street addresses, room and bed numbers and the
names people give as the patient's, each with the words that announce them in English, Spanish,
Portuguese, Haitian Creole and Chinese (patients mix languages, so every pattern runs on every text).

No language model is needed: every recognizer here is self-contained, so the analyzer runs on
Presidio's no-op NLP engine and loads once per process in well under a second.
"""

from __future__ import annotations

from functools import cache

import regex as re
import tldextract
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer, UsSsnRecognizer

LANGUAGE = "xx"  # one analyzer language: the patterns below are multilingual
PHONE_REGIONS = ("US", "CA", "MX", "ES", "PT", "BR", "HT", "DO", "CN", "GB")

_MONTHS = (
    r"(?:jan(?:uary|eiro)?|feb(?:ruary)?|fev(?:ereiro)?|mar(?:ch|zo|ço|s)?|apr(?:il)?|abr(?:il)?|avr(?:il)?|may|"
    r"mayo|maio|me|june?|junio|junho|jen|july?|julio|julho|jiyè|aug(?:ust)?|ago(?:sto)?|out|sep(?:t(?:ember)?)?|"
    r"sept(?:iembre)?|setembro|oct(?:ober|ubre)?|okt(?:ob)?|outubro|nov(?:ember|iembre|embro)?|dec(?:ember)?|"
    r"dic(?:iembre)?|dez(?:embro)?|des(?:anm)?|enero|febrero|fevrye|janvye|avril|out|septanm|novanm)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?i:{_MONTHS})\.? \d{{1,2}},? \d{{4}}"
    rf"|\d{{1,2}}(?: de)? (?i:{_MONTHS})\.?(?: de)? \d{{4}}|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号])"
)
_RECORD_WORDS = (
    r"(?i:MRN|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|chart (?:number|no\.?|#)|"
    r"patient (?:id|number|no\.?|#)|account(?: number| no\.?| #)?|(?:número de )?(?:expediente|historia clínica|"
    r"historial)|n[úu]mero de paciente|prontu[áa]rio|n[úu]mero do paciente|registro|nimewo (?:dosye|kat)|dosye)"
    r"|病历号|病案号|住院号|就诊号|病历|档案号"
)
_BIRTH_WORDS = (
    r"(?i:DOB|D\.O\.B\.|date of birth|born(?: on)?|birthday|fecha de nacimiento|naci[óo]? el|nacida? el|"
    r"data de nascimento|nascid[oa] em|dat (?:de )?nesans|li fèt|fèt)|出生日期|出生于|生日"
)
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|"
    r"Highway|Hwy)"
)
_RELATIVES = (
    r"(?i:(?:the )?patient(?:'s)? name|patient|my (?:mother|father|mom|mum|dad|wife|husband|son|daughter|"
    r"grandmother|grandfather|grandma|grandpa|brother|sister|partner|aunt|uncle|baby|child)|"
    r"(?:mi|la|el) (?:madre|padre|mam[áa]|pap[áa]|esposa|esposo|hijo|hija|abuela|abuelo|hermano|hermana|"
    r"paciente|beb[ée])|(?:minha|meu|o|a) (?:m[ãa]e|pai|esposa|marido|filho|filha|av[óô]|irm[ãa]o?|paciente|"
    r"beb[êe])|(?:manman|papa|madanm|mari|pitit(?: gason| fi)?|grann|frè|sè) (?:m|mwen)|pasyan an)"
)
_NAME = r"[A-ZÀ-Þ][a-zß-ÿ'’-]+(?: (?:de |da |dos |del )?[A-ZÀ-Þ][a-zß-ÿ'’-]+){0,2}"
_ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501

# (kind, regex, core, score). The kind is also the Presidio entity name. A pattern matches the words that
# announce an identifier with the identifier; ``core`` (searched in the match, last occurrence wins) is
# the part that is the finding, so "MRN 4481234" flags only the digits.
_DIGITS = r"[A-Z]{0,3}[-\d]{4,}"
PATTERNS: list[tuple[str, str, str | None, float]] = [
    ("record_number", rf"(?:{_RECORD_WORDS})\s*(?:is|es|é|se|:|#|：|号|n[º°o]\.?)?\s*{_DIGITS}", _DIGITS, 0.9),
    ("date_of_birth", rf"(?:{_BIRTH_WORDS})\s*(?:is|es|é|:|：|on|el|em|le|于)?\s*{_DATE}", _DATE, 0.9),
    ("address", rf"\b\d{{1,5}} (?:[A-Z][a-z]+ ){{1,3}}{_STREET}\b\.?(?:,? (?:Apt|Unit|#) ?\w+)?", None, 0.7),
    (
        "address",
        r"\b(?i:calle|avenida|av\.|rua|travessa|ri|lari|avni)\s+(?:[A-ZÀ-Þ][\wÀ-ÿ]+\s?){1,3},?\s*(?:n[º°o]\.?\s*)?\d{1,5}\b",
        None,
        0.7,
    ),
    ("address", r"[\u4e00-\u9fff]{2,8}(?:路|街|大道|巷)\s*\d{1,5}\s*号(?:\s*\d{1,4}\s*室)?", None, 0.7),
    (
        "room_bed",
        r"(?i:\b(?:room|rm\.?|bed|habitaci[óo]n|cuarto|cama|quarto|leito|sala|chanm|kabann)\s*(?:#|no\.?|n[º°])?\s*\d{1,4}[A-Za-z]?\b)",
        None,
        0.8,
    ),
    ("room_bed", r"\d{1,4}\s*(?:号床|床|号病房|病房|房间)|(?:病房|房间|床位|床号)\s*\d{1,4}", None, 0.8),
    (
        "patient_name",
        rf"(?<![\w]){_RELATIVES}(?:,| is| was| named| called| se llama| llamad[oa]| chamad[oa]| rele| ki rele|:)? {_NAME}",  # noqa: E501
        _NAME,
        0.6,
    ),
    (
        "patient_name",
        rf"(?:病人|患者|我(?:的)?(?:母亲|父亲|妈妈|爸爸|妻子|丈夫|儿子|女儿|奶奶|爷爷|外婆|外公))(?:叫|是|，|,)?\s*[{_ZH_SURNAMES}][\u4e00-\u9fff]{{1,2}}",
        rf"[{_ZH_SURNAMES}][\u4e00-\u9fff]{{1,2}}$",
        0.6,
    ),
    ("id_number", r"\b\d{3}-\d{2}-\d{4}\b", None, 0.5),  # social-security shaped, valid or not
    ("long_number", r"(?<![\w/.-])\d{7,}(?![\w/.-])", None, 0.4),  # a bare long number: a record or account
]
PRESIDIO_KINDS = {"EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "US_SSN": "id_number"}


class _OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, checking domains against the bundled public-suffix list only."""

    _extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

    def validate_result(self, pattern_text: str):
        result = self._extract(pattern_text)
        return result.fqdn != ""


CORES = {f"{kind}_{index}": re.compile(core) for index, (kind, _r, core, _s) in enumerate(PATTERNS) if core}


@cache
def analyzer() -> AnalyzerEngine:
    """One analyzer per process (it compiles every pattern once)."""
    registry = RecognizerRegistry(supported_languages=[LANGUAGE], global_regex_flags=re.DOTALL | re.MULTILINE)
    registry.add_recognizer(_OfflineEmailRecognizer(supported_language=LANGUAGE))
    registry.add_recognizer(PhoneRecognizer(supported_language=LANGUAGE, supported_regions=PHONE_REGIONS))
    registry.add_recognizer(UsSsnRecognizer(supported_language=LANGUAGE))
    for index, (kind, regex, _core, score) in enumerate(PATTERNS):
        registry.add_recognizer(
            PatternRecognizer(
                supported_entity=kind,
                name=f"tracker_{kind}_{index}",
                supported_language=LANGUAGE,
                patterns=[Pattern(f"{kind}_{index}", regex, score)],
                global_regex_flags=re.DOTALL | re.MULTILINE,  # case matters: names are capitalised
            )
        )
    engine = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "none"}])
    engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=[LANGUAGE])

"""A labelled set of patient comments in five languages, with their health information marked.

Comments are written as patients and families write them: sentence frames per language, filled
deterministically with identifiers and clinical details from hand-written pools (none taken from the
guard's vocabularies), plus comments that hold no health information at all. A marked span reads
``{kind|text}``; :func:`build` returns the plain text with the spans' offsets.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

SEED = 2026_12
PER_LANGUAGE = 42
_MARK = re.compile(r"\{(\w+)\|([^}]*)\}")

FRAMES = {
    "en": [
        "Thank you to Nurse Kim who looked after {patient} in {room}. She was so patient with her {condition}.",
        "The night team was wonderful after my {procedure}. They even explained the {medication} doses twice.",
        "Please thank Dr. Adams. {patient} was admitted with {condition}, {dob}. Call me at {phone}.",
        "Everyone was kind when my {test}. My email is {email} if you need anything.",
        "I was in {room} for my {procedure}, {record}. The aides helped me walk every morning.",
        "Thanks for the care of {patient}, who lives at {address}. The {condition} scared us but you were calm.",
        "Sam on transport was so gentle. I had just had a {procedure} and was on {medication}.",
        "Great nurses on the unit, they listened and came quickly when I pressed the call button.",
        "The food service lady remembered my name and always smiled. Thank you all!",
        "Dr. Patel sat with us and explained everything in plain words. We felt heard.",
    ],
    "es": [
        "Gracias a la enfermera Rosa que cuidó a {patient} en la {room}. Tuvo mucha paciencia con su {condition}.",
        "El equipo de noche fue maravilloso después de mi {procedure}. Me explicaron la {medication} dos veces.",
        "Por favor agradezcan al Dr. Gómez. {patient} ingresó con {condition}, {dob}. Llámeme al {phone}.",
        "Todos fueron amables cuando {test}. Mi correo es {email}.",
        "Estuve en la {room} por mi {procedure}, {record}. Las auxiliares me ayudaron a caminar.",
        "Gracias por cuidar a {patient}, que vive en {address}. El {condition} nos asustó pero ustedes nos calmaron.",
        "Las enfermeras escucharon y vinieron rápido cada vez que llamé. ¡Mil gracias!",
        "El doctor se sentó con nosotros y nos explicó todo con palabras sencillas.",
    ],
    "pt": [
        "Obrigada à enfermeira Ana que cuidou de {patient} no {room}. Teve muita paciência com a {condition}.",
        "A equipe da noite foi maravilhosa depois da minha {procedure}. Explicaram a {medication} duas vezes.",
        "Agradeçam ao Dr. Costa. {patient} foi internada com {condition}, {dob}. Ligue para {phone}.",
        "Todos foram gentis quando {test}. Meu e-mail é {email}.",
        "Fiquei no {room} para a {procedure}, {record}. As técnicas me ajudaram a andar.",
        "Obrigado por cuidar de {patient}, que mora na {address}. A {condition} nos assustou.",
        "As enfermeiras ouviram e vieram rápido sempre que chamei. Muito obrigado!",
        "O médico sentou conosco e explicou tudo com palavras simples.",
    ],
    "ht": [
        "Mèsi pou enfimyè Rose ki te okipe {patient} nan {room}. Li te gen anpil pasyans ak {condition} li.",
        "Ekip lannwit lan te bon anpil apre {procedure} mwen. Yo te eksplike {medication} a de fwa.",
        "Tanpri di Doktè Pierre mèsi. {patient} te antre ak {condition}, {dob}. Rele m nan {phone}.",
        "Tout moun te janti lè {test}. Imèl mwen se {email}.",
        "Mwen te nan {room} pou {procedure}, {record}. Asistan yo te ede m mache.",
        "Mèsi paske nou te okipe {patient}, ki rete {address}. {condition} a te fè nou pè.",
        "Enfimyè yo te koute nou e yo te vini vit chak fwa nou rele. Mèsi anpil!",
        "Doktè a te chita avè nou e li te eksplike tout bagay byen klè.",
    ],
    "zh_Hans": [
        "感谢金护士照顾住在{room}的{patient}，她对{condition}非常有耐心。",
        "我做完{procedure}后夜班团队非常好，还把{medication}的用法讲了两遍。",
        "请代我感谢王医生。{patient}因{condition}入院，{dob}。请打我电话{phone}。",
        "{test}的时候大家都很体贴。我的邮箱是{email}。",
        "我在{room}做{procedure}，{record}。护工每天早上扶我走路。",
        "谢谢你们照顾{patient}，她住在{address}。{condition}让我们很害怕，但你们很冷静。",
        "护士们很耐心，每次按铃都来得很快。非常感谢！",
        "医生坐下来用简单的话给我们解释了一切。",
    ],
}

# Fillers: each is text with its marked spans. Kinds: identifiers and clinical details.
POOLS = {
    "en": {
        "patient": ["my mother, {patient_name|Rosa Delgado},", "my dad {patient_name|Harold Briggs}",
                    "my husband {patient_name|Tom Kowalczyk}", "my grandmother {patient_name|Edna Moore}"],
        "room": ["{room_bed|room 1204}", "{room_bed|room 7B}", "{room_bed|bed 3}", "{room_bed|room 22}"],
        "condition": ["{condition|diabetes}", "{condition|dementia}", "{condition|pneumonia}",
                      "{condition|heart failure}", "{condition|stroke}", "{condition|breast cancer}"],
        "procedure": ["{procedure|hip replacement}", "{procedure|colonoscopy}", "{procedure|C-section}",
                      "{procedure|gallbladder surgery}", "{procedure|biopsy}"],
        "medication": ["{medication|insulin}", "{medication|warfarin}", "{medication|morphine}",
                       "{medication|Eliquis}", "{medication|metformin}"],
        "dob": ["born {date_of_birth|03/14/1941}", "DOB {date_of_birth|1938-07-02}",
                "date of birth {date_of_birth|May 5, 1950}"],
        "phone": ["{phone|617-555-0148}", "{phone|(857) 555-0199}", "{phone|+1 781 555 0123}"],
        "email": ["{email|rosa.d@example.com}", "{email|hbriggs42@mail.example.org}"],
        "record": ["MRN {record_number|4481234}", "record number {record_number|00918273}",
                   "patient ID {record_number|MG-552910}"],
        "address": ["{address|12 Maple Street}", "{address|440 Beacon Avenue, Apt 3}"],
        "test": ["{test_result|blood sugar was 412}", "dad {test_result|tested positive for covid}",
                 "her {test_result|potassium was 2.9}"],
    },
    "es": {
        "patient": ["mi madre {patient_name|Carmen Ruiz}", "mi padre {patient_name|José Martínez}",
                    "mi esposo {patient_name|Luis Herrera}", "mi abuela {patient_name|Dolores Vega}"],
        "room": ["{room_bed|habitación 312}", "{room_bed|cama 4}", "{room_bed|habitación 18}"],
        "condition": ["{condition|diabetes}", "{condition|demencia}", "{condition|neumonía}",
                      "{condition|presión alta}", "{condition|cáncer}", "{condition|derrame cerebral}"],
        "procedure": ["{procedure|cirugía}", "{procedure|cesárea}", "{procedure|diálisis}", "{procedure|biopsia}"],
        "medication": ["{medication|insulina}", "{medication|morfina}", "{medication|warfarina}",
                       "{medication|metformina}"],
        "dob": ["fecha de nacimiento {date_of_birth|12/05/1944}", "nació el {date_of_birth|3 de marzo de 1950}"],
        "phone": ["{phone|617-555-0172}", "{phone|+34 612 345 678}", "{phone|(617) 555-0110}"],
        "email": ["{email|carmen.ruiz@example.com}", "{email|luish@correo.example.es}"],
        "record": ["número de expediente {record_number|7734120}", "historia clínica {record_number|H-880123}"],
        "address": ["{address|Calle Mayor 15}", "{address|Avenida Central 220}"],
        "test": ["su {test_result|glucosa estaba 350}", "mi hijo {test_result|dio positivo}"],
    },
    "pt": {
        "patient": ["minha mãe, {patient_name|Maria Souza},", "meu pai {patient_name|João Pereira}",
                    "minha filha {patient_name|Beatriz Lima}"],
        "room": ["{room_bed|quarto 210}", "{room_bed|leito 6}", "{room_bed|quarto 15}"],
        "condition": ["{condition|diabetes}", "{condition|pneumonia}", "{condition|demência}",
                      "{condition|pressão alta}", "{condition|câncer}", "{condition|AVC}"],
        "procedure": ["{procedure|cirurgia}", "{procedure|cesariana}", "{procedure|hemodiálise}",
                      "{procedure|biópsia}"],
        "medication": ["{medication|insulina}", "{medication|morfina}", "{medication|varfarina}",
                       "{medication|metformina}"],
        "dob": ["data de nascimento {date_of_birth|21/09/1947}", "nascida em {date_of_birth|4 de março de 1952}"],
        "phone": ["{phone|(11) 98765-4321}", "{phone|617-555-0133}", "{phone|+55 21 99876-5432}"],
        "email": ["{email|maria.souza@example.com.br}", "{email|jpereira@example.com}"],
        "record": ["prontuário {record_number|5512098}", "prontuário nº {record_number|88123-4}"],
        "address": ["{address|Rua das Flores, 120}", "{address|Avenida Brasil 45}"],
        "test": ["a {test_result|glicose estava 300}", "o teste {test_result|deu positivo}"],
    },
    "ht": {
        "patient": ["manman m, {patient_name|Marie Joseph},", "papa m {patient_name|Jean Baptiste}",
                    "pitit fi m {patient_name|Nadia Louis}"],
        "room": ["{room_bed|chanm 14}", "{room_bed|kabann 2}", "{room_bed|chanm 305}"],
        "condition": ["{condition|dyabèt}", "{condition|tansyon wo}", "{condition|kansè}", "{condition|nemoni}",
                      "{condition|estwòk}"],
        "procedure": ["{procedure|operasyon}", "{procedure|sezaryèn}", "{procedure|dyaliz}"],
        "medication": ["{medication|ensilin}", "{medication|morfin}", "{medication|metformin}"],
        "dob": ["dat nesans {date_of_birth|02/11/1949}", "li fèt {date_of_birth|12/25/1955}"],
        "phone": ["{phone|617-555-0164}", "{phone|+509 3412 5678}", "{phone|(781) 555-0177}"],
        "email": ["{email|marie.joseph@example.com}", "{email|jbaptiste@example.ht}"],
        "record": ["nimewo dosye {record_number|6610234}", "MRN {record_number|4409981}"],
        "address": ["{address|Ri Lamatinyè 12}", "{address|25 Blue Hill Avenue}"],
        "test": ["{test_result|sik li te 400}", "{test_result|tansyon li te 190}"],
    },
    "zh_Hans": {
        "patient": ["我母亲{patient_name|王秀英}", "我父亲{patient_name|李建国}", "病人{patient_name|张伟}"],
        "room": ["{room_bed|12号床}", "{room_bed|305病房}", "{room_bed|8床}"],
        "condition": ["{condition|糖尿病}", "{condition|高血压}", "{condition|肺炎}", "{condition|中风}",
                      "{condition|老年痴呆}", "{condition|乳腺癌}"],
        "procedure": ["{procedure|手术}", "{procedure|剖腹产}", "{procedure|透析}", "{procedure|化疗}"],
        "medication": ["{medication|胰岛素}", "{medication|吗啡}", "{medication|降压药}"],
        "dob": ["出生日期{date_of_birth|1946年3月8日}", "生日{date_of_birth|1950年10月1日}"],
        "phone": ["{phone|13812345678}", "{phone|617-555-0190}"],
        "email": ["{email|wangxy@example.cn}", "{email|li.jianguo@example.com}"],
        "record": ["病历号{record_number|8812345}", "住院号{record_number|20231145}"],
        "address": ["{address|中山路25号}", "{address|人民大道100号}"],
        "test": ["{test_result|血糖18}", "{test_result|检测结果是阳性}"],
    },
}  # fmt: skip


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class LabelledComment:
    language: str
    text: str
    spans: tuple[Span, ...]


def parse(marked: str, language: str) -> LabelledComment:
    text, spans, position = [], [], 0
    offset = 0
    for match in _MARK.finditer(marked):
        text.append(marked[position : match.start()])
        offset += match.start() - position
        spans.append(Span(match.group(1), offset, offset + len(match.group(2))))
        text.append(match.group(2))
        offset += len(match.group(2))
        position = match.end()
    text.append(marked[position:])
    return LabelledComment(language, "".join(text), tuple(spans))


def build() -> list[LabelledComment]:
    rng = random.Random(SEED)
    comments = []
    for language, frames in FRAMES.items():
        pools = POOLS[language]
        for index in range(PER_LANGUAGE):
            frame = frames[index % len(frames)]
            marked = re.sub(r"\{(\w+)\}", lambda m, pools=pools: rng.choice(pools[m.group(1)]), frame)
            comments.append(parse(marked, language))
    return comments

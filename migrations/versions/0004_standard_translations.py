"""The icare standards and their example behaviours in Spanish, Portuguese, Haitian Creole and Chinese

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:50:00

The public feedback form asks about the behaviours in the patient's language; only the standards
seeded by the first migration are touched, and only where no translation was entered yet.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# key: {locale: (name, description)}
STANDARDS = {
    "communicate": {
        "es": (
            "Me comunico con calidez y amabilidad",
            "Una comunicación cálida y clara que ayuda a las personas a sentirse bienvenidas e informadas.",
        ),
        "pt": (
            "Comunico com carinho e acolhimento",
            "Uma comunicação calorosa e clara que ajuda as pessoas a sentirem-se bem-vindas e informadas.",
        ),
        "ht": (
            "Mwen kominike avèk chalè epi m akeyi moun byen",
            "Yon kominikasyon cho e klè ki ede moun santi yo byenveni epi enfòme.",
        ),
        "zh_Hans": ("我以温暖、热情的方式沟通", "温暖而清晰的沟通，让人感到受欢迎并了解情况。"),
    },
    "advocate": {
        "es": (
            "Defiendo a los pacientes, las familias, mis colegas y a mí mismo",
            "Hablar y actuar para que cada persona reciba lo que necesita.",
        ),
        "pt": (
            "Defendo os pacientes, as famílias, os colegas e a mim mesmo",
            "Falar e agir para que cada pessoa receba aquilo de que precisa.",
        ),
        "ht": (
            "Mwen defann pasyan yo, fanmi yo, kolèg mwen yo ak tèt mwen",
            "Pale epi aji pou chak moun jwenn sa yo bezwen.",
        ),
        "zh_Hans": ("我为患者、家属、同事和自己发声", "发声并采取行动，让每个人得到所需的帮助。"),
    },
    "respect": {
        "es": (
            "Respeto y acojo valores, opiniones y puntos de vista diferentes",
            "Tratar a cada persona y cada opinión con dignidad.",
        ),
        "pt": (
            "Respeito e acolho valores, opiniões e pontos de vista diferentes",
            "Tratar cada pessoa e cada opinião com dignidade.",
        ),
        "ht": (
            "Mwen respekte epi mwen akeyi valè, opinyon ak pwen de vi ki diferan",
            "Trete chak moun ak chak opinyon avèk diyite.",
        ),
        "zh_Hans": ("我尊重并接纳不同的价值观、意见和观点", "有尊严地对待每一个人和每一种观点。"),
    },
    "empathize": {
        "es": (
            "Muestro empatía y reconozco lo que sienten los demás",
            "Darse cuenta de cómo se sienten las personas y responder con compasión.",
        ),
        "pt": (
            "Tenho empatia e reconheço o que os outros sentem",
            "Perceber como as pessoas se sentem e responder com compaixão.",
        ),
        "ht": (
            "Mwen gen konpasyon epi mwen rekonèt sa lòt moun santi",
            "Remake jan moun santi yo epi reponn avèk konpasyon.",
        ),
        "zh_Hans": ("我能感同身受，体察他人的感受", "留意他人的感受，并以同理心回应。"),
    },
}

# key: {locale: (name, patient_prompt)}
BEHAVIORS = {
    "introduces-self": {
        "es": (
            "Mira a las personas a los ojos y se presenta con su nombre y su función",
            "Me dijo su nombre y cuál es su trabajo",
        ),
        "pt": (
            "Olha as pessoas nos olhos e apresenta-se com o seu nome e a sua função",
            "Disse-me o seu nome e qual é a sua função",
        ),
        "ht": ("Gade moun nan je epi prezante tèt li ak non li ak wòl li", "Li di m non li ak sa li fè"),
        "zh_Hans": ("与人目光交流，并介绍自己的姓名和职责", "他们告诉了我自己的名字和职责"),
    },
    "listens-speaks-plainly": {
        "es": ("Escucha con atención y habla con claridad", "Me escuchó y me explicó las cosas con claridad"),
        "pt": ("Ouve com atenção e fala com clareza", "Ouviu-me e explicou as coisas com clareza"),
        "ht": ("Koute byen epi pale klè", "Li koute m epi li esplike m bagay yo klèman"),
        "zh_Hans": ("认真倾听，表达清楚", "他们认真倾听，并清楚地向我解释"),
    },
    "asks-about-worries": {
        "es": (
            "Pregunta a los pacientes y a las familias qué dudas o preocupaciones tienen",
            "Me preguntó qué dudas o preocupaciones tenía",
        ),
        "pt": (
            "Pergunta aos pacientes e às famílias que dúvidas ou preocupações têm",
            "Perguntou-me que dúvidas ou preocupações eu tinha",
        ),
        "ht": (
            "Mande pasyan yo ak fanmi yo ki kesyon oswa enkyetid yo genyen",
            "Li mande m ki kesyon oswa enkyetid mwen genyen",
        ),
        "zh_Hans": ("询问患者和家属有什么疑问或担忧", "他们询问了我的疑问或担忧"),
    },
    "anticipates-needs": {
        "es": ("Se anticipa a las necesidades y ofrece ayuda", "Me ayudó antes de que tuviera que pedirlo"),
        "pt": ("Antecipa as necessidades e oferece ajuda", "Ajudou-me antes de eu ter de pedir"),
        "ht": ("Prevwa bezwen moun epi ofri èd", "Li ede m anvan m te bezwen mande"),
        "zh_Hans": ("预见需求并主动提供帮助", "我还没开口，他们就来帮忙了"),
    },
    "guides-the-lost": {
        "es": (
            "Pone primero a los pacientes y a las familias y orienta a quien parece perdido",
            "Me ayudó cuando me vio perdido",
        ),
        "pt": (
            "Coloca os pacientes e as famílias em primeiro lugar e orienta quem parece perdido",
            "Ajudou-me quando me viu perdido",
        ),
        "ht": ("Mete pasyan yo ak fanmi yo an premye epi gide moun ki sanble pèdi", "Li ede m lè l te wè m te pèdi"),
        "zh_Hans": ("把患者和家属放在首位，为迷路的人指引方向", "我迷路时，他们帮助了我"),
    },
    "includes-in-decisions": {
        "es": (
            "Incluye a pacientes, familias y colegas en las decisiones",
            "Me tuvo en cuenta en las decisiones sobre mi atención",
        ),
        "pt": ("Envolve pacientes, famílias e colegas nas decisões", "Incluiu-me nas decisões sobre os meus cuidados"),
        "ht": ("Mete pasyan, fanmi ak kolèg nan desizyon yo", "Li mete m nan desizyon sou swen mwen"),
        "zh_Hans": ("让患者、家属和同事参与决策", "他们让我参与有关我治疗的决定"),
    },
    "apologises": {
        "es": ("Pide disculpas cuando algo sale mal", "Pidió disculpas cuando algo salió mal"),
        "pt": ("Pede desculpa quando algo corre mal", "Pediu desculpa quando algo correu mal"),
        "ht": ("Mande eskiz lè yon bagay pa mache byen", "Li te mande m eskiz lè yon bagay pa t mache byen"),
        "zh_Hans": ("出现问题时主动道歉", "出了问题时，他们向我道歉"),
    },
    "keeps-privacy": {
        "es": ("Mantiene las conversaciones en privado y en el lugar adecuado", "Mantuvo mi información en privado"),
        "pt": ("Mantém as conversas em privado e no lugar certo", "Manteve as minhas informações em privado"),
        "ht": ("Kenbe konvèsasyon yo an prive epi nan bon kote", "Li kenbe enfòmasyon mwen yo an prive"),
        "zh_Hans": ("在合适的地方进行谈话，保护隐私", "他们为我的信息保密"),
    },
    "clean-and-safe": {
        "es": ("Ayuda a mantener el entorno limpio y seguro", "Mantuvo la habitación limpia y segura"),
        "pt": ("Ajuda a manter o espaço limpo e seguro", "Manteve o quarto limpo e seguro"),
        "ht": ("Ede kenbe anviwònman an pwòp e an sekirite", "Li kenbe chanm nan pwòp e an sekirite"),
        "zh_Hans": ("帮助保持环境整洁、安全", "他们保持房间整洁、安全"),
    },
    "shows-compassion": {
        "es": ("Muestra compasión y crea una conexión personal", "Fue amable y me trató como a una persona"),
        "pt": ("Mostra compaixão e cria uma ligação pessoal", "Foi gentil e tratou-me como uma pessoa"),
        "ht": ("Montre konpasyon epi kreye yon lyen pèsonèl", "Li te janti epi li trete m tankou yon moun"),
        "zh_Hans": ("表现出同情心，并建立个人联系", "他们很亲切，把我当作一个人来对待"),
    },
    "small-kindness": {
        "es": ("Pequeños gestos de amabilidad", "Tuvo un gesto amable conmigo, grande o pequeño"),
        "pt": ("Pequenos gestos de gentileza", "Teve um gesto gentil comigo, grande ou pequeno"),
        "ht": ("Ti jès jantiyès", "Li fè yon bèl jès pou mwen, gwo oswa piti"),
        "zh_Hans": ("小小的善举", "他们为我做了一件暖心的事，无论大小"),
    },
    "remembers-fear": {
        "es": (
            "Recuerda que los demás pueden tener miedo o estar en un lugar desconocido",
            "Entendió que yo tenía miedo o estaba en un lugar desconocido",
        ),
        "pt": (
            "Lembra-se de que os outros podem estar com medo ou num lugar desconhecido",
            "Percebeu que eu estava com medo ou num lugar desconhecido",
        ),
        "ht": (
            "Sonje lòt moun ka pè oswa yo ka nan yon kote yo pa konnen",
            "Li te konprann mwen te pè oswa mwen te nan yon kote m pa konnen",
        ),
        "zh_Hans": ("记得他人可能感到害怕或身处陌生环境", "他们理解我当时害怕或身处陌生环境"),
    },
}

standards = sa.table("standards", sa.column("key", sa.String), sa.column("translations", sa.JSON))
behaviors = sa.table("behaviors", sa.column("key", sa.String), sa.column("translations", sa.JSON))


def _fill(table, key: str, translations: dict) -> None:
    """Set translations only where none were entered, so an admin's own wording is kept."""
    bind = op.get_bind()
    row = bind.execute(sa.select(table.c.translations).where(table.c.key == key)).first()
    if row is None or row.translations:
        return  # the hospital replaced this one, or already translated it
    bind.execute(sa.update(table).where(table.c.key == key).values(translations=translations))


def upgrade():
    for key, by_locale in STANDARDS.items():
        _fill(standards, key, {loc: {"name": n, "description": d} for loc, (n, d) in by_locale.items()})
    for key, by_locale in BEHAVIORS.items():
        _fill(behaviors, key, {loc: {"name": n, "patient_prompt": p} for loc, (n, p) in by_locale.items()})


def downgrade():
    for key in STANDARDS:
        op.get_bind().execute(sa.update(standards).where(standards.c.key == key).values(translations={}))
    for key in BEHAVIORS:
        op.get_bind().execute(sa.update(behaviors).where(behaviors.c.key == key).values(translations={}))

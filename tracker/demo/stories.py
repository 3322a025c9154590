"""What the demo hospital's colleagues and patients write: stories, suggestions and concerns."""

# Stories colleagues and patients tell; "{name}" is the first recipient's first name.
PEER_STORIES = [
    "{name} stayed after a long shift to walk a frightened family through the discharge plan, "
    "answering every question until they felt ready to go home.",
    "When our patient became confused overnight, {name} sat with him, spoke calmly and kept him safe "
    "without restraints. The whole team noticed the difference.",
    "{name} noticed a visitor who looked lost by the elevators and walked her all the way to the family waiting room.",
    "During a very busy admission, {name} still introduced themself by name and role to every patient "
    "and made sure each one knew what would happen next.",
    "{name} covered my patients so I could take a call about my own family. I will not forget it.",
    "{name} spotted a medication interaction before it reached the patient and raised it kindly and "
    "clearly with the team.",
    "{name} brought the patient's daughter into the care conference and made sure her questions were "
    "heard before any decision was made.",
    "When a transport was delayed, {name} kept the patient warm, explained the wait and apologised "
    "for it. Small things, done with real care.",
    "{name} learned a few words of Haitian Creole to greet our patient every morning. She smiled for "
    "the first time in days.",
    "{name} cleaned up after a spill in the hallway straight away and kept everyone safe during the morning rush.",
    "{name} took time to teach a new nurse how to use the lift safely, patiently and with humour.",
    "{name} remembered that our patient's wife could not drive at night and arranged for the family "
    "meeting to happen at lunchtime instead.",
    "When a code was called, {name} stayed with the roommate and explained what was happening so he "
    "was not frightened.",
    "{name} moved a sensitive conversation to a private room so the family could talk openly.",
    "{name} made a birthday card for a long-stay patient and had the whole unit sign it.",
]

PATIENT_STORIES = [
    "{name} was so kind to my mother. She explained everything twice and never made us feel rushed.",
    "The night nurse {name} held my hand when I was scared before surgery. Thank you.",
    "{name} noticed I looked lost in the lobby and walked me to the clinic. What a difference it made.",
    "{name} introduced herself, told us her role and checked on us all night. We felt safe.",
    "Thank you {name} for listening to my worries and speaking plainly about the plan.",
    "{name} brought my husband a warm blanket and a cup of tea while he waited.",
    "La enfermera {name} fue muy amable con mi papá y nos explicó todo en español. ¡Gracias!",
    "{name} foi muito atenciosa com a minha filha e respondeu a todas as nossas perguntas.",
    "Mèsi anpil {name}, ou te trè janti avèk manman mwen pandan tout nwit lan.",
    "{name} 护士非常耐心，给我们解释了所有的问题。谢谢！",
]

SUGGESTIONS = [
    "The signs to the parking garage are hard to follow at night. Could they be lit better?",
    "It would help to have phone chargers in the family waiting room.",
    "Please offer more vegetarian choices on the evening menu.",
    "Could the discharge papers come in Spanish as well?",
    "Las instrucciones del estacionamiento deberían estar en español también.",
]

CONCERNS = [
    "We waited over two hours for pain medicine and nobody told us why.",
    "My father's hearing aids were lost during the transfer between floors.",
    "Nobody explained the change in my medication before I went home.",
    "The room was not cleaned for two days even after we asked.",
    "Nadie nos explicó por qué trasladaron a mi madre a otro piso.",
]

# The language each non-English message above is written in (the others are English), so that the
# demo stores it with the message as a patient would have sent it.
MESSAGE_LANGUAGES = {
    PATIENT_STORIES[6]: "es",
    PATIENT_STORIES[7]: "pt",
    PATIENT_STORIES[8]: "ht",
    PATIENT_STORIES[9]: "zh_Hans",
    SUGGESTIONS[4]: "es",
    CONCERNS[4]: "es",
}

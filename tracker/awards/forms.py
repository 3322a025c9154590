"""The award forms. Rules live in the services; these forms parse and show messages by field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.awards.blinding import BLINDED_STORY_MAX
from tracker.awards.committee import CONFLICT_REASON_MAX
from tracker.awards.decisions import DECISION_LABELS, RATIONALE_MAX
from tracker.awards.nominations import MAX_STORY
from tracker.awards.programmes import CRITERION_DESCRIPTION_MAX, DEFAULT_LABELS, DESCRIPTION_MAX
from tracker.awards.scoring import COMMENT_MAX, CRITERION_COMMENT_MAX
from tracker.feedback.forms import OptionalDateField
from tracker.forms import Form
from tracker.models import AwardCriterion, NominatorType


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def relation_choices():
    return [
        SelectChoice(NominatorType.PATIENT.value, _l("I am the patient")),
        SelectChoice(NominatorType.FAMILY.value, _l("I am family or a friend of the patient")),
        SelectChoice(NominatorType.VISITOR.value, _l("I am a visitor")),
    ]


class NominationForm(Form):
    """The nomination form: public (patients and families) and for signed-in staff."""

    submission_key = HiddenField()
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()
    nominee_name = StringField(_l("Who are you nominating?"), description=_l("Their name as you remember it."))
    unit_slug = SelectField(_l("Where do they work?"), validate_choice=False)
    whole_team = BooleanField(_l("I am nominating the whole team of this unit"))
    story = TextAreaField(
        _l("Tell us what they did"),
        description=_l("What happened, and what difference it made. Please leave out health details."),
        render_kw={"rows": 8, "data-max": MAX_STORY},
    )
    criteria = CheckboxesField(_l("What did their care show? (optional)"), validate_choice=False, coerce=str)
    relation = RadioField(_l("Who are you?"), choices=relation_choices(), validate_choice=False)
    contact_name = StringField(_l("Your name (optional)"), render_kw={"autocomplete": "name"})
    contact_email = EmailField(
        _l("Your e-mail (optional)"),
        description=_l("Leave it if you would like to hear whether they are chosen."),
        render_kw={"autocomplete": "email"},
    )
    contact_phone = TelField(_l("Your phone number (optional)"), render_kw={"autocomplete": "tel"})
    consent = BooleanField(
        _l("The award committee and the person I nominate may read my nomination (without my contact details)")
    )


class ProgrammeForm(Form):
    name = StringField(_l("Name"))
    slug = StringField(_l("Web address name"), description=_l("Lower-case letters, digits and hyphens."))
    description = TextAreaField(_l("Description"), render_kw={"rows": 3, "data-max": DESCRIPTION_MAX})
    job_families = StringField(
        _l("Eligible job families"), description=_l("Separated by commas; leave empty for every job family.")
    )
    department_slug = SelectField(_l("Eligible department"), validate_choice=False)
    honourees_per_cycle = IntegerField(_l("Honourees each cycle"), default=1, validators=[Optional()])
    judges_per_nomination = IntegerField(_l("Judges for each nomination"), default=3, validators=[Optional()])


class CriterionForm(Form):
    name = StringField(_l("Criterion"))
    description = TextAreaField(_l("Description"), render_kw={"rows": 2, "data-max": CRITERION_DESCRIPTION_MAX})
    label_1 = StringField(_l("Label for 1"), default=lambda: str(DEFAULT_LABELS[0]))
    label_2 = StringField(_l("Label for 2"), default=lambda: str(DEFAULT_LABELS[1]))
    label_3 = StringField(_l("Label for 3"), default=lambda: str(DEFAULT_LABELS[2]))
    label_4 = StringField(_l("Label for 4"), default=lambda: str(DEFAULT_LABELS[3]))
    label_5 = StringField(_l("Label for 5"), default=lambda: str(DEFAULT_LABELS[4]))
    weight = StringField(_l("Weight"), default="1")
    required = BooleanField(_l("Judges must score it"), default=True)

    def labels(self) -> list[str]:
        return [getattr(self, f"label_{point}").data or "" for point in range(1, 6)]


class CycleForm(Form):
    name = StringField(_l("Cycle name"), description=_l("For example: 2026 Q4."))
    nominating_from = OptionalDateField(_l("Nominations open"))
    judging_from = OptionalDateField(_l("Judging starts"))
    deciding_from = OptionalDateField(_l("Deciding starts"))
    announced_on = OptionalDateField(_l("Announcement"))
    closes_on = OptionalDateField(_l("Cycle closes"))


class CommitteeForm(Form):
    email = EmailField(_l("Judge's e-mail address"))


class PhaseForm(Form):
    phase = HiddenField()


class BlindForm(Form):
    blinded_story = TextAreaField(_l("Blinded copy"), render_kw={"rows": 10, "data-max": BLINDED_STORY_MAX})


class DecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice(key.value, label) for key, label in DECISION_LABELS.items()],
        validate_choice=False,
    )
    rationale = TextAreaField(_l("Rationale"), render_kw={"rows": 3, "data-max": RATIONALE_MAX})


class ShortlistForm(Form):
    on = HiddenField()


class FulfilmentForm(Form):
    copy_sent = BooleanField(_l("Copy of the nomination sent"))
    pin_given = BooleanField(_l("Pin given"))
    celebrated = BooleanField(_l("Celebrated on the unit"))


class ConvertForm(Form):
    programme = SelectField(_l("Programme"), validate_choice=False)
    nominee_email = EmailField(
        _l("Nominee's e-mail address (optional)"), description=_l("Leave empty to use the person the record names.")
    )


class ConflictForm(Form):
    reason = TextAreaField(
        _l("Why can you not judge this nomination fairly?"),
        render_kw={"rows": 2, "data-max": CONFLICT_REASON_MAX},
    )


def score_form(criteria: list[AwardCriterion], formdata=None) -> Form:
    """A form with one 1–5 choice and one comment per criterion, plus an overall comment."""

    class ScoreForm(Form):
        comment = TextAreaField(_l("Overall comment (optional)"), render_kw={"rows": 3, "data-max": COMMENT_MAX})

    for criterion in criteria:
        choices = [
            SelectChoice(str(point), f"{point} · {label}")
            for point, label in enumerate(criterion.scale_labels, start=1)
        ]
        setattr(ScoreForm, f"score_{criterion.id}", RadioField(criterion.name, choices=choices, validate_choice=False))
        setattr(
            ScoreForm,
            f"comment_{criterion.id}",
            TextAreaField(
                _l("Comment on %(name)s (optional)", name=criterion.name),
                render_kw={"rows": 2, "data-max": CRITERION_COMMENT_MAX},
            ),
        )
    return ScoreForm(formdata=formdata) if formdata is not None else ScoreForm()

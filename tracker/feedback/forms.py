"""The feedback forms. Rules live in the service; these forms parse and show messages by field."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import DateInput

from tracker.feedback.limits import MESSAGE_MAX, STAFF_NAMES_MAX
from tracker.forms import Form
from tracker.models import FeedbackType, Relation, Source


class OptionalDateField(Field):
    """A date the browser may offer a picker for; empty means "not given"."""

    widget = DateInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if text:
            try:
                self.data = date.fromisoformat(text)
            except ValueError as error:
                raise ValueError(_l("Please enter a date like 2024-05-31.")) from error


def type_choices():
    return [
        SelectChoice(FeedbackType.COMPLIMENT.value, _l("Thank someone")),
        SelectChoice(FeedbackType.SUGGESTION.value, _l("Suggest something we could do better")),
        SelectChoice(FeedbackType.CONCERN.value, _l("Raise a concern")),
    ]


def relation_choices():
    return [
        SelectChoice(Relation.PATIENT.value, _l("I am the patient")),
        SelectChoice(Relation.FAMILY.value, _l("I am family or a friend of the patient")),
        SelectChoice(Relation.VISITOR.value, _l("I am a visitor")),
    ]


class FeedbackQuestions(Form):
    """What the public form and staff entry both ask."""

    # One per form shown: a double-click or a resent form stores the feedback once.
    submission_key = HiddenField()

    type = RadioField(
        _l("What would you like to do?"),
        choices=type_choices(),
        validate_choice=False,
        validators=[InputRequired(_l("Please choose what you would like to do."))],
    )
    staff_names = StringField(
        _l("Who was it?"),
        description=_l("Their name as you remember it, or describe them if you do not know it."),
        render_kw={"data-max": STAFF_NAMES_MAX},
    )
    unit_slug = SelectField(_l("Where were you?"), validate_choice=False)
    location_text = StringField(_l("Anything more about the place (optional)"))
    occurred_on = OptionalDateField(_l("When did it happen? (optional)"))
    occurred_when = StringField(_l("Time of day (optional)"), description=_l("For example: night shift, Tuesday."))
    message = TextAreaField(
        _l("What happened?"),
        validators=[DataRequired(_l("Please write a few words."))],
        render_kw={"rows": 6, "data-max": MESSAGE_MAX},
    )
    behaviors = SelectMultipleField(_l("Did they…"), validate_choice=False)
    relation = RadioField(_l("Who are you?"), choices=relation_choices(), validate_choice=False)
    contact_name = StringField(_l("Your name (optional)"), render_kw={"autocomplete": "name"})
    contact_email = EmailField(_l("Your e-mail (optional)"), render_kw={"autocomplete": "email"})
    contact_phone = TelField(_l("Your phone number (optional)"), render_kw={"autocomplete": "tel"})
    consent_to_share = BooleanField(_l("You may share my words with the staff member"))
    consent_to_wall = BooleanField(_l("You may show my words on the hospital's thank-you wall with my first name only"))


class FeedbackForm(FeedbackQuestions):
    """The public form. Spam defences: people never see or fill ``website``; ``started`` is signed."""

    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()


def source_choices():
    return [
        SelectChoice(Source.PAPER_CARD.value, _l("Paper comment card")),
        SelectChoice(Source.LETTER.value, _l("Letter")),
        SelectChoice(Source.EMAIL.value, _l("E-mail")),
        SelectChoice(Source.PHONE.value, _l("Phone call")),
    ]


class StaffFeedbackForm(FeedbackQuestions):
    """Staff transcribing a card, letter, e-mail or call: the same questions plus where it came from."""

    source = SelectField(_l("Received as"), choices=source_choices(), validate_choice=False)

"""Forms for giving, reviewing, answering and acknowledging recognitions.

Choices for people, standards and behaviours come from the database at request time; the
service checks them, so the form does not validate choices itself.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from tracker.forms import Form
from tracker.models import Visibility
from tracker.recognitions.services import MAX_MESSAGE, MAX_NOTE


class RecognitionForm(Form):
    recipients = SelectMultipleField(_l("Colleagues"), coerce=str, validate_choice=False)
    people_query = StringField(
        _l("Find a colleague"), validators=[Optional(), Length(max=100)], render_kw={"autocomplete": "off"}
    )
    find = SubmitField(_l("Find"))
    unit = SelectField(_l("Or a whole team"), validate_choice=False)
    standards = SelectMultipleField(_l("icare standards"), validate_choice=False)
    behaviors = SelectMultipleField(_l("Example behaviours"), validate_choice=False)
    message = TextAreaField(_l("What happened?"), render_kw={"rows": 6, "data-max": MAX_MESSAGE})
    visibility = RadioField(
        _l("Who may read it"),
        choices=[
            SelectChoice(Visibility.PUBLIC.value, _l("Public: on the wall, for everybody at the hospital")),
            SelectChoice(Visibility.PRIVATE.value, _l("Private: only the people recognised and their managers")),
        ],
        default=Visibility.PUBLIC.value,
        validate_choice=False,
    )
    submission_key = HiddenField()
    submit = SubmitField(_l("Send recognition"))


class ReplyForm(Form):
    message = TextAreaField(_l("Your thank-you"), render_kw={"rows": 3, "data-max": MAX_NOTE})
    submit = SubmitField(_l("Send thank-you"))


class AcknowledgeForm(Form):
    note = TextAreaField(_l("Note for the people recognised (optional)"), render_kw={"rows": 2, "data-max": MAX_NOTE})
    submit = SubmitField(_l("Acknowledge"))


class ApproveForm(Form):
    submit = SubmitField(_l("Approve and publish"))


class ReturnForm(Form):
    reason = TextAreaField(_l("Reason for the giver"), render_kw={"rows": 2, "data-max": MAX_NOTE})
    submit = SubmitField(_l("Return to the giver"))


class WallFilterForm(Form):
    """The wall's filters travel in the query string, so the form needs no CSRF token."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), validate_choice=False)
    standard = SelectField(_l("Standard"), validate_choice=False)

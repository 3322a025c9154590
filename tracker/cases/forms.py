"""Forms for working a case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from tracker.cases.services import NOTE_MAX
from tracker.feedback.forms import OptionalDateField
from tracker.forms import Form


class AssignForm(Form):
    assignee_id = SelectField(_l("Assigned to"), coerce=int, validate_choice=False)


class NoteForm(Form):
    note = TextAreaField(_l("Internal note"), render_kw={"rows": 3, "data-max": NOTE_MAX})


class StatusForm(Form):
    status = HiddenField()


class ResolutionForm(Form):
    resolution_contact = StringField(
        _l("Contact person"), description=_l("Who the patient can contact about this, with their phone or e-mail.")
    )
    resolution_steps = TextAreaField(_l("Steps taken to investigate"), render_kw={"rows": 4, "data-max": NOTE_MAX})
    resolution_outcome = TextAreaField(_l("Outcome"), render_kw={"rows": 4, "data-max": NOTE_MAX})
    resolution_completed_on = OptionalDateField(_l("Date of completion"))


class LetterEmailForm(Form):
    confirm = BooleanField(_l("I have read the letter and it is ready to go to the patient"))

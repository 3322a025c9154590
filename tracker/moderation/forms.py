"""The moderator's decision forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from tracker.moderation.services import REJECTION_REASONS


class ApproveForm(FlaskForm):
    recipient_ids = SelectMultipleField(_l("Who is thanked"), coerce=int, validate_choice=False)
    other_recipient = StringField(
        _l("Someone else (their work e-mail)"), description=_l("When the right person is not suggested above.")
    )
    standard_keys = SelectMultipleField(_l("icare standards"), validate_choice=False)
    approved_message = TextAreaField(_l("Words staff will read"), render_kw={"rows": 6})


class RejectForm(FlaskForm):
    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(key, label) for key, label in REJECTION_REASONS.items()],
        validate_choice=False,
    )
    note = StringField(_l("Note (optional)"))


class SplitForm(FlaskForm):
    compliment_text = TextAreaField(_l("The compliment"), render_kw={"rows": 4})
    concern_text = TextAreaField(_l("The concern"), render_kw={"rows": 4})


class ActionForm(FlaskForm):
    """A one-button action (redact, convert): only the CSRF token."""

"""The moderator's decision forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from tracker.feedback.limits import MESSAGE_MAX
from tracker.forms import Form
from tracker.i18n import LANGUAGE_NAMES
from tracker.models import FeedbackType
from tracker.moderation.queue import TYPE_LABELS, QueueFilters
from tracker.moderation.services import REJECT_NOTE_MAX, REJECTION_REASONS


class ApproveForm(Form):
    recipient_ids = SelectMultipleField(_l("Who is thanked"), coerce=int, validate_choice=False)
    other_recipient = StringField(
        _l("Someone else (their work e-mail)"), description=_l("When the right person is not suggested above.")
    )
    standard_keys = SelectMultipleField(_l("icare standards"), validate_choice=False)
    approved_message = TextAreaField(_l("Words staff will read"), render_kw={"rows": 6, "data-max": MESSAGE_MAX})


class RejectForm(Form):
    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(key, label) for key, label in REJECTION_REASONS.items()],
        validate_choice=False,
    )
    note = StringField(
        _l("Note"),
        description=_l("Needed when the reason is “Other”: say why."),
        render_kw={"data-max": REJECT_NOTE_MAX},
    )


class SplitForm(Form):
    compliment_text = TextAreaField(_l("The compliment"), render_kw={"rows": 4, "data-max": MESSAGE_MAX})
    concern_text = TextAreaField(_l("The concern"), render_kw={"rows": 4, "data-max": MESSAGE_MAX})


class ActionForm(Form):
    """A one-button action (redact, convert): only the CSRF token."""


class QueueFilterForm(Form):
    """The queue's GET filters; an empty choice means any. Unknown values are refused by :meth:`filters`."""

    class Meta:
        csrf = False  # a GET filter form

    type = SelectField(
        _l("Type"),
        choices=[SelectChoice("", _l("Any type"))] + [SelectChoice(t.value, label) for t, label in TYPE_LABELS.items()],
        validate_choice=False,
    )
    language = SelectField(
        _l("Language written in"),
        choices=[SelectChoice("", _l("Any language"))]
        + [
            SelectChoice(code, name, render_kw={"lang": code.replace("_", "-")})
            for code, name in LANGUAGE_NAMES.items()
        ],
        validate_choice=False,
    )
    health_information = SelectField(
        _l("Possible health information"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("yes", _l("Flagged")),
            SelectChoice("no", _l("Not flagged")),
        ],
        validate_choice=False,
    )
    overdue = BooleanField(_l("Overdue only"))

    def filters(self) -> QueueFilters | None:
        """The filters chosen, or ``None`` with each unknown value's error on its field."""
        refused = False
        for field in (self.type, self.language, self.health_information):
            if field.data and field.data not in {choice.value for choice in field.choices}:
                field.errors = [_("Please choose from the list.")]
                refused = True
        if refused:
            return None
        return QueueFilters(
            type=FeedbackType(self.type.data) if self.type.data else None,
            language=self.language.data or None,
            health_information={"yes": True, "no": False}.get(self.health_information.data or ""),
            overdue_only=bool(self.overdue.data),
        )

    @property
    def chosen(self) -> dict[str, str]:
        """The filters as query arguments, so page links keep them."""
        return {name: "y" if value is True else value for name, value in self.data.items() if value}

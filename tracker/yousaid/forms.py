"""The forms of "you said, we did": they only parse; the service checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from tracker.forms import Form
from tracker.yousaid.services import NOTE_MAX, SUMMARY_MAX


class ActionForm(Form):
    unit_id = SelectField(_l("Unit"), validate_choice=False)
    month = StringField(
        _l("Month it was done"),
        description=_l("Year and month, like 2026-03."),
        render_kw={"type": "month", "inputmode": "numeric", "autocomplete": "off"},
    )
    summary = TextAreaField(
        _l("What was done, for the public page"),
        description=_l(
            "One or two sentences in plain words that anybody may read. No names of patients or families, "
            "no room numbers, dates of birth or health details."
        ),
        render_kw={"rows": 4, "data-max": SUMMARY_MAX},
    )


class RejectForm(Form):
    note = StringField(_l("Why not (optional)"), render_kw={"data-max": NOTE_MAX})


class DecisionForm(Form):
    """A one-button decision (approve): only the CSRF token."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.forms import Form


class AcknowledgeForm(Form):
    """A manager's acknowledgement of a recognition, with an optional note to the recipients."""

    note = TextAreaField(_l("Note to the recipients (optional)"), validators=[Optional(), Length(max=1000)])
    next = HiddenField()

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField

from tracker.forms import Form
from tracker.recognitions.services import MAX_NOTE


class AcknowledgeForm(Form):
    """A manager's acknowledgement of a recognition, with an optional note to the recipients."""

    note = TextAreaField(_l("Note to the recipients (optional)"), render_kw={"data-max": MAX_NOTE})
    next = HiddenField()

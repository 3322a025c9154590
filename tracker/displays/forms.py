from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.forms import Form

LABEL_LENGTH = 100


class NewDisplayLinkForm(Form):
    label = StringField(
        _l("Where is the screen?"),
        validators=[DataRequired(), Length(max=LABEL_LENGTH)],
        render_kw={"autocomplete": "off", "maxlength": LABEL_LENGTH},
    )


class RevokeDisplayLinkForm(Form):
    """Only the CSRF token: revoking is a POST like every other change."""

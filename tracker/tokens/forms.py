from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.forms import Form


class NewTokenForm(Form):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        render_kw={"autocomplete": "off", "maxlength": 100},
    )


class RevokeTokenForm(Form):
    """Only the CSRF token: revoking is a POST like every other change."""

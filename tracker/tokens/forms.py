from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        render_kw={"autocomplete": "off", "maxlength": 100},
    )


class RevokeTokenForm(FlaskForm):
    """Only the CSRF token: revoking is a POST like every other change."""

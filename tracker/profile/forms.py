from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from tracker.forms import Form
from tracker.i18n import LANGUAGE_NAMES


class PreferencesForm(Form):
    show_on_walls = BooleanField(_l("Show recognitions of me on walls and leaderboards"))
    email_notifications = BooleanField(_l("Send me e-mails when I am recognised or thanked"))
    language = SelectField(
        _l("My language"),
        choices=[SelectChoice("", _l("As my browser asks"))]
        + [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[AnyOf(["", *LANGUAGE_NAMES], message=_l("Please choose one of the languages offered."))],
    )
    submit = SubmitField(_l("Save preferences"))


class WallPreferenceForm(Form):
    """The wall choice alone, offered beside a person's own recognitions."""

    show_on_walls = BooleanField(_l("Show recognitions of me on walls and leaderboards"))
    submit = SubmitField(_l("Save"))

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class PreferencesForm(FlaskForm):
    show_on_walls = BooleanField(_l("Show recognitions of me on walls and leaderboards"))
    email_notifications = BooleanField(_l("Send me e-mails when I am recognised or thanked"))
    submit = SubmitField(_l("Save preferences"))


class WallPreferenceForm(FlaskForm):
    """The wall choice alone, offered beside a person's own recognitions."""

    show_on_walls = BooleanField(_l("Show recognitions of me on walls and leaderboards"))
    submit = SubmitField(_l("Save"))

"""Forms of the channel and webhook pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from tracker.admin.forms import optional_int
from tracker.forms import Form
from tracker.models import WebhookEvent

LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português", "ht": "Kreyòl ayisyen", "zh_Hans": "简体中文"}


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]


class ActionForm(Form):
    """The buttons (test, pause, resume, remove, replay): a CSRF token and nothing else."""


class _ChannelOptions(Form):
    name = StringField(_l("Name shown here (optional)"), validators=[Optional(), Length(max=120)])
    language = SelectField(_l("Language of the posts"))
    post_recognitions = BooleanField(_l("Post public recognitions of people in this department"), default=True)
    post_awards = BooleanField(_l("Post award honourees when a cycle is announced"), default=True)
    post_weekly_summary = BooleanField(_l("Post a weekly summary for the unit"))


class ChannelForm(_ChannelOptions):
    department = SelectField(_l("Department"), coerce=optional_int, validators=[InputRequired()])
    kind = SelectField(
        _l("Service"),
        choices=[SelectChoice("teams", "Microsoft Teams"), SelectChoice("slack", "Slack")],
        validators=[InputRequired()],
    )
    url = StringField(
        _l("Webhook address"),
        validators=[InputRequired(), Length(max=2000)],
        description=_l(
            "Paste the address Teams (Workflows) or Slack gave you."
            " It is stored encrypted and never shown again in full."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class ChannelEditForm(_ChannelOptions):
    new_url = StringField(
        _l("New webhook address (leave empty to keep the current one)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class EndpointForm(Form):
    url = StringField(
        _l("Endpoint address"),
        validators=[InputRequired(), Length(max=2000)],
        description=_l("An HTTPS address of the receiving system. Stored encrypted and never shown again in full."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    description = StringField(_l("What it is for (optional)"), validators=[Optional(), Length(max=200)])
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(event.value, event.value) for event in WebhookEvent],
        validators=[InputRequired()],
        description=_l("Hold Ctrl (or Cmd) to choose several."),
    )

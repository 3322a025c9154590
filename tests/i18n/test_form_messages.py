"""WTForms' own messages in the reader's language, Haitian Creole included (WTForms has no Creole)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.forms import Form


class SampleForm(Form):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[DataRequired()])
    code = StringField("Code", validators=[Length(min=3)])
    unit = SelectField("Unit", choices=[SelectChoice("a", "A")])


@pytest.mark.parametrize(
    ("locale", "required", "too_short", "choice"),
    [
        ("ht", "Ou dwe ranpli espas sa a.", "Espas sa a dwe gen omwen 3 karaktè.", "Chwa sa a pa nan lis la."),
        ("es", "Este campo es obligatorio.", "El campo debe tener al menos 3 caracteres.", "No es una opción válida."),
        ("zh_Hans", "此项为必填项。", "此项至少需要3个字符。", "不是有效的选项。"),
        ("en", "This field is required.", "Field must be at least 3 characters long.", "Not a valid choice."),
    ],
)
def test_built_in_messages_speak_the_reader_language(app, locale, required, too_short, choice):
    with app.test_request_context("/"), force_locale(locale):
        form = SampleForm(formdata=MultiDict({"name": "", "code": "ab", "unit": "zz"}))
        assert not form.validate()
        assert form.name.errors == [required]
        assert form.code.errors == [too_short]
        assert form.unit.errors == [choice]


def test_a_message_we_do_not_list_keeps_wtforms_own_translation(app):
    with app.test_request_context("/"), force_locale("es"):
        form = SampleForm(formdata=MultiDict({"name": "x", "code": "abc", "unit": "a"}))
        translations = form.meta.get_translations(form)
        assert translations.gettext("Invalid email address.") == "Email inválido."
        assert translations.gettext("Invalid UUID.") != "Invalid UUID."

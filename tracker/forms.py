"""The base of every form: WTForms' own messages ("This field is required.") in the reader's language.

WTForms ships catalogues for Spanish, Portuguese and Chinese but none for Haitian Creole, so a
Creole reader saw its built-in messages in English. The messages our forms can show are listed
below, which puts them in the application's catalogues beside every other string; a message not
listed still gets WTForms' own translation where it has one.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations

# The built-in messages of the validators and fields the forms use, marked for extraction.
BUILT_IN_MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Invalid value, must be one of: %(values)s."),
    lazy_ngettext(
        "Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1
    ),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1
    ),
    lazy_ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1
    ),
)


class _Translations:
    """The application's catalogue first, then WTForms' own; the texts are formatted by WTForms."""

    def gettext(self, string: str) -> str:
        if has_request_context():
            translated = get_translations().ugettext(string)
            if translated != string:
                return translated
        return wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if has_request_context():
            translated = get_translations().ungettext(singular, plural, n)
            if translated not in (singular, plural):
                return translated
        return wtforms_translations.ngettext(singular, plural, n)


TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages speak the reader's language."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

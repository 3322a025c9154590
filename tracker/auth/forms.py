from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker import passwords
from tracker.forms import Form

# Our own words for WTForms' checks: its catalogues have no Haitian Creole.
TOO_LONG = _l("Please keep it under %(max)d characters.")


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254, message=TOO_LONG)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=200, message=TOO_LONG)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class SetPasswordForm(Form):
    """The password policy (``tracker.passwords``) checks the choice; the view sets ``person`` on the form."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please choose a password.")), passwords.check_field],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Please type the new password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class EmailLinkForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254, message=TOO_LONG)],
        render_kw={"autocomplete": "email"},
    )

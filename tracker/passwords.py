"""Password policy: long enough, and not one of the passwords attackers try first.

Length beats composition rules (NIST SP 800-63B): we ask for at least 12 characters and refuse
the passwords found most often in breaches, plus the person's own e-mail or name. The list ships
with the project (``tracker/data/common-passwords.txt``, see the README beside it).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from wtforms import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased; read once per process."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is refused, as a message for the person choosing it; ``None`` when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_LENGTH)
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) < 3:
        return _("This password is too common and easy to guess. Try a few unrelated words.")
    personal = {email.strip().lower(), email.strip().lower().partition("@")[0], name.strip().lower()}
    personal.add(name.strip().lower().replace(" ", ""))
    if folded in personal - {""}:
        return _("Do not use your e-mail address or name as your password.")
    return None


def check_field(form, field) -> None:
    """WTForms validator: why the policy refuses the password, shown by the field.

    The form's ``person`` attribute, when set, lets the check refuse the person's own e-mail or name.
    """
    person = getattr(form, "person", None)
    message = problem(field.data or "", email=getattr(person, "email", ""), name=getattr(person, "name", ""))
    if message:
        raise ValidationError(message)

"""Small input checks shared by the award services; each adds its message to ``errors`` by field."""

from __future__ import annotations

from flask_babel import format_number
from flask_babel import gettext as _


def text(value, field: str, limit: int, errors: dict, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = [_("Please enter text.")]
        return ""
    value = value.strip()
    if "\x00" in value:
        errors[field] = [_("Please enter text.")]
        return ""
    if required and not value:
        errors[field] = [_("Please write a few words.")]
    elif len(value) > limit:
        errors[field] = [_("Please keep this under %(limit)s characters.", limit=format_number(limit))]
    return value


def whole_number(value, field: str, low: int, high: int, errors: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            errors[field] = [_("Please enter a whole number from %(low)d to %(high)d.", low=low, high=high)]
            return low
    if not low <= value <= high:
        errors[field] = [_("Please enter a whole number from %(low)d to %(high)d.", low=low, high=high)]
    return value

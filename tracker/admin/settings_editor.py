"""Checking and saving the run-time settings, with one audit event per changed value."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from flask_babel import format_number
from flask_babel import gettext as _

from tracker import audit, settings
from tracker.feedback.urgent import help_phone_problem, tidy_help_phone
from tracker.validation import InvalidInput

# key: (smallest, largest) for the whole-number settings
RANGES: dict[str, tuple[int, int]] = {
    "daily_recognition_limit": (1, 1000),
    "case_acknowledge_days": (1, 90),
    "case_resolve_days": (1, 365),
    "moderation_overdue_days": (1, 30),
    "contact_retention_days": (30, 3650),
}


def current() -> dict[str, Any]:
    return {key: settings.get(key) for key in settings.DEFAULTS}


def check(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, (low, high) in RANGES.items():
        value = values.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[key] = [
                _("Enter a whole number from %(low)s to %(high)s.", low=format_number(low), high=format_number(high))
            ]
    if not errors and values["case_resolve_days"] < values["case_acknowledge_days"]:
        errors["case_resolve_days"] = [_("Resolving cannot be due before acknowledging.")]
    for key in ("approval_required", "survey_comments_on_walls"):
        if not isinstance(values.get(key), bool):
            errors[key] = [_("Choose yes or no.")]
    if values.get("timezone") not in available_timezones():
        errors["timezone"] = [_("Choose a time zone from the list, like America/New_York.")]
    if problem := help_phone_problem(values.get("patient_help_phone")):
        errors["patient_help_phone"] = [problem]
    return errors


def save(values: dict[str, Any], *, by_id: int | None) -> list[str]:
    """Store every setting that changed; returns their keys. Nothing is written if any value is refused."""
    values = {key: values.get(key) for key in settings.DEFAULTS}
    values["patient_help_phone"] = tidy_help_phone(values["patient_help_phone"])
    errors = check(values)
    if errors:
        raise InvalidInput(errors)
    before = current()
    changed = [key for key, value in values.items() if before[key] != value]
    for key in changed:
        settings.set_value(key, values[key], by_id=by_id)
        audit.record("setting_changed", "setting", key, old=before[key], new=values[key])
    return changed

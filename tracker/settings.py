"""Settings admins change at run time, stored in the database with defaults here."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import Setting

DEFAULTS: dict[str, Any] = {
    "approval_required": False,
    "daily_recognition_limit": 20,
    "case_acknowledge_days": 7,
    "case_resolve_days": 30,
    "contact_retention_days": 365,
    "timezone": "America/New_York",
}


def get(key: str) -> Any:
    row = db.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key]


def set_value(key: str, value: Any, *, by_id: int | None = None) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value, updated_by_id=by_id))
    else:
        row.value = value
        row.updated_by_id = by_id

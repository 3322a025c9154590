"""Settings admins change at run time, stored in the database with defaults here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Setting

DEFAULTS: dict[str, Any] = {
    "approval_required": False,
    "daily_recognition_limit": 20,
    "case_acknowledge_days": 7,
    "case_resolve_days": 30,
    # Patient feedback waiting longer than this for a moderator is marked overdue in the queue.
    "moderation_overdue_days": 2,
    "contact_retention_days": 365,
    "timezone": "America/New_York",
    # The number the public feedback form offers for help that cannot wait; empty offers none.
    "patient_help_phone": "",
    # Survey comments approved as recognitions may reach public walls only when this is on and the
    # vendor's consent terms (the survey mapping) allow it too; otherwise they stay private.
    "survey_comments_on_walls": False,
}


_READ = "tracker.settings"


def _stored() -> dict[str, Any]:
    """Every stored setting, read once per transaction: a write reads three or four of them."""
    session = db.session()
    transaction = session.get_transaction()
    cached = session.info.get(_READ)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]
    values = dict(session.execute(sa.select(Setting.key, Setting.value)).all())
    session.info[_READ] = (session.get_transaction(), values)
    return values


def get(key: str) -> Any:
    values = _stored()
    return values[key] if key in values else DEFAULTS[key]


def set_value(key: str, value: Any, *, by_id: int | None = None) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    db.session.info.pop(_READ, None)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value, updated_by_id=by_id))
    else:
        row.value = value
        row.updated_by_id = by_id

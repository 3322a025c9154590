"""The audit trail: one helper that every sensitive read and write calls."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from tracker.extensions import db
from tracker.models import AuditEvent, Person


def record(
    action: str,
    object_type: str = "",
    object_id: object = "",
    *,
    actor: Person | None = None,
    **details: object,
) -> AuditEvent:
    """Add an audit event to the current transaction (flushed, committed by the caller)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        actor_id=actor.id if actor is not None else None,
        ip_address=(request.remote_addr or "") if has_request_context() else "cli",
        details={key: value for key, value in details.items() if value is not None},
    )
    db.session.add(event)
    return event

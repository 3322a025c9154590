"""The audit trail: one helper that every sensitive read and write calls."""

from __future__ import annotations

from collections.abc import Iterator

from flask import g, has_request_context, request
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


def after_streaming(
    lines: Iterator[str], action: str, interrupted: str, object_type: str, object_id: object = "", **details: object
) -> Iterator[str]:
    """Stream a CSV export's lines (a header, then one per row), and audit it only once it was sent.

    The view wraps the result in ``stream_with_context``, so the request's session and signed-in
    person last until the stream ends. When the server has taken every line, ``action`` is
    recorded with the number of rows, in a short transaction of its own after the reading one; a
    client that goes away mid-stream makes the server close it, recorded as ``interrupted`` with
    the rows sent until then. A stream that fails for any other reason records nothing.
    """
    sent = 0
    try:
        for line in lines:
            yield line
            sent += 1
    except GeneratorExit:
        lines.close()
        _record_after_reading(interrupted, object_type, object_id, rows_sent=max(sent - 1, 0), **details)
        raise
    _record_after_reading(action, object_type, object_id, rows=max(sent - 1, 0), **details)


def _record_after_reading(action: str, object_type: str, object_id: object, **details: object) -> None:
    db.session.rollback()  # end the transaction the rows were read in
    g.reading_over = True  # what follows is the export's bookkeeping, a write of its own
    record(action, object_type, object_id, **details)
    db.session.commit()

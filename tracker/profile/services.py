"""Changing a person's own preferences, each change an audit event."""

from __future__ import annotations

from tracker import audit
from tracker.extensions import db
from tracker.models import Person


def set_preferences(
    person: Person,
    *,
    show_on_walls: bool | None = None,
    email_notifications: bool | None = None,
    language: str | None = None,
) -> dict[str, bool | str]:
    """Apply the given preferences (``None`` leaves one as it is, ``""`` clears the language).

    Returns what changed."""
    changes: dict[str, bool | str] = {}
    if language is not None and (language or None) != person.language:
        person.language = language or None
        changes["language"] = language
    if show_on_walls is not None and show_on_walls != person.show_on_walls:
        person.show_on_walls = show_on_walls
        changes["show_on_walls"] = show_on_walls
    if email_notifications is not None and email_notifications != person.email_notifications:
        person.email_notifications = email_notifications
        changes["email_notifications"] = email_notifications
    if changes:
        audit.record("preferences_changed", "person", person.id, actor=person, **changes)
        db.session.flush()
    return changes

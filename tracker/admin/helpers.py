"""Small helpers the admin views share."""

from __future__ import annotations

from flask import abort, flash

from tracker.extensions import db
from tracker.forms import Form
from tracker.validation import InvalidInput


def show_errors(form: Form, error: InvalidInput) -> None:
    """Put a service's refusal next to the fields it names; the rest goes in a message at the top."""
    db.session.rollback()
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            for message in messages:
                flash(message, "danger")


def get_or_404(model, record_id: int):
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record

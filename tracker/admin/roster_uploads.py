"""Uploaded roster files waiting between the dry run and the apply."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Person, RosterUpload, utcnow

KEPT_FOR = timedelta(days=1)


def store(content: bytes, filename: str, uploaded_by: Person) -> RosterUpload:
    """Keep the file for review; yesterday's forgotten uploads are removed on the way."""
    db.session.execute(sa.delete(RosterUpload).where(RosterUpload.created_at < utcnow() - KEPT_FOR))
    upload = RosterUpload(
        token=secrets.token_urlsafe(24), filename=filename[:255], content=content, uploaded_by_id=uploaded_by.id
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def find(token: str, uploaded_by: Person, *, for_apply: bool = False) -> RosterUpload | None:
    """Only the admin who uploaded a file reviews and applies it, and only while it is fresh.

    ``for_apply`` locks the row, so a double-clicked "Apply" runs once; the second finds it gone.
    """
    statement = sa.select(RosterUpload).where(
        RosterUpload.token == token,
        RosterUpload.uploaded_by_id == uploaded_by.id,
        RosterUpload.created_at >= utcnow() - KEPT_FOR,
    )
    return db.session.scalar(statement.with_for_update() if for_apply else statement)


def discard(upload: RosterUpload) -> None:
    db.session.delete(upload)

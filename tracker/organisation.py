"""The department tree: creating, moving and walking departments."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Department

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_department(slug: str, name: str, parent: Department | None = None) -> Department:
    """Add a department under ``parent`` (flushed, not committed)."""
    slug = slug.strip().lower()
    if not SLUG.match(slug) or len(slug) > 80:
        raise ValueError(f"'{slug}' is not a valid slug: use lower-case letters, digits and single hyphens")
    if not name.strip():
        raise ValueError("the name must not be empty")
    if db.session.scalar(sa.select(Department.id).where(Department.slug == slug)):
        raise ValueError(f"a department with the slug '{slug}' already exists")
    department = Department(slug=slug, name=name.strip(), parent=parent)
    db.session.add(department)
    db.session.flush()
    department.refresh_path()
    return department

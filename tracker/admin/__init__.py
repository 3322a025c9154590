"""Administration : departments, people, standards, settings, roster, audit trail."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from tracker.admin import (  # noqa: E402,F401  (routes register on import)
    department_views,
    people_views,
    roster_views,
    standards_views,
    views,
)

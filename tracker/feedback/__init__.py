"""Patient and family feedback: the public form, QR posters and staff-entered cards and letters."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)

from tracker.feedback import views  # noqa: E402,F401  (routes register on import)

"""A person's own preferences: walls and leaderboards, notification e-mails."""

from flask import Blueprint

bp = Blueprint("profile", __name__)

from tracker.profile import views  # noqa: E402,F401  (routes register on import)

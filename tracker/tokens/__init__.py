"""API tokens on the person's own profile: create (shown once), list with last use, revoke."""

from flask import Blueprint

bp = Blueprint("tokens", __name__)

from tracker.tokens import views  # noqa: E402,F401  (routes register on import)

"""Display links for unit TVs: made and revoked by the unit's managers, opened by the TV with nobody signed in."""

from flask import Blueprint

bp = Blueprint("displays", __name__)

from tracker.displays import views  # noqa: E402,F401  (routes register on import)

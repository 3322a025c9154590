""" "You said, we did": actions units took on suggestions and resolved concerns, and their public pages."""

from flask import Blueprint

bp = Blueprint("yousaid", __name__)

from tracker.yousaid import views  # noqa: E402,F401  (routes register on import)

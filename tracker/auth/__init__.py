from flask import Blueprint

bp = Blueprint("auth", __name__)

from tracker.auth import views  # noqa: E402,F401  (routes register on import)

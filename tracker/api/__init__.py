"""JSON API v1 (SPEC §8)."""

from flask import Blueprint, request

from tracker.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)


@bp.before_request
def protect_session_writes():
    """Bearer-token calls carry no cookie to forge; browser-session writes need the X-CSRFToken header."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return
    csrf.protect()


from tracker.api import views  # noqa: E402,F401  (routes register on import)

"""Award programmes: nominations, blinded committee judging, decisions and honourees celebrated."""

from flask import Blueprint

bp = Blueprint("awards", __name__)

from tracker.awards import views_judging, views_manage, views_public  # noqa: E402,F401  (routes register on import)

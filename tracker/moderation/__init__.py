"""Moderation of patient feedback by patient-experience staff, before anything reaches staff."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from tracker.moderation import views  # noqa: E402,F401  (routes register on import)

"""Peer recognition: give one, read and answer it, the wall and its TV display, approvals."""

from flask import Blueprint

bp = Blueprint("recognitions", __name__)

from tracker.recognitions import views  # noqa: E402,F401  (routes register on import)

"""Concerns worked as cases: deadlines, assignment, notes, history and a written resolution."""

from flask import Blueprint

bp = Blueprint("cases", __name__)

from tracker.cases import views  # noqa: E402,F401  (routes register on import)

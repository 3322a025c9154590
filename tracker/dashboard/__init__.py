"""Manager dashboards: coverage, equity and icare mix for a subtree, exports and huddle packs."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from tracker.dashboard import rollup, views  # noqa: E402,F401  (routes and the roll-up hook register on import)

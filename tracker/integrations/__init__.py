"""Recognition where staff already are: Teams and Slack channels, and signed webhooks for other systems."""

from flask import Blueprint

bp = Blueprint("integrations", __name__, url_prefix="/integrations")
# Its routes register when the app factory imports ``tracker.integrations.routes``: the features
# that emit events import this package, so it must not import their views back.

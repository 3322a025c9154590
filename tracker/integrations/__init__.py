"""Recognition where staff already are: Teams and Slack channels, and signed webhooks for other systems."""

from flask import Blueprint

bp = Blueprint("integrations", __name__, url_prefix="/integrations")

from tracker.integrations import views, webhook_views  # noqa: E402,F401  (routes register on import)

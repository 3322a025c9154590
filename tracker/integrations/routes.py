"""The integrations blueprint's pages, imported by the app factory so that they register."""

from tracker.integrations import views, webhook_views  # noqa: F401  (routes register on import)

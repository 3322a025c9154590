"""Fixtures for the security tests: an app with real rate limits on the suite's database."""

from __future__ import annotations

import pytest

from tests.conftest import make_test_config
from tracker import create_app
from tracker.extensions import limiter


@pytest.fixture
def limited_app(app, instance_path):
    """Build a second app on the same database with rate limits on; ``limited_app(**config)``.

    The limiter is one shared extension, so it is reset and switched off again afterwards.
    """

    def build(**overrides):
        config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], str(instance_path))
        config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", **overrides)
        limited = create_app(config)
        limited.test_client_class = app.test_client_class
        limiter.reset()
        return limited

    yield build
    limiter.reset()
    limiter.enabled = False

"""Configuration layers and the refusal to run in production without a real secret."""

import pytest

from tracker import create_app
from tracker.config import ConfigurationError


def test_refuses_to_start_without_a_real_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("secret", ["", "dev", "change-me", "development-only-secret"])
def test_refuses_known_default_secrets(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigurationError):
        create_app()


def test_starts_with_a_real_secret_and_layers_settings(monkeypatch, tmp_path):
    (tmp_path / "config.py").write_text("HOSPITAL_NAME = 'From instance'\nMAIL_PORT = 2525\n")
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-value")
    monkeypatch.setenv("TRACKER_MAIL_PORT", "1025")
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.internal/tracker")
    app = create_app()
    assert app.config["HOSPITAL_NAME"] == "From instance"  # instance/config.py
    assert app.config["MAIL_PORT"] == 1025  # TRACKER_* wins over instance/config.py
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user@db.internal/tracker"


def test_debug_and_testing_may_use_the_development_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert create_app({"TESTING": True}).config["TESTING"]


def test_production_hardens_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-value")
    monkeypatch.setenv("TRACKER_PRODUCTION", "true")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"

"""An app on the suite's database signed in through a loopback OpenID provider."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import make_test_config
from tests.identity.fake_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider
from tracker import create_app
from tracker.extensions import db
from tracker.models import AuditEvent


@pytest.fixture
def provider():
    with FakeProvider() as running:
        yield running


def oidc_config(app, instance_path, issuer: str, **extra) -> dict:
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], str(instance_path))
    config.update(
        OIDC_ISSUER=issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_TIMEOUT_SECONDS=2,
        PUBLIC_BASE_URL="http://localhost",
        HOSPITAL_NAME="Mass General",
    )
    config.update(extra)
    return config


@pytest.fixture
def make_client(app, instance_path, provider):
    """``make_client(**settings)``: a browser-like client of an app using ``provider``."""

    def _make(**extra):
        application = create_app(oidc_config(app, instance_path, provider.issuer, **extra))
        application.test_client_class = app.test_client_class
        return application.test_client()

    return _make


@pytest.fixture
def sso_client(make_client):
    return make_client()


def start_sign_in(client):
    """The app's redirect to the provider, then the provider's answer: the callback URL to deliver."""
    started = client.get("/login/sso")
    assert started.status_code == 302, started.get_data(as_text=True)
    answer = requests.get(started.headers["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def sso_sign_in(client):
    """Sign in through the provider; the app's answer to its callback."""
    return client.get(start_sign_in(client))


def signed_in_as(client) -> str | None:
    page = client.get("/me/tokens")
    return None if page.status_code != 200 else page.get_data(as_text=True)


FAILED = "Signing in with your hospital account did not work. Please try again."


def refused_with_message(client, response, message: str = FAILED) -> None:
    """The answer sends the browser back to the sign-in page, which says why, and nobody is signed in."""
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert signed_in_as(client) is None


def audit_actions(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()

"""Channels and webhooks against a real HTTP receiver on loopback (pytest-httpserver)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.extensions import db
from tracker.integrations import delivery, services

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture
def loopback(app, monkeypatch):
    """Loopback receivers allowed, as in tests and local development."""
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", True)
    monkeypatch.setitem(app.config, "WEBHOOKS_TIMEOUT_SECONDS", 2)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://tracker.example.org")


@pytest.fixture
def teams_channel(loopback, httpserver, hospital, manager):
    channel = services.connect_channel(hospital["medicine"], "teams", httpserver.url_for("/teams/hook"), by=manager)
    db.session.commit()
    return channel


@pytest.fixture
def slack_channel(loopback, httpserver, hospital, manager):
    channel = services.connect_channel(hospital["medicine"], "slack", httpserver.url_for("/slack/hook"), by=manager)
    db.session.commit()
    return channel


def received(httpserver) -> list[tuple]:
    """(path, parsed JSON body, headers) of every request the receiver got."""
    return [(request.path, json.loads(request.get_data()), request.headers) for request, _response in httpserver.log]


def run_worker():
    return delivery.send_due()


@pytest.fixture
def adaptive_card_schema():
    return json.loads((SCHEMAS / "adaptive-card-1.4.json").read_text())

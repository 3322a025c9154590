"""``/healthz`` runs a real query; a database that is down answers 503, never a traceback."""

import pytest

from tests.conftest import make_test_config
from tests.helpers import BrowserLikeClient
from tracker import create_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "rate_limits": "off"}


@pytest.mark.no_db_transaction
def test_database_down_answers_503(instance_path, tmp_path):
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    app = create_app(make_test_config(unreachable, str(instance_path)))
    app.test_client_class = BrowserLikeClient
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    api = client.get("/api/v1/standards")
    assert api.status_code == 503
    assert "message" in api.get_json()["error"]
    page = client.post_form("/login", {"email": "nurse@example.org", "password": "anything at all"})
    assert page.status_code == 503
    assert "Temporarily unavailable" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)

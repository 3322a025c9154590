"""QR posters, and the per-address rate limit on the public form."""

from __future__ import annotations

import time

import pytest
from flask_migrate import upgrade

from tests import databases
from tests.conftest import make_test_config
from tests.helpers import BrowserLikeClient
from tracker import create_app
from tracker.extensions import db, limiter
from tracker.feedback import spam


def test_poster_has_the_unit_a_qr_code_and_five_languages(client, hospital):
    page = client.get("/units/ellison-12/poster").get_data(as_text=True)
    assert "Ellison 12" in page
    assert 'src="/units/ellison-12/poster.svg"' in page
    for lang, text in [("es", "Cuéntenos"), ("pt", "Conte-nos"), ("ht", "Pale nou"), ("zh-Hans", "告诉我们")]:
        assert f'lang="{lang}"' in page and text in page
    assert "http://127.0.0.1:5000/feedback/ellison-12" in page

    code = client.get("/units/ellison-12/poster.svg")
    assert code.mimetype == "image/svg+xml" and code.data.startswith(b"<?xml")
    assert client.get("/units/nowhere/poster").status_code == 404


@pytest.mark.no_db_transaction
def test_a_burst_from_one_address_gets_the_friendly_429(instance_path):
    with databases.fresh_database("limits") as url:
        app = create_app(
            make_test_config(url, str(instance_path)) | {"RATELIMIT_ENABLED": True, "RATELIMIT_PUBLIC_FORM": "2/minute"}
        )
        try:
            with app.app_context():
                upgrade()
            limiter.reset()
            with app.test_request_context():
                started = spam.issue_started_token(now=time.time() - 60)
            app.test_client_class = BrowserLikeClient  # reads the CSRF token from a page, like a browser
            client = app.test_client()
            data = {"type": "compliment", "message": "Thank you", "started": started}
            statuses = [client.post_form("/feedback", data).status_code for _ in range(3)]
            assert statuses == [302, 302, 429]
            page = client.post_form("/feedback", data, headers={"Accept-Language": "es"}).get_data(as_text=True)
            assert "Espere un momento" in page
            assert client.get("/feedback").status_code == 200  # reading the form is never limited
        finally:
            with app.app_context():
                db.engine.dispose()

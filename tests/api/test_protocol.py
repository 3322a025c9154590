"""What every endpoint shares: the error shape for bad input, authentication, CSRF, limits, the document."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.api.conftest import error_fields
from tests.conftest import make_test_config
from tracker import create_app
from tracker.extensions import db, limiter
from tracker.models import ApiToken, Recognition

SPEC_OPERATIONS = {
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/standards"),
    ("get", "/api/v1/departments"),
    ("get", "/api/v1/people"),
    ("post", "/api/v1/recognitions"),
    ("get", "/api/v1/recognitions"),
    ("get", "/api/v1/recognitions/{recognition_id}"),
    ("post", "/api/v1/feedback"),
    ("get", "/api/v1/dashboard/summary"),
}


def recognition_body(recipient) -> dict:
    return {"recipients": [recipient.id], "standards": ["communicate"], "message": "Thank you for staying late."}


# --- the document ------------------------------------------------------------------------------


def test_openapi_document_is_3_1_and_describes_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert operations >= SPEC_OPERATIONS
    assert all(path.startswith("/api/v1/") for _, path in operations)
    assert document["paths"]["/api/v1/people"]["get"]["security"]
    assert document["paths"]["/api/v1/standards"]["get"]["security"] == []
    body = document["paths"]["/api/v1/recognitions"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/RecognitionIn")
    assert document["components"]["schemas"]["RecognitionIn"]["additionalProperties"] is False
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "429" in operation["responses"], (method, path)


def test_docs_page_uses_local_assets_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert any("swagger-ui-bundle" in src for src in sources)
    assert all(src.startswith("/") for src in sources)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert "style=" not in html
    for src in sources:
        asset = client.get(src)
        assert asset.status_code == 200
        asset.close()
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/recognitions", "/api/v1/feedback"])
def test_malformed_json_is_400(client, bearer, staff, url):
    response = client.post(url, data='{"message": ', content_type="application/json", headers=bearer(staff))
    assert response.status_code == 400
    assert "body" in error_fields(response)


@pytest.mark.parametrize("body", ["[]", "3", '"text"', "null"])
def test_a_body_that_is_not_an_object_is_400(client, bearer, staff, body):
    response = client.post("/api/v1/recognitions", data=body, content_type="application/json", headers=bearer(staff))
    assert response.status_code == 400
    error_fields(response)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_wrong_content_type_is_415(client, bearer, staff, content_type):
    response = client.post("/api/v1/feedback", data="type=compliment", content_type=content_type, headers=bearer(staff))
    assert response.status_code == 415
    error_fields(response)


def test_wrong_types_and_unknown_fields_name_the_field(client, bearer, staff, colleague):
    body = {**recognition_body(colleague), "recipients": ["abc"], "visibility": "everyone", "colour": "red"}
    response = client.post("/api/v1/recognitions", json=body, headers=bearer(staff))
    assert response.status_code == 422
    fields = error_fields(response)
    assert {"recipients.0", "visibility", "colour"} <= set(fields)
    assert fields["colour"] == ["Unknown field."]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recognition)) == 0


def test_body_over_the_size_limit_is_413(client, bearer, staff, colleague):
    body = {**recognition_body(colleague), "message": "x" * (70 * 1024)}
    response = client.post("/api/v1/recognitions", json=body, headers=bearer(staff))
    assert response.status_code == 413
    error_fields(response)


def test_unknown_path_and_method_answer_json(client):
    assert client.get("/api/v1/nothing-here").status_code == 404
    response = client.delete("/api/v1/standards")
    assert response.status_code == 405
    error_fields(response)


# --- authentication ----------------------------------------------------------------------------


def test_an_unknown_token_is_401_even_on_public_endpoints(client):
    response = client.get("/api/v1/standards", headers={"Authorization": "Bearer icare_not-a-real-token"})
    assert response.status_code == 401
    error_fields(response)


def test_a_revoked_token_stops_at_once(client, bearer, staff):
    headers = bearer(staff)
    assert client.get("/api/v1/people", headers=headers).status_code == 200
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.person_id == staff.id))
    assert token.last_used_at is not None
    token.revoked_at = token.created_at
    db.session.commit()
    assert client.get("/api/v1/people", headers=headers).status_code == 401


def test_a_deactivated_persons_token_stops_at_once(client, bearer, staff):
    headers = bearer(staff)
    staff.active = False
    db.session.commit()
    assert client.get("/api/v1/people", headers=headers).status_code == 401


def test_session_writes_need_the_csrf_header(client, sign_in, staff, colleague):
    sign_in(staff)
    refused = client.post("/api/v1/recognitions", json=recognition_body(colleague))
    assert refused.status_code == 400
    error_fields(refused)
    accepted = client.post(
        "/api/v1/recognitions", json=recognition_body(colleague), headers={"X-CSRFToken": client.csrf_token()}
    )
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    assert client.get("/api/v1/people").status_code == 200  # reads need no header


def test_anonymous_feedback_needs_no_csrf_token(client, hospital):
    response = client.post("/api/v1/feedback", json={"type": "suggestion", "message": "More chairs, please."})
    assert response.status_code == 201


# --- rate limits -------------------------------------------------------------------------------


@pytest.fixture
def limited_client(app, instance_path):
    """A second app on the same database with tiny limits; the shared limiter is switched off again after."""
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], str(instance_path))
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute", RATELIMIT_PUBLIC_FORM="2 per minute")
    limited = create_app(config)
    limited.test_client_class = app.test_client_class
    limiter.reset()
    yield limited.test_client()
    limiter.reset()
    limiter.enabled = False


def test_api_calls_are_limited_per_token_with_retry_after(limited_client, bearer, staff, colleague):
    mine, theirs = bearer(staff), bearer(colleague)
    statuses = [limited_client.get("/api/v1/people", headers=mine).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = limited_client.get("/api/v1/people", headers=mine)
    assert int(refused.headers["Retry-After"]) > 0
    error_fields(refused)
    assert limited_client.get("/api/v1/people", headers=theirs).status_code == 200


def test_public_feedback_is_limited_per_address(limited_client, hospital):
    body = {"type": "suggestion", "message": "More chairs, please."}
    statuses = [limited_client.post("/api/v1/feedback", json=body).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    elsewhere = limited_client.post("/api/v1/feedback", json=body, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert elsewhere.status_code == 201


def test_nul_characters_are_refused_not_stored(client, bearer, staff, colleague):
    """PostgreSQL cannot store NUL; it must be a field error on every database, never a 500."""
    body = {**recognition_body(colleague), "message": "thank\x00you"}
    response = client.post("/api/v1/recognitions", json=body, headers=bearer(staff))
    assert response.status_code == 422
    assert "message" in error_fields(response)
    response = client.get("/api/v1/people?q=ma%00ria", headers=bearer(staff))
    assert response.status_code == 422
    assert "q" in error_fields(response)
    assert client.get("/api/v1/recognitions?standard=%00", headers=bearer(staff)).status_code == 422

"""JSON API v1: JSON in and out, Bearer tokens or the browser session, one error shape."""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from tracker.errors import json_error
from tracker.extensions import csrf, limiter
from tracker.jsonbody import BodyTooDeep

bp = Blueprint("api", __name__)
csrf.exempt(bp)

BODY_METHODS = ("POST", "PUT", "PATCH")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None


def client_key() -> str:
    """Rate limits count per token for token calls, and per address for everything else."""
    token = bearer_token()
    if token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "address:" + (get_remote_address() or "")


def _api_limit() -> str:
    return current_app.config["RATELIMIT_API"]


limiter.limit(_api_limit, key_func=client_key)(bp)


@bp.before_request
def check_request():
    """Refuse what no endpoint could use before any view runs: bad tokens, forged writes, bodies that aren't JSON."""
    if bearer_token() is not None and not current_user.is_authenticated:
        return json_error(401, "The API token is not valid, or it was revoked.")
    if bearer_token() is None and current_user.is_authenticated:
        # Browser-session writes need the X-CSRFToken header; a bearer token carries no cookie to forge.
        csrf.protect()
    if request.method not in BODY_METHODS:
        return None
    request.max_content_length = current_app.config["API_MAX_CONTENT_LENGTH"]
    if not request.is_json:
        return json_error(415, "Send the body as JSON with 'Content-Type: application/json'.")
    try:
        body = request.get_json()
    except BodyTooDeep as error:
        return json_error(400, error.description, {"body": [error.description]})
    except BadRequest:
        return json_error(400, "The body is not valid JSON.", {"body": ["Not valid JSON."]})
    if not isinstance(body, dict):
        return json_error(400, "The body must be a JSON object.", {"body": ["Expected a JSON object."]})
    return None


def idempotency_scope() -> str:
    """Whose keys these are: one token, one signed-in person, or one address."""
    if getattr(g, "api_token_id", None):
        return f"token:{g.api_token_id}"
    if current_user.is_authenticated:
        return f"person:{current_user.id}"
    return f"address:{get_remote_address()}"


from tracker.api import awards, dashboard, docs, feedback, recognitions, views, webhooks  # noqa: E402,F401  (routes register on import)

"""SCIM responses and errors (``application/scim+json``), built with scim2-models, and the token check."""

from __future__ import annotations

import json

from flask import Response, current_app, request
from pydantic import ValidationError
from scim2_models import Context, Error, ListResponse, Resource, ResponseParameters, SCIMException

from tracker.scim import auth, bp

MEDIA_TYPE = "application/scim+json"


def respond(body, status: int = 200, headers: dict | None = None) -> Response:
    """A SCIM message: a scim2-models object (dumped for a response) or an already dumped dict.

    Resources and lists of them honour the request's ``attributes`` and ``excludedAttributes``.
    """
    if isinstance(body, Resource | ListResponse):
        body = body.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=response_parameters())
    elif hasattr(body, "model_dump"):
        body = body.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    response = current_app.response_class(json.dumps(body), status, mimetype=MEDIA_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def response_parameters() -> ResponseParameters | None:
    """The ``attributes`` or ``excludedAttributes`` asked for (RFC 7644 §3.9); invalid ones are a SCIM error."""
    asked = {name: request.args[name] for name in ("attributes", "excludedAttributes") if request.args.get(name)}
    return ResponseParameters.model_validate(asked) if asked else None


def error(status: int, detail: str, scim_type: str | None = None) -> Response:
    return respond(Error(status=status, scim_type=scim_type, detail=detail).model_dump(), status)


def from_exception(exc: Exception) -> Response:
    """A SCIM error for what scim2-models refused: the body's unknown or invalid attributes, a bad PATCH."""
    if isinstance(exc, SCIMException):
        refused = exc.to_error()
        return respond(refused.model_dump(), refused.status or 400)
    if isinstance(exc, ValidationError):
        errors = Error.from_validation_errors(exc.errors())
        first = errors[0] if errors else Error(status=400, scim_type="invalidValue", detail="Invalid body.")
        if first.scim_type is None:
            first.scim_type = "invalidValue"
        return respond(first.model_dump(), 400)
    return error(400, str(exc)[:300], "invalidSyntax")


def body() -> dict:
    """The request's JSON object; a SCIM ``invalidSyntax`` error (raised) for anything else."""
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise BadBody()
    return data


class BadBody(Exception):
    """The request body is not a JSON object."""


@bp.before_request
def require_scim_token():
    if auth.authenticate() is None:
        return respond(
            Error(status=401, detail="Send a SCIM token as 'Authorization: Bearer <token>'.").model_dump(),
            401,
            {"WWW-Authenticate": 'Bearer realm="scim"'},
        )


@bp.errorhandler(BadBody)
def bad_body(_exc):
    return error(400, "The request body must be a JSON object.", "invalidSyntax")


@bp.errorhandler(ValidationError)
@bp.errorhandler(SCIMException)
def refused(exc):
    return from_exception(exc)


@bp.errorhandler(404)
def not_found(_exc):
    return error(404, "No such resource.")


@bp.errorhandler(405)
def not_allowed(_exc):
    return error(405, "This method is not supported here.")

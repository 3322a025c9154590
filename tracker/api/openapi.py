"""The OpenAPI 3.1 document, made by SpecTree from the views' declared models, and its error conversion.

Only views decorated with :func:`operation` appear in the document (strict mode), so the pages of the
site never leak into it. Request validation failures become the API's one error shape.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from flask import current_app
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree

from tracker.api.schemas import Error
from tracker.errors import json_error
from tracker.extensions import db
from tracker.models import Behavior, Department, Standard
from tracker.validation import InvalidInput

VALIDATION_MESSAGE = "Some of the input was not valid."

spec = SpecTree(
    "flask",
    title="icare tracker API",
    version="1",
    description=(
        "JSON API of icare tracker. Sign in with `Authorization: Bearer <token>` (tokens are made on "
        "your profile page, `/me/tokens`) or with the browser session plus an `X-CSRFToken` header for writes. "
        'Errors look like `{"error": {"message": "...", "fields": {"name": ["..."]}}}`.'
    ),
    mode="strict",
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda parent, child: child,
    security_schemes=[
        SecurityScheme(
            name="bearer",
            data=SecuritySchemeData(type="http", scheme="bearer", description="An API token from /me/tokens."),
        ),
        SecurityScheme(
            name="session",
            data=SecuritySchemeData(
                type="apiKey", field_in="cookie", name="session", description="The browser session."
            ),
        ),
    ],
    validation_error_model=Error,
)

SIGNED_IN = [{"bearer": []}, {"session": []}]  # either one

# Every operation can answer these; docs/api.md lists them.
COMMON_ERRORS = ("HTTP_400", "HTTP_413", "HTTP_429")
SIGNED_IN_ERRORS = ("HTTP_401",)


def field_errors(errors: Iterable[dict]) -> dict[str, list[str]]:
    """Pydantic's error list as ``{field: [messages]}``; nested locations are joined with dots."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ())) or "body"
        message = "Unknown field." if error.get("type") == "extra_forbidden" else error.get("msg", "Invalid.")
        fields.setdefault(location, []).append(message)
    return fields


def refused(error: InvalidInput, names: dict[str, str] | None = None):
    """A service's :class:`InvalidInput` as a 422 in the API's error shape, fields renamed to the API's names."""
    names = names or {}
    fields = {names.get(name, name): [str(m) for m in messages] for name, messages in error.fields.items()}
    return json_error(422, str(error.message or VALIDATION_MESSAGE), fields)


def _error_shape(request, response, validation_error, instance, model_adapter):
    """SpecTree hook: rewrite its validation answer into the API's error shape."""
    if validation_error is None or response is None:
        return
    fields = field_errors(model_adapter.validation_errors(validation_error))
    response.set_data(json.dumps({"error": {"message": VALIDATION_MESSAGE, "fields": fields}}))
    response.mimetype = "application/json"


def _quiet(request, response, validation_error, instance, model_adapter):
    """A response that breaks its own schema is logged by the app's 500 path; nothing else to do here."""
    if validation_error is not None:
        from flask import current_app

        current_app.logger.error("response does not match the API schema: %s", validation_error)


def operation(
    *,
    ok: dict,
    errors: Sequence[str] = (),
    signed_in: bool = False,
    tags: Sequence[str] = (),
    query=None,
    json=None,
    headers=None,
):
    """Declare an API view: its input models, its answers, who may call it. Validates input on the way in."""
    answers = dict(ok)
    for status in (*COMMON_ERRORS, *(SIGNED_IN_ERRORS if signed_in else ()), *errors):
        answers.setdefault(status, Error)
    if json is not None:
        answers.setdefault("HTTP_415", Error)
    validate = spec.validate(
        query=query,
        json=json,
        headers=headers,
        resp=Response(**answers),
        tags=tags,
        security=SIGNED_IN if signed_in else [],
        before=_error_shape,
        after=_quiet,
    )
    return lambda view: validate(_answered_as_json(view))


REQUEST_MODELS = ("query", "json", "form", "headers", "cookies")


def _answered_as_json(view):
    """Hand SpecTree the answer as JSON text, which it checks against the schema in one pass.

    Given a dict, SpecTree first walks every value looking for model instances and then validates
    the Python objects: about 8 ms for the dashboard summary, against well under 1 ms for the text.
    The text is what Flask would have written for the dict.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        answer = view(*args, **kwargs)
        if isinstance(answer, tuple) and answer and isinstance(answer[0], dict | list):
            return (current_app.json.response(answer[0]), *answer[1:])
        if isinstance(answer, dict | list):
            return current_app.json.response(answer)
        return answer

    # Only the request models SpecTree reads: it resolves them in the view's own module.
    wrapper.__annotations__ = {name: hint for name, hint in view.__annotations__.items() if name in REQUEST_MODELS}
    return wrapper


# --- the document as served -----------------------------------------------------------------------

# Where an answer names something another operation reads: (method, path, status) → link name →
# (method, path, {parameter: where in the answer}). Clients and stateful fuzzers follow them.
RECOGNITION = "/api/v1/recognitions/{recognition_id}"
ENDPOINT = "/api/v1/webhooks/{endpoint_id}"
LINKS = {
    ("post", "/api/v1/recognitions", "201"): {
        "GetRecognition": ("get", RECOGNITION, {"recognition_id": "$response.body#/id"}),
    },
    ("get", "/api/v1/recognitions", "200"): {
        "GetFirstRecognition": ("get", RECOGNITION, {"recognition_id": "$response.body#/items/0/id"}),
    },
    ("post", "/api/v1/webhooks", "201"): {
        "GetEndpoint": ("get", ENDPOINT, {"endpoint_id": "$response.body#/id"}),
        "ChangeEndpoint": ("patch", ENDPOINT, {"endpoint_id": "$response.body#/id"}),
        "RemoveEndpoint": ("delete", ENDPOINT, {"endpoint_id": "$response.body#/id"}),
        "EndpointDeliveries": ("get", ENDPOINT + "/deliveries", {"endpoint_id": "$response.body#/id"}),
    },
    ("get", "/api/v1/awards", "200"): {
        "Nominate": ("post", "/api/v1/awards/{slug}/nominations", {"slug": "$response.body#/items/0/slug"}),
    },
    ("get", "/api/v1/judging/assignments", "200"): {
        "GetAssignment": (
            "get",
            "/api/v1/judging/assignments/{assignment_id}",
            {"assignment_id": "$response.body#/items/0/id"},
        ),
        "Score": (
            "post",
            "/api/v1/judging/assignments/{assignment_id}/score",
            {"assignment_id": "$response.body#/items/0/id"},
        ),
    },
}


def vocabularies() -> dict[str, list[str]]:
    """The values of the lists the database holds, as the services check them today."""
    standards = sa.select(Standard.key).order_by(Standard.position, Standard.id)
    behaviors = (
        sa.select(Behavior.key)
        .join(Standard, Behavior.standard_id == Standard.id)
        .where(Behavior.active.is_(True), Standard.active.is_(True))
        .order_by(Standard.position, Behavior.position, Behavior.id)
    )
    departments = sa.select(Department.slug).order_by(Department.path, Department.id)
    return {
        "departments": list(db.session.scalars(departments)),  # filters name any, also a closed one
        "active-departments": list(db.session.scalars(departments.where(Department.active.is_(True)))),
        # What a patient's feedback may name: the places patients and visitors come to.
        "places": list(
            db.session.scalars(departments.where(Department.active.is_(True), Department.patient_facing.is_(True)))
        ),
        "standards": list(db.session.scalars(standards)),
        "active-standards": list(db.session.scalars(standards.where(Standard.active.is_(True)))),
        "active-behaviors": list(db.session.scalars(behaviors)),
        # An empty language means the default one.
        "languages": ["", *current_app.config["LANGUAGES"]],
    }


def _fill_vocabularies(node, values: dict[str, list[str]]) -> None:
    """Replace each ``x-vocabulary`` mark with the list's values (an empty list leaves the field open)."""
    if isinstance(node, dict):
        name = node.pop("x-vocabulary", None)
        if name is not None and values[name]:
            node["enum"] = values[name]
        for child in node.values():
            _fill_vocabularies(child, values)
    elif isinstance(node, list):
        for child in node:
            _fill_vocabularies(child, values)


def _add_links(document: dict) -> None:
    paths = document["paths"]
    for (method, path, status), links in LINKS.items():
        answer = paths[path][method]["responses"][status]
        answer["links"] = {
            name: {"operationId": paths[target][target_method]["operationId"], "parameters": parameters}
            for name, (target_method, target, parameters) in links.items()
        }


def document() -> dict:
    """The OpenAPI document with today's vocabularies filled in and the links between operations."""
    served = copy.deepcopy(spec.spec)
    _fill_vocabularies(served, vocabularies())
    _add_links(served)
    return served

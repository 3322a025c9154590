"""The OpenAPI document and a page to browse it (Swagger UI, served from our own static files)."""

from __future__ import annotations

from flask import jsonify, render_template

from tracker import policy
from tracker.api import bp
from tracker.api.openapi import document, operation


@bp.get("/openapi.json")
@policy.public
@operation(ok={"HTTP_200": None}, tags=["about"])
def openapi_document():
    """The OpenAPI 3.1 document of this API, generated from the code and today's lists of standards."""
    return jsonify(document())


@bp.get("/docs")
@policy.public
def browse_docs():
    return render_template("api/docs.html")

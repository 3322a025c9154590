"""Friendly error pages, and the API's one JSON error shape."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from tracker.extensions import db, login_manager


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str, fields: dict | None = None, headers: dict | None = None):
    body: dict = {"error": {"message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in that request was not right"), _("Please go back, check the form and try again.")),
        401: (_("Please sign in"), _("You need to sign in to see this page.")),
        403: (_("Not allowed"), _("Your account does not give access to this page.")),
        404: (_("Page not found"), _("We could not find that page. It may have moved, or the link may be wrong.")),
        405: (_("Not allowed"), _("That action cannot be done this way.")),
        413: (_("Too much to send"), _("What you sent is too large. Please shorten it and try again.")),
        429: (
            _("Please wait a moment"),
            _("We received many requests from your connection. Please wait a minute and try again."),
        ),
        500: (_("Something went wrong"), _("Sorry, something went wrong on our side. Please try again later.")),
        503: (_("Temporarily unavailable"), _outage_detail()),
    }


def _outage_detail() -> str:
    """What a 503 may honestly say: a write during an outage (database down, disk full) was not stored."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _("The service is briefly unavailable. Please try again in a few minutes.")
    return _("We could not save this; please try again in a few minutes.")


def render_error(status: int, headers: dict | None = None):
    title, detail = _messages().get(status, _messages()[500])
    if wants_json():
        return json_error(status, detail, headers=headers)
    template = "errors/429.html" if status == 429 else "errors/error.html"
    # A 503 means the database is down: render without anything that would query it.
    page = render_template(template, status=status, title=title, detail=detail, plain_page=status == 503)
    return page, status, headers or {}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        if wants_json():
            return json_error(400, _("The security token is missing or has expired. Reload and try again."))
        if request.endpoint == "auth.login":
            from tracker.auth.views import refuse_login

            return refuse_login(400)
        return (
            render_template(
                "errors/error.html",
                status=400,
                title=_("Please try again"),
                detail=_("The form had expired. We reloaded it for you: please submit it once more."),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429 and error.response is not None:
            return error.response  # a limit's own answer, such as the sign-in page's lockout message
        headers = {}
        if error.code == 429:
            retry_after = getattr(error, "retry_after", None) or _retry_after(error)
            if retry_after:
                headers["Retry-After"] = str(retry_after)
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return render_error(error.code or 500, headers)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def value_out_of_range(error: Exception):
        """A value the database cannot hold (a page number past 64 bits, a NUL byte) is a bad request.

        Services validate what they store; this catches what reaches a query unvalidated, such as
        ``?page=`` on every paginated list, so hostile input never gets a 500.
        """
        db.session.rollback()
        app.logger.warning("refused a value the database cannot hold: %s", error)
        return render_error(400)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        db.session.rollback()
        app.logger.error("database unavailable: %s", error)
        answer_without_the_database()
        return render_error(ServiceUnavailable.code)

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError):
        db.session.rollback()
        return render_error(500)


def answer_without_the_database() -> None:
    """Answer the rest of this request as to a visitor, so nothing loads the user from a database that is down.

    Flask-Login loads the signed-in person lazily, the first time anything asks (a template, a
    response hook); an outage answer that asked would fail again and become a 500. Setting the
    request's user to the anonymous one (Flask-Login keeps it in ``g._login_user``) means the 503
    page renders as the signed-out page it is.
    """
    g._login_user = login_manager.anonymous_user()


def _retry_after(error: HTTPException) -> int | None:
    response = error.get_response()
    value = response.headers.get("Retry-After")
    return int(value) if value and value.isdigit() else None

"""Security headers on every response, with a strict Content-Security-Policy; trusted proxies; NULs refused."""

from flask import Flask, Response, abort, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["PRODUCTION"]:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if current_user and current_user.is_authenticated and request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        return response


def trust_proxies(app: Flask) -> None:
    """Behind nginx or a load balancer, take the client's address and scheme from ``X-Forwarded-*``.

    ``PROXY_COUNT`` (``TRACKER_PROXY_COUNT``) is how many proxies in front of the app append to those
    headers. The default, 0, trusts none: otherwise a client could forge its address to slip past
    the per-address rate limits or to appear in the audit trail under another address.
    """
    count = int(app.config["PROXY_COUNT"])
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def refuse_nul_characters(app: Flask) -> None:
    """Answer 400 to a request whose path, query or form holds a NUL character.

    Nobody types one, and PostgreSQL can neither store nor compare text holding one, so a NUL
    that reached a query would end in a database error (a 500) instead of a clear refusal. The
    API refuses NULs itself, field by field (422), in its bodies and filters.
    """

    @app.before_request
    def refuse():
        if request.blueprint == "api":
            return
        texts = [request.path]
        for pairs in (request.args.lists(), request.form.lists()):
            for name, values in pairs:
                texts += [name, *values]
        if any("\x00" in text for text in texts):
            abort(400)

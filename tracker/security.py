"""Security headers on every response, with a strict Content-Security-Policy; trusted proxies; NULs refused."""

from flask import Flask, Response, abort, g, request, session
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
        if request.endpoint != "static" and signed_in_as_far_as_known():
            headers["Cache-Control"] = "no-store"
        return response


def signed_in_as_far_as_known() -> bool:
    """Whether the request is (or claims to be) signed in, from what is already at hand.

    Never loads the user: a response hook runs for error answers too, and while the database is
    down a lookup here would turn the intended 503 into a 500. A request that carries a session
    sign-in or a bearer token counts as signed in even when its user was never loaded (or was set
    aside for an outage answer), so such answers are never cached either.
    """
    user = g.get("_login_user")
    if user is not None and not user.is_anonymous:  # is_authenticated would read the person's row
        return True
    return "_user_id" in session or request.headers.get("Authorization", "").startswith("Bearer ")


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
